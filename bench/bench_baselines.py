"""annotty's quotes against the baselines of annotations/baselines.py (plain rules, textacy), as
``annotty eval`` prints them, and by how much annotty's F1 leads the better baseline.

The held-out half is scored only while its files match heldout/SHA256SUMS.

Run: python bench/bench_baselines.py [GOLD_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Runnable as a plain script from anywhere in the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.baselines import plain_rules, textacy_system  # noqa: E402
from annotations.evaluate import (  # noqa: E402
    QUOTE_EXACT, QUOTE_OVERLAP, QUOTE_SPEAKER, annotty_system, evaluate, format_report, heldout_problem, load_gold,
)
from annotations.nlp import load_pipeline  # noqa: E402
from annotations.suggest import DEFAULT_THRESHOLD  # noqa: E402
from bench.report import Figure, show  # noqa: E402

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "gold"


def main(argv: list[str] | None = None) -> list[Figure]:
    args = sys.argv[1:] if argv is None else argv
    gold = Path(args[0]) if args else GOLD_DIR
    problem = heldout_problem(gold)
    if problem:
        print(f"held-out left out: {problem}")
    articles = [a for a in load_gold(gold) if a.split == "dev" or not problem]
    systems = {"annotty": annotty_system, "plain rules": plain_rules}
    textacy, textacy_name = textacy_system()
    if textacy is None:
        print(textacy_name)
    else:
        systems[textacy_name] = textacy
    reports = evaluate(articles, load_pipeline(), DEFAULT_THRESHOLD, systems)
    print(format_report(reports, quotes_only=[name for name in systems if name.startswith("textacy")]))
    figures = []
    split = "held-out" if any(a.split == "held-out" for a in articles) else "dev"
    for measure in (QUOTE_EXACT, QUOTE_OVERLAP, QUOTE_SPEAKER):
        ours = reports["annotty"].tally(split, measure).f1 or 0.0
        best = max(reports[name].tally(split, measure).f1 or 0.0 for name in systems if name != "annotty")
        figures.append(show(Figure(f"{measure}, {split}: best baseline F1 minus annotty's", (best - ours) * 100,
                                   "points", 0)))
    return figures


if __name__ == "__main__":
    main()
