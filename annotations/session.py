"""One run of annotty, apart from any screen: the corpus (:class:`annotations.corpus.Corpus`), the open
article, its annotations, rejections, cursor and the undo history.

A front end asks the :class:`Session` to act (tag, edit, delete, accept, reject, undo, ...) and
subscribes to what happens. Events are plain dataclasses handed to every subscriber on the
thread that caused them: the caller's for a command, the writer thread's for a save. A
subscriber that draws (the Textual app) passes them on to its own thread.

Changes reach the memory at once, so the screen never waits for the disk, and go to the
file through the save queue (:mod:`annotations.saver`) as the history's ops, each based on
the revision shown. A change refused because a colleague saved a newer revision first comes
back as a :class:`Conflict` for the user to settle (:meth:`Session.resolve`). A poller thread
asks the store about once a second what other processes changed (one ``stat`` while nothing
did) and the session takes their changes in, except where its own writes are still pending.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import editing
from .article import Article
from .corpus import Corpus
from .history import Batch, Command, Create, Delete, Edit, History, Reject, Unreject
from .changes import ExternalChange
from .model import QUOTE, Annotation, Tombstone
from .quotations import QUOTATION_MARKS
from .saver import SaveQueue, SaveResult
from .speakers import SpeakerChoice
from .store import ANNOTATIONS, ARTICLES, CURSORS, PROGRESS, REJECTIONS, ConflictItem, Op, Store
from .store import Conflict as StoreConflict
from .team.layers import MINE, Layer, next_layer, visible

if TYPE_CHECKING:  # the suggester is imported by the analysis, not at start-up; rapidfuzz on a carry-over
    from .team.reanchor import CarryOver
    from .suggest import Suggestion


# ---- events -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleOpened:
    """The session switched to another article (its annotations follow in an :class:`AnnotationsChanged`)."""

    index: int
    article: Article


@dataclass(frozen=True)
class AnnotationsChanged:
    """The open article's annotations, rejections or suggestions changed.

    *spans* are the (start, end) of everything whose look changed, so a view redraws only those;
    ``None`` means redraw all (a newly loaded article). *ids* are the annotations touched.
    *focus* is where the cursor belongs afterwards (undo and redo go to what they changed).
    *notes* tell the annotator of colleagues' changes to their own annotations (one deleted, say).
    """

    article_id: str
    ids: frozenset[str] = frozenset()
    spans: tuple[tuple[int, int], ...] | None = None
    focus: int | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Saved:
    """A save attempt succeeded (posted from the writer thread)."""

    result: SaveResult


@dataclass(frozen=True)
class SaveFailed:
    """A save attempt failed; the changes stay in memory and are retried (posted from the writer thread)."""

    result: SaveResult


@dataclass(frozen=True)
class ConflictChoice:
    """One change of mine the file refused: what I meant (*mine*; ``None`` for a delete) and what a
    colleague saved first (*theirs*: their annotation, their tombstone, or ``None`` if it is gone)."""

    ann_id: str
    mine: Annotation | None
    theirs: Annotation | Tombstone | None
    shown: Annotation | None  # what this session shows for it now, for the screen


@dataclass(frozen=True)
class Conflict:
    """Changes of mine refused because a colleague saved a newer revision first (from the writer thread).

    Nothing was written for them; memory still shows mine until :meth:`Session.resolve` settles each.
    """

    choices: tuple[ConflictChoice, ...]


@dataclass(frozen=True)
class ExternalUpdate:
    """Another process changed the file (from the poller thread); :meth:`Session.take_in` merges it.

    *found* is what the file holds now for each annotation id the change names on an article
    this session has read (an Annotation, or ``None`` for one deleted).
    """

    change: ExternalChange
    found: dict[str, Annotation | None]
    revs: dict[str, int]  # the stored rev of each deleted one (its tombstone's)
    #: This annotator's rejections as the file holds them now, per article read, when they changed.
    rejections: dict[str, frozenset[tuple[str, int, int]]] = field(default_factory=dict)
    #: (article id, rejection) with a write of mine pending when the file was read: the read may
    #: predate it, so memory's state of those stands.
    writing: frozenset[tuple[str, tuple[str, int, int]]] = frozenset()
    #: Who deleted each deleted one (its tombstone's deleted_by).
    deleted_by: dict[str, str] = field(default_factory=dict)


Event = ArticleOpened | AnnotationsChanged | Saved | SaveFailed | Conflict | ExternalUpdate


# ---- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tagged:
    """What :meth:`Session.tag` did: *created* a new annotation, or found the annotator's own *ann* already there."""

    ann: Annotation | None
    created: bool
    reason: str = ""  # why nothing was tagged, when ann is None


@dataclass
class Stored:
    """What the file holds for one article and annotator, read off the event loop."""

    annotations: list[Annotation]
    cursor: int | None
    rejected: set[tuple[str, int, int]] = field(default_factory=set)
    #: The annotations of the version this article corrects, carried over as it was first read.
    carried: CarryOver | None = None


class Session:
    """The working state of one run, and every change made to it."""

    def __init__(
        self,
        store: Store,
        corpus: Corpus,
        *,
        annotator: str,
        threshold: float = 0.5,
        blind: bool = False,
    ) -> None:
        self.store = store
        self.corpus = corpus
        self.annotator = annotator
        self.threshold = threshold
        self._subscribers: list[Callable[[Event], Any]] = []
        self.saves = SaveQueue(store, self._save_finished)
        self.history = History(self._submit, annotator=annotator)
        # Annotation ids with a write of mine not yet on disk, by the newest ticket: a colleague's
        # change to one of them is not taken in (mine is newer here; the save tells if it conflicts).
        self._unsaved: dict[str, int] = {}
        # The same for this annotator's rejections (and rejections taken back), by (article id, key).
        self._unsaved_rejections: dict[tuple[str, tuple[str, int, int]], int] = {}
        self._unsaved_lock = threading.Lock()
        self._poller: threading.Thread | None = None
        self._stop_polling = threading.Event()
        self.index = 0
        self.article: Article | None = None
        self._annotations: list[Annotation] | None = None  # the open article's, sorted; rebuilt on change
        self._all_suggestions: list[Suggestion] = []
        self._suggestions: list[Suggestion] | None = None  # the shown ones; rebuilt on change
        self.show_all_suggestions = False
        #: Whose annotations show (see annotations.team.layers); blind: only one's own, always.
        self.blind = blind
        self.layer = Layer(MINE)
        self.cursor = 0
        self._saved_cursor: tuple[str, int] | None = None  # (article id, offset) last sent to the file
        self._loaded: set[str] = set()  # article ids whose stored state was read

    # ---- events ----------------------------------------------------------------------

    def subscribe(self, callback: Callable[[Event], Any]) -> Callable[[], None]:
        """Call *callback* with every event from now on; returns the call that stops it."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def _publish(self, event: Event) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:  # one broken subscriber must not stop the others, nor a save
                pass

    def _submit(self, op: Op) -> int:
        with self._unsaved_lock:  # before the submit: the writer may report it at once
            ticket = self.saves.submit(op)
            if op.table == ANNOTATIONS:
                self._unsaved[op.doc["id"]] = ticket
            elif op.table == REJECTIONS:
                doc = op.doc
                self._unsaved_rejections[(doc["article_id"], (doc["label"], doc["start"], doc["end"]))] = ticket
        return ticket

    def _save_finished(self, result: SaveResult) -> None:
        # On the writer thread.
        if result.ok:
            newest = max(result.tickets, default=0)
            with self._unsaved_lock:
                for unsaved in (self._unsaved, self._unsaved_rejections):
                    for key in [k for k, t in unsaved.items() if t <= newest]:
                        del unsaved[key]
        self._publish(Saved(result) if result.ok else SaveFailed(result))
        conflicts = getattr(result, "conflicts", ())
        if conflicts:
            self._publish(Conflict(tuple(self._choice(item) for item in conflicts)))

    def _choice(self, item: ConflictItem) -> ConflictChoice:
        op = item.op
        mine = None if op.kind == "delete" else Annotation.from_doc(op.doc)
        return ConflictChoice(op.doc["id"], mine, item.theirs, self.history.annotations.get(op.doc["id"]))

    # ---- the open article ---------------------------------------------------------------

    def open(self, index: int) -> Article:
        """Make the article at *index* the open one; raises :class:`ArticleError` (and keeps the old one)."""
        article = self.corpus.article(index)
        if self.article is not None:
            self.remember_cursor()
        self.index, self.article = index, article
        self._annotations = None
        self._all_suggestions = []
        self._suggestions = None
        self.cursor = 0
        self._saved_cursor = (article.id, 0)  # nothing to save until the reader moves
        self._publish(ArticleOpened(index, article))
        return article

    def store_article(self) -> None:
        """Keep the open article's text in the file (exports and other tools read it there)."""
        if self.article is not None:
            self.saves.submit(Op.put_article(self.article))

    def read_stored(self, article: Article) -> Stored:
        """The article's annotations, this annotator's cursor and rejections as the file holds them.

        Reads the file: call it off the event loop, then hand the result to :meth:`merge_stored`.
        The first read of a corrected article (same source, other text) carries the annotations
        of the version it corrects over to it first (annotations.team.reanchor).
        """
        carried = None if article.id in self._loaded else self._carry_over(article)
        return Stored(
            self.store.annotations(article.id, length=len(article.text)),
            self.store.cursor(article.id, self.annotator),
            self.store.rejections(article.id, self.annotator),
            carried=carried,
        )

    def _carry_over(self, article: Article) -> CarryOver | None:
        from .team.reanchor import carry_over

        found = carry_over(article, self.store.articles(source=article.source), self.store.annotations,
                           annotator=self.annotator)
        if found is None:
            return None
        try:
            self.store.apply(found.ops(article))
        except StoreConflict:
            return None  # a colleague changed one meanwhile: the next opening tries again
        return found

    def merge_stored(self, article: Article, stored: Stored) -> int | None:
        """Take in what :meth:`read_stored` found, once a run per article (after that memory is newer:
        it holds changes still being written). Returns the saved cursor to go to, if the reader has not moved."""
        if article.id not in self._loaded:
            self._loaded.add(article.id)
            self.history.rejections.load(article.id, stored.rejected)
            # Tags made while the file was being read are newer than what it held, but one the file held
            # already (the same label and span, by the same annotator) is that one: it stays, alone.
            # The file may hold a tag of this run too (saved between the file's read and this look-up),
            # so a twin is another id of the same key, never the tag itself.
            held: dict[tuple, list[Annotation]] = {}
            for a in stored.annotations:
                held.setdefault((a.label, a.start, a.end, a.annotator), []).append(a)
            in_memory, retracted = {}, set()
            for ann in self.history.annotations.for_article(article.id):
                twins = held.get((ann.label, ann.start, ann.end, ann.annotator), [])
                if any(twin.id != ann.id and ann.attrs.items() <= twin.attrs.items() for twin in twins):
                    self.history.retract(ann.id)
                    retracted.add(ann.id)
                else:
                    in_memory[ann.id] = ann
            kept = {a.id: a for a in stored.annotations if a.id not in retracted}
            self.history.annotations.load(article.id, (kept | in_memory).values())
        cursor = None
        if stored.cursor is not None and self.cursor == 0 and article is self.article:
            cursor = stored.cursor
            self.cursor = cursor
            self._saved_cursor = (article.id, cursor)
        if article is self.article:
            self._changed(None)
        return cursor

    def loaded(self, article_id: str) -> bool:
        """Whether the stored state of the article was read and merged."""
        return article_id in self._loaded

    @property
    def annotations(self) -> list[Annotation]:
        """The open article's annotations (entity corrections too), sorted by start then end."""
        if self._annotations is None:
            every = [] if self.article is None else self.history.annotations.for_article(self.article.id)
            self._annotations = visible(every, self.layer, self.annotator)
        return self._annotations

    def article_annotators(self) -> list[str]:
        """Everyone with an annotation on the open article (whatever layer shows)."""
        every = [] if self.article is None else self.history.annotations.for_article(self.article.id)
        return sorted({a.annotator for a in every})

    def cycle_layer(self) -> Layer:
        """Show the next layer: mine, everyone's, each other annotator's, gold (only mine when blind)."""
        self.layer = next_layer(self.layer, self.annotator, self.article_annotators(), blind=self.blind)
        self._changed(None)
        return self.layer

    def annotations_at(self, offset: int) -> list[Annotation]:
        """Annotations (not entity corrections) under *offset*, innermost first. A quote's own quotation
        marks count as part of it (its span leaves them out), so the cursor on its opening mark, where
        `}` lands when a paragraph opens with it, finds it."""
        text = self.article.text if self.article is not None else ""
        found = [a for a in self.annotations if not a.is_entity and _covers(a, text, offset)]
        return sorted(found, key=lambda a: a.end - a.start)

    def get(self, ann_id: str) -> Annotation | None:
        """The annotation as it is now (after any edit since it was shown)."""
        return self.history.annotations.get(ann_id)

    # ---- suggestions ----------------------------------------------------------------------

    @property
    def rejected(self) -> frozenset[tuple[str, int, int]]:
        """(label, start, end) of the open article's suggestions this annotator rejected."""
        return frozenset() if self.article is None else self.history.rejections.for_article(self.article.id)

    def set_suggestions(self, suggestions: list[Suggestion]) -> None:
        """Every suggestion the analysis made for the open article (no event: the caller made them and draws them)."""
        self._all_suggestions = suggestions
        self._suggestions = None

    @property
    def all_suggestions(self) -> list[Suggestion]:
        return self._all_suggestions

    @property
    def suggestions(self) -> list[Suggestion]:
        """The suggestions shown (see :func:`editing.visible_suggestions`)."""
        if self._suggestions is None:
            self._suggestions = editing.visible_suggestions(
                self._all_suggestions, self.annotations, self.rejected,
                threshold=self.threshold, show_all=self.show_all_suggestions,
            )
        return self._suggestions

    def is_rejected(self, suggestion: Suggestion) -> bool:
        return editing.key_of(suggestion) in self.rejected

    def toggle_all_suggestions(self) -> bool:
        """Show every suggestion (the rejected ones too), or only the confident ones; returns whether all show.

        A choice of what to look at, not a change: no event, the caller draws again."""
        self.show_all_suggestions = not self.show_all_suggestions
        self._suggestions = None
        return self.show_all_suggestions

    # ---- commands ------------------------------------------------------------------------------

    def apply(self, cmd: Command) -> Command:
        """Do *cmd* as one undo step and tell the subscribers."""
        self.history.apply(cmd)
        self._after(cmd)
        return cmd

    def tag(self, label: str, start: int, end: int) -> Tagged:
        """Tag *start*..*end* of the open article with *label* (trimmed of white space at its edges).

        Tagging exactly a shown suggestion's span with its label stores what accepting it stores; tagging
        what this annotator already tagged stores nothing and hands back the existing annotation.
        """
        assert self.article is not None
        span = editing.trim_span(self.article.text, start, end)
        if span is None:
            return Tagged(None, False, "nothing to tag: the span is empty")
        start, end = span
        existing = editing.same_tag(self.annotations, label, start, end, self.annotator)
        if existing is not None:
            return Tagged(existing, False)
        # Only a suggestion on show is taken over: one hidden below the threshold (or rejected) was never
        # offered, so the tag is the annotator's own, not an acceptance at that suggestion's confidence.
        suggested = next((s for s in self.suggestions if editing.key_of(s) == (label, start, end)), None)
        if suggested is not None:
            ann = editing.from_suggestion(suggested, self.article, self.annotator)
        else:
            ann = Annotation.create(
                article_id=self.article.id, source=self.article.source, article_text=self.article.text,
                label=label, start=start, end=end, annotator=self.annotator,
            )
        self.apply(Create(ann))
        return Tagged(ann, True)

    def edit(self, ann: Annotation, *, seen: Annotation | None = None, **changes: Any) -> Annotation:
        """Change *ann* (label, attrs, ...) as this annotator; returns the new revision.

        *seen* is the revision the user was shown when they began the change (the editor's): the
        edit is based on it, so a colleague's revision saved meanwhile is a conflict, even one the
        poll already took in. Without it the edit is based on the session's current revision.
        """
        current = seen or self.get(ann.id) or ann
        after = current.edited(annotator=self.annotator, **changes)
        self.apply(Edit(current, after))
        return after

    def link_speaker(self, ann: Annotation, choice: SpeakerChoice, name: str | None = None) -> Annotation:
        """Make *choice* the speaker of *ann*, with *name*, the person it names, when that is known
        (see :func:`editing.speaker_name_from`)."""
        current = self.get(ann.id) or ann
        speaker = choice.to_attr()
        if name and name != choice.text:  # as the editor stores a typed speaker: the words are the name
            speaker["name"] = name
        return self.edit(current, attrs={**current.attrs, "speaker": speaker})

    def delete(self, ann: Annotation) -> None:
        self.apply(Delete(self.get(ann.id) or ann))

    def accept(self, suggestion: Suggestion) -> Annotation:
        """Store *suggestion* as an annotation of this annotator."""
        assert self.article is not None
        ann = editing.from_suggestion(suggestion, self.article, self.annotator)
        self.apply(Create(ann))
        return ann

    def reject(self, suggestion: Suggestion) -> Command:
        """Reject *suggestion* for this annotator; a rejected one is un-rejected (offered again)."""
        assert self.article is not None
        kind = Unreject if self.is_rejected(suggestion) else Reject
        return self.apply(kind(self.article.id, self.annotator, suggestion.label, suggestion.start, suggestion.end,
                               suggestion.text))

    def accept_all_candidates(self) -> list[Suggestion]:
        """What :meth:`accept_all` would accept."""
        return editing.accept_all_candidates(self.suggestions, self.rejected, self.threshold)

    def accept_all(self) -> int:
        """Accept every shown suggestion above the threshold, as one undo step; returns how many."""
        assert self.article is not None
        chosen = self.accept_all_candidates()
        if not chosen:
            return 0
        noun = "suggestion" if len(chosen) == 1 else "suggestions"
        creates = tuple(Create(editing.from_suggestion(s, self.article, self.annotator)) for s in chosen)
        self.apply(Batch(creates, f"accept of {len(chosen)} {noun}"))
        return len(chosen)

    def undo(self) -> Command | None:
        """Take back the newest step (opening its article if another is open); ``None`` if there is none."""
        return self._step(self.history.undo)

    def redo(self) -> Command | None:
        """Do again the newest undone step; ``None`` if there is none."""
        return self._step(self.history.redo)

    def _step(self, step: Callable[[], Command | None]) -> Command | None:
        cmd = step()
        if cmd is None:
            return None
        if self.article is None or cmd.article_id != self.article.id:
            target = self.corpus.index_of(cmd.article_id)
            if target is not None:
                self.open(target)
        self._after(cmd, focus=cmd.start)
        return cmd

    def _after(self, cmd: Command, focus: int | None = None) -> None:
        if self.article is None or cmd.article_id != self.article.id:
            return  # the change is in an article that is not open: nothing shown changes
        ids, spans = _touched(cmd)
        self._changed(spans, ids, focus)

    def _changed(self, spans: Iterable[tuple[int, int]] | None, ids: Iterable[str] = (), focus: int | None = None,
                 notes: tuple[str, ...] = ()) -> None:
        assert self.article is not None
        self._annotations = None
        self._suggestions = None
        self._publish(AnnotationsChanged(self.article.id, frozenset(ids), None if spans is None else tuple(spans), focus,
                                         notes))

    # ---- colleagues' changes -----------------------------------------------------------------

    def resolve(self, choice: ConflictChoice, *, mine: bool) -> Command | None:
        """Settle a conflict: keep *theirs* as the file holds it, or write *mine* on top of it (based on
        their revision, so a third writer in between is a conflict again). Either way this session then
        shows what the file holds. Keeping theirs drops the refused step from undo and redo (it would
        write over theirs) and returns it; my other steps stay in the history."""
        dropped = None
        theirs = choice.theirs
        if isinstance(theirs, Annotation):
            self.history.adopt(choice.ann_id, theirs, theirs.rev)
        else:
            self.history.adopt(choice.ann_id, None, theirs.rev if theirs is not None else 0)
        if mine:
            self.history.write_over(choice.ann_id, choice.mine)
        else:
            dropped = self.history.drop(choice.ann_id)
        known = next((a for a in (choice.mine, choice.shown, theirs) if a is not None), None)
        if self.article is not None and known is not None and known.article_id == self.article.id:
            spans = [(a.start, a.end) for a in (choice.mine, choice.shown, theirs) if isinstance(a, Annotation)]
            self._changed(spans, {choice.ann_id})
        return dropped

    def poll(self) -> ExternalUpdate | None:
        """What other processes changed in the file, with the annotations they touched as stored now
        (and this annotator's rejections, when those changed).

        Off the event loop (the poller thread calls it): one ``stat`` while nothing changed.
        """
        with self._unsaved_lock:  # before the file is read: a rejection saved after that is not in it
            writing = frozenset(self._unsaved_rejections)
        change = self.store.poll()
        if not change:
            return None
        loaded = set(self._loaded)
        found: dict[str, Annotation | None] = {}
        revs: dict[str, int] = {}
        deleted_by: dict[str, str] = {}
        for article_id in change.article_ids & loaded:
            for ann_id in change.added.get(article_id, frozenset()) | change.changed.get(article_id, frozenset()):
                found[ann_id] = self.store.get(ann_id)
            for ann_id in change.deleted.get(article_id, frozenset()):
                found[ann_id] = None
        if any(ann is None for ann in found.values()):
            tombstones = [t for t in self.store.tombstones() if t.id in found]
            revs = {t.id: t.rev for t in tombstones}
            deleted_by = {t.id: t.deleted_by for t in tombstones}
        rejections = {}
        if change.rejections:
            rejections = {a: frozenset(self.store.rejections(a, self.annotator)) for a in loaded}
        return ExternalUpdate(change, found, revs, rejections, writing, deleted_by)

    def take_in(self, update: ExternalUpdate) -> None:
        """Merge a colleague's changes into memory (on the thread that runs the commands).

        An annotation with a write of mine still pending keeps mine: it is newer here, and its save
        either lands on their revision's base or comes back as a conflict for the user to settle.
        A rejection (or taking one back) of mine still pending keeps mine too: the last writer wins.
        """
        with self._unsaved_lock:
            pending = set(self._unsaved)
            writing = set(self._unsaved_rejections) | update.writing
        spans: list[tuple[int, int]] = []
        ids: set[str] = set()
        notes: list[str] = []
        touched_open = False
        for ann_id, theirs in update.found.items():
            if ann_id in pending:
                continue
            held = self.history.annotations.get(ann_id)
            if theirs is not None and held is not None and held.rev >= theirs.rev:
                continue  # already this revision (or a newer one of mine)
            if theirs is None and held is None:
                continue
            self.history.adopt(ann_id, theirs, theirs.rev if theirs is not None else update.revs.get(ann_id, 0))
            ids.add(ann_id)
            for ann in (held, theirs):
                if ann is not None and self.article is not None and ann.article_id == self.article.id:
                    spans.append((ann.start, ann.end))
                    touched_open = True
            if held is not None and self.article is not None and held.article_id == self.article.id:
                note = editing.colleague_change_note(held, theirs, update.deleted_by.get(ann_id, ""), self.annotator)
                if note is not None:
                    notes.append(note)
        for article_id, stored in update.rejections.items():
            # The same annotator in another process (a second terminal, another browser tab) rejected
            # or took back a rejection: the suggestion hides or shows again here too.
            held = self.history.rejections.for_article(article_id)
            mine = {key for (at, key) in writing if at == article_id}
            wanted = (stored - mine) | (held & mine)
            for key in held - wanted:
                self.history.rejections.discard(article_id, key)
            for key in wanted - held:
                self.history.rejections.add(article_id, key)
            if wanted != held and self.article is not None and article_id == self.article.id:
                spans += [(start, end) for _, start, end in wanted ^ held]
                touched_open = True
        if touched_open:
            self._changed(spans, ids, notes=tuple(notes))

    def start_polling(self, every: float = 1.0) -> None:
        """Ask the store what changed every *every* seconds, on a thread of its own, publishing an
        :class:`ExternalUpdate` for each change (a subscriber hands it to :meth:`take_in`)."""
        if self._poller is not None:
            return

        def run() -> None:
            while not self._stop_polling.wait(every):
                try:
                    update = self.poll()
                except Exception:  # a file being replaced, a damaged copy: the next look may do better
                    continue
                if update is not None:
                    self._publish(update)

        self._poller = threading.Thread(target=run, name="annotty-poll", daemon=True)
        self._poller.start()

    def stop_polling(self) -> None:
        """Stop asking the store for other processes' changes (closing does it too)."""
        self._stop_polling.set()

    # ---- cursor -------------------------------------------------------------------------------

    def move_cursor(self, offset: int) -> None:
        """The reader's cursor is at *offset* now (saved by :meth:`remember_cursor`, not at once)."""
        self.cursor = offset

    def remember_cursor(self) -> None:
        """Save the cursor's position, unless that very position was the last one saved."""
        if self.article is not None and self._saved_cursor != (self.article.id, self.cursor):
            self._saved_cursor = (self.article.id, self.cursor)
            self.saves.submit(Op.cursor(self.article.id, self.annotator, self.cursor))

    # ---- the end ----------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Changes not on disk yet."""
        return self.saves.pending

    def unsaved_changes(self) -> int:
        """The user's changes not on disk yet: what quitting now would lose.

        Where the cursor is, which article is open and the article's text are left out: each
        opening writes them again, so losing them loses none of the user's work.
        """
        return sum(not _rewritten_on_opening(op) for op in self.saves.pending_ops())

    def flush(self, timeout: float | None = None) -> bool:
        return self.saves.flush(timeout)

    def close(self, timeout: float | None = None) -> bool:
        """Stop polling, write what is pending and stop the writer; ``False`` if something is still unsaved."""
        self.stop_polling()
        return self.saves.close(timeout)


def _rewritten_on_opening(op: Op) -> bool:
    return op.table in (CURSORS, ARTICLES) or (op.table == PROGRESS and op.doc.get("kind") == "opened")


def _covers(ann: Annotation, text: str, offset: int) -> bool:
    """Whether *offset* is in *ann*, or on the quotation mark just before or after a quote."""
    if ann.start <= offset < ann.end:
        return True
    if ann.label != QUOTE or offset not in (ann.start - 1, ann.end) or not 0 <= offset < len(text):
        return False
    return text[offset] in QUOTATION_MARKS


def _touched(cmd: Command) -> tuple[set[str], list[tuple[int, int]]]:
    """The annotation ids and the spans a command changes."""
    match cmd:
        case Create(ann) | Delete(ann):
            return {ann.id}, [(ann.start, ann.end)]
        case Edit(before, after):
            return {after.id}, [(before.start, before.end), (after.start, after.end)]
        case Reject() | Unreject():
            return set(), [(cmd.start, cmd.end)]
        case Batch(commands):
            ids: set[str] = set()
            spans: list[tuple[int, int]] = []
            for each in commands:
                more_ids, more_spans = _touched(each)
                ids |= more_ids
                spans += more_spans
            return ids, spans
    return set(), []
