"""Wrapping and layout: long words of wide characters, and an article of 1,000,000 tiny paragraphs.

The tiny-paragraph article runs in a child process of its own (`python -m bench.bench_layout --child
ARTICLE`), so its peak RSS is the reader's and nothing else's. No model is loaded there: the figures are
the reader's share (text, wrap table, screen), not spaCy's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .report import Figure, show

COLUMNS, ROWS = 100, 30
TINY_PARAGRAPHS = 1_000_000
#: A panel key re-wraps the text to the room left: it must stay quick however many lines there are.
PANEL_KEY_GOAL_S = 1.0
TINY_PEAK_RSS_GOAL_MB = 400.0


def bench_wrap() -> list[Figure]:
    from tui.widgets.article_view import wrap

    figures = []
    for label, text in (
        ("an 80,000-character word of wide characters", "港" * 80_000),
        ("an 8.5 MB line of wide characters, no spaces", "港" * (8_500_000 // 3)),
        ("an 8.5 MB line of two-character wide words", "港口 " * (8_500_000 // 7)),
    ):
        started = time.process_time()
        lines = wrap(text, COLUMNS - 5)
        seconds = time.process_time() - started
        figures.append(show(Figure(f"wrap {label} ({len(lines):,} lines), CPU", seconds, "s")))
    return figures


def tiny_paragraphs() -> str:
    return "\n\n".join(f"Note {n}." for n in range(TINY_PARAGRAPHS))


def peak_rss_mb() -> float:
    """This process's peak RSS. getrusage's figure keeps the parent's peak across fork and exec (and
    `make bench` runs the model before this), so where Linux gives it, the peak of this process's own
    memory (VmHWM) is taken instead."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024


async def _child(article: Path) -> dict[str, float]:
    """Open the reader on *article* at COLUMNS x ROWS and time the panel keys and a jump to the end."""
    from annotations.article import load
    from annotations.cli import app_parser
    from tui.app import AnnottyApp

    figures: dict[str, float] = {"rss before opening (MB)": peak_rss_mb()}
    args = app_parser().parse_args([str(article), "--db", "bench.json", "--annotator", "bench", "--model", "none"])
    started = time.perf_counter()
    app = AnnottyApp([str(article)], args, load(article, max_bytes=args.max_size))
    async with app.run_test(size=(COLUMNS, ROWS)) as pilot:
        await pilot.pause()
        figures["open to first idle (s)"] = time.perf_counter() - started
        # The article is written to the database in a thread; let that end so the keys are timed alone.
        app.saves.flush(120)
        await pilot.pause()
        view = app.screen.view
        figures["visual lines"] = view.line_count
        for key in ("p", "p", "A", "A", "S", "S", "G", "g"):
            started, cpu = time.perf_counter(), time.process_time()
            await pilot.press(key)
            await pilot.pause()
            for name, value in ((f"key {key} (s)", time.perf_counter() - started), (f"key {key} CPU (s)", time.process_time() - cpu)):
                figures[name] = max(figures.get(name, 0.0), value)
        figures["peak RSS (MB)"] = peak_rss_mb()
    return figures


def bench_tiny_paragraphs(work: Path) -> list[Figure]:
    article = work / "tiny-paragraphs.txt"
    article.write_text(tiny_paragraphs(), encoding="utf-8")
    size_mb = article.stat().st_size / 1e6
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root), XDG_CACHE_HOME=str(work / "cache"), XDG_CONFIG_HOME=str(work / "config"))
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_layout", "--child", str(article)],
        cwd=work, env=env, capture_output=True, text=True, timeout=600,
    )
    if done.returncode != 0:
        print(done.stderr[-2000:])
        raise RuntimeError("the tiny-paragraph child failed")
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {TINY_PARAGRAPHS:,} tiny paragraphs, {size_mb:.1f} MB, {int(measured['visual lines']):,} visual lines at"
          f" {COLUMNS}x{ROWS}, no model: " + ", ".join(f"{k} {v:.2f}" for k, v in measured.items()))
    def slowest_panel_key(cpu: bool) -> float:
        return max(v for k, v in measured.items() if k.startswith("key ") and k[4] in "pAS" and ("CPU" in k) == cpu)

    return [
        show(Figure(f"{TINY_PARAGRAPHS:,} tiny paragraphs: open to first idle", measured["open to first idle (s)"], "s")),
        # CPU time carries the goal: on a shared machine the wall time also counts the others' work.
        show(Figure(f"{TINY_PARAGRAPHS:,} tiny paragraphs: slowest panel key (p, A, S), CPU", slowest_panel_key(True), "s", PANEL_KEY_GOAL_S)),
        show(Figure(f"{TINY_PARAGRAPHS:,} tiny paragraphs: slowest panel key (p, A, S), wall", slowest_panel_key(False), "s")),
        show(Figure(f"{TINY_PARAGRAPHS:,} tiny paragraphs: G (end)", measured["key G (s)"], "s")),
        show(Figure(f"{TINY_PARAGRAPHS:,} tiny paragraphs: peak RSS", measured["peak RSS (MB)"], "MB", TINY_PEAK_RSS_GOAL_MB)),
    ]


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_layout", description=__doc__.split("\n")[0])
    parser.add_argument("--child", metavar="ARTICLE", help=argparse.SUPPRESS)
    options = parser.parse_args(argv if argv is not None else [])
    if options.child:
        print(json.dumps(asyncio.run(_child(Path(options.child)))))
        return []
    figures = bench_wrap()
    with tempfile.TemporaryDirectory(prefix="annotty-bench-layout-") as tmp:
        figures += bench_tiny_paragraphs(Path(tmp))
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
