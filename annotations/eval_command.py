"""``annotty eval``: the suggestions and the baselines against the gold set, dev first, then held-out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from .cli import add_model_argument, fraction
from .nlp import ModelMissing, load_pipeline
from .suggest import DEFAULT_THRESHOLD


def add_eval_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("gold_dir", nargs="?", default=None, metavar="GOLD",
                        help="gold folder: dev/ and heldout/ (with its SHA256SUMS), or plain gold JSON files "
                        "(default: tests/gold, when run from a source checkout)")
    add_model_argument(parser)
    parser.add_argument("--threshold", type=fraction, default=DEFAULT_THRESHOLD, metavar="0..1",
                        help=f"lowest confidence counted as a suggestion (default {DEFAULT_THRESHOLD})")
    parser.add_argument("--dev-only", action="store_true",
                        help="leave the held-out half out (for working on the rules without seeing it)")
    return parser


def run_eval(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from .baselines import plain_rules, textacy_system
    from .evaluate import GoldError, annotty_system, checkout_gold_dir, evaluate, format_report, heldout_problem, load_gold

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        gold_dir = args.gold_dir or checkout_gold_dir()
        if gold_dir is None:
            raise GoldError(
                "give the gold folder, as in 'annotty eval GOLD' (a folder of gold JSON files, "
                "such as tests/gold of the annotty source); this installation has none"
            )
        if Path(gold_dir).is_file():
            raise GoldError(f"{gold_dir}: is a file, not a gold folder (give the folder that holds the gold JSON files)")
        articles = load_gold(gold_dir)
        nlp = load_pipeline(args.model)
    except (GoldError, ModelMissing) as exc:
        print(f"annotty eval: {exc}", file=err)
        return 2
    problem = None if args.dev_only else heldout_problem(gold_dir)
    wanted = {"dev"} if args.dev_only or problem else {"dev", "held-out"}
    articles = [a for a in articles if a.split in wanted]
    systems = {"annotty": annotty_system, "plain rules": plain_rules}
    textacy, textacy_name = textacy_system()
    if textacy is not None:
        systems[textacy_name] = textacy
    counts = {split: sum(a.split == split for a in articles) for split in ("dev", "held-out")}
    out.write(f"gold: {counts['dev']} dev articles, {counts['held-out']} held-out; threshold {args.threshold}"
              f" for annotty; {textacy_name if textacy is None else ''}".rstrip("; ") + "\n")
    reports = evaluate(articles, nlp, args.threshold, systems)
    quotes_only = [] if textacy is None else [textacy_name]
    out.write(format_report(reports, ("dev",), quotes_only) + "\n")
    if "held-out" in wanted and counts["held-out"]:
        out.write("\n" + format_report(reports, ("held-out",), quotes_only) + "\n")
    out.flush()
    if problem:
        print(f"annotty eval: held-out figures withheld: {problem}", file=err)
        return 1
    return 0
