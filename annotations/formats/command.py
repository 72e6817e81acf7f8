"""``annotty export DB --format FORMAT``: the command line of the exports."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..nlp import DEFAULT_MODEL, ModelMissing
from ..store import DatabaseError, open_db
from ..model import CLAIM_STATUSES, default_annotator
from . import FORMATS, READERS, ExportContext, ExportDoc, ExportError, Filters, export
from .importing import ImportFailed, import_records


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the annotation database to export")
    parser.add_argument("--format", required=True, choices=sorted(FORMATS), help="the format to write")
    parser.add_argument("--out", metavar="PATH", type=Path,
                        help="file (or folder, for brat and xmi) to write, - for standard output "
                             "(default: DB's name with the format's suffix)")
    parser.add_argument("--annotator", nargs="+", default=[], metavar="NAME", help="only these annotators' work")
    parser.add_argument("--label", nargs="+", default=[], metavar="L", help="only these labels")
    # A closed set: a misspelt status would otherwise match nothing and write an empty export.
    parser.add_argument("--status", nargs="+", default=[], metavar="S", choices=CLAIM_STATUSES,
                        help=f"only claims with these statuses ({', '.join(CLAIM_STATUSES)})")
    parser.add_argument("--articles", nargs="+", default=[], metavar="PATH", help="only the articles read from these files")
    parser.add_argument("--force", action="store_true", help="replace the output if it exists")
    parser.add_argument("--model", default=DEFAULT_MODEL, metavar="NAME",
                        help=f"spaCy pipeline for tokens (jsonl) and entities (spacy, xmi) (default: {DEFAULT_MODEL})")


def default_out(db: str, fmt: str) -> Path:
    """Beside the database: ``annotations.csv``, or a folder ``annotations-brat`` for the folder formats."""
    base = Path(db)
    suffix = FORMATS[fmt].SUFFIX
    return base.with_suffix(suffix) if suffix else base.with_name(f"{base.stem}-{fmt}")


def terminal_progress(docs: Iterable[ExportDoc], total: int) -> Iterator[ExportDoc]:
    """A progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield from docs
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("exporting", total=total)
        for doc in docs:
            yield doc
            bar.advance(task)


def _what_is_held(store, filters: Filters, given: list[str]) -> str:
    """The labels and annotators a database holds: what a filter that matched nothing could have named;
    first, when the files of `--articles` name none of its articles, that."""
    from ..article import sanitise_line

    if given and not any(filters.keeps_article(article) for article in store.articles()):
        return sanitise_line(f"no article of the file was read from {', '.join(given)}")
    held = store.annotations()
    labels = ", ".join(sorted({a.label for a in held})) or "none"
    annotators = ", ".join(sorted({a.annotator for a in held})) or "nobody"
    return sanitise_line(f"the file holds the labels {labels}, by {annotators}")


def run_export(args: argparse.Namespace) -> int:
    from ..cli import PROG, fail, missing_db

    out = args.out or default_out(args.db, args.format)
    # "-" is standard output, as for the articles read: a file named "-" is never what was meant.
    to_stdout = str(out) == "-"
    filters = Filters(
        annotators=frozenset(args.annotator), labels=frozenset(args.label), statuses=frozenset(args.status),
        sources=frozenset(str(Path(p).absolute()) for p in args.articles) | frozenset(args.articles),
    )
    if problem := missing_db(args.db):
        return fail(problem)
    try:
        with open_db(args.db) as store:
            count = export(store, args.format, sys.stdout.buffer if to_stdout else out, filters=filters,
                           force=args.force, context=ExportContext(args.model), progress=terminal_progress)
            if to_stdout:
                sys.stdout.buffer.flush()
            skipped = len(store.problems())
            if count == 0 and (args.annotator or args.label or args.status or args.articles):
                print(f"{PROG} export: nothing matched the filters; {_what_is_held(store, filters, args.articles)}", file=sys.stderr)
    except (DatabaseError, ExportError, ModelMissing) as exc:
        return fail(str(exc))
    except BrokenPipeError as exc:
        if not to_stdout:
            return fail(f"cannot write {out}: {exc.strerror or exc}")
        # The reader of the pipe has had what it wanted (`| head`): end quietly, as filters do, with
        # standard output pointed away so Python's own flush at exit does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        return fail(f"cannot write {out}: {exc.strerror or exc}")
    unit = "article(s)" if args.format in ("jsonl", "spacy", "brat", "xmi") else "annotation(s)"
    # Beside the data on standard output, the summary goes to stderr.
    print(f"wrote {'standard output' if to_stdout else out}: {count} {unit}", file=sys.stderr if to_stdout else sys.stdout)
    if skipped:
        print(f"{skipped} invalid document(s) of {args.db} left out; 'annotty recover {args.db}' lists them",
              file=sys.stderr)
    return 0


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", type=Path, help="the file (a folder for brat) to import")
    parser.add_argument("--format", required=True, choices=sorted(READERS), help="the format of FILE")
    parser.add_argument("--db", default="annotations.json", metavar="PATH",
                        help="the database to add to (default: ./annotations.json)")
    parser.add_argument("--annotator", default=default_annotator(), metavar="NAME",
                        help="recorded where the file names no annotator (default: your login name)")


def run_import(args: argparse.Namespace) -> int:
    from ..article import sanitise_line
    from ..cli import fail
    from ..store import open_db as open_store

    if not args.file.exists():
        return fail(f"{args.file}: no such file")
    try:
        with open_store(args.db) as store:
            report = import_records(store, READERS[args.format].read(args.file), fmt=args.format,
                                    file=str(args.file), annotator=args.annotator, base=args.file.parent)
    except (DatabaseError, ImportFailed) as exc:
        return fail(str(exc))
    print(f"imported {report.added} annotation(s) into {sanitise_line(args.db)}: {report.articles_added} article(s) "
          f"added, {report.already_there} already there, {report.reanchored} re-anchored, "
          f"{len(report.unanchored)} not anchored")
    for line in report.unanchored:
        print(f"  not anchored: {line}")
    return 1 if report.unanchored else 0
