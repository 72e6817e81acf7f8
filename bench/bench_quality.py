"""Quality of the quote and claim suggestions on the gold set, and how long they take.

Run: python bench/bench_quality.py [GOLD_DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# Runnable as a plain script from anywhere in the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.evaluate import evaluate, format_report, load_gold  # noqa: E402
from annotations.nlp import load_pipeline, parse  # noqa: E402
from annotations.quotations import quotation_at, quotations  # noqa: E402
from annotations.suggest import DEFAULT_THRESHOLD, suggest  # noqa: E402
from bench.generate import article_text  # noqa: E402

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "gold"
#: Sizes of the generated articles suggest() is timed on (the parse is not timed).
BIG_SIZES = (100_000, 1_000_000)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    articles = load_gold(args[0] if args else GOLD_DIR)
    nlp = load_pipeline()
    print(f"gold set: {len(articles)} articles, threshold {DEFAULT_THRESHOLD}")
    print(format_report(evaluate(articles, nlp, DEFAULT_THRESHOLD)))

    docs = [parse(nlp, a.text) for a in articles]
    began = time.perf_counter()
    for doc in docs:
        suggest(doc)
    per_article = (time.perf_counter() - began) / len(docs) * 1000
    print(f"\nsuggest() on a parsed article: {per_article:.1f} ms on average")
    for size in BIG_SIZES:
        doc = parse(nlp, article_text(size))
        began = time.perf_counter()
        found = suggest(doc)
        print(f"suggest() on a generated {size // 1000} KB article: {time.perf_counter() - began:.2f} s"
              f" ({len(doc)} tokens, {len(found)} suggestions)")

    big = "\n\n".join(a.text for a in articles)
    big = big * (1_000_000 // len(big) + 1)
    began = time.perf_counter()
    count = len(quotations(big))
    first = time.perf_counter() - began
    began = time.perf_counter()
    for offset in range(0, len(big), len(big) // 1000):
        quotation_at(big, offset)
    lookups = (time.perf_counter() - began) / 1000 * 1e6
    print(f"quotations() on {len(big) / 1e6:.1f} M characters: {first * 1000:.0f} ms for {count} quotations;"
          f" quotation_at() afterwards: {lookups:.1f} µs per call")


if __name__ == "__main__":
    main()
