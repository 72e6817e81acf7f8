"""``annotty recover PATH``: salvage a damaged database into ``PATH.recovered.json``.

The damaged file is only read. Each document that still parses is kept: the
typical damage is a file cut short, which loses at most the document it was cut
in. Temporary files left by an interrupted write are used too when they are
newer than the database and parse completely.
"""

from __future__ import annotations

import json
import os
import re
import sys

import orjson

from .model import Annotation
from .store import (
    ANNOTATIONS, KEY_FIELDS, META, SCHEMA_VERSION, DatabaseError, check_layout, temp_paths, write_atomically,
)

_TABLE_START = re.compile(r'"(' + "|".join(KEY_FIELDS) + r')"\s*:\s*\{')
_DOC_START = re.compile(r'"(\d+)"\s*:\s*\{')
_DECODER = json.JSONDecoder()


def salvage(raw: bytes) -> tuple[dict[str, list[dict]], int]:
    """The documents that still parse in *raw*, per table, and how many annotation documents did not."""
    text = raw.decode("utf-8", errors="replace")
    found: dict[str, list[dict]] = {}
    lost = 0
    table: str | None = None
    pos = 0
    table_match = _TABLE_START.search(text)
    while True:
        if table_match is not None and table_match.start() < pos:
            table_match = _TABLE_START.search(text, pos)  # the old one was inside a decoded document
        doc_match = _DOC_START.search(text, pos)
        if table_match and (doc_match is None or table_match.start() < doc_match.start()):
            table, pos = table_match.group(1), table_match.end()
            continue
        if doc_match is None:
            return found, lost
        try:
            doc, end = _DECODER.raw_decode(text, doc_match.end() - 1)
        except json.JSONDecodeError:
            lost += table == ANNOTATIONS
            pos = doc_match.end()
            continue
        if table is not None and _usable(table, doc):
            found.setdefault(table, []).append(doc)
        else:
            lost += table == ANNOTATIONS
        pos = end


def _usable(table: str, doc: object) -> bool:
    """Whether *doc* is a whole document of *table* (a cut can leave a smaller object that still parses)."""
    if not isinstance(doc, dict) or any(f not in doc for f in KEY_FIELDS[table]):
        return False
    if table != ANNOTATIONS:
        return True
    try:
        Annotation.from_doc(doc)
    except TypeError:
        return False
    return True


def _merge(sources: list[dict[str, list[dict]]]) -> dict[str, dict[str, dict]]:
    """One database from several salvaged sources, later sources winning; for annotations the highest rev wins."""
    merged: dict[str, dict[tuple, dict]] = {}
    for source in sources:
        for table, docs in source.items():
            kept = merged.setdefault(table, {})
            for doc in docs:
                key = tuple(doc.get(f) for f in KEY_FIELDS[table])
                old = kept.get(key)
                if table == ANNOTATIONS and old is not None and old.get("rev", 0) > doc.get("rev", 0):
                    continue
                kept[key] = doc
    merged[META] = {("schema_version",): {"name": "schema_version", "value": SCHEMA_VERSION}}
    return {
        table: {str(n): doc for n, doc in enumerate(docs.values(), start=1)}
        for table, docs in merged.items()
    }


def recover(path: str) -> tuple[str, int, int]:
    """Write ``PATH.recovered.json``; returns (that path, annotations kept, annotations lost)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        mtime = os.stat(path).st_mtime_ns
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot read ({exc.strerror})") from None
    sources, lost = [], 0
    try:
        data = orjson.loads(raw)
        check_layout(data, path)
        sources.append({table: list(docs.values()) for table, docs in data.items() if table in KEY_FIELDS})
    except (orjson.JSONDecodeError, DatabaseError):
        salvaged, lost = salvage(raw)
        sources.append(salvaged)
    for leftover in sorted(temp_paths(path), key=os.path.getmtime):
        try:
            if os.stat(leftover).st_mtime_ns < mtime:
                continue
            with open(leftover, "rb") as handle:
                data = orjson.loads(handle.read())
            check_layout(data, leftover)
        except (OSError, orjson.JSONDecodeError, DatabaseError):
            continue  # a leftover cut short is no better than the salvage
        sources.append({table: list(docs.values()) for table, docs in data.items() if table in KEY_FIELDS})
        lost = 0  # a complete newer copy holds everything the damaged file had
    database = _merge(sources)
    out = path + ".recovered.json"
    write_atomically(out, orjson.dumps(database))
    return out, len(database.get(ANNOTATIONS, {})), lost


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: annotty recover PATH", file=sys.stderr)
        return 2
    try:
        out, kept, lost = recover(args[0])
    except DatabaseError as exc:
        print(f"annotty: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}: {kept} annotations kept, {lost} lost; check it, then move it over {args[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
