"""Two apps on one database file, as two colleagues: each sees the other's tags and deletes within two
seconds, deletes leave a tombstone, and a stale edit is never written silently: the conflict screen
shows theirs beside mine and either choice works."""

from __future__ import annotations

import asyncio
import json
from contextlib import contextmanager
from pathlib import Path

from textual._context import active_app

from app_helpers import press, status_of, view_of

from annotations.model import QUOTE
from tui.screens.confirm import Confirm
from tui.screens.conflict import ConflictScreen
from tui.screens.reader import ReaderScreen

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
SIZE = (100, 30)
#: What the issue promises: a colleague's change shows within two seconds.
LIVE_WITHIN = 2.0


async def within(pilots, condition, what: str, timeout: float) -> float:
    """Seconds until *condition()* holds, letting both apps run; fails after *timeout*."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    while not condition():
        if loop.time() - began > timeout:
            raise AssertionError(f"{what} did not happen within {timeout}s")
        for pilot in pilots:
            await pilot.pause(0.02)
    return loop.time() - began


@contextmanager
def acting_as(app):
    """Calls from the test into *app*'s widgets: with two apps in one task, Textual's idea of the
    running app (a context variable) is the one entered last, unless it is set for the call."""
    token = active_app.set(app)
    try:
        yield
    finally:
        active_app.reset(token)


def shown(app) -> list:
    return list(app.session.annotations)


def file_annotations(db: Path) -> list[dict]:
    return list(json.loads(db.read_text(encoding="utf-8")).get("annotations", {}).values())


async def test_a_colleagues_tag_and_delete_show_live_and_leave_a_tombstone(two_apps, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    async with two_apps("alice", "bob") as ((alice, a), (bob, b)):
        await press(a, "L")  # everyone's layer: a colleague's annotations show beside one's own
        await press(b, "L")
        with acting_as(alice):
            view_of(alice).move_to(TEXT.index("walk across"))
        await press(a, "q")
        (tagged,) = shown(alice)
        assert alice.saves.flush(5)
        took = await within((a, b), lambda: [x.id for x in shown(bob)] == [tagged.id],
                             "alice's tag showing in bob's app", LIVE_WITHIN + 1)
        assert took <= LIVE_WITHIN, f"alice's tag took {took:.2f}s to show"
        assert [m.label for m in view_of(bob)._marks] == [QUOTE], "bob's view draws it"

        with acting_as(bob):
            view_of(bob).move_to(tagged.start + 2)
        await press(b, "d", "y")  # a colleague's annotation: deleting it asks first
        assert shown(bob) == [] and bob.saves.flush(5)
        gone = await within((a, b), lambda: shown(alice) == [], "bob's delete reaching alice's app",
                            LIVE_WITHIN + 1)
        assert gone <= LIVE_WITHIN, f"bob's delete took {gone:.2f}s to reach alice"
        assert view_of(alice)._marks == []
        await press(a, "ctrl+q")
        await press(b, "ctrl+q")
    docs = file_annotations(db)
    assert [(d["id"], d.get("deleted"), d.get("deleted_by")) for d in docs] == [(tagged.id, True, "bob")]


def question(app) -> str:
    return str(app.screen.query_one("#question").render())


async def test_deleting_a_colleagues_claim_asks_naming_them_and_their_screen_says_who_deleted_it(
        two_apps, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    async with two_apps("alice", "bob") as ((alice, a), (bob, b)):
        with acting_as(alice):
            view_of(alice).move_to(TEXT.index("Opponents dispute"))
        await press(a, "c")
        (claim,) = shown(alice)
        assert alice.saves.flush(5)
        await press(b, "L")  # everyone's layer
        await within((a, b), lambda: len(shown(bob)) == 1, "alice's claim reaching bob", LIVE_WITHIN + 1)
        with acting_as(bob):
            view_of(bob).move_to(claim.start + 2)
        await press(b, "d")
        assert isinstance(bob.screen, Confirm), "a colleague's annotation is not deleted without asking"
        assert "alice's CLAIM" in question(bob)
        await press(b, "n")
        assert shown(bob) == [claim] and bob.saves.flush(5)
        assert [d.get("deleted") for d in file_annotations(db)] == [None], "no means nothing is written"
        assert "alice's CLAIM left as it is" in status_of(bob).under_cursor

        # Editing it or linking a speaker to it would make it bob's: each asks too, naming alice.
        for key in ("enter", "@"):
            await press(b, key)
            assert isinstance(bob.screen, Confirm) and "alice's CLAIM" in question(bob), key
            await press(b, "escape")
            assert isinstance(bob.screen, ReaderScreen) and bob.screen.tagging.linking is None

        await press(b, "d", "y")
        assert shown(bob) == [] and bob.saves.flush(5)
        assert "deleted alice's CLAIM (u undoes)" in status_of(bob).under_cursor
        (tomb,) = file_annotations(db)
        assert (tomb["id"], tomb.get("deleted"), tomb.get("deleted_by")) == (claim.id, True, "bob")
        await within((a, b), lambda: shown(alice) == [], "bob's delete reaching alice", LIVE_WITHIN + 1)
        await a.pause()
        assert "bob deleted your CLAIM “Opponents dispute" in status_of(alice).under_cursor


async def test_my_pending_tag_is_kept_while_a_colleagues_change_comes_in(two_apps, tmp_path: Path) -> None:
    async with two_apps("alice", "bob") as ((alice, a), (bob, b)):
        await press(a, "L")  # everyone's layer: a colleague's annotations show beside one's own
        await press(b, "L")
        with acting_as(alice):
            view_of(alice).move_to(TEXT.index("walk across"))
        await press(a, "q")
        with acting_as(bob):
            view_of(bob).move_to(TEXT.index("Opponents dispute"))
        await press(b, "c")
        assert alice.saves.flush(5) and bob.saves.flush(5)
        await within((a, b), lambda: len(shown(alice)) == 2 and len(shown(bob)) == 2,
                     "each seeing the other's tag", LIVE_WITHIN + 1)
        assert sorted(x.annotator for x in shown(alice)) == ["alice", "bob"]


async def stale_edit(a, b, alice, bob) -> tuple:
    """Alice tags; bob sees it and stops watching; alice changes the note; bob changes it too, from the old revision."""
    with acting_as(alice):
        view_of(alice).move_to(TEXT.index("walk across"))
    await press(a, "q")
    (tagged,) = shown(alice)
    assert alice.saves.flush(5)
    await within((a, b), lambda: len(shown(bob)) == 1, "the tag reaching bob", LIVE_WITHIN + 1)
    bob.session.stop_polling()  # so that bob's edit is surely based on the old revision
    theirs = alice.session.edit(tagged, attrs={"note": "alice's note"})
    assert alice.saves.flush(5)
    mine = bob.session.edit(shown(bob)[0], attrs={"note": "bob's note"})
    await within((a, b), lambda: isinstance(bob.screen, ConflictScreen), "the conflict screen", 5)
    text = "\n".join(str(w.render()) for w in bob.screen.query("Static"))
    assert "alice's note" in text and "bob's note" in text, text
    return tagged, theirs, mine


async def test_a_stale_edit_asks_and_mine_on_top_writes_mine_over_theirs(two_apps, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    async with two_apps("alice", "bob") as ((alice, a), (bob, b)):
        await press(a, "L")  # everyone's layer: a colleague's annotations show beside one's own
        await press(b, "L")
        tagged, theirs, mine = await stale_edit(a, b, alice, bob)
        assert [d["attrs"].get("note") for d in file_annotations(db)] == ["alice's note"], "nothing written silently"
        await press(b, "m")
        assert isinstance(bob.screen, ReaderScreen)
        assert bob.saves.flush(5)
        assert [x.attrs.get("note") for x in shown(bob)] == ["bob's note"]
        await within((a, b), lambda: [x.attrs.get("note") for x in shown(alice)] == ["bob's note"],
                     "bob's note reaching alice", LIVE_WITHIN + 1)
    (doc,) = file_annotations(db)
    assert doc["attrs"]["note"] == "bob's note" and doc["rev"] == theirs.rev + 1, "written on top of alice's revision"


async def test_a_stale_edit_asks_and_keep_theirs_shows_theirs(two_apps, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    async with two_apps("alice", "bob") as ((alice, a), (bob, b)):
        await press(a, "L")  # everyone's layer: a colleague's annotations show beside one's own
        await press(b, "L")
        tagged, theirs, mine = await stale_edit(a, b, alice, bob)
        await press(b, "t")
        assert isinstance(bob.screen, ReaderScreen)
        assert [(x.attrs.get("note"), x.rev) for x in shown(bob)] == [("alice's note", theirs.rev)]
        assert bob.saves.flush(5)
        # Bob's next change is based on alice's revision: no conflict again.
        after = bob.session.edit(shown(bob)[0], attrs={"note": "both"})
        assert bob.saves.flush(5)
        assert not isinstance(bob.screen, ConflictScreen)
    (doc,) = file_annotations(db)
    assert (doc["attrs"]["note"], doc["rev"]) == ("both", after.rev) and after.rev == theirs.rev + 1


def suggested(label: str, phrase: str):
    from annotations.suggest import Suggestion

    start = TEXT.index(phrase)
    return Suggestion(label, start, start + len(phrase), phrase, None, None, None, 0.9, ("a reason",), "suggest:test")


async def test_a_rejection_in_another_process_hides_the_suggestion_live_and_taking_it_back_shows_it(
        two_apps, tmp_path: Path) -> None:
    # Rejections are each annotator's own: the other process is the same annotator (a second terminal,
    # another browser tab of `annotty serve`).
    claim = suggested("CLAIM", "Opponents dispute those figures.")
    async with two_apps("alice", "alice") as ((first, a), (second, b)):
        for app in (first, second):
            with acting_as(app):
                app.session.set_suggestions([claim])
                app.screen.drawing.marks()
        assert second.session.suggestions == [claim]
        with acting_as(first):
            view_of(first).move_to(claim.start + 2)
        await press(a, "x")
        assert first.session.suggestions == [] and first.saves.flush(5)
        # Shown means drawn: the marks follow the session's change in a later turn of the other app's loop.
        drawn = lambda: [(m.start, m.end) for m in view_of(second)._marks if m.suggestion]  # noqa: E731
        took = await within((a, b), lambda: second.session.suggestions == [] and drawn() == [],
                            "the rejection reaching the other app", LIVE_WITHIN + 1)
        assert took <= LIVE_WITHIN, f"the rejection took {took:.2f}s to show"
        assert [m for m in view_of(second)._marks if m.suggestion] == [], "nor is it drawn"

        await press(a, "asterisk", "x")  # every suggestion shows, the rejected one too: x takes it back
        assert not first.session.is_rejected(claim) and first.saves.flush(5)
        took = await within((a, b), lambda: second.session.suggestions == [claim] and drawn() == [(claim.start, claim.end)],
                            "taking the rejection back reaching the other app", LIVE_WITHIN + 1)
        assert took <= LIVE_WITHIN, f"taking it back took {took:.2f}s to show"
        assert [(m.start, m.end) for m in view_of(second)._marks if m.suggestion] == [(claim.start, claim.end)]
        await press(a, "ctrl+q")
        await press(b, "ctrl+q")
