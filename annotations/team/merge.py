"""Merging annotation databases written on different machines.

The result depends only on the set of document versions given, never on the
order of the files, and merging a result again with any of its inputs changes
nothing (idempotent). The rules, per annotation id:

- the highest revision wins;
- a deletion (a tombstone) is final: it wins over every version it could have
  seen (a lower revision); a live version of the same or a higher revision was
  an edit the deleter never saw, so it is kept as a conflict copy;
- two different versions of the same revision are a true conflict: one wins by
  a fixed order of their content, and the other is kept under the id plus a
  suffix made from its content, with ``attrs["conflict_of"]`` naming the id.

Articles are unions by id (the id is the sha256 of the text); rejections are
unions by what they reject; cursors and other keyed documents keep one version
per key, the same one whichever file it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterable

import orjson

from ..store import ANNOTATIONS, KEY_FIELDS, META

Tables = dict[str, list[dict]]


@dataclass(frozen=True)
class TrueConflict:
    """Two versions of one annotation that neither saw: both are kept."""

    ann_id: str
    winner_rev: int
    kept_as: str  # the id the losing version is kept under


@dataclass
class Merged:
    tables: Tables
    conflicts: list[TrueConflict] = field(default_factory=list)


def canonical(doc: dict) -> bytes:
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


def is_tombstone(doc: dict) -> bool:
    return doc.get("deleted") is True


def merge(inputs: Iterable[Tables]) -> Merged:
    """One set of tables holding everything *inputs* hold, by the rules above."""
    versions: dict[str, dict[bytes, dict]] = {}
    for tables in inputs:
        for table, docs in tables.items():
            bucket = versions.setdefault(table, {})
            for doc in docs:
                bucket.setdefault(canonical(doc), doc)
    merged = Merged(tables={})
    for table in sorted(versions):
        docs = [versions[table][key] for key in sorted(versions[table])]
        if table == ANNOTATIONS:
            merged.tables[table] = _annotations(docs, merged.conflicts)
        else:
            merged.tables[table] = _keyed(table, docs)
    return merged


def _keyed(table: str, docs: list[dict]) -> list[dict]:
    """One document per key; the same one whatever the order (the last in content order)."""
    fields = KEY_FIELDS.get(table)
    if fields is None:
        return docs  # a table this version does not know: every distinct document kept
    chosen: dict[tuple, dict] = {}
    for doc in docs:  # already in content order
        key = tuple(orjson.dumps(doc.get(name)) for name in fields)
        if table == META and doc.get("name") == "schema_version" and key in chosen:
            if _int(doc.get("value")) < _int(chosen[key].get("value")):
                continue
        chosen[key] = doc
    return list(chosen.values())


def _int(value: object) -> int:
    return value if isinstance(value, int) else -1


def _rev(doc: dict) -> int:
    rev = doc.get("rev")
    return rev if isinstance(rev, int) and not isinstance(rev, bool) else 0


def _annotations(docs: list[dict], conflicts: list[TrueConflict]) -> list[dict]:
    by_id: dict[str, list[dict]] = {}
    for doc in docs:
        by_id.setdefault(str(doc.get("id")), []).append(doc)
    out: list[dict] = []
    copies: dict[str, dict] = {}
    for ann_id in sorted(by_id):
        group = by_id[ann_id]
        tombstones = [d for d in group if is_tombstone(d)]
        if tombstones:
            winner = max(tombstones, key=lambda d: (_rev(d), canonical(d)))
            unseen = [d for d in group if not is_tombstone(d) and _rev(d) >= _rev(winner)]
        else:
            winner = max(group, key=lambda d: (_rev(d), canonical(d)))
            unseen = [d for d in group if d is not winner and _rev(d) == _rev(winner)]
        out.append(winner)
        for loser in unseen:
            copy = _conflict_copy(ann_id, loser)
            copies.setdefault(copy["id"], copy)
            conflicts.append(TrueConflict(ann_id, _rev(winner), copy["id"]))
    # A copy made by an earlier merge is already among the inputs: keep one of each.
    present = {doc.get("id") for doc in out}
    out.extend(copy for copy_id, copy in sorted(copies.items()) if copy_id not in present)
    return out


def _conflict_copy(ann_id: str, doc: dict) -> dict:
    digest = hashlib.sha256(canonical(doc)).hexdigest()[:10]
    attrs = dict(doc.get("attrs") or {}) if isinstance(doc.get("attrs"), dict) else {}
    attrs["conflict_of"] = ann_id
    return {**doc, "id": f"{ann_id}~{digest}", "attrs": attrs}


# -- files ----------------------------------------------------------------------


def read_tables(path: str) -> tuple[Tables, int]:
    """The valid documents of the database at *path*, and how many invalid ones were left out."""
    from ..store import DatabaseError, find_problems, open_regular, parse

    try:
        fd = open_regular(path)
    except FileNotFoundError:
        raise DatabaseError(f"{path}: no such database file") from None
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot read it ({exc.strerror})") from None
    with open(fd, "rb") as handle:
        data = parse(handle.read(), path) or {}
    skipped = {(p.table, p.doc_id) for p in find_problems(data)}
    tables = {
        table: [doc for doc_id, doc in docs.items() if (table, doc_id) not in skipped]
        for table, docs in data.items()
    }
    return tables, len(skipped)


def write_tables(path: str, tables: Tables) -> None:
    """Write *tables* as a new database file (atomically); refuses to replace an existing file."""
    import os

    from ..store import DatabaseError, write_atomically

    if os.path.lexists(path):
        raise DatabaseError(f"{path} already exists; merging never overwrites a file: choose another -o")
    layout = {table: {str(n): doc for n, doc in enumerate(docs, start=1)} for table, docs in tables.items()}
    write_atomically(path, orjson.dumps(layout))
