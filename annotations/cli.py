"""The `annotty` command line: options for the app and the verbs that print.

`annotty PATH...` opens the app (in ``tui``); `annotty VERB ...` runs a verb
from here. Errors are one line on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

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


def end_of_options(example: str) -> str:
    """How to pass a file name that starts with a dash; said in every --help and in the README."""
    return (
        "-- ends the options: everything after it is a file or folder name, "
        f"even one starting with a dash ('{example}')."
    )


class Parser(argparse.ArgumentParser):
    """argparse, with the project's one-line errors: ``annotty: <what is wrong>; see annotty --help``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        from .article import sanitise_line

        print(f"{self.prog}: {sanitise_line(message)}; see {self.prog} --help", file=sys.stderr)
        sys.exit(2)


def size(value: str) -> int:
    """Parse a size such as 20000000, 50MB or 1GB; at least one byte."""
    units = {"kb": 1024, "mb": 1024**2, "gb": 1024**3, "b": 1}
    text = value.strip().lower()
    number: int | None = None
    for unit, factor in units.items():
        if text.endswith(unit):
            try:
                number = int(float(text[: -len(unit)]) * factor)
            except (ValueError, OverflowError):  # "MB", "nanMB", "1e999MB"
                pass
            break
    else:
        try:
            number = int(text)
        except ValueError:
            pass
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 50MB)")
    return number


def fraction(value: str) -> float:
    """A confidence from 0 to 1 inclusive, the type of every --threshold; nan and inf are refused."""
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0.0 <= number <= 1.0:  # also false for nan
        raise argparse.ArgumentTypeError(f"not a number from 0 to 1: {value!r}")
    return number


def names(value: str) -> list[str]:
    """A comma-separated list of annotator names; blanks between commas are dropped."""
    from .article import sanitise_line

    return [sanitise_line(name).strip() for name in value.split(",") if name.strip()]


def app_parser(verbs: Mapping[str, Verb] | None = None) -> argparse.ArgumentParser:
    """The app's options; its --help lists *verbs* (default: those of :data:`VERB_TABLE`) and adjudicate."""
    parser = Parser(
        prog=PROG,
        description=(
            "Read news articles with their named entities highlighted, and tag claims and quotes "
            "from the keyboard. Every annotation is saved to a TinyDB JSON file as it is made."
        ),
        epilog=(
            verbs_help(verbs)
            + " Press ? in the app for its keys. "
            + end_of_options(f"{PROG} -- -draft.txt")
            + f" A file named like a verb opens the same way: '{PROG} -- suggest'."
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
    parser.add_argument("--blind", action="store_true",
                        help="show only your own annotations, never a colleague's (for double annotation)")
    parser.add_argument("--annotators", type=names, default=None, metavar="A,B,...",
                        help="ask for the annotator on a first screen, offering these names or one typed "
                        "('' offers none); annotty serve opens each browser tab this way")
    add_model_argument(parser)
    add_reading_arguments(parser)
    parser.add_argument("--threshold", type=fraction, default=0.5, metavar="0..1",
                        help="show suggestions at or above this confidence (default: 0.5; * in the app shows all)")
    parser.add_argument("--no-mouse", action="store_true", help="turn mouse reporting off (for slow links)")
    parser.add_argument("--version", action=VersionAction)
    return parser


def adjudicate_parser() -> argparse.ArgumentParser:
    """`annotty adjudicate PATH... --db DB --as gold`: the app's options, and who settles into what."""
    parser = app_parser()
    parser.prog = f"{PROG} adjudicate"
    parser.description = (
        "Settle the disagreements between annotators, article by article, into one gold layer: "
        "agreed annotations are merged on their own; a key takes one version, all, none, or an edited one."
    )
    parser.epilog = end_of_options(f"{PROG} adjudicate -- -draft.txt")
    for action in parser._actions:
        if action.dest == "paths":
            action.nargs = "+"
            action.help = "the articles to adjudicate: files or folders"
    parser.add_argument("--as", dest="adjudicator", default="gold", metavar="NAME",
                        help="the annotator name the settled annotations are written under (default: gold)")
    parser.add_argument("--compare", nargs="+", default=[], metavar="NAME",
                        help="whose annotations to compare (default: everyone but the adjudicator)")
    return parser


def add_model_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default=DEFAULT_MODEL, metavar="NAME",
                        help=f"any installed spaCy pipeline, by package name or path (default: {DEFAULT_MODEL})")


def add_reading_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--encoding", default=None, metavar="NAME",
                        help="text encoding of the articles (default: UTF-8)")
    parser.add_argument("--max-size", type=size, default=DEFAULT_MAX_BYTES, metavar="BYTES",
                        help="refuse articles larger than this (default: 20MB)")


@dataclass(frozen=True)
class Verb:
    """One verb of the command line: where its arguments and its run function live, and what it does."""

    module: str  # imported only when the verb is used; a relative name is relative to this package
    add_arguments: str
    run: str
    description: str
    example: str  # a file name starting with a dash, for the help line on ``--``
    usage: str  # its arguments, as `annotty --help` shows them: "DB --format F"
    summary: str  # what it does, as `annotty --help` says it: "writes the annotations for other tools"


#: Every verb that runs without the app, in the order --help lists them. Those that run the app (`serve`,
#: and `adjudicate`, which takes the app's own options) are its entry point's to know: tui/main.py.
VERB_TABLE: dict[str, Verb] = {
    "suggest": Verb(".suggest.command", "add_suggest_arguments", "run_suggest",
                    "Print quote and claim suggestions.", "-draft.txt",
                    usage="PATH...", summary="prints quote and claim suggestions"),
    "eval": Verb(".eval_command", "add_eval_arguments", "run_eval",
                 "Measure suggestions against a gold set.", "-gold",
                 usage="[GOLD]", summary="measures the suggestions against a gold set"),
    "recover": Verb(".recover", "add_arguments", "run_recover",
                    "Write a repaired copy of a damaged database next to it (the original is not touched).",
                    "-team.json",
                    usage="DB", summary="writes a repaired copy of a damaged database"),
    "export": Verb(".formats.command", "add_export_arguments", "run_export",
                   "Write the annotations of a database in a format other tools read (jsonl: Prodigy and "
                   "doccano; spacy: a DocBin; brat; w3c: Web Annotation JSON-LD; csv; xmi: INCEpTION).",
                   "-team.json",
                   usage="DB --format F", summary="writes the annotations for other tools"),
    "import": Verb(".formats.command", "add_import_arguments", "run_import",
                   "Add pre-annotated data (Prodigy or doccano JSONL, brat, CSV, W3C Web Annotation) to a "
                   "database; every span is checked against its article and re-anchored by its text, or "
                   "listed when it cannot be.", "-data.jsonl",
                   usage="FILE --format F", summary="adds pre-annotated data"),
    "agree": Verb(".team.command", "add_agree_arguments", "run_agree",
                  "Agreement between annotators: span F1 (exact and overlapping), Cohen's kappa and "
                  "Krippendorff's alpha on tokens, and the share of matched quotes with the same speaker.",
                  "-team.json",
                  usage="DB", summary="measures agreement between annotators"),
    "reanchor": Verb(".team.reanchor_command", "add_arguments", "run",
                     "Carry the annotations of an article over to its corrected version: each is anchored, moved, "
                     "changed (a fuzzy match) or orphaned (kept on the old version and listed).", "-corrected.txt",
                     usage="DB OLD_ID NEW_PATH", summary="carries annotations to a corrected article"),
    "merge": Verb(".team.merge_command", "add_arguments", "run",
                  "Merge databases written on different machines into a new one: the highest revision wins, "
                  "deletions are kept, and true conflicts keep both versions.", "-laptop.json",
                  usage="A B -o OUT", summary="merges databases"),
    "stats": Verb(".stats", "add_arguments", "run",
                  "Counts: annotations per label, annotator and article; claims by status; suggestions "
                  "accepted, rejected and pending; articles done per annotator.", "-team.json",
                  usage="DB", summary="counts what it holds"),
}


#: `annotty adjudicate`, which opens the app on its own options (adjudicate_parser), as --help names it.
ADJUDICATE_USAGE = ("PATH... --db DB", "settles the annotators' disagreements into gold")


def verbs_help(verbs: Mapping[str, Verb] | None = None) -> str:
    """The verbs as `annotty --help` lists them, from the table that runs them: none can be left out."""
    lines = [(name, verb.usage, verb.summary) for name, verb in (VERB_TABLE if verbs is None else verbs).items()]
    lines.append(("adjudicate", *ADJUDICATE_USAGE))
    return "verbs: " + "; ".join(f"'{PROG} {name} {usage}' {summary}" for name, usage, summary in lines) + "."


def verb_parser(name: str, verbs: dict[str, Verb] = VERB_TABLE,
                ) -> tuple[argparse.ArgumentParser, Callable[[argparse.Namespace], int]]:
    """The parser of verb *name* (one of *verbs*) and the function that runs it."""
    from importlib import import_module

    verb = verbs[name]
    module = import_module(verb.module, __package__)
    parser = Parser(prog=f"{PROG} {name}", description=verb.description,
                    epilog=end_of_options(f"{PROG} {name} -- {verb.example}"))
    getattr(module, verb.add_arguments)(parser)
    return parser, getattr(module, verb.run)


def run_verb(argv: list[str], verbs: dict[str, Verb] = VERB_TABLE) -> int:
    parser, run = verb_parser(argv[0], verbs)
    args = parser.parse_args(argv[1:])
    return run(args)


def missing_db(path: str) -> str | None:
    """Why the verbs that read a database cannot read *path* (a folder, no file), or None.

    Checked before opening: opening a path that is not there would start an empty database.
    """
    import os

    if os.path.isdir(path):
        return f"{path}: is a folder, not a database file"
    if not os.path.isfile(path):
        return f"{path}: no such database file"
    return None


def fail(message: str) -> int:
    """Print a one-line error the way every part of the command line does."""
    from .article import sanitise_line

    # One line, with no control characters: messages carry file names.
    print(f"{PROG}: {sanitise_line(message)}", file=sys.stderr)
    return 2
