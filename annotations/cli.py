"""The `annotty` command line: options for the app and the verbs that print.

`annotty PATH...` opens the app (in ``tui``); `annotty VERB ...` runs a verb
from here. Errors are one line on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import sys

from .article import DEFAULT_MAX_BYTES
from .model import default_annotator
from .nlp import DEFAULT_MODEL

PROG = "annotty"
DEFAULT_DB = "annotations.json"


def version() -> str:
    from importlib import metadata  # slow to import, and only --version needs it

    try:
        return metadata.version("annotty")
    except metadata.PackageNotFoundError:
        return "unknown"


class VersionAction(argparse.Action):
    """Like argparse's "version" action, but reads the version only when asked."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{parser.prog} {version()}")
        parser.exit()


def size(value: str) -> int:
    """Parse a size such as 20000000, 50MB or 1GB."""
    units = {"kb": 1024, "mb": 1024**2, "gb": 1024**3, "b": 1}
    text = value.strip().lower()
    for unit, factor in units.items():
        if text.endswith(unit):
            try:
                return int(float(text[: -len(unit)]) * factor)
            except ValueError:
                break
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 50MB)") from None


def app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Read news articles with their named entities highlighted, and tag claims and quotes "
            "from the keyboard. Every annotation is saved to a TinyDB JSON file as it is made."
        ),
        epilog=(
            "verbs: 'annotty suggest PATH...' prints quote and claim suggestions; "
            "'annotty eval' measures them against the gold set; "
            "'annotty recover DB' writes a repaired copy of a damaged database; "
            "'annotty export DB --format F' writes the annotations for other tools, "
            "'annotty import FILE --format F' adds pre-annotated data; "
            "'annotty agree DB' measures agreement between annotators. "
            "Press ? in the app for its keys."
        ),
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="articles to open: .txt, .md, .html files, folders of them, or - for standard input "
        "(default: the bundled sample article)",
    )
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                        help=f"the TinyDB file annotations are saved to (default: ./{DEFAULT_DB})")
    parser.add_argument("--annotator", default=default_annotator(), metavar="NAME",
                        help="name recorded on every change (default: your login name)")
    add_model_argument(parser)
    add_reading_arguments(parser)
    parser.add_argument("--threshold", type=float, default=0.5, metavar="0..1",
                        help="show suggestions at or above this confidence (default: 0.5; * in the app shows all)")
    parser.add_argument("--no-mouse", action="store_true", help="turn mouse reporting off (for slow links)")
    parser.add_argument("--version", action=VersionAction)
    return parser


def add_model_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default=DEFAULT_MODEL, metavar="NAME",
                        help=f"any installed spaCy pipeline, by package name or path (default: {DEFAULT_MODEL})")


def add_reading_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--encoding", default=None, metavar="NAME",
                        help="text encoding of the articles (default: UTF-8)")
    parser.add_argument("--max-size", type=size, default=DEFAULT_MAX_BYTES, metavar="BYTES",
                        help="refuse articles larger than this (default: 20MB)")


def verb_parsers() -> dict[str, tuple[argparse.ArgumentParser, object]]:
    """Each verb's parser and the function that runs it, built on demand."""
    from . import recover
    from .suggest import command as suggest_command

    verbs: dict[str, tuple[argparse.ArgumentParser, object]] = {}

    suggest = argparse.ArgumentParser(prog=f"{PROG} suggest", description="Print quote and claim suggestions.")
    suggest_command.add_suggest_arguments(suggest)
    verbs["suggest"] = (suggest, suggest_command.run_suggest)

    evaluate = argparse.ArgumentParser(prog=f"{PROG} eval", description="Measure suggestions against a gold set.")
    suggest_command.add_eval_arguments(evaluate)
    verbs["eval"] = (evaluate, suggest_command.run_eval)

    repair = argparse.ArgumentParser(
        prog=f"{PROG} recover",
        description="Write a repaired copy of a damaged database next to it (the original is not touched).",
    )
    repair.add_argument("db", metavar="DB")
    verbs["recover"] = (repair, lambda args: recover.main([args.db]))

    from .formats import command as export_command

    export = argparse.ArgumentParser(
        prog=f"{PROG} export",
        description="Write the annotations of a database in a format other tools read "
        "(jsonl: Prodigy and doccano; spacy: a DocBin; brat; w3c: Web Annotation JSON-LD; csv; xmi: INCEpTION).",
    )
    export_command.add_export_arguments(export)
    verbs["export"] = (export, export_command.run_export)

    importing = argparse.ArgumentParser(
        prog=f"{PROG} import",
        description="Add pre-annotated data (Prodigy or doccano JSONL, brat, CSV, W3C Web Annotation) to a database; "
        "every span is checked against its article and re-anchored by its text, or listed when it cannot be.",
    )
    export_command.add_import_arguments(importing)
    verbs["import"] = (importing, export_command.run_import)

    from .team import command as team_command

    agree = argparse.ArgumentParser(
        prog=f"{PROG} agree",
        description="Agreement between annotators: span F1 (exact and overlapping), Cohen's kappa and "
        "Krippendorff's alpha on tokens, and the share of matched quotes with the same speaker.",
    )
    team_command.add_agree_arguments(agree)
    verbs["agree"] = (agree, team_command.run_agree)
    return verbs


VERBS = ("suggest", "eval", "recover", "export", "import", "agree")


def run_verb(argv: list[str]) -> int:
    parser, run = verb_parsers()[argv[0]]
    args = parser.parse_args(argv[1:])
    return run(args)


def fail(message: str) -> int:
    """Print a one-line error the way every part of the command line does."""
    from .article import sanitise_line

    # One line, with no control characters: messages carry file names.
    print(f"{PROG}: {sanitise_line(message)}", file=sys.stderr)
    return 2
