"""`annotty stats DB`: what a database holds, counted: annotations per label, annotator and article,
claims by status, suggestions accepted / rejected / pending, articles done per annotator.

:func:`summarise` does the counting (also for the app's statistics screen); :func:`tables`
turns a summary into titled rows; the verb prints them as Rich tables on a terminal, as
tab-separated text when piped, or as JSON lines with ``--json``.

Entity corrections (an entity label, or ``NOT_ENTITY``) are not annotations here: they are
counted on their own. A suggestion is pending where the article's analysis is cached (the
model is never run here), it reaches the threshold, no one took it and no one rejected it.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .article import Article, sanitise_line
from .model import CLAIM, QUOTE
from .natural import natural_key
from .schema import Invalid, rejection
from .store import REJECTIONS, Store

#: What --by picks, in the order the whole summary prints.
BY = ("label", "annotator", "article", "status")


@dataclass
class Summary:
    by_label: Counter[str] = field(default_factory=Counter)
    #: annotator -> {"annotations", "quotes", "claims", "accepted", "rejected", "done"}
    by_annotator: dict[str, Counter[str]] = field(default_factory=dict)
    #: article id -> {"title", "source", "annotations", "quotes", "claims", "annotators", "done by"}
    by_article: dict[str, dict] = field(default_factory=dict)
    claims_by_status: Counter[str] = field(default_factory=Counter)
    accepted: int = 0
    rejected: int = 0
    pending: int = 0
    analysed: int = 0  # articles whose pending suggestions are known (their analysis is cached)
    corrections: int = 0

    def annotator(self, name: str) -> Counter[str]:
        return self.by_annotator.setdefault(name, Counter())

    def article(self, article_id: str) -> dict:
        return self.by_article.setdefault(article_id, {
            "title": "", "source": "", "annotations": 0, "quotes": 0, "claims": 0, "annotators": set(),
            "done by": set(),
        })


def summarise(store: Store, cached_analysis: Callable[[Article], object] | None = None,
              threshold: float = 0.5, only: str | None = None) -> Summary:
    """Count everything the database holds; pending suggestions from *cached_analysis* (Analyser.cached).

    *only*: count the work of that one annotator alone (a blind annotator is not shown the others')."""
    from .editing import visible_suggestions

    def counted(annotator: str | None) -> bool:
        return only is None or annotator == only

    summary = Summary()
    annotations = [ann for ann in store.annotations() if counted(ann.annotator)]
    for article in store.articles():
        row = summary.article(article.id)
        row["title"], row["source"] = article.title, article.source
    for ann in annotations:
        if ann.is_entity:
            summary.corrections += 1
            continue
        summary.by_label[ann.label] += 1
        person = summary.annotator(ann.annotator or "(unknown)")
        row = summary.article(ann.article_id)
        person["annotations"] += 1
        row["annotations"] += 1
        row["annotators"].add(ann.annotator or "(unknown)")
        if ann.label == QUOTE:
            person["quotes"] += 1
            row["quotes"] += 1
        elif ann.label == CLAIM:
            person["claims"] += 1
            row["claims"] += 1
            summary.claims_by_status[ann.status] += 1
        if ann.origin.startswith("suggest:"):
            summary.accepted += 1
            person["accepted"] += 1
    rejected: dict[str, set[tuple[str, int, int]]] = {}
    # Every annotator's rejections: the store asks for one annotator's at a time, so its table is read here,
    # each document through the schema like every query.
    for doc in store._docs(REJECTIONS):  # noqa: SLF001
        try:
            key = rejection(doc)
        except Invalid:
            continue
        if not counted(doc.get("annotator")):
            continue
        summary.rejected += 1
        summary.annotator(doc["annotator"])["rejected"] += 1
        rejected.setdefault(doc["article_id"], set()).add(key)
    for record in store.progress():
        if record.kind == "done" and counted(record.annotator):
            summary.annotator(record.annotator)["done"] += 1
            summary.article(record.article_id)["done by"].add(record.annotator)
    if cached_analysis is not None:
        by_article: dict[str, list] = {}
        for ann in annotations:
            by_article.setdefault(ann.article_id, []).append(ann)
        for article_id, row in summary.by_article.items():
            analysis = cached_analysis(Article(id=article_id, source=row["source"], title=row["title"], text=""))
            if analysis is None:
                continue
            summary.analysed += 1
            summary.pending += len(visible_suggestions(analysis.suggestions, by_article.get(article_id, []),
                                                       rejected.get(article_id, set()), threshold=threshold,
                                                       show_all=False))
    return summary


@dataclass(frozen=True)
class Table:
    """One titled table of the summary: *by* is what --by names it."""

    by: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple]


def _corpus_order(item: tuple[str, dict]) -> tuple:
    """Articles as a corpus of their folder opens them: by file path in natural order (2 before 10)."""
    article_id, row = item
    return natural_key(row["source"]), natural_key(row["title"].casefold()), article_id


def tables(summary: Summary, by: str | None = None) -> list[Table]:
    """The summary as tables: the one *by* names, or all of them (with suggestions) when *by* is None."""
    found = []
    if by in (None, "label"):
        found.append(Table("label", "Annotations per label", ("label", "annotations"),
                           sorted(summary.by_label.items(), key=lambda kv: (-kv[1], kv[0]))))
    if by in (None, "annotator"):
        fields = ("annotations", "quotes", "claims", "accepted", "rejected", "done")
        found.append(Table("annotator", "Per annotator", ("annotator", *fields[:-1], "articles done"),
                           [(name, *(counts[f] for f in fields)) for name, counts in sorted(summary.by_annotator.items())]))
    if by in (None, "article"):
        rows = [(row["title"] or article_id[:12], row["source"], row["annotations"], row["quotes"], row["claims"],
                 ", ".join(sorted(row["annotators"])), ", ".join(sorted(row["done by"])))
                for article_id, row in sorted(summary.by_article.items(), key=_corpus_order)]
        found.append(Table("article", "Per article",
                           ("title", "source", "annotations", "quotes", "claims", "annotators", "done by"), rows))
    if by in (None, "status"):
        found.append(Table("status", "Claims by status", ("status", "claims"),
                           sorted(summary.claims_by_status.items(), key=lambda kv: (-kv[1], kv[0]))))
    if by is None:
        pending = f"{summary.pending}" if summary.analysed else "?"
        found.append(Table("suggestions", "Suggestions", ("accepted", "rejected", "pending", "articles analysed"),
                           [(summary.accepted, summary.rejected, pending, summary.analysed)]))
    return found


# ---- the verb -------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .cli import add_model_argument, fraction

    parser.add_argument("db", metavar="DB", help="the annotty database (TinyDB JSON file)")
    parser.add_argument("--by", choices=BY, default=None,
                        help="only one table: per label, annotator, article, or claims by status")
    parser.add_argument("--json", action="store_true", help="JSON lines, one per row (with a 'table' field)")
    add_model_argument(parser)
    parser.add_argument("--threshold", type=fraction, default=0.5, metavar="0..1",
                        help="suggestions at or above this confidence count as pending (default: 0.5)")


def run(args: argparse.Namespace) -> int:
    from .analysis import Analyser
    from .cli import PROG, fail, missing_db
    from .store import DatabaseError, open_db

    if problem := missing_db(args.db):
        return fail(problem)
    try:
        store = open_db(args.db)
    except DatabaseError as exc:
        return fail(str(exc))
    with store:
        summary = summarise(store, Analyser(args.model).cached, args.threshold)
    if not summary.by_label and not summary.by_article and not summary.rejected:
        # Tables of headers alone say nothing more; as export does for an empty result, say so on stderr.
        print(f"{PROG} stats: no annotations in {sanitise_line(args.db)}", file=sys.stderr)
        return 0
    found = tables(summary, args.by)
    if args.json:
        print_json(found)
    elif sys.stdout.isatty():
        print_rich(found)
    else:
        print_plain(found)
    return 0


def print_json(found: list[Table]) -> None:
    import orjson

    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    for table in found:
        for row in table.rows:
            line = orjson.dumps({"table": table.by, **dict(zip(table.columns, row))}) + b"\n"
            if out is not None:
                out.write(line)
            else:
                sys.stdout.write(line.decode())
    if out is not None:
        out.flush()


#: Shorter headers on screen, so that no two of them are cut to the same "annotat…" at 80 columns
#: (the JSON and plain outputs keep the full column names).
HEADERS = {"annotations": "tags", "annotators": "who", "articles done": "done", "articles analysed": "analysed"}
#: Columns of free text (titles, paths, names): cut to one line with an ellipsis, never wrapped.
TEXT_COLUMNS = {"title", "source", "annotators", "done by"}


class _PathTail:
    """A file path on one line, cut at its start when too wide: the file's name is what tells articles apart."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        return Measurement(min(len(self.path), 8), len(self.path))

    def __rich_console__(self, console, options):
        from rich.cells import cell_len
        from rich.text import Text

        width, tail = options.max_width, self.path
        if cell_len(tail) > width:
            while tail and cell_len(tail) > width - 1:
                tail = tail[1:]
            tail = "…" + tail
        yield Text(tail, no_wrap=True, overflow="crop")


def rich_tables(found: list[Table]) -> list:
    """The tables as Rich tables; every cell is text, never markup."""
    from rich.table import Table as RichTable
    from rich.text import Text

    shown = []
    for table in found:
        rich = RichTable(title=table.title, title_justify="left", title_style="bold", min_width=len(table.title))
        for column in table.columns:
            numeric = bool(table.rows) and all(isinstance(row[table.columns.index(column)], int) for row in table.rows)
            header = HEADERS.get(column, column)
            # A header keeps its whole name; the text columns give way when the table is too wide.
            rich.add_column(header, justify="right" if numeric else "left",
                            min_width=None if column in TEXT_COLUMNS else len(header))
        for row in table.rows:
            # A text cell is cut to one line with an ellipsis, never wrapped over several.
            rich.add_row(*(_PathTail(sanitise_line(str(cell))) if column == "source" else
                           Text(sanitise_line(str(cell)), no_wrap=column in TEXT_COLUMNS, overflow="ellipsis")
                           for column, cell in zip(table.columns, row)))
        shown.append(rich)
    return shown


def print_rich(found: list[Table], console=None) -> None:
    from rich.console import Console

    console = console or Console()
    for rich in rich_tables(found):
        console.print(rich)
        console.print()


def print_plain(found: list[Table]) -> None:
    """Tab-separated: each table's title, its header, its rows, then a blank line."""
    for table in found:
        print(f"# {table.title}")
        print("\t".join(table.columns))
        for row in table.rows:
            print("\t".join(sanitise_line(str(cell)) for cell in row))
        print()
