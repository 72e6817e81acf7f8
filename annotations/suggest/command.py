"""``annotty suggest`` and ``annotty eval``: suggestions and their quality from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from ..article import ArticleError, article_paths, load, replace_controls, sanitise_line
from ..cli import add_model_argument, add_reading_arguments, fraction
from ..nlp import ModelMissing, load_pipeline
from . import DEFAULT_THRESHOLD, Suggestion
from .batch import available_cores, suggest_texts

#: Characters of a suggestion's text shown in the table.
_TABLE_TEXT = 60


def add_suggest_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (- for standard input)")
    parser.add_argument("--threshold", type=fraction, default=DEFAULT_THRESHOLD, metavar="0..1",
                        help=f"print suggestions at or above this confidence (default: {DEFAULT_THRESHOLD}, as in the app)")
    parser.add_argument("--all", action="store_true", help="print every suggestion (the same as --threshold 0)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line per suggestion")
    parser.add_argument("--jobs", type=jobs, default=available_cores(), metavar="N",
                        help="processes that run the model (default: the cores available, here "
                        f"{available_cores()}; 1 runs it in this process)")
    add_model_argument(parser)
    add_reading_arguments(parser)
    return parser


def jobs(value: str) -> int:
    """A number of processes: a whole number, at least 1."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a number of processes: {value!r} (1 or more)")
    return number


def run_suggest(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        paths = article_paths(list(args.paths))
        articles = [load(path, encoding=args.encoding, max_bytes=args.max_size) for path in paths]
        nlp = load_pipeline(args.model)
    except (ArticleError, ModelMissing) as exc:
        print(f"annotty suggest: {exc}", file=err)
        return 2
    threshold = 0.0 if args.all else args.threshold
    suggestions = suggest_texts(nlp, [article.text for article in articles], jobs=args.jobs)
    status = 0
    with progress(err, len(articles), out) as advance:
        for path, found in zip(paths, suggestions):
            advance()
            if isinstance(found, Exception):
                status = 1
                reason = sanitise_line(f"{type(found).__name__}: {found}")
                print(f"annotty suggest: {sanitise_line(path)}: the suggesters failed ({reason})", file=err)
                continue
            found = [s for s in found if s.confidence >= threshold]
            if args.json:
                for s in found:
                    out.write(json_line(s.to_json(path)) + "\n")
            else:
                out.write(format_table(path, found) + "\n")
    return status


@contextmanager
def progress(err: TextIO, total: int, out: TextIO) -> Iterator[Callable[[], None]]:
    """A progress bar on *err* when it is a terminal and *out* is not (the output going to a file or a
    pipe: on the same terminal, redrawing the bar would erase output lines); else nothing.

    It is redrawn by the loop, not by a thread of its own: spaCy forks its workers while the
    bar runs, and a fork must not copy a lock that another thread holds.
    """
    if not (_is_terminal(err) and not _is_terminal(out)) or total < 2:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(file=err), auto_refresh=False, transient=True) as bar:
        task = bar.add_task("articles", total=total)
        bar.refresh()

        def advance() -> None:
            bar.advance(task)
            bar.refresh()

        yield advance


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def json_line(value: dict) -> str:
    """One JSON line that no terminal acts on: json escapes C0 controls; C1 and bidi controls and lone
    surrogates (from file names) become \\u escapes too, which read back as the same value."""
    line = json.dumps(value, ensure_ascii=False)
    if replace_controls(line) == line:
        return line
    return "".join(c if replace_controls(c) == c else f"\\u{ord(c):04x}" for c in line)


def format_table(source: str, found: list[Suggestion]) -> str:
    # The header names a file: one line, no control characters, whatever the name holds.
    lines = [f"{sanitise_line(source)}: {len(found)} suggestion{'s' if len(found) != 1 else ''}"]
    for s in found:
        text = " ".join(s.text.split())
        if len(text) > _TABLE_TEXT:
            text = text[:_TABLE_TEXT - 1] + "…"
        who = s.speaker["name"] if s.speaker else ""
        kind = s.kind or ""
        lines.append(f"  {s.label:<5} {s.start:>6}-{s.end:<6} {s.confidence:4.2f} {kind:<8} {who[:24]:<24} {text}")
    return "\n".join(lines)
