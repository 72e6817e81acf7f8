"""The command palette offers every key of the reader, and the articles of a folder."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


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
        commands = {c.title: c for c in app.get_system_commands(app.reader)}
        for binding in app.reader.BINDINGS:
            assert binding.description in commands, f"{binding.id} is missing from the palette"
            assert f"id: {binding.id}" in commands[binding.description].help
        text = app.reader.view.text
        await run_from_palette(pilot, "next paragraph")
        assert app.reader.view.cursor == text.index("\n\n") + 2


async def test_a_folder_article_opens_from_the_palette(make_app) -> None:
    app = make_app([EXAMPLES])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.reader.article.source.endswith("clinic-funding-dispute.txt")
        await run_from_palette(pilot, "open harbour")
        assert app.reader.article.source.endswith("harbour-bridge-vote.txt")
        assert app.reader.index == 1
