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


def write_articles(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    names = [f"{town}-{noun}-{i:04d}.txt" for i in range(count)
             for town, noun in [(("calder", "wren", "halstow", "dunmere")[i % 4], ("budget", "grain-store", "ferry")[i % 3])]]
    for name in names:
        (folder / name).write_text(f"A short note about {name}.\n", encoding="utf-8")
    return sorted(names)


async def test_an_article_of_many_opens_by_a_typed_part_of_its_name(make_app, tmp_path: Path) -> None:
    names = write_articles(tmp_path / "many", 600)
    app = make_app([tmp_path / "many"], model="none")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await run_from_palette(pilot, "halstow-ferry-0")
        first = next(n for n in names if n.startswith("halstow-ferry-0"))
        assert app.session.article.source.endswith(first)
        assert app.session.index == names.index(first)
        # Letters in order, not in one piece: the palette still finds it.
        await run_from_palette(pilot, "open wrngrain0589")
        assert app.session.article.source.endswith("wren-grain-store-0589.txt")


async def test_each_key_hands_a_bounded_number_of_articles_to_the_matcher(make_app, tmp_path: Path, monkeypatch) -> None:
    from textual.fuzzy import Matcher

    write_articles(tmp_path / "many", 1_000)
    matched: list[str] = []
    original = Matcher.match

    def counting(self, candidate: str) -> float:
        if candidate.startswith("Open "):
            matched.append(candidate)
        return original(self, candidate)

    monkeypatch.setattr(Matcher, "match", counting)
    app = make_app([tmp_path / "many"], model="none")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        for query in ("o", "open", "c", "calder", "open calder-budget-0", "wrngrain", "zzz"):
            matched.clear()
            hits = [hit for provider in app.screen._providers async for hit in provider.search(query)]
            # Far fewer than the 1,000 articles, and more than the palette shows at once.
            assert len(matched) <= 40, (query, len(matched))
            assert (len(matched) > 0) == (query != "zzz"), query
        matched.clear()
        hits = [hit for provider in app.screen._providers async for hit in provider.search("calder-budget-0")]
        assert hits and all("calder-budget-0" in str(hit.match_display) for hit in hits if "Open" in str(hit.match_display))


def test_the_title_index_prefers_the_typed_part_in_one_piece() -> None:
    from tui.palette import TitleIndex

    titles = [f"Open news/{name}.txt" for name in ("harbour-bridge", "harbour-vote", "bridge-harbour", "hbr")]
    index = TitleIndex(titles)
    assert index.candidates("harbour") == [0, 1, 2]
    assert index.candidates("open bridge") == [0, 2]
    assert index.candidates("hbr") == [3]  # in one piece beats in order
    assert index.candidates("hrbrvt") == [1]  # no title holds it in one piece: letters in order
    assert index.candidates("zzz") == []
    assert index.candidates("harbour", limit=2) == [0, 1]
    assert TitleIndex([]).candidates("x") == []
