"""Keys that arrive in one burst (a paste, a laggy SSH link) go where they would go typed one at a time:
after a Tab into the editor's note, after a dialog opens or closes, before a ctrl+s that saves."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app_helpers import annotations_loaded, press, saved_docs, until, view_of
from textual import events
from textual.widgets import Input

from annotations.model import QUOTE
from tui.screens.editor import AnnotationEditor
from tui.screens.reader import ReaderScreen

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
SIZE = (110, 36)
QUOTE_TEXT = "For ten years people in Wester Quay have been told to wait,"
CHARACTERS = {"space": " ", "tab": None, "enter": "\r", "escape": "\x1b", "ctrl+s": "\x13"}


def type_at_once(app, *keys: str) -> None:
    """Keys as a laggy link delivers them: all queued before the app handles the first."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


async def settle(pilot, condition, what: str) -> None:
    """Until the last key of the burst has done its part (keys take a while on a loaded machine)."""
    await until(pilot, condition, what, timeout=20)
    await pilot.pause(0.1)


def without_analysis(monkeypatch) -> None:
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)


async def open_editor(pilot) -> AnnotationEditor:
    view_of(pilot.app).move_to(TEXT.index(QUOTE_TEXT) + 4)
    await press(pilot, "q", "enter")
    assert isinstance(pilot.app.screen, AnnotationEditor)
    return pilot.app.screen


async def test_letters_after_tabs_in_one_burst_go_into_the_field_tabbed_to(make_app, monkeypatch) -> None:
    without_analysis(monkeypatch)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        editor = await open_editor(pilot)
        type_at_once(app, "tab", "tab", "tab", *"abc")
        note = editor.query_one("#note", Input)
        await settle(pilot, lambda: len(note.value) >= 3, "typing into the note")
        assert app.focused is note
        assert note.value == "abc", "the letters typed after the tabs are in the note"
        await press(pilot, *"Q9")
        assert note.value == "abcQ9"


async def test_ctrl_s_in_the_burst_saves_what_was_typed_before_it(make_app, monkeypatch, tmp_path: Path) -> None:
    without_analysis(monkeypatch)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        await open_editor(pilot)
        type_at_once(app, "tab", "tab", "tab", *"note", "ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, ReaderScreen), "closing the editor")
        assert isinstance(app.screen, ReaderScreen)
        assert [(a.label, a.attrs.get("note")) for a in app.screen.annotations] == [(QUOTE, "note")]
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert docs[0]["attrs"]["note"] == "note"


async def test_keys_sent_with_the_enter_that_opens_the_editor_reach_the_editor(make_app, monkeypatch, tmp_path: Path) -> None:
    without_analysis(monkeypatch)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        start = TEXT.index(QUOTE_TEXT) + 4
        view_of(app).move_to(start)
        type_at_once(app, "q", "enter", "tab", "tab", "tab", *"seen", "ctrl+s", "l")
        await settle(pilot, lambda: isinstance(app.screen, ReaderScreen) and view_of(app).cursor != start, "the l")
        assert isinstance(app.screen, ReaderScreen)
        assert [(a.label, a.attrs.get("note")) for a in app.screen.annotations] == [(QUOTE, "seen")]
        assert view_of(app).cursor == start + 1, "the key after ctrl+s moved the reader's cursor"


async def test_keys_after_the_label_picker_closes_reach_the_reader(make_app, monkeypatch) -> None:
    without_analysis(monkeypatch)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        start = TEXT.index("Wester Quay")
        view.move_to(start)
        # v selects, l l extends it, t opens the picker, enter picks its first label; l then moves on.
        type_at_once(app, "v", "l", "l", "t", "enter", "l", "l")
        await settle(pilot, lambda: isinstance(app.screen, ReaderScreen) and view.cursor == start + 4, "the last l")
        assert isinstance(app.screen, ReaderScreen)
        assert [(a.start, a.end) for a in app.screen.annotations] == [(start, start + 3)]
        assert view.cursor == start + 4


async def test_keys_after_a_confirm_dialog_closes_reach_the_reader(make_app, monkeypatch) -> None:
    from tui.screens.confirm import Confirm

    without_analysis(monkeypatch)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        answers: list[bool] = []
        view = view_of(app)
        view.move_to(0)
        app.push_screen(Confirm("Go on?", "y or n"), answers.append)
        await pilot.pause()
        type_at_once(app, "n", "l", "l", "l")
        await settle(pilot, lambda: view.cursor == 3, "the last l")
        assert answers == [False] and isinstance(app.screen, ReaderScreen)
        assert view.cursor == 3, "the keys after the answer moved the cursor"


async def test_a_key_typed_to_an_idle_app_goes_straight_up_to_its_binding(make_app, monkeypatch) -> None:
    """Holding keys in order must cost nothing when none is waiting: following a key up, queue by queue,
    put a hop (a callback) at every node on its way, which the key and its frame waited behind."""
    from textual.message_pump import MessagePump

    without_analysis(monkeypatch)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        dispatched: list[tuple[str, str]] = []
        dispatch = MessagePump._dispatch_message

        async def counted(node, message):
            dispatched.append((type(node).__name__, type(message).__name__))
            await dispatch(node, message)

        monkeypatch.setattr(MessagePump, "_dispatch_message", counted)
        for press_number in range(3):  # typed by hand: each key finds the app idle
            # Waited for with plain sleeps: Pilot's own waits put a callback on every widget.
            await asyncio.sleep(0.2)
            dispatched.clear()
            start = view.cursor
            app.post_message(events.Key("l", "l"))
            for _ in range(200):
                if view.cursor != start:
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.2)
            assert view.cursor == start + 1
            keys = [node for node, message in dispatched if message == "Key"]
            assert keys == ["AnnottyApp", "ArticleView", "Horizontal", "ReaderScreen", "AnnottyApp"], dispatched
            hops = [pair for pair in dispatched if pair[1] == "Callback"]
            assert hops == [], f"key {press_number + 1} took hops on its way: {dispatched}"
