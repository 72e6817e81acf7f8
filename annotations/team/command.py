"""``annotty agree DB``: agreement between the annotators of a database, as tables or JSON."""

from __future__ import annotations

import argparse
import sys

import orjson

from ..store import DatabaseError, open_db
from .agreement import ALL, Agreement, agreement, group_by_article


def add_agree_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the annotation database")
    parser.add_argument("--label", nargs="+", default=[], metavar="L", help="only these labels (default: all)")
    parser.add_argument("--annotators", nargs="+", default=[], metavar="NAME",
                        help="only these annotators (default: everyone with annotations)")
    parser.add_argument("--by", choices=["article"], help="one set of figures per article as well")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _tables(result: Agreement, title: str) -> list:
    """The title line, the pair table, the alpha line and the alpha table (titles apart, so they never wrap)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    pairs = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("pair", "label", "docs", "spans", "exact", "overlap", "kappa", "speaker"):
        pairs.add_column(column, justify="left" if column in ("pair", "label") else "right", no_wrap=True)
    for fig in result.pairs:
        pairs.add_row(Text(f"{fig.a} / {fig.b}"), Text(fig.label), str(fig.articles), f"{fig.spans_a} / {fig.spans_b}",
                      _number(fig.exact_f1), _number(fig.overlap_f1), _number(fig.kappa),
                      "-" if fig.speaker_agreement is None else f"{fig.speaker_agreement:.0%} of {fig.quotes_matched}")
    alpha = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    alpha.add_column("label", no_wrap=True)
    alpha.add_column("alpha", justify="right", no_wrap=True)
    for label, value in result.alpha.items():
        alpha.add_row(Text(label), _number(value))
    alpha_title = f"Krippendorff's alpha (nominal, on tokens) across {len(result.annotators)} annotators"
    return [Text(title, style="bold"), pairs, Text(LEGEND, style="dim"), Text("\n" + alpha_title, style="bold"), alpha]


LEGEND = (
    "docs: articles both worked on; spans: how many each tagged; exact / overlap: span F1 with exact boundaries / "
    "with overlapping spans; kappa: Cohen's kappa on token labels; speaker: matched quotes naming the same speaker"
)


def run_agree(args: argparse.Namespace) -> int:
    from ..cli import fail, missing_db

    if problem := missing_db(args.db):
        return fail(problem)
    try:
        with open_db(args.db) as store:
            texts = {article.id: article.text for article in store.articles()}
            titles = {article.id: article.title for article in store.articles()}
            articles = group_by_article(store.annotations(), texts)
    except DatabaseError as exc:
        return fail(str(exc))
    known = sorted({who for art in articles for who in art.by_annotator})
    # A misspelt name would otherwise give a table of dashes, as if the annotators never overlapped.
    unknown = [name for name in args.annotators if name not in known]
    if unknown:
        return fail(f"unknown annotator: {', '.join(unknown)} (known: {', '.join(known) or 'none'})")
    overall = agreement(articles, labels=args.label, annotators=args.annotators)
    if len(overall.annotators) < 2:
        return fail(f"{args.db}: agreement needs two annotators; found {len(overall.annotators)}")
    per_article = [(art, agreement([art], labels=args.label, annotators=overall.annotators))
                   for art in articles] if args.by == "article" else []
    if args.json:
        out = overall.to_json()
        if per_article:
            out["by_article"] = [{"article_id": art.article_id, "title": titles[art.article_id], **fig.to_json()}
                                 for art, fig in per_article if fig.articles]
        sys.stdout.buffer.write(orjson.dumps(out, option=orjson.OPT_INDENT_2) + b"\n")
        return 0
    from rich.console import Console

    # On a terminal the tables take its width; piped into a file they are never cut to 80 columns.
    console = Console(width=None if sys.stdout.isatty() else 160)
    console.print(f"{overall.articles} article(s) worked on by at least two of: {', '.join(overall.annotators)}",
                  markup=False, highlight=False)
    for part in _tables(overall, f"All articles ({ALL}: every label together)"):
        console.print(part)
    for art, fig in per_article:
        if fig.articles:
            for part in _tables(fig, f"Article: {titles[art.article_id]}")[:2]:
                console.print(part)
    return 0
