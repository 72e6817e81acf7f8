"""The command palette offers every key of the reader, and the articles of a folder."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import OptionList

EXAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"


async def run_from_palette(pilot, query: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    for ch in query:
        await pilot.press("space" if ch == " " else ch)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause()


async def test_every_reader_key_is_a_command(make_app) -> None:
    app = make_app([EXAMPLES / "harbour-bridge-vote.txt"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for binding in app.screen.BINDINGS:
            assert binding.description in commands, f"{binding.id} is missing from the palette"
            assert f"id: {binding.id}" in commands[binding.description].help
        text = app.screen.view.text
        await run_from_palette(pilot, "next paragraph")
        assert app.screen.view.cursor == text.index("\n\n") + 2


async def test_a_folder_article_opens_from_the_palette(make_app) -> None:
    app = make_app([EXAMPLES])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.article.source.endswith("clinic-funding-dispute.txt")
        await run_from_palette(pilot, "open harbour")
        assert app.screen.article.source.endswith("harbour-bridge-vote.txt")
        assert app.screen.index == 1


async def test_file_names_in_the_palette_are_text_not_markup(make_app, tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    names = ["[@click=app.quit]a[-].txt", "[red]b[-].txt"]
    for name in names:
        (folder / name).write_text((EXAMPLES / "harbour-bridge-vote.txt").read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app([folder])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        for ch in "open":
            await pilot.press(ch)
        await pilot.pause(0.5)
        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        for name in names:
            assert any(name in line for line in shown), f"{name!r} not shown literally in {shown}"
        assert app.is_running
