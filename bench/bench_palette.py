"""The command palette with 10, 2,000 and 10,000 articles: typing an article's name.

The app is opened (no model, so nothing else runs) on a folder of N small articles, the palette
is opened, and the name of one article is typed a key at a time. Two figures per key:

- search: every provider of the palette (the app's keys and Textual's commands, the articles)
  searched for what has been typed so far, until the last hit; the slowest key is the goal's;
- through the palette: from the press to the end of the palette's search worker (list filled).
  This includes Textual's own wait of up to 100 ms for providers that have nothing more to say.

10 articles is the baseline of the same run: the palette's cost with almost nothing to search.

Run: python -m bench.bench_palette
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from .generate import NOUNS, TOWNS
from .report import Figure, show

SIZES = (10, 2_000, 10_000)
#: Per key, the slowest; the issue's goal is for the largest folder.
GOAL_MS = 50.0
COLUMNS, ROWS = 100, 30


def article_names(count: int) -> list[str]:
    return [f"{TOWNS[i % len(TOWNS)]}-{NOUNS[(i // len(TOWNS)) % len(NOUNS)]}-{i:05d}.txt".lower().replace(" ", "-")
            for i in range(count)]


def write_folder(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    names = article_names(count)
    for name in names:
        (folder / name).write_text(f"A short note about {name}.\n", encoding="utf-8")
    return names


async def search_all(palette, query: str) -> int:
    """Search every provider of *palette* for *query*, as the palette does; the number of hits."""
    count = 0
    for provider in palette._providers:
        async for _ in provider.search(query):
            count += 1
    return count


async def type_a_name(folder: Path, name: str) -> tuple[float, list[float], list[float]]:
    """Seconds to open the palette, then per key (the providers' search, and through the palette)
    typing *name* on *folder*'s app."""
    from textual.command import CommandPalette

    from annotations.article import article_paths, load
    from annotations.cli import app_parser
    from tui.app import AnnottyApp

    args = app_parser().parse_args([str(folder), "--db", str(folder.parent / "bench.json"), "--model", "none"])
    paths = article_paths(args.paths)
    app = AnnottyApp(paths, args, load(paths[0], max_bytes=args.max_size))
    group = CommandPalette._GATHER_COMMANDS_GROUP
    per_key: list[float] = []
    search: list[float] = []
    async with app.run_test(size=(COLUMNS, ROWS)) as pilot:
        await pilot.pause()
        app.saves.flush(60)
        started = time.perf_counter()
        await pilot.press("ctrl+p")
        await pilot.pause()
        opened = time.perf_counter() - started
        palette = app.screen
        for end in range(1, len(name) + 1):
            started = time.perf_counter()
            await search_all(palette, name[:end])
            search.append(time.perf_counter() - started)
        for ch in name:
            started = time.perf_counter()
            await pilot.press(ch)
            await pilot.pause()
            while any(w.group == group and w.is_running for w in app.workers):
                await asyncio.sleep(0.001)
            per_key.append(time.perf_counter() - started)
        shown = str(app.screen.query_one("CommandList").get_option_at_index(0).prompt)
        if name not in shown:
            raise RuntimeError(f"the palette's first hit for {name!r} is {shown!r}")
    return opened, search, per_key


def main() -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in SIZES:
            names = write_folder(Path(tmp) / f"articles-{count}", count)
            target = names[count * 3 // 4].removesuffix(".txt")
            opened, search, per_key = asyncio.run(type_a_name(Path(tmp) / f"articles-{count}", target))
            goal = GOAL_MS if count == SIZES[-1] else None
            what = f"palette, {count:,} articles, typing a name ({len(target)} keys)"
            figures.append(show(Figure(f"palette, {count:,} articles: ctrl+p to the palette open", opened * 1000, "ms")))
            figures.append(show(Figure(f"{what}: search, slowest key", max(search) * 1000, "ms", goal)))
            figures.append(show(Figure(f"{what}: search, median key", statistics.median(search) * 1000, "ms")))
            figures.append(show(Figure(f"{what}: through the palette, median key",
                                       statistics.median(per_key) * 1000, "ms")))
    return figures


if __name__ == "__main__":
    main()
