"""The `annotty` entry point: parse the command line, check the input, start the app."""

from __future__ import annotations

import sys

from annotations import cli
from annotations.article import ArticleError, article_paths, load


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in cli.VERBS:
        return cli.run_verb(argv)
    args = cli.app_parser().parse_args(argv)
    try:
        paths = article_paths(args.paths) if args.paths else [str(sample_path())]
        # The first article is read before the screen changes, so bad input
        # gets a one-line error and exit status 2 instead of a blank app.
        first = load(paths[0], encoding=args.encoding, max_bytes=args.max_size)
    except ArticleError as exc:
        return cli.fail(str(exc))

    from .app import AnnottyApp, OpenError

    try:
        app = AnnottyApp(paths, args, first)
    except OpenError as exc:
        return cli.fail(str(exc))
    app.run(mouse=not args.no_mouse)
    return app.return_code or 0


def sample_path():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "examples" / "harbour-bridge-vote.txt"


if __name__ == "__main__":
    sys.exit(main())
