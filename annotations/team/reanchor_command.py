"""``annotty reanchor DB OLD_ID NEW_PATH``: carry annotations over to a corrected article."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..article import ArticleError, sanitise_line
from ..model import default_annotator
from ..store import Conflict, DatabaseError, open_db
from .reanchor import Anchoring, CarryOver, reanchor, summary


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the annotation database")
    parser.add_argument("old_id", metavar="OLD_ID", help="the id (sha256, or a unique prefix of it) of the earlier version")
    parser.add_argument("new_path", metavar="NEW_PATH", help="the corrected article")
    parser.add_argument("--annotator", default=default_annotator(), help="who is recorded as moving the annotations")
    parser.add_argument("--encoding", help="the corrected article's encoding (default: detected)")
    parser.add_argument("--dry-run", action="store_true", help="say what would happen and write nothing")


def run(args: argparse.Namespace) -> int:
    from ..article import load
    from ..cli import fail

    if not Path(args.db).is_file():
        return fail(f"{args.db}: no such database file")
    try:
        new = load(args.new_path, encoding=args.encoding)
    except ArticleError as exc:
        return fail(str(exc))
    try:
        with open_db(args.db) as store:
            matches = [a for a in store.articles() if a.id.startswith(args.old_id)] if args.old_id else []
            if len(matches) != 1:
                found = "no article" if not matches else f"{len(matches)} articles"
                return fail(f"{args.db}: {found} with an id starting {args.old_id!r}")
            [old] = matches
            if old.id == new.id:
                print(f"{sanitise_line(args.new_path)} is the same text as {old.id[:12]}: nothing to carry over")
                return 0
            annotations = store.annotations(old.id)
            placements = reanchor(annotations, old.text, new.text, new_article_id=new.id, annotator=args.annotator)
            if not args.dry_run:
                store.apply(CarryOver(old.id, placements).ops(new))
    except Conflict as exc:
        return fail(f"{args.db}: {exc}; nothing was written: run it again")
    except DatabaseError as exc:
        return fail(str(exc))
    counts = summary(placements)
    verb = "would carry" if args.dry_run else "carried"
    print(f"{verb} {len(placements) - counts['orphaned']} of {len(placements)} annotation(s) from {old.id[:12]} "
          f"to {new.id[:12]}: " + ", ".join(f"{n} {state}" for state, n in counts.items()))
    orphans = [p.old for p in placements if p.state is Anchoring.ORPHANED]
    if orphans:
        print(f"{len(orphans)} orphaned (kept on {old.id[:12]}, not deleted):")
        for ann in orphans:
            print(f"  {ann.label} {ann.start}-{ann.end}: {sanitise_line(ann.text)[:70]}")
    return 0
