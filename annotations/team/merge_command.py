"""``annotty merge A.json B.json ... -o OUT.json``: one database from several written apart."""

from __future__ import annotations

import argparse

from ..article import sanitise_line
from ..store import ANNOTATIONS, DatabaseError, open_db
from .merge import is_tombstone, merge, read_tables, write_tables


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="DB", help="the databases to merge (none is changed)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="the new database to write")


def run(args: argparse.Namespace) -> int:
    from ..cli import fail

    try:
        read = [read_tables(path) for path in args.inputs]
        merged = merge(tables for tables, _ in read)
        write_tables(args.output, merged.tables)
        with open_db(args.output) as check:  # the result must open as any database does
            live = len(check.annotations())
    except DatabaseError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"{args.output}: cannot write it ({exc.strerror})")
    deleted = sum(1 for doc in merged.tables.get(ANNOTATIONS, []) if is_tombstone(doc))
    print(f"wrote {sanitise_line(args.output)}: {live} annotation(s), {deleted} deletion(s) kept, "
          f"{len(merged.conflicts)} true conflict(s), from {len(args.inputs)} file(s)")
    skipped = sum(n for _, n in read)
    if skipped:
        print(f"{skipped} invalid document(s) in the inputs were left out (see 'annotty recover')")
    for conflict in merged.conflicts:
        print(f"  conflict on {sanitise_line(conflict.ann_id)} (rev {conflict.winner_rev}): "
              f"the other version is kept as {sanitise_line(conflict.kept_as)}")
    return 0
