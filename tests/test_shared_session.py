"""A shared session (each browser tab of `annotty serve`): the first screen asks who is annotating and
every change is recorded under that name; every key a browser keeps for itself has another that
reaches the app, and the help says which."""

from __future__ import annotations

from pathlib import Path

from app_helpers import annotations_loaded, press, reader, saved_docs, until
from textual.binding import Binding
from textual.command import CommandPalette

from tui.app import AnnottyApp
from tui.screens.annotator import AnnotatorScreen
from tui.screens.confirm import Confirm
from tui.screens.editor import AnnotationEditor
from tui.screens.help import HelpScreen
from tui.screens.label_picker import LabelPicker
from tui.screens.reader import ReaderScreen

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
#: What a web browser keeps (ctrl+w closes the tab, ctrl+t and ctrl+n open one, ctrl+q quits it) or
#: often keeps (ctrl+r reloads, ctrl+p prints).
BROWSER_KEYS = {"ctrl+w", "ctrl+t", "ctrl+n", "ctrl+q", "ctrl+r", "ctrl+p"}


async def tag_the_mayors_quote(pilot) -> None:
    await annotations_loaded(pilot)
    await press(pilot, "slash", *"For ten", "enter", "q")


async def test_the_first_screen_offers_the_names_and_the_choice_is_recorded(make_app, tmp_path: Path) -> None:
    app = make_app([BRIDGE], annotators="alice,bob", annotator="server-login")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AnnotatorScreen)
        await press(pilot, "down", "enter")
        reader(app)
        assert app.annotator == "bob"
        await tag_the_mayors_quote(pilot)
        await until(pilot, lambda: saved_docs(app, tmp_path / "annotations.json"), "the quote saved")
        assert [(d["label"], d["annotator"]) for d in saved_docs(app, tmp_path / "annotations.json")] == [
            ("QUOTE", "bob")]


async def test_a_typed_name_is_recorded_as_text(make_app, tmp_path: Path) -> None:
    app = make_app([BRIDGE], annotators="")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AnnotatorScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, AnnotatorScreen), "an empty name is not a name"
        await press(pilot, *"  [b]Carol ", "enter")
        reader(app)
        assert app.annotator == "[b]Carol"
        await tag_the_mayors_quote(pilot)
        await until(pilot, lambda: saved_docs(app, tmp_path / "annotations.json"), "the quote saved")
        assert [d["annotator"] for d in saved_docs(app, tmp_path / "annotations.json")] == ["[b]Carol"]


async def test_without_annotators_the_article_opens_at_once(make_app) -> None:
    app = make_app([BRIDGE], annotator="dana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        reader(app)
        assert app.annotator == "dana"


def test_every_key_a_browser_keeps_has_another_that_reaches_the_app() -> None:
    screens = (AnnottyApp, ReaderScreen, HelpScreen, AnnotationEditor, LabelPicker, Confirm, AnnotatorScreen)
    for owner in screens:
        bindings = [b for b in owner.BINDINGS if isinstance(b, Binding)]
        for binding in bindings:
            keys = {key.strip() for key in binding.key.split(",")}
            if not keys & BROWSER_KEYS:
                continue
            # The same action whatever its arguments (the quit keys pass their id, to be named in a warning).
            action = binding.action.partition("(")[0]
            others = {key.strip() for b in bindings if b.action.partition("(")[0] == action for key in b.key.split(",")}
            assert others - BROWSER_KEYS, f"{owner.__name__} {binding.id}: only {sorted(keys)}"


async def test_the_browser_safe_keys_quit_redo_and_open_the_commands(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(100, 30)) as pilot:
        await tag_the_mayors_quote(pilot)
        screen = reader(app)
        assert len(screen.annotations) == 1
        await press(pilot, "u")
        assert screen.annotations == []
        await press(pilot, "U")
        assert len(screen.annotations) == 1
        await press(pilot, "colon")
        assert isinstance(app.screen, CommandPalette)
        await press(pilot, "escape")
        await press(pilot, "question_mark")
        help_text = " ".join(str(static.render()) for static in app.screen.query("Static"))
        assert "Q quits, U redoes, : opens the commands" in help_text
        await press(pilot, "escape")
        await press(pilot, "Q")
        assert not app.is_running
        assert app.return_code == 0


async def test_quit_is_a_command_of_the_palette(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Quit" in titles
        await press(pilot, "colon", *"quit")
        await pilot.pause(0.5)
        await press(pilot, "enter")
        assert not app.is_running
