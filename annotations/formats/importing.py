"""``annotty import``: pre-annotated data into a database, every span checked against its article.

Each format module that can be read has ``read(path) -> Iterator[Incoming]``. This
module finds each article (its text from the file, the database, or the source file
it names), anchors every span and writes what anchors:

- a span whose offsets hold its text is kept as it is;
- otherwise it is re-anchored on an occurrence of its exact text, the one whose
  prefix and suffix agree most with the file's context, nearest the given offsets
  (the rule corrected articles use, ``team/reanchor.py``);
- a span that cannot be anchored (its text is nowhere in the article, a short text
  whose context does not agree, or no text and offsets outside it) is listed, never guessed.
An annotation already in the database (the same id, or the same article, label,
offsets and annotator) is not added again, so importing a file twice adds nothing.
The origin of an annotation from another tool records the import (``import:FORMAT``);
one exported by annotty keeps its origin, and every imported annotation notes the
file in ``attrs["imported"]``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..article import Article, ArticleError, load, sanitise_line
from ..model import Annotation, new_id, now, quote_selector
from ..store import Op, Store
from ..team.reanchor import find_occurrence


@dataclass
class IncomingSpan:
    label: str
    start: int
    end: int
    text: str | None = None  # the text the file says the span covers, if it says
    prefix: str = ""
    suffix: str = ""
    attrs: dict = field(default_factory=dict)
    annotator: str = ""
    id: str | None = None
    origin: str | None = None
    created: str = ""
    modified: str = ""


@dataclass
class Incoming:
    """One article's worth of a file: its text (or where to find it) and its spans."""

    spans: list[IncomingSpan]
    text: str | None = None
    source: str = ""
    title: str | None = None
    article_id: str | None = None


@dataclass
class ImportReport:
    added: int = 0
    already_there: int = 0
    reanchored: int = 0
    articles_added: int = 0
    unanchored: list[str] = field(default_factory=list)  # one line each: where, label, text


class ImportFailed(Exception):
    """A file that cannot be imported; the message is one line."""


def anchor(text: str, span: IncomingSpan) -> tuple[int, int] | None:
    """Where *span* belongs in *text*, or None when it cannot be placed without guessing.

    The offsets win when they hold the span's text; otherwise the occurrence of the text
    is chosen the way corrected articles re-anchor (team/reanchor.py): context first,
    then nearness to the offsets given. A span is never placed on a text that differs.
    """
    inside = 0 <= span.start < span.end <= len(text)
    if span.text is None:
        return (span.start, span.end) if inside else None
    if inside and text[span.start:span.end] == span.text:
        return span.start, span.end
    at = find_occurrence(text, span.text, span.prefix or None, span.suffix or None, span.start)
    return None if at is None else (at, at + len(span.text))


def source_path(source: str, base: Path) -> Path:
    """The file a source names, for every format. Exports write absolute paths (records.source_file);
    a relative one (an older export, a file written by hand) is looked for beside the imported file,
    then in the working directory, where annotty ran when the database recorded it."""
    path = Path(source)
    if path.is_absolute():
        return path
    beside = base / path
    return beside if beside.exists() or not path.exists() else path  # not found: the error names it beside


def find_article(store: Store, incoming: Incoming, base: Path, encoding: str | None = None) -> Article:
    if incoming.text is not None:
        article = Article.from_text(incoming.text, incoming.source or "<import>", incoming.title)
        if incoming.article_id and incoming.article_id != article.id and store.article(incoming.article_id):
            return store.article(incoming.article_id)
        return store.article(article.id) or article
    if incoming.article_id:
        known = store.article(incoming.article_id)
        if known is not None:
            return known
    if incoming.source:
        path = source_path(incoming.source, base)
        try:
            return load(path, encoding=encoding)
        except ArticleError as exc:
            raise ImportFailed(f"the text of {sanitise_line(incoming.source)} is not in the database "
                               f"and cannot be read: {exc}") from None
    raise ImportFailed("an entry names no article (no text, no article id, no source)")


def import_records(
    store: Store, records: Iterable[Incoming], *, fmt: str, file: str, annotator: str, base: Path,
) -> ImportReport:
    report = ImportReport()
    known_ids = {a.id for a in store.annotations()} | {t.id for t in store.tombstones()}  # a deleted id stays taken
    known_keys = {(a.article_id, a.label, a.start, a.end, a.annotator) for a in store.annotations()}
    stamp = now()
    for incoming in records:
        article = find_article(store, incoming, base)
        ops: list[Op] = []
        if store.article(article.id) is None:
            ops.append(Op.put_article(article))
            report.articles_added += 1
        for span in incoming.spans:
            where = anchor(article.text, span)
            if where is None:
                shown = sanitise_line(span.text if span.text is not None else f"{span.start}..{span.end}")
                report.unanchored.append(f"{sanitise_line(article.source)}: {sanitise_line(span.label)} {shown[:60]!r}")
                continue
            start, end = where
            report.reanchored += (start, end) != (span.start, span.end)
            who = sanitise_line(span.annotator) or annotator
            key = (article.id, span.label, start, end, who)
            if (span.id and span.id in known_ids) or key in known_keys:
                report.already_there += 1
                continue
            attrs = {k: v for k, v in span.attrs.items() if v not in (None, "")}
            attrs["imported"] = {"format": fmt, "file": os.path.basename(file)}
            ann = Annotation(
                id=span.id or new_id(), article_id=article.id, source=article.source,
                label=sanitise_line(span.label), start=start, end=end, **quote_selector(article.text, start, end),
                attrs=attrs, origin=span.origin or f"import:{fmt}", annotator=who,
                created=span.created or stamp, modified=span.modified or span.created or stamp, rev=1,
            )
            ops.append(Op.put(ann))
            known_ids.add(ann.id)
            known_keys.add(key)
            report.added += 1
        if ops:
            store.apply(ops)
    return report

