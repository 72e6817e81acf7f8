"""What every export format reads: the articles of a database with their annotations, filtered.

Articles stream one at a time in the order they were added; only the annotation
documents (small) are grouped up front, never the article texts, so memory follows
the largest article rather than the corpus.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..article import Article
from .. import speakers as names
from ..model import NOT_ENTITY, Annotation
from ..store import Store


@dataclass(frozen=True)
class Filters:
    """Which annotations an export keeps; an empty set keeps everything."""

    annotators: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    #: Article sources (file paths) to keep, compared as absolute paths and as given.
    sources: frozenset[str] = frozenset()

    def keeps(self, ann: Annotation) -> bool:
        if self.annotators and ann.annotator not in self.annotators:
            return False
        if self.labels and ann.label not in self.labels:
            return False
        if self.statuses and ann.status not in self.statuses:
            return False
        return True

    def keeps_article(self, article: Article) -> bool:
        if not self.sources:
            return True
        return article.source in self.sources or os.path.abspath(article.source) in self.sources


@dataclass(frozen=True)
class ExportDoc:
    """One article and the annotations an export writes for it, sorted by (start, end, label)."""

    article: Article
    annotations: list[Annotation] = field(default_factory=list)

    @property
    def annotators(self) -> list[str]:
        return sorted({a.annotator for a in self.annotations if a.annotator})

    @property
    def spans(self) -> list[Annotation]:
        """Annotations that are spans of the article (not "the model's entity here is wrong")."""
        return [a for a in self.annotations if a.label != NOT_ENTITY]


def export_docs(store: Store, filters: Filters = Filters()) -> Iterator[ExportDoc]:
    """Every article of *store* that *filters* keeps, with its kept annotations."""
    by_article: dict[str, list[Annotation]] = {}
    for ann in store.annotations():
        if filters.keeps(ann):
            by_article.setdefault(ann.article_id, []).append(ann)
    for article in store.articles():
        if not filters.keeps_article(article):
            continue
        found = by_article.get(article.id, [])
        yield ExportDoc(article, sorted(found, key=lambda a: (a.start, a.end, a.label, a.id)))


#: Sources that name no file: the article came from a pipe.
NO_FILE = ("", "-", "<stdin>")


def source_file(article: Article) -> str:
    """Where an import finds the article's text again: its file as an absolute path. The database keeps
    the path as it was given, relative to the folder annotty ran in, which an export written to
    another folder, or imported from another one, would not find."""
    return article.source if article.source in NO_FILE else os.path.abspath(article.source)


def speaker_of(ann: Annotation) -> dict | None:
    """The speaker a quote is linked to, as stored: ``{text, start?, end?, name?}``."""
    speaker = ann.attrs.get("speaker")
    return speaker if isinstance(speaker, dict) and speaker.get("text") else None


def speaker_name(ann: Annotation) -> str:
    """The name of the speaker: the resolved name where the suggester found one, never a bare pronoun
    when a name is known; the linked text otherwise."""
    return names.speaker_name(speaker_of(ann)) or ""


def speaker_span(ann: Annotation) -> tuple[int, int] | None:
    """Offsets of the speaker's mention in the article, when it was linked to text."""
    speaker = speaker_of(ann)
    if speaker is None or not isinstance(speaker.get("start"), int) or not isinstance(speaker.get("end"), int):
        return None
    return speaker["start"], speaker["end"]
