"""Undo and redo as commands, and the in-memory set of annotations the UI reads.

Every change the user makes is a command (:class:`Create`, :class:`Edit`,
:class:`Delete`, :class:`Reject`, :class:`Unreject`, or a :class:`Batch` of them that is one undo step).
:class:`History` applies it at once to the annotations (an :class:`AnnotationSet`)
and the rejected suggestions (:class:`Rejections`) held in memory, so the screen
updates without touching the disk, and hands the matching
:class:`~annotations.store.Op` to a sink (the save queue's ``submit``).
One history serves the whole run, across articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from .model import Annotation, now
from .store import Op


def _excerpt(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@dataclass(frozen=True)
class Create:
    ann: Annotation

    @property
    def article_id(self) -> str:
        return self.ann.article_id

    @property
    def start(self) -> int:
        return self.ann.start

    @property
    def summary(self) -> str:
        verb = "tag" if self.ann.origin == "manual" else "accept"
        return f"{verb} of {self.ann.label} {_excerpt(self.ann.text)}"


@dataclass(frozen=True)
class Edit:
    before: Annotation
    after: Annotation

    @property
    def article_id(self) -> str:
        return self.after.article_id

    @property
    def start(self) -> int:
        return self.after.start

    @property
    def summary(self) -> str:
        return f"edit of {self.after.label} {_excerpt(self.after.text)}"


@dataclass(frozen=True)
class Delete:
    ann: Annotation

    @property
    def article_id(self) -> str:
        return self.ann.article_id

    @property
    def start(self) -> int:
        return self.ann.start

    @property
    def summary(self) -> str:
        return f"delete of {self.ann.label} {_excerpt(self.ann.text)}"


@dataclass(frozen=True)
class _SuggestionChoice:
    """One annotator's suggestion (label, start, end) of an article: what Reject and Unreject act on."""

    article_id: str
    annotator: str
    label: str
    start: int
    end: int
    text: str = ""  # the suggested text, for messages only

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.label, self.start, self.end)


@dataclass(frozen=True)
class Reject(_SuggestionChoice):
    """One annotator's rejection of the suggestion (label, start, end) of an article."""

    @property
    def summary(self) -> str:
        return f"reject of suggested {self.label} {_excerpt(self.text)}".rstrip()


@dataclass(frozen=True)
class Unreject(_SuggestionChoice):
    """Taking back one annotator's rejection of a suggestion: it is offered again."""

    @property
    def summary(self) -> str:
        return f"un-reject of suggested {self.label} {_excerpt(self.text)}".rstrip()


@dataclass(frozen=True)
class Batch:
    """Several commands that are done, undone and redone as one step (accept all)."""

    commands: tuple[Command, ...]
    summary: str

    def __post_init__(self) -> None:
        if not self.commands:
            raise ValueError("a batch needs at least one command")

    @property
    def article_id(self) -> str:
        return self.commands[0].article_id

    @property
    def start(self) -> int:
        return min(cmd.start for cmd in self.commands)


Command = Create | Edit | Delete | Reject | Unreject | Batch


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


class Rejections:
    """The suggestions this run's annotator rejected, as (label, start, end) per article."""

    def __init__(self) -> None:
        self._by_article: dict[str, set[tuple[str, int, int]]] = {}

    def for_article(self, article_id: str) -> frozenset[tuple[str, int, int]]:
        return frozenset(self._by_article.get(article_id, ()))

    def load(self, article_id: str, keys: Iterable[tuple[str, int, int]]) -> None:
        """Add what the store holds for *article_id* to what is held in memory."""
        self._by_article.setdefault(article_id, set()).update(keys)

    def add(self, article_id: str, key: tuple[str, int, int]) -> None:
        self._by_article.setdefault(article_id, set()).add(key)

    def discard(self, article_id: str, key: tuple[str, int, int]) -> None:
        self._by_article.get(article_id, set()).discard(key)


def _ids_of(cmd: Command) -> set[str]:
    """The annotations *cmd* writes."""
    match cmd:
        case Create(ann) | Delete(ann):
            return {ann.id}
        case Edit(_, after):
            return {after.id}
        case Batch(commands):
            return set().union(*(_ids_of(each) for each in commands))
    return set()


#: A base no stored revision has: a write based on it is refused as a conflict.
_NONE_OF_MINE = -1


class History:
    """Unlimited undo/redo over one :class:`AnnotationSet`, sending each resulting change to *sink*."""

    def __init__(self, sink: Callable[[Op], object], annotations: AnnotationSet | None = None,
                 annotator: str = "") -> None:
        self._sink = sink
        self._annotator = annotator  # who deletes, for the tombstones
        self.annotations = annotations if annotations is not None else AnnotationSet()
        self.rejections = Rejections()
        self._undo: list[Command] = []
        self._redo: list[Command] = []
        self._revs: dict[str, int] = {}  # the highest rev each annotation (or its tombstone) was written with
        # The rev this history wrote each annotation (or its tombstone) with last: what its undo and
        # redo steps are based on. Not what memory holds: a colleague's revision taken in since is
        # newer, so the store refuses the step as a conflict instead of writing over theirs.
        self._wrote: dict[str, int] = {}
        self._wrote_by: dict[str, Command] = {}  # the step whose doing or undoing wrote each annotation last
        self._doing: Command | None = None  # the step being done or undone

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def apply(self, cmd: Command) -> None:
        """Do *cmd*; it becomes the newest undo step and the redo steps are dropped."""
        self._doing = cmd
        self._do(cmd, first=True)
        self._undo.append(cmd)
        self._redo.clear()

    def undo(self) -> Command | None:
        """Reverse the newest step; returns it, or ``None`` when there is nothing to undo."""
        if not self._undo:
            return None
        cmd = self._doing = self._undo.pop()
        self._reverse(cmd)
        self._redo.append(cmd)
        return cmd

    def redo(self) -> Command | None:
        """Do again the newest undone step; returns it, or ``None`` when there is nothing to redo."""
        if not self._redo:
            return None
        cmd = self._doing = self._redo.pop()
        self._do(cmd)
        self._undo.append(cmd)
        return cmd

    def _do(self, cmd: Command, first: bool = False) -> None:
        match cmd:
            case Create(ann):
                self._put(ann, base=None if first else self._wrote.get(ann.id))
            case Edit(before, after):
                # Done the first time, an edit is based on the revision the user was shown when they
                # began it (*before*): if the file moved on meanwhile, even into memory, it is a conflict.
                self._put(after, base=before.rev if first else self._wrote.get(after.id))
            case Delete(ann):
                self._delete(ann.id, base=None if first else self._wrote.get(ann.id))
            case Reject():
                self._reject(cmd)
            case Unreject():
                self._unreject(cmd)
            case Batch(commands):
                for each in commands:
                    self._do(each, first)

    def _reverse(self, cmd: Command) -> None:
        match cmd:
            case Create(ann):
                self._delete(ann.id, base=self._wrote.get(ann.id))
            case Edit(before, _):
                self._put(before, base=self._wrote.get(before.id))
            case Delete(ann):
                self._put(ann, base=self._wrote.get(ann.id))
            case Reject():
                self._unreject(cmd)
            case Unreject():
                self._reject(cmd)
            case Batch(commands):
                for each in reversed(commands):
                    self._reverse(each)

    def _reject(self, cmd: Reject | Unreject) -> None:
        self.rejections.add(cmd.article_id, cmd.key)
        self._sink(Op.rejection(cmd.article_id, cmd.annotator, *cmd.key))

    def _unreject(self, cmd: Reject | Unreject) -> None:
        self.rejections.discard(cmd.article_id, cmd.key)
        self._sink(Op.delete_rejection(cmd.article_id, cmd.annotator, *cmd.key))

    def _put(self, ann: Annotation, base: int | None = None) -> None:
        # Every write of an annotation carries a higher rev than the one before it, even when
        # undo or redo brings back older content, so a reader of the file can tell the newest.
        # Each write is based on *base*, else on the rev last held: the one in memory, or this run's tombstone.
        held = self.annotations.get(ann.id)
        last = self._revs.get(ann.id)
        floor = max(held.rev if held is not None else 0, last or 0)
        if base is None:
            base = held.rev if held is not None else last
        if ann.rev <= floor:
            ann = replace(ann, rev=floor + 1, modified=now())
        self._revs[ann.id] = self._wrote[ann.id] = ann.rev
        self._record_step(ann.id)
        self.annotations.put(ann)
        restoring = held is None and last is not None
        self._sink(Op.restore(ann, base_rev=base) if restoring else Op.put(ann, base_rev=base))

    def _record_step(self, ann_id: str) -> None:
        if self._doing is not None:
            self._wrote_by[ann_id] = self._doing

    def _delete(self, ann_id: str, base: int | None = None) -> None:
        held = self.annotations.remove(ann_id)
        if base is None:
            base = held.rev if held is not None else self._revs.get(ann_id)
        self._wrote[ann_id] = (base or 0) + 1  # the tombstone's rev
        self._revs[ann_id] = max(self._revs.get(ann_id, 0), self._wrote[ann_id])
        self._record_step(ann_id)
        self._sink(Op.delete(ann_id, base_rev=base, by=self._annotator,
                             article_id=held.article_id if held is not None else None))

    # ---- what other processes saved -------------------------------------------------------

    def adopt(self, ann_id: str, theirs: Annotation | None, rev: int) -> None:
        """Take what another process saved as the newest state of *ann_id* (``None``: deleted, its
        tombstone at *rev*), so the next change here is based on it. Not an undo step."""
        if theirs is None:
            self.annotations.remove(ann_id)
        else:
            self.annotations.put(theirs)
        self._revs[ann_id] = max(self._revs.get(ann_id, 0), rev)

    def drop(self, ann_id: str) -> Command | None:
        """Settle a refused write of *ann_id* as "keep theirs": the step that wrote it leaves the undo
        and redo steps (undoing or redoing it would write over theirs) and is returned. No write of
        this history stands in the file for it now, so an older step's undo or redo of it is a conflict."""
        self._wrote[ann_id] = _NONE_OF_MINE
        step = self._wrote_by.pop(ann_id, None)
        for steps in (self._undo, self._redo):
            for i, each in enumerate(steps):
                if each is step:
                    return self._take_out(steps, i, ann_id)
        return None

    def _take_out(self, steps: list[Command], i: int, ann_id: str) -> Command:
        """Take what wrote *ann_id* out of ``steps[i]``, and return it: the whole step, or from a batch
        (accept all) only its command of *ann_id*, so undo and redo still do the rest of the batch."""
        step = steps[i]
        if not isinstance(step, Batch):
            del steps[i]
            return step
        mine = tuple(each for each in step.commands if ann_id in _ids_of(each))
        rest = tuple(each for each in step.commands if ann_id not in _ids_of(each))
        if not rest:
            del steps[i]
            return step
        # What is left says how many it does now ("accept of 2 suggestions"); one alone is that one.
        steps[i] = smaller = rest[0] if len(rest) == 1 else Batch(rest, re.sub(r"\d+", str(len(rest)), step.summary, 1))
        for each, by in self._wrote_by.items():
            if by is step:
                self._wrote_by[each] = smaller
        return mine[0] if len(mine) == 1 else Batch(mine, step.summary)

    def retract(self, ann_id: str) -> None:
        """Take back *ann_id*, made here while the file, unread, already held the same tag: its tombstone
        is written and the step that made it leaves the undo and redo steps. Not an undo step."""
        self.drop(ann_id)
        self._doing = None
        self._delete(ann_id)

    def write_over(self, ann_id: str, mine: Annotation | None) -> None:
        """Write *mine* (``None``: the delete) over what :meth:`adopt` took in: a conflict settled as
        "mine on top". Not an undo step: the step that made *mine* is already in the history."""
        self._doing = None  # not a step of its own
        if mine is not None:
            self._put(mine)
        elif ann_id in self.annotations:
            self._delete(ann_id)
