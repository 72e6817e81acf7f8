"""Undo and redo as commands, and the in-memory set of annotations the UI reads.

Every change the user makes is a command (:class:`Create`, :class:`Edit`,
:class:`Delete`). :class:`History` applies it to an :class:`AnnotationSet` at once,
so the screen updates without touching the disk, and hands the matching
:class:`~annotations.store.Op` to a sink (the save queue's ``submit``).
One history serves the whole run, across articles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from .model import Annotation, now
from .store import Op


@dataclass(frozen=True)
class Create:
    ann: Annotation


@dataclass(frozen=True)
class Edit:
    before: Annotation
    after: Annotation


@dataclass(frozen=True)
class Delete:
    ann: Annotation


Command = Create | Edit | Delete


class AnnotationSet:
    """The current annotations, grouped by article."""

    def __init__(self, annotations: Iterable[Annotation] = ()) -> None:
        self._by_article: dict[str, dict[str, Annotation]] = {}
        self._article_of: dict[str, str] = {}
        for ann in annotations:
            self.put(ann)

    def put(self, ann: Annotation) -> None:
        old_article = self._article_of.get(ann.id)
        if old_article is not None and old_article != ann.article_id:
            del self._by_article[old_article][ann.id]
        self._by_article.setdefault(ann.article_id, {})[ann.id] = ann
        self._article_of[ann.id] = ann.article_id

    def remove(self, ann_id: str) -> Annotation | None:
        article_id = self._article_of.pop(ann_id, None)
        if article_id is None:
            return None
        return self._by_article[article_id].pop(ann_id)

    def get(self, ann_id: str) -> Annotation | None:
        article_id = self._article_of.get(ann_id)
        return None if article_id is None else self._by_article[article_id][ann_id]

    def for_article(self, article_id: str) -> list[Annotation]:
        """The article's annotations sorted by start, then end."""
        found = self._by_article.get(article_id, {}).values()
        return sorted(found, key=lambda ann: (ann.start, ann.end))

    def load(self, article_id: str, annotations: Iterable[Annotation]) -> None:
        """Replace what is held for *article_id* with *annotations* (e.g. from :meth:`Store.annotations`)."""
        for ann_id in list(self._by_article.get(article_id, {})):
            self.remove(ann_id)
        for ann in annotations:
            self.put(ann)

    def __len__(self) -> int:
        return len(self._article_of)

    def __contains__(self, ann_id: object) -> bool:
        return ann_id in self._article_of


class History:
    """Unlimited undo/redo over one :class:`AnnotationSet`, sending each resulting change to *sink*."""

    def __init__(self, sink: Callable[[Op], object], annotations: AnnotationSet | None = None) -> None:
        self._sink = sink
        self.annotations = annotations if annotations is not None else AnnotationSet()
        self._undo: list[Command] = []
        self._redo: list[Command] = []
        self._revs: dict[str, int] = {}  # the highest rev each annotation was written with

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def apply(self, cmd: Command) -> None:
        """Do *cmd*; it becomes the newest undo step and the redo steps are dropped."""
        self._do(cmd)
        self._undo.append(cmd)
        self._redo.clear()

    def undo(self) -> Command | None:
        """Reverse the newest step; returns it, or ``None`` when there is nothing to undo."""
        if not self._undo:
            return None
        cmd = self._undo.pop()
        match cmd:
            case Create(ann):
                self._delete(ann.id)
            case Edit(before, _):
                self._put(before)
            case Delete(ann):
                self._put(ann)
        self._redo.append(cmd)
        return cmd

    def redo(self) -> Command | None:
        """Do again the newest undone step; returns it, or ``None`` when there is nothing to redo."""
        if not self._redo:
            return None
        cmd = self._redo.pop()
        self._do(cmd)
        self._undo.append(cmd)
        return cmd

    def _do(self, cmd: Command) -> None:
        match cmd:
            case Create(ann):
                self._put(ann)
            case Edit(_, after):
                self._put(after)
            case Delete(ann):
                self._delete(ann.id)

    def _put(self, ann: Annotation) -> None:
        # Every write of an annotation carries a higher rev than the one before it, even when
        # undo or redo brings back older content, so a reader of the file can tell the newest.
        last = self._revs.get(ann.id)
        if last is not None and ann.rev <= last:
            ann = replace(ann, rev=last + 1, modified=now())
        self._revs[ann.id] = ann.rev
        self.annotations.put(ann)
        self._sink(Op.put(ann))

    def _delete(self, ann_id: str) -> None:
        self.annotations.remove(ann_id)
        self._sink(Op.delete(ann_id))
