"""What changed in the database file between two looks at it, told cheaply.

The store keeps a small fingerprint of each table (:func:`fingerprint`): per
annotation its rev, whether it is a tombstone and its article; the cursors, the
rejections and the article ids as they are. Comparing two fingerprints
(:func:`compare`) names the annotations added, changed and deleted per article,
and whether the other tables changed, without reading any document through the
schema. Nothing here touches a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ANNOTATIONS = "annotations"
ARTICLES = "articles"
CURSORS = "cursors"
REJECTIONS = "rejections"

#: One annotation's fingerprint: (rev, deleted, article id, modified).
Mark = tuple[Any, bool, Any, Any]


@dataclass(frozen=True)
class ExternalChange:
    """What another process changed in the file since the last :meth:`Store.poll` (own writes left out).

    Each mapping is article id -> the ids of annotations added (new, or a deleted one restored),
    changed (a new revision) or deleted (now a tombstone, or gone) on that article.
    """

    added: dict[str, frozenset[str]] = field(default_factory=dict)
    changed: dict[str, frozenset[str]] = field(default_factory=dict)
    deleted: dict[str, frozenset[str]] = field(default_factory=dict)
    rejections: bool = False
    cursors: bool = False
    articles: bool = False

    @property
    def article_ids(self) -> frozenset[str]:
        """The articles whose annotations changed."""
        return frozenset(self.added) | frozenset(self.changed) | frozenset(self.deleted)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.deleted or self.rejections or self.cursors or self.articles)


@dataclass
class Fingerprint:
    annotations: dict[str, Mark]
    cursors: dict[tuple, Any]
    rejections: set[tuple]
    articles: set[Any]

    def copy(self) -> "Fingerprint":
        return Fingerprint(dict(self.annotations), dict(self.cursors), set(self.rejections), set(self.articles))


def mark(doc: dict) -> Mark:
    return (doc.get("rev", 1), doc.get("deleted") is True, doc.get("article_id"), doc.get("modified"))


def _hashable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def cursor_key(doc: dict) -> tuple:
    return (_hashable(doc.get("article_id")), _hashable(doc.get("annotator")))


def rejection_key(doc: dict) -> tuple:
    return tuple(_hashable(doc.get(f)) for f in ("article_id", "annotator", "label", "start", "end"))


def fingerprint(tables: dict[str, dict[str, dict]] | None) -> Fingerprint:
    tables = tables or {}
    annotations: dict[str, Mark] = {}
    for doc in tables.get(ANNOTATIONS, {}).values():
        ident = doc.get("id")
        if isinstance(ident, str):
            annotations[ident] = mark(doc)
    return Fingerprint(
        annotations,
        {cursor_key(doc): _hashable(doc.get("offset")) for doc in tables.get(CURSORS, {}).values()},
        {rejection_key(doc) for doc in tables.get(REJECTIONS, {}).values()},
        {_hashable(doc.get("id")) for doc in tables.get(ARTICLES, {}).values()},
    )


def compare(old: Fingerprint, new: Fingerprint) -> ExternalChange | None:
    """What turned *old* into *new*; ``None`` when nothing did."""
    added: dict[str, set[str]] = {}
    changed: dict[str, set[str]] = {}
    deleted: dict[str, set[str]] = {}
    gone = (None, True, None, None)  # an absent annotation compares as a tombstone
    for ident in old.annotations.keys() | new.annotations.keys():
        before, after = old.annotations.get(ident, gone), new.annotations.get(ident, gone)
        if before == after:
            continue
        was_live, is_live = not before[1], not after[1]
        if is_live and not was_live:
            added.setdefault(str(after[2]), set()).add(ident)
        elif was_live and not is_live:
            deleted.setdefault(str(before[2]), set()).add(ident)
        elif is_live:
            changed.setdefault(str(after[2]), set()).add(ident)
            if before[2] != after[2]:
                deleted.setdefault(str(before[2]), set()).add(ident)
    change = ExternalChange(
        {k: frozenset(v) for k, v in added.items()},
        {k: frozenset(v) for k, v in changed.items()},
        {k: frozenset(v) for k, v in deleted.items()},
        rejections=old.rejections != new.rejections,
        cursors=old.cursors != new.cursors,
        articles=old.articles != new.articles,
    )
    return change or None
