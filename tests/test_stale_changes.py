"""Two apps on one database file: a change based on a revision older than the file's is never written
silently, even when this app's poll has already taken the newer revision in. An edit is based on the
revision the editor opened on, undo and redo on the revision their step left; either comes back as a
conflict, and keeping theirs drops the refused change from the undo and redo steps."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from app_helpers import press, view_of
from test_colleagues import BRIDGE, SIZE, TEXT, acting_as, file_annotations, shown, within

from annotations.model import CLAIM
from tui.screens.conflict import ConflictScreen
from tui.screens.editor import AnnotationEditor
from tui.screens.reader import ReaderScreen

CLAIM_TEXT = "Opponents dispute"
#: Long enough for an app's poll (about once a second) to take a colleague's save in, on a loaded machine.
POLLED_WITHIN = 10.0


def note_in(app, ann_id: str) -> str | None:
    held = app.session.get(ann_id)
    return None if held is None else held.attrs.get("note")


def file_notes(db: Path) -> list:
    return [(d.get("deleted", False), d.get("attrs", {}).get("note")) for d in file_annotations(db)]


async def tag_claim(pilot, app) -> str:
    with acting_as(app):
        view_of(app).move_to(TEXT.index(CLAIM_TEXT) + 2)
    await press(pilot, "c")
    (tagged,) = [a for a in shown(app) if a.label == CLAIM]
    assert app.saves.flush(5)
    return tagged.id


async def test_an_edit_is_based_on_the_revision_the_editor_opened_on(two_apps, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    async with two_apps("alice", "carol") as ((alice, a), (carol, c)):
        await press(c, "L")  # everyone's layer: alice's claim shows and opens in carol's editor
        ann_id = await tag_claim(a, alice)
        alice.session.edit(alice.session.get(ann_id), attrs={"note": "note from A"})
        assert alice.saves.flush(5)
        await within((a, c), lambda: note_in(carol, ann_id) == "note from A", "the note reaching carol",
                     POLLED_WITHIN)
        with acting_as(carol):
            view_of(carol).move_to(TEXT.index(CLAIM_TEXT) + 2)
        await press(c, "enter", "y")  # alice's claim: the editor opens once carol says yes
        assert isinstance(carol.screen, AnnotationEditor)
        # While carol's editor is open, alice changes the note again, and carol's poll takes it in.
        alice.session.edit(alice.session.get(ann_id), attrs={"note": "A2"})
        assert alice.saves.flush(5)
        await within((a, c), lambda: note_in(carol, ann_id) == "A2", "alice's second note reaching carol",
                     POLLED_WITHIN)
        carol.screen.query_one("#note", Input).value = "C2"
        await press(c, "ctrl+s")
        assert carol.saves.flush(5)
        await within((a, c), lambda: isinstance(carol.screen, ConflictScreen), "the conflict screen", 10)
        assert file_notes(db) == [(False, "A2")], "carol's edit of an older revision is not written"
        text = "\n".join(str(w.render()) for w in carol.screen.query("Static"))
        assert "A2" in text and "C2" in text, text


async def test_undo_of_a_tag_a_colleague_edited_since_is_a_conflict(two_apps, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    async with two_apps("alice", "alice") as ((first, a), (second, b)):
        ann_id = await tag_claim(a, first)
        await within((a, b), lambda: second.session.get(ann_id) is not None, "the tag reaching the other app",
                     POLLED_WITHIN)
        second.session.edit(second.session.get(ann_id), attrs={"note": "B's note"})
        assert second.saves.flush(5)
        await within((a, b), lambda: note_in(first, ann_id) == "B's note", "the note reaching the first app",
                     POLLED_WITHIN)
        await press(a, "u")
        assert first.saves.flush(5)
        await within((a, b), lambda: isinstance(first.screen, ConflictScreen), "the conflict screen", 10)
        assert file_notes(db) == [(False, "B's note")], "the undo does not delete what a colleague edited since"
        text = "\n".join(str(w.render()) for w in first.screen.query("Static"))
        assert "B's note" in text and "delete it" in text, text


async def test_keep_theirs_drops_the_refused_edit_from_undo_and_redo(two_apps, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    async with two_apps("alice", "carol") as ((alice, a), (carol, c)):
        await press(c, "L")
        with acting_as(carol):
            view_of(carol).move_to(TEXT.index("walk across"))
        await press(c, "q")  # a step of carol's own before the refused one: it stays undoable
        (quote,) = shown(carol)
        ann_id = await tag_claim(a, alice)
        await within((a, c), lambda: carol.session.get(ann_id) is not None, "the tag reaching carol", POLLED_WITHIN)
        carol.session.stop_polling()  # so that carol's edit is surely based on the old revision
        alice.session.edit(alice.session.get(ann_id), attrs={"note": "alice's note"})
        assert alice.saves.flush(5)
        carol.session.edit(carol.session.get(ann_id), attrs={"note": "carol's note"})
        await within((a, c), lambda: isinstance(carol.screen, ConflictScreen), "the conflict screen", 10)
        await press(c, "t")
        assert isinstance(carol.screen, ReaderScreen)
        assert "dropped" in carol.screen.status.under_cursor, carol.screen.status.under_cursor
        await press(c, "u")  # takes back carol's quote, not the edit that was refused
        assert carol.saves.flush(5)
        assert carol.session.get(quote.id) is None and note_in(carol, ann_id) == "alice's note"
        await press(c, "U", "U")  # brings the quote back, then nothing: the refused edit is not redone
        assert carol.saves.flush(5)
        assert not isinstance(carol.screen, ConflictScreen)
    notes = {d["id"]: (d.get("deleted", False), d.get("attrs", {}).get("note")) for d in file_annotations(db)}
    assert notes == {ann_id: (False, "alice's note"), quote.id: (False, None)}
