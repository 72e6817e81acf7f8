"""Undo (u) and redo (ctrl+r) in a headless app: over create, edit and delete, without a limit,
and across two articles of a folder; the database file follows every step."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press, record_notifications, saved_docs, speaker_named, view_of

from annotations.model import CLAIM, QUOTE

EXAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"
BRIDGE = EXAMPLES / "harbour-bridge-vote.txt"
CLINIC = EXAMPLES / "clinic-funding-dispute.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
CLINIC_TEXT = CLINIC.read_text(encoding="utf-8")
SIZE = (110, 32)
QUOTE_TEXT = "For ten years people in Wester Quay have been told to wait,"


pytestmark = pytest.mark.usefixtures("no_analysis")  # the model plays no part here


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def two_articles(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "a-bridge.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b-clinic.txt").write_text(CLINIC_TEXT, encoding="utf-8")
    return folder


def shown(app) -> list[tuple]:
    return [(a.label, a.start, a.end, a.attrs) for a in app.screen.annotations]


def strip_revision(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in ("rev", "modified")}


async def test_undo_and_redo_create_edit_and_delete(make_app, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    quote = (TEXT.index(QUOTE_TEXT), TEXT.index(QUOTE_TEXT) + len(QUOTE_TEXT))
    speaker_at = TEXT.index("reporters outside")
    speaker = {"text": "reporters", "start": speaker_at, "end": speaker_at + len("reporters")}
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(quote[0] + 4)
        await press(pilot, "q")  # create
        created = saved_docs(app, db)
        await press(pilot, "at")
        view.move_to(speaker_at + 2)
        await press(pilot, "at")  # edit: the speaker link ("reporters" is no name, so @ asks again)
        await speaker_named(pilot)
        await press(pilot, "at")
        edited = saved_docs(app, db)
        assert edited[0]["attrs"] == {"speaker": speaker} and edited[0]["rev"] == 2
        view.move_to(quote[0] + 4)
        await press(pilot, "d")  # delete
        assert saved_docs(app, db) == [] and shown(app) == []

        await press(pilot, "u")  # the delete undone: the edited quote is back as it was, as a newer revision
        back = saved_docs(app, db)
        assert [strip_revision(d) for d in back] == [strip_revision(d) for d in edited]
        assert back[0]["rev"] == 4  # the delete's tombstone was rev 3
        assert shown(app) == [(QUOTE, *quote, {"speaker": speaker})]
        await press(pilot, "u")  # the edit undone: no speaker, and a newer revision
        undone_edit = saved_docs(app, db)
        assert undone_edit[0]["attrs"] == {} and undone_edit[0]["id"] == created[0]["id"]
        assert undone_edit[0]["rev"] == 5, "undoing an edit is itself a new revision"
        assert undone_edit[0]["text"] == TEXT[slice(*quote)]
        await press(pilot, "u")  # the create undone
        assert saved_docs(app, db) == [] and shown(app) == []

        await press(pilot, "ctrl+r")
        redone_create = saved_docs(app, db)
        assert [(d["id"], d["label"], d["start"], d["end"], d["attrs"]) for d in redone_create] == [
            (created[0]["id"], QUOTE, *quote, {})
        ]
        await press(pilot, "ctrl+r")
        redone_edit = saved_docs(app, db)
        assert redone_edit[0]["attrs"] == {"speaker": speaker}
        assert redone_edit[0]["rev"] > redone_create[0]["rev"]
        await press(pilot, "ctrl+r")
        assert saved_docs(app, db) == [] and shown(app) == []


async def test_undo_has_no_limit_and_says_when_there_is_nothing_left(make_app, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    count = 30
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        messages = record_notifications(app)
        for _ in range(count):
            await pilot.press("right_parenthesis", "c")  # a claim on each of the next sentences
        await pilot.pause()
        tagged = saved_docs(app, db)
        assert len(tagged) == count
        assert len({(d["start"], d["end"]) for d in tagged}) == count
        await pilot.press(*["u"] * count)
        await pilot.pause()
        assert saved_docs(app, db) == [] and app.screen.annotations == []
        await press(pilot, "u")
        assert "nothing to undo" in messages
        await pilot.press(*["ctrl+r"] * count)
        await pilot.pause()
        redone = saved_docs(app, db)
        await press(pilot, "ctrl+r")
        assert "nothing to redo" in messages
    assert [(d["id"], d["label"], d["start"], d["end"]) for d in redone] == [
        (d["id"], CLAIM, d["start"], d["end"]) for d in tagged
    ]


async def test_undo_and_redo_follow_changes_across_two_articles(make_app, tmp_path: Path) -> None:
    folder = two_articles(tmp_path)
    db = tmp_path / "annotations.json"
    claim = "Opponents dispute those figures."
    clinic_quote = "If the clinic costs more, it is because more people need it,"
    bridge_claim = (article_id(TEXT), CLAIM, TEXT.index(claim), TEXT.index(claim) + len(claim))
    clinic_tag = (
        article_id(CLINIC_TEXT), QUOTE, CLINIC_TEXT.index(clinic_quote), CLINIC_TEXT.index(clinic_quote) + len(clinic_quote)
    )

    def stored() -> list[tuple]:
        return [(d["article_id"], d["label"], d["start"], d["end"]) for d in saved_docs(app, db)]

    app = make_app([folder], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(TEXT.index(claim) + 3)
        await press(pilot, "c", "greater_than_sign")
        await annotations_loaded(pilot)
        assert view_of(app).text == CLINIC_TEXT
        view_of(app).move_to(CLINIC_TEXT.index("because more people"))
        await press(pilot, "q")
        assert sorted(stored()) == sorted([bridge_claim, clinic_tag])

        await press(pilot, "u")
        assert stored() == [bridge_claim] and view_of(app).text == CLINIC_TEXT
        await press(pilot, "u")
        await annotations_loaded(pilot)
        assert view_of(app).text == TEXT, "undoing a change made in the other article opens that article"
        assert stored() == []

        await press(pilot, "ctrl+r")
        await annotations_loaded(pilot)
        assert view_of(app).text == TEXT
        assert stored() == [bridge_claim]
        assert view_of(app).cursor == bridge_claim[2], "the cursor goes to the restored annotation"
        await press(pilot, "ctrl+r")
        await annotations_loaded(pilot)
        assert view_of(app).text == CLINIC_TEXT
        assert sorted(stored()) == sorted([bridge_claim, clinic_tag])


class SlowDisk:
    """Holds the save queue's writes back while closed, as a slow disk would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from annotations.store import Store

        self._open = threading.Event()
        self._open.set()
        original_apply = Store.apply

        def held_apply(store, ops):
            self._open.wait(10)
            return original_apply(store, ops)

        monkeypatch.setattr(Store, "apply", held_apply)

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()


@pytest.mark.parametrize("step", ["undo", "redo"])
async def test_undo_and_redo_into_the_other_article_while_the_write_is_pending(
    make_app, monkeypatch, tmp_path: Path, step: str
) -> None:
    folder = two_articles(tmp_path)
    db = tmp_path / "annotations.json"
    claim = "Opponents dispute those figures."
    disk = SlowDisk(monkeypatch)
    app = make_app([folder], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(app).move_to(TEXT.index(claim) + 3)
        await press(pilot, "c", "greater_than_sign")
        await annotations_loaded(pilot)
        if step == "redo":
            await press(pilot, "u", "greater_than_sign")
            await annotations_loaded(pilot)
        assert view_of(app).text == CLINIC_TEXT
        expected_on_disk = saved_docs(app, db) if step == "undo" else []
        disk.hold()
        await press(pilot, "u" if step == "undo" else "ctrl+r")  # the change is in the first article, which opens
        await annotations_loaded(pilot)
        in_memory = [(a.label, a.start, a.end) for a in app.screen.annotations]
        opened = view_of(app).text
        disk.release()
        docs = saved_docs(app, db)
    assert opened == TEXT
    expected = [] if step == "undo" else [(CLAIM, TEXT.index(claim), TEXT.index(claim) + len(claim))]
    assert [(d["label"], d["start"], d["end"]) for d in docs] == expected
    assert expected_on_disk != docs
    assert in_memory == expected, (
        f"after {step} the screen disagrees with the disk: {step} across articles "
        "(tui/screens/tagging.py _after_history -> reader.py open_article -> load_annotations) reads the store before "
        "the queued change is written, and _annotations_loaded replaces the in-memory annotations with that stale copy"
    )
