"""`make bench`: every benchmark in turn, one figure a line, then a markdown table of them all."""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import sys
import time

from .report import Figure, markdown_table

#: Benchmark modules run in this order; each has a main() that prints as it goes
#: and returns its Figures, or only prints (see PRINTED). A missing one is skipped.
MODULES = (
    "bench.bench_reader", "bench.bench_layout", "bench.bench_store", "bench.bench_colleagues", "bench.bench_big_db",
    "bench.bench_export",
    "bench.bench_quality", "bench.bench_baselines", "bench.bench_suggest",
    "bench.bench_palette", "bench.bench_corpus", "bench.bench_serve",
)
#: `make bench` must stay quick enough to run before every merge.
TOTAL_GOAL_S = 300

_TALLY = re.compile(r"^(dev|held-out|all)\s+(.+?)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(\d+)$")
_SUGGEST_GOLD = re.compile(r"^suggest\(\) on a parsed article: ([\d.]+) ms")
_SUGGEST_BIG = re.compile(r"^suggest\(\) on a generated (\d+) KB article: ([\d.]+) s")
_QUOTATIONS = re.compile(r"^quotations\(\) on ([\d.]+) M characters: (\d+) ms .*quotation_at\(\) afterwards: ([\d.]+) µs")


def quality_figures(printed: str) -> list[Figure]:
    """The figures in bench_quality's printed report (its main() returns nothing): held-out and overall
    precision and recall, and the suggestion timings."""
    figures: list[Figure] = []
    for line in printed.splitlines():
        line = line.strip()
        if m := _TALLY.match(line):
            split, measure, precision, recall = m.group(1), m.group(2), float(m.group(3)), float(m.group(4))
            if split != "dev":  # the rules were tuned on dev; held-out and all are the honest ones
                figures.append(Figure(f"{measure}, {split}: precision", precision * 100, "%"))
                figures.append(Figure(f"{measure}, {split}: recall", recall * 100, "%"))
        elif m := _SUGGEST_GOLD.match(line):
            figures.append(Figure("suggest() on a gold article (mean)", float(m.group(1)), "ms"))
        elif m := _SUGGEST_BIG.match(line):
            figures.append(Figure(f"suggest() on a generated {m.group(1)} KB article", float(m.group(2)), "s"))
        elif m := _QUOTATIONS.match(line):
            figures.append(Figure(f"quotations() on {m.group(1)} M characters", float(m.group(2)), "ms"))
            figures.append(Figure("quotation_at() after that, per call", float(m.group(3)), "µs"))
    return figures


#: Modules whose main() only prints, with what turns their output into Figures.
PRINTED = {"bench.bench_quality": quality_figures}


class _Tee(io.TextIOBase):
    """Writes through to *out* and keeps a copy."""

    def __init__(self, out) -> None:
        self.out = out
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        self.out.write(text)
        self.copy.write(text)
        return len(text)

    def flush(self) -> None:
        self.out.flush()


def main() -> int:
    figures: list[Figure] = []
    started = time.perf_counter()
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            print(f"({name} is not there yet: skipped)")
            continue
        print(f"\n== {name} ==", flush=True)
        tee = _Tee(sys.stdout)
        with contextlib.redirect_stdout(tee):
            returned = module.main()
        if isinstance(returned, list):
            figures += [f for f in returned if isinstance(f, Figure)]
        elif name in PRINTED:
            found = PRINTED[name](tee.copy.getvalue())
            if not found:
                print(f"(no figures recognised in {name}'s output: its format changed?)")
            figures += found
    figures.append(Figure("all benchmarks, wall time", time.perf_counter() - started, "s", TOTAL_GOAL_S))
    print(f"\nall benchmarks took {figures[-1].value:.0f} s")
    print("\n" + markdown_table(figures))
    return 0

if __name__ == "__main__":
    sys.exit(main())
