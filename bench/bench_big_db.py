"""A big database and the reader's first paint (issue: a big database never slows the first paint).

1. Opening a database of 10,000 and 100,000 annotations: the time (median of 3) and the memory
   Python allocates for it (tracemalloc's peak, in a run of its own), each per 1,000 annotations.
2. Launch to first paint of ``annotty`` in a pty on a short article with an empty database and with
   one of 100,000 annotations (of other articles), alternating, median of RUNS each.

Run: python -m bench.bench_big_db
"""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import tui  # noqa: F401  (first, as the `annotty` script imports it)

from annotations.store import Op, open_db

from .app_run import annotty_command, compile_project, terminal_env
from .bench_reader import body_words, time_to_text
from .bench_store import make
from .report import Figure, show

SIZES = (10_000, 100_000)
RUNS = 5
FIRST_PAINT_RATIO_GOAL = 1.2
SAMPLE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"


def build(path: Path, annotations: int) -> None:
    with open_db(path) as store:
        store.apply([Op.put(make(i)) for i in range(annotations)])


def open_seconds(path: Path) -> float:
    samples = []
    for _ in range(3):
        began = time.perf_counter()
        with open_db(path):
            samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def open_bytes(path: Path) -> int:
    tracemalloc.start()
    try:
        with open_db(path):
            return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_open(folder: Path) -> list[Figure]:
    figures = []
    for size in SIZES:
        path = folder / f"db-{size}.json"
        build(path, size)
        seconds, peak = open_seconds(path), open_bytes(path)
        print(f"  open {size:,} annotations ({path.stat().st_size / 1e6:.0f} MB file): {seconds * 1000:.0f} ms,"
              f" {peak / 1e6:.0f} MB allocated at the peak")
        per = size / 1000
        figures += [
            show(Figure(f"open a database of {size:,} annotations, per 1,000", seconds * 1000 / per, "ms")),
            show(Figure(f"memory to open a database of {size:,} annotations, per 1,000", peak / 1e6 / per, "MB")),
        ]
    return figures


def bench_first_paint(folder: Path) -> list[Figure]:
    phrase = body_words(SAMPLE.read_text(encoding="utf-8"))
    big = folder / f"db-{SIZES[-1]}.json"
    empty_s, big_s = [], []
    for run in range(RUNS):  # alternating, so both see the same background load
        home = folder / f"empty-{run}"
        empty_s.append(time_to_text(annotty_command(SAMPLE, home / "db.json"), terminal_env(home), phrase))
        home = folder / f"big-{run}"
        big_s.append(time_to_text(annotty_command(SAMPLE, big), terminal_env(home), phrase))
    empty, full = statistics.median(empty_s), statistics.median(big_s)
    print(f"  first paint (s), empty database: {' '.join(f'{s:.2f}' for s in empty_s)};"
          f" {SIZES[-1]:,} annotations: {' '.join(f'{s:.2f}' for s in big_s)}")
    return [
        show(Figure("first paint, empty database (median)", empty * 1000, "ms")),
        show(Figure(f"first paint, database of {SIZES[-1]:,} annotations (median)", full * 1000, "ms")),
        show(Figure(f"first paint ratio, {SIZES[-1]:,} annotations / empty database", full / empty, "x",
                    FIRST_PAINT_RATIO_GOAL)),
    ]


def main() -> list[Figure]:
    compile_project()
    with tempfile.TemporaryDirectory(prefix="annotty-bigdb-") as tmp:
        folder = Path(tmp)
        return bench_open(folder) + bench_first_paint(folder)


if __name__ == "__main__":
    main()
