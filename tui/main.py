"""The `annotty` entry point: parse the command line, check the input, start the app."""

from __future__ import annotations

import gc
import os
import sys

from annotations import cli
from annotations.article import ArticleError, article_paths, load


#: The verbs that start the Textual app, beside those of annotations.cli (which must not know this package).
FRONT_END_VERBS = {
    "serve": cli.Verb("tui.serve", "add_serve_arguments", "run_serve",
                      "Open annotty in web browsers: each tab gets its own annotty process on the same database. "
                      "It listens on 127.0.0.1 unless --host says otherwise; any other host needs a token "
                      "(--token, or one generated and printed), carried by the printed URL.", "-draft.txt",
                      usage="PATH... --db DB", summary="opens annotty in web browsers, one process per tab"),
}
VERBS = {**cli.VERB_TABLE, **FRONT_END_VERBS}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in VERBS:
        try:
            return cli.run_verb(argv, VERBS)
        except BrokenPipeError:
            # The reader of our output went away (`annotty suggest ... | head`): stop quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 141
    # Start-up makes hundreds of thousands of objects (modules, styles, widgets) that live as long as the
    # app, and a full collection through them held the first paint up by 40 to 110 ms: the collector
    # waits, and the app turns it back on after the first paint with those objects left out of its
    # passes (AnnottyApp.start_up_done).
    gc.disable()
    try:
        return run_app(argv)
    finally:
        gc.enable()


def run_app(argv: list[str]) -> int:
    """The reader (or adjudication) on the articles *argv* names; the exit status."""
    if argv and argv[0] == "adjudicate":
        args = cli.adjudicate_parser().parse_args(argv[1:])
    else:
        args = cli.app_parser(VERBS).parse_args(argv)
    try:
        paths = article_paths(args.paths) if args.paths else [str(sample_path())]
        # The first article is read before the screen changes, so bad input
        # gets a one-line error and exit status 2 instead of a blank app.
        first = load(paths[0], encoding=args.encoding, max_bytes=args.max_size)
    except ArticleError as exc:
        return cli.fail(str(exc))
    if "-" in paths and not attach_terminal():
        return cli.fail("read the article from standard input, but there is no terminal (/dev/tty) to show it on")

    from .app import AnnottyApp, OpenError
    from .terminal import lacks_colour

    if "NO_COLOR" not in os.environ and lacks_colour(os.environ):
        os.environ["NO_COLOR"] = "1"  # Textual reads it as the app starts

    try:
        app = AnnottyApp(paths, args, first)
    except OpenError as exc:
        return cli.fail(str(exc))
    # SIGHUP, SIGTERM and a lost terminal end the app within a bound from here on (tui/ending.py).
    app.ending.install()
    try:
        app.run(mouse=not args.no_mouse)
    finally:
        saved = app.shutdown()
    if app.open_error is not None:  # found once the screen showed: the file was left as it is
        status = cli.fail(app.open_error)
    elif not saved:
        status = cli.fail(app.unsaved_message())
    elif app.ending.signum is not None:
        # SIGTERM or a hang-up asked the app to end, and closing can take seconds (a worker busy in the
        # model): a worker that fails meanwhile makes Textual's status 1, but the app ended as asked.
        status = 128 + app.ending.signum
    else:
        status = app.return_code or 0
    # Should the interpreter's own exit then hang (a worker thread still in the model), the ending uses it.
    app.ending.settle(status)
    return status


def attach_terminal() -> bool:
    """After reading an article from a pipe, take keys from the terminal instead."""
    import os

    if sys.stdin.isatty():
        return True
    try:
        tty = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return False
    os.dup2(tty, 0)
    os.close(tty)
    sys.stdin = sys.__stdin__ = open(0, closefd=False)
    return True


def sample_path():
    """The article opened when none is given; shipped inside the package, so installed copies have it too."""
    from pathlib import Path

    return Path(__file__).resolve().parent / "sample" / "harbour-bridge-vote.txt"


if __name__ == "__main__":
    sys.exit(main())
