"""Keys are shown as they are typed (@, !, *, ", brackets, ctrl+r, shift+right) in the help and in the
command palette; the help is grouped, folds the nine label toggles into one row, keeps the ids
short of a column of their own, explains the margin letters and the tints, and fits 80x24."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_helpers import press
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.screens.help import HelpScreen

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
TYPED = {
    "link-speaker": "@", "accept-all": "!", "toggle-all-suggestions": "*", "select-quotation": '"',
    "next-sentence": ")", "previous-sentence": "(", "next-paragraph": "}", "previous-paragraph": "{",
    "next-annotation": "]", "previous-annotation": "[", "redo": "ctrl+r, U", "extend-right": "shift+right",
    "find": "/", "next-article": ">", "previous-article": "<",
}


pytestmark = pytest.mark.usefixtures("no_analysis")  # the model plays no part here


def test_keys_are_described_as_typed() -> None:
    from tui.keymap import describe_keys

    assert describe_keys("at") == "@"
    assert describe_keys("escape,q,question_mark") == "esc, q, ?"
    assert describe_keys("pagedown,space") == "pgdn, space"
    assert describe_keys("w,ctrl+right") == "w, ctrl+right"
    assert describe_keys("ctrl+at") == "ctrl+@"
    assert describe_keys("comma") == "comma"


def lines_of(app) -> list[str]:
    """The help's lines as drawn, without trailing blanks."""
    return [static.render_line(y).text.rstrip() for static in app.screen.query(Static)
            for y in range(static.size.height)]


async def test_help_shows_typed_keys_in_groups_and_fits_80x24(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reader = app.screen
        await press(pilot, "question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        lines = lines_of(app)
        text = "\n".join(lines)
        descriptions = {b.id: b.description for b in reader.BINDINGS}
        for binding_id, key in TYPED.items():
            row = rf"^{re.escape(key)}\s+{re.escape(descriptions[binding_id])}\b.*\b{binding_id}$"
            assert re.search(row, text, re.MULTILINE), f"no row {key!r} {descriptions[binding_id]!r}:\n{text}"
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), "a raw key name is shown"
        for group in ("Move", "Select and tag", "Suggestions", "View", "Articles", "App"):
            assert group in lines, f"no group {group}"
        assert len([line for line in lines if "legend label" in line]) == 1
        assert re.search(r"^1\.\.9\s+Hide / show a legend label", text, re.MULTILINE)
        assert "Toggle label" not in text
        for letters in ("Q  C", "q  c", "*"):
            assert any(line.startswith(letters + " ") for line in lines), f"margin letters {letters} unexplained"
        assert any(line.startswith("tints") for line in lines)
        # Fits: the box is on screen, no line is wider than it, and it scrolls to its end.
        scroll = help_screen.query_one(VerticalScroll)
        assert help_screen.region.contains_region(scroll.region)
        assert max(len(line) for line in lines) <= scroll.scrollable_content_region.width
        scroll.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        last = list(help_screen.query(Static))[-1]
        assert scroll.region.contains_region(last.region), "the end of the help can be scrolled to"


async def test_the_palette_shows_keys_as_typed(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        for binding in app.screen.BINDINGS:
            if binding.id in TYPED:
                assert commands[binding.description].startswith(f"key: {TYPED[binding.id]} "), commands[binding.description]
        assert not any(re.search(r"key: \S*_", help) for help in commands.values())
