"""One article opens before its database is read: the first paint never waits for a big file.

The file is read on a thread of its own just after the first paint. Meanwhile the article, the
cursor and the keys work; changes wait in the save queue and are written once the file is read;
a file found damaged then is left byte for byte as it was and the app ends with one line.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press, record_notifications, status_of, until, view_of

from annotations import jsoncodec
from annotations import store as store_module
from annotations.article import load
from annotations.model import CLAIM, QUOTE, Annotation
from tui.app import READING

from test_first_paint import record_first_frame

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
ARTICLE = load(BRIDGE)
SIZE = (110, 32)


pytestmark = pytest.mark.usefixtures("no_analysis")  # the model plays no part here


def span_of(phrase: str) -> tuple[int, int]:
    start = ARTICLE.text.index(phrase)
    return start, start + len(phrase)


def stored_quote() -> Annotation:
    start, end = span_of("walk across")
    return Annotation.create(article_id=ARTICLE.id, source=ARTICLE.source, article_text=ARTICLE.text,
                             label=QUOTE, start=start, end=end, annotator="alice")


def write_db(path: Path, *annotations: Annotation) -> None:
    path.write_bytes(jsoncodec.dumps({
        "meta": {"1": {"name": "schema_version", "value": store_module.SCHEMA_VERSION}},
        "annotations": {str(i + 1): a.to_doc() for i, a in enumerate(annotations)},
    }))


class HeldParse:
    """The store's parse, recorded, and held back until :meth:`release` (or a few seconds)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, events: list[str], hold: bool) -> None:
        self.gate = threading.Event()
        if not hold:
            self.gate.set()
        real = store_module.parse

        def parse(raw: bytes, path: str):
            events.append("parse")
            self.gate.wait(5)  # were the parse made before the screen, the test would still end
            return real(raw, path)

        monkeypatch.setattr(store_module, "parse", parse)

    def release(self) -> None:
        self.gate.set()


async def test_the_first_paint_comes_before_the_database_is_read(make_app, monkeypatch, tmp_path: Path) -> None:
    quote = stored_quote()
    write_db(tmp_path / "annotations.json", quote)
    events: list[str] = []
    HeldParse(monkeypatch, events, hold=False)
    app = make_app([BRIDGE], annotator="alice")
    record_first_frame(app, lambda: events.append("paint"))
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        assert events == ["paint", "parse"], "the file is read once, after the first paint"
        assert [a.id for a in app.screen.annotations] == [quote.id], "its annotations show once read"
        await until(pilot, lambda: status_of(app).saving != READING, "the reading notice going")
        await press(pilot, "ctrl+q")
    assert app.return_code == 0


async def test_changes_made_while_the_database_is_read_are_saved_once_it_is(make_app, monkeypatch,
                                                                            tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    quote = stored_quote()
    write_db(db, quote)
    before = db.read_bytes()
    events: list[str] = []
    parse = HeldParse(monkeypatch, events, hold=True)
    app = make_app([BRIDGE], annotator="alice")
    notes = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: events == ["parse"] and status_of(app).saving == READING, "the reading notice")
        # The text, the cursor and the keys work: a claim is tagged, the cursor moves.
        claim = span_of("Opponents dispute those figures.")
        view_of(app).move_to(claim[0] + 2)
        await press(pilot, "c")
        assert [(a.label, a.start, a.end) for a in app.screen.annotations] == [(CLAIM, *claim)]
        await press(pilot, "right")
        # Done or not depends on what the file holds: that key waits for it, and says so.
        await press(pilot, "D")
        assert any("still being read" in n for n in notes), notes
        await pilot.pause(0.3)
        assert app.saves.pending >= 1 and db.read_bytes() == before, "nothing is written before the file is read"

        parse.release()
        await annotations_loaded(pilot)
        await until(pilot, lambda: app.saves.pending == 0, "the waiting changes saved")
        shown = sorted((a.label, a.start) for a in app.screen.annotations)
        assert shown == sorted([(CLAIM, claim[0]), (QUOTE, quote.start)]), "the stored quote and the new claim show"
        await until(pilot, lambda: status_of(app).saving != READING, "the reading notice going")
        assert view_of(app).cursor == claim[0] + 3, "the stored cursor does not take the cursor back"
        await press(pilot, "D")
        assert status_of(app).corpus == "done", "once read, D works"
        await press(pilot, "ctrl+q")
    assert app.return_code == 0
    data = jsoncodec.loads(db.read_bytes())
    docs = sorted((d["label"], d["start"]) for d in data["annotations"].values())
    assert docs == sorted([(CLAIM, claim[0]), (QUOTE, quote.start)]), "both kept in the file"
    assert any(d.get("kind") == "done" for d in data["progress"].values())


@pytest.mark.parametrize("content", [
    b'{"annotations": {"1": {"id": "a" "label": "QUOTE"}}}',  # damaged in the middle: its end looks fine
    b'{"meta": {"1": {"name": "schema_version", "value": 99}}, "annotations": {}}',  # a newer annotty's
], ids=["damaged", "newer"])
async def test_a_database_refused_once_read_is_left_byte_for_byte_and_the_app_ends(
        make_app, monkeypatch, tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "annotations.json"
    db.write_bytes(content)
    events: list[str] = []
    parse = HeldParse(monkeypatch, events, hold=True)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: events == ["parse"], "the read starting")
        view_of(app).move_to(span_of("Opponents dispute")[0])
        await press(pilot, "c")  # a change made meanwhile: it must not reach that file
        parse.release()
        await until(pilot, lambda: not app.is_running, "the app ending")
    assert app.return_code == 2
    assert app.open_error is not None and "left untouched" in app.open_error and "\n" not in app.open_error
    assert app.shutdown() is False, "the change is not saved (main() then prints the one line and exits 2)"
    assert db.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(db.name)) == [db.name], \
        "no temporary or lock file beside it"


async def tag_while_the_file_is_read(make_app, monkeypatch, tmp_path: Path) -> tuple[list, list]:
    """Tag, with q, the span of a quote the file holds while the file is still being read: what the file
    then holds live, and what the screen shows, once the tag is saved."""
    db = tmp_path / "annotations.json"
    quote = stored_quote()
    write_db(db, quote)
    events: list[str] = []
    parse = HeldParse(monkeypatch, events, hold=True)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: events == ["parse"] and status_of(app).saving == READING, "the reading notice")
        app.screen.tagging.tag(QUOTE, quote.start, quote.end)  # what q does on that span
        await pilot.pause()
        parse.release()
        await annotations_loaded(pilot)
        await until(pilot, lambda: app.saves.pending == 0, "the waiting changes saved")
        shown = [(a.label, a.start, a.end) for a in app.screen.annotations]
        await press(pilot, "ctrl+q")
    data = jsoncodec.loads(db.read_bytes())
    live = [(d["label"], d["start"], d["end"], d["annotator"]) for d in data["annotations"].values() if not d.get("deleted")]
    return live, shown


async def test_a_tag_made_while_the_database_is_read_does_not_duplicate_a_stored_one(make_app, monkeypatch,
                                                                                     tmp_path: Path) -> None:
    quote = stored_quote()
    live, shown = await tag_while_the_file_is_read(make_app, monkeypatch, tmp_path)
    assert live == [(QUOTE, quote.start, quote.end, "alice")], live
    assert shown == [(QUOTE, quote.start, quote.end)], shown


async def test_a_tag_saved_before_the_file_is_looked_up_is_still_not_a_second_copy(make_app, monkeypatch,
                                                                                  tmp_path: Path) -> None:
    """The tag made while the file was read may be written before the look-up of the article's
    annotations: the look-up then finds it beside the file's own, and it is still the one taken back."""
    from annotations.session import Session

    real = Session.read_stored

    def read_once_saved(self, article):
        for _ in range(500):  # the waiting tag is written first, as a quick save queue does
            if self.saves.pending == 0:
                break
            threading.Event().wait(0.01)
        return real(self, article)

    monkeypatch.setattr(Session, "read_stored", read_once_saved)
    quote = stored_quote()
    live, shown = await tag_while_the_file_is_read(make_app, monkeypatch, tmp_path)
    assert live == [(QUOTE, quote.start, quote.end, "alice")], live
    assert shown == [(QUOTE, quote.start, quote.end)], shown
