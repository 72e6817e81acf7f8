"""`make bench`: every benchmark in turn, one figure a line, then a markdown table of them all."""

from __future__ import annotations

import importlib
import sys
import time

from .report import Figure, markdown_table

#: Benchmark modules run in this order; each has a main() that prints as it goes
#: and may return a list of Figures for the table. A missing one is skipped.
MODULES = ("bench.bench_reader", "bench.bench_store", "bench.bench_quality")


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
        returned = module.main()
        if isinstance(returned, list):
            figures += [f for f in returned if isinstance(f, Figure)]
    print(f"\nall benchmarks took {time.perf_counter() - started:.0f} s")
    print("\n" + markdown_table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
