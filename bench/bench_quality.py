"""Quality of the quote and claim suggestions on the gold set, and how long they take.

Run: python bench/bench_quality.py [GOLD_DIR]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# Runnable as a plain script from anywhere in the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.evaluate import (  # noqa: E402
    CLAIM_IOU, QUOTE_OVERLAP, QUOTE_SPEAKER, evaluate, format_report, heldout_problem, load_gold,
)
from annotations.nlp import load_pipeline, parse  # noqa: E402
from annotations.quotations import quotation_at, quotations  # noqa: E402
from annotations.suggest import DEFAULT_THRESHOLD, suggest  # noqa: E402
from bench.generate import article_text  # noqa: E402
from bench.report import Figure, show  # noqa: E402

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "gold"
#: Sizes of the generated articles suggest() is timed on (the parse is not timed).
BIG_SIZES = (100_000, 1_000_000)


def main(argv: list[str] | None = None) -> list[Figure]:
    args = sys.argv[1:] if argv is None else argv
    gold = Path(args[0]) if args else GOLD_DIR
    problem = heldout_problem(gold)
    if problem:
        print(f"held-out left out: {problem}")
    articles = [a for a in load_gold(gold) if a.split == "dev" or not problem]
    nlp = load_pipeline()
    print(f"gold set: {len(articles)} articles, threshold {DEFAULT_THRESHOLD}")
    report = evaluate(articles, nlp, DEFAULT_THRESHOLD)["annotty"]
    print(format_report(report))
    figures = []
    for measure in (QUOTE_OVERLAP, QUOTE_SPEAKER, CLAIM_IOU):
        t = report.tally("held-out" if not problem else "dev", measure)
        split = "held-out" if any(a.split == "held-out" for a in articles) else "dev"
        figures.append(show(Figure(f"{measure}, {split}: precision", (t.precision or 0.0) * 100, "%")))
        figures.append(show(Figure(f"{measure}, {split}: recall", (t.recall or 0.0) * 100, "%")))

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
        took = time.perf_counter() - began
        print(f"suggest() on a generated {size // 1000} KB article: {took:.2f} s"
              f" ({len(doc)} tokens, {len(found)} suggestions)")
        figures.append(Figure(f"suggest() on a generated {size // 1000} KB article", took, "s"))

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
    figures.append(Figure("suggest() on a gold article (mean)", per_article, "ms"))
    figures.append(Figure(f"quotations() on {len(big) / 1e6:.1f} M characters", first * 1000, "ms"))
    figures.append(Figure("quotation_at() after that, per call", lookups, "µs"))
    return figures


if __name__ == "__main__":
    main()
