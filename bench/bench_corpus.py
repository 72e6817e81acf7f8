"""A corpus of 10,000 articles against one article, measured in the same run:

1. launch to first paint of the first article in a pty, the folder of 10,000 against that one
   article alone (alternating runs), and the memory of each process once painted (VmRSS, and
   VmHWM, its peak);
2. the corpus screen (`o`) in process: key to the first frame with rows, and to the first
   screen of rows with their titles and counts read;
3. switching article (`>`, and `<` back from the last) in process on 10,000 articles and on 7:
   key to the frame showing the next article.

    python -m bench.bench_corpus [--articles N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from contextlib import asynccontextmanager
from pathlib import Path

from .app_run import COLUMNS, ROWS, _timed_app_class, annotty_command, terminal_env
from .generate import article_text
from .pty_term import PtyProcess
from .report import Figure, median, show

ARTICLES = 10_000
#: Bytes of each generated article: a short news story.
ARTICLE_BYTES = 2_000
LAUNCH_RUNS = 5
LAUNCH_RATIO_GOAL = 1.5
MEMORY_GROWTH_GOAL_MB = 50.0
CORPUS_ROWS_GOAL_MS = 500.0
SWITCHES = 20


def write_corpus(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"{number:05d}.txt"
        # Each a different story (seeded by its number), so every article has its own id.
        path.write_text(f"Story {number:05d}: " + article_text(ARTICLE_BYTES, seed=number), encoding="utf-8")
        paths.append(path)
    return paths


def _memory_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of *pid* in kB."""
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0])
    return fields["VmRSS"], fields["VmHWM"]


def launch(target: Path, work: Path, phrase: str) -> tuple[float, int, int]:
    """Seconds to first paint of *target*, and the process's memory (kB) a moment after."""
    home = work / f"home-{time.monotonic_ns()}"
    argv = annotty_command(target, home / "db.json")
    with PtyProcess(argv, terminal_env(home), COLUMNS, ROWS) as term:
        seconds = term.wait_for(lambda screen: phrase in " ".join(screen.split()), timeout=120)
        term.settle(quiet=0.3, timeout=3)
        rss, peak = _memory_kb(term.process.pid)
    return seconds, rss, peak


def bench_launch(folder: Path, first: Path, work: Path) -> list[Figure]:
    words = first.read_text(encoding="utf-8").split("\n\n")[1].split()[:3]
    phrase = " ".join(words)
    single: list[tuple[float, int, int]] = []
    corpus: list[tuple[float, int, int]] = []
    for _ in range(LAUNCH_RUNS):  # alternating, so both see the same load
        single.append(launch(first, work, phrase))
        corpus.append(launch(folder, work, phrase))
    print(f"  one article, first paint (s): {' '.join(f'{s:.2f}' for s, _, _ in single)}")
    print(f"  {ARTICLES:,} articles, first paint (s): {' '.join(f'{s:.2f}' for s, _, _ in corpus)}")
    one, many = median([s for s, _, _ in single]), median([s for s, _, _ in corpus])
    rss_one, rss_many = median([r for _, r, _ in single]) / 1024, median([r for _, r, _ in corpus]) / 1024
    peak_one, peak_many = median([p for _, _, p in single]) / 1024, median([p for _, _, p in corpus]) / 1024
    return [
        show(Figure(f"first paint, one article (median of {LAUNCH_RUNS})", one * 1000, "ms")),
        show(Figure(f"first paint, {ARTICLES:,} articles (median of {LAUNCH_RUNS})", many * 1000, "ms")),
        show(Figure(f"first paint ratio {ARTICLES:,} articles / one", many / one, "x", LAUNCH_RATIO_GOAL)),
        show(Figure("memory once painted, one article (VmRSS)", rss_one, "MB")),
        show(Figure(f"memory growth, {ARTICLES:,} articles over one (VmRSS)", rss_many - rss_one, "MB",
                    MEMORY_GROWTH_GOAL_MB)),
        show(Figure(f"peak memory growth, {ARTICLES:,} articles over one (VmHWM)", peak_many - peak_one, "MB",
                    MEMORY_GROWTH_GOAL_MB)),
    ]


@asynccontextmanager
async def running_corpus(folder: Path, home: Path):
    """The real app on every article of *folder*, mounted under Textual's test harness."""
    from annotations.article import article_paths, load
    from annotations.cli import app_parser

    os.environ.update({k: v for k, v in terminal_env(home).items() if k.startswith("XDG_")})
    args = app_parser().parse_args([str(folder), "--db", str(home / "db.json"), "--annotator", "bench"])
    paths = article_paths(args.paths)
    app = _timed_app_class()(paths, args, load(paths[0]))
    async with app.run_test(size=(COLUMNS, ROWS)) as pilot:
        await pilot.pause()
        yield app, pilot


async def _until_frame(app, condition, timeout: float = 10.0) -> float:
    """perf_counter of the first finished frame after which *condition()* holds."""
    done = asyncio.Event()
    at: list[float] = []

    def on_frame() -> None:
        if not at and condition():
            at.append(time.perf_counter())
            done.set()

    app.frame_listener = on_frame
    try:
        await asyncio.wait_for(done.wait(), timeout)
    finally:
        app.frame_listener = None
    return at[0]


async def _corpus_screen(folder: Path, home: Path) -> tuple[float, float]:
    from textual import events

    from tui.screens.corpus import CorpusScreen, CorpusTable

    async with running_corpus(folder, home) as (app, pilot):
        await pilot.pause(1.0)  # the first article's own background work out of the way
        sent = time.perf_counter()
        app._driver.send_message(events.Key("o", "o"))

        def rows_drawn() -> bool:
            return isinstance(app.screen, CorpusScreen) and bool(app.screen.query_one(CorpusTable).rows)

        def first_screen_read() -> bool:
            if not rows_drawn():
                return False
            table = app.screen.query_one(CorpusTable)
            shown = table.rows[:max(1, table.size.height)]
            return all(index in table.counts for index in shown)

        drawn = await _until_frame(app, rows_drawn)
        read = await _until_frame(app, first_screen_read)
        return drawn - sent, read - sent


async def _switches(folder: Path, home: Path) -> list[float]:
    from textual import events

    async with running_corpus(folder, home) as (app, pilot):
        await pilot.pause(1.0)
        times = []
        forward = True
        for _ in range(SWITCHES):
            reader = app.screen
            before = reader.index
            if before in (0, len(app.paths) - 1):
                forward = before == 0  # on 7 articles, back and forth between the ends
            key = events.Key("greater_than_sign", ">") if forward else events.Key("less_than_sign", "<")
            sent = time.perf_counter()
            app._driver.send_message(key)
            shown = await _until_frame(app, lambda: reader.index != before)
            times.append((shown - sent) * 1000)
            await pilot.pause(0.3)  # its annotations read and analysis started, as a reader's pause
        return times


def bench_in_process(folder: Path, small: Path, work: Path) -> list[Figure]:
    drawn, read = asyncio.run(_corpus_screen(folder, work / "corpus-screen"))
    many = asyncio.run(_switches(folder, work / "switch-many"))
    few = asyncio.run(_switches(small, work / "switch-few"))
    print(f"  switch, {ARTICLES:,} articles (ms): {' '.join(f'{t:.0f}' for t in many)}")
    print(f"  switch, 7 articles (ms): {' '.join(f'{t:.0f}' for t in few)}")
    return [
        show(Figure(f"corpus screen, key to first rows, {ARTICLES:,} articles", drawn * 1000, "ms",
                    CORPUS_ROWS_GOAL_MS)),
        show(Figure(f"corpus screen, key to a screen of titles and counts, {ARTICLES:,} articles", read * 1000, "ms",
                    CORPUS_ROWS_GOAL_MS)),
        show(Figure(f"switch article (>) median, {ARTICLES:,} articles", median(many), "ms")),
        show(Figure("switch article (>) median, 7 articles", median(few), "ms")),
        show(Figure(f"switch ratio {ARTICLES:,} / 7 articles", median(many) / median(few), "x", 1.5)),
    ]


def main(argv: list[str] | None = None) -> list[Figure]:
    global ARTICLES
    parser = argparse.ArgumentParser(prog="python -m bench.bench_corpus")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    parser.add_argument("--only", choices=("launch", "app"), default=None)
    options = parser.parse_args(argv if argv is not None else [])
    ARTICLES = options.articles
    print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="annotty-corpus-bench-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        paths = write_corpus(work / "corpus", ARTICLES)
        small = work / "seven"
        small.mkdir()
        for path in paths[:7]:
            (small / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        print(f"  wrote {ARTICLES:,} articles in {time.perf_counter() - started:.1f} s")
        if options.only in (None, "launch"):
            figures += bench_launch(work / "corpus", paths[0], work)
        if options.only in (None, "app"):
            figures += bench_in_process(work / "corpus", small, work)
    print(f"  load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return figures


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
