"""A corpus: the articles of a folder (or of several files) worked through over days, by several people.

One :class:`Corpus` a run: the session opens its articles by position (:meth:`Corpus.article`,
read on first use and kept), and the corpus screen and the status bar ask it for titles, counts
and each annotator's status.

Nothing is read up front but the list of paths and the store's small ``progress`` table: an
article's title and id are read from its file the first time they are asked for (a row
shown, the reader opening it) and kept, and each article read for a row is put in the store's
``articles`` table then, not before (an article the reader opens, the session stores). Counts of quotes and claims come from one pass over the
store's annotations, made the first time a count is asked for and again after
:meth:`Corpus.refresh`; pending suggestions only for articles whose analysis is cached.

Status, per annotator and article: ``done`` while a done mark is stored; ``in progress`` once
the article has been opened by that annotator (or holds annotations of theirs); ``new``
otherwise. An article is known by its id (the sha256 of its text) once its file has been
read, and until then by its file's absolute path, which the progress documents also carry.
Reopening a corpus resumes at the article of it that the annotator opened last.
"""

from __future__ import annotations

import os
import threading
from datetime import datetime, timedelta, timezone
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .article import Article, ArticleError, load, sanitise_line
from .editing import visible_suggestions
from .model import CLAIM, QUOTE
from .schema import Progress
from .store import Op, Store

NEW = "new"
IN_PROGRESS = "in progress"
DONE = "done"
STATUSES = (NEW, IN_PROGRESS, DONE)

#: Shown where a count is not known: pending suggestions of an article never analysed.
UNKNOWN = "?"


@dataclass
class ArticleRef:
    """One article of the corpus: its path always; id and title once its file has been read."""

    path: str
    id: str | None = None
    title: str | None = None
    error: str | None = None  # why the file could not be read, once tried

    @property
    def shown_title(self) -> str:
        """The title as a row shows it: the file's name until the file is read."""
        if self.title:
            return self.title
        return sanitise_line(os.path.basename(self.path)) if self.error is None else f"({self.error})"


@dataclass(frozen=True)
class Counts:
    quotes: int
    claims: int
    pending: int | None  # None: the article has not been analysed (or its analysis is not cached)

    @property
    def pending_text(self) -> str:
        return UNKNOWN if self.pending is None else str(self.pending)


def absolute(path: str) -> str:
    """How a progress document names a file: its absolute path (standard input has none)."""
    return "" if path == "-" else os.path.abspath(path)


class Corpus:
    """The articles of *paths* and each annotator's progress through them, kept in *store*.

    Safe to call from a worker thread and the event loop at once: what it caches is
    guarded by one lock, and files are read outside it.
    """

    def __init__(self, paths: Sequence[str], store: Store, annotator: str, *,
                 loader: Callable[[str], Article] | None = None,
                 first: Article | None = None,
                 cached_analysis: Callable[[Article], object] | None = None,
                 threshold: float = 0.5, save: Callable[[Op], object] | None = None,
                 read_progress: bool = True, blind: bool = False) -> None:
        self.paths = list(paths)
        #: Blind double annotation: counts and statuses are the annotator's own, never a colleague's.
        self.blind = blind
        self.refs = [ArticleRef(path) for path in self.paths]
        self.store = store
        self.annotator = annotator
        self._load = loader or (lambda path: load(path))
        #: The cached analysis of an article, or None (Analyser.cached): never runs the model.
        self._cached_analysis = cached_analysis
        self.threshold = threshold
        #: Where the ops go that fill the articles table (the session's save queue; else straight to the store).
        self.save = save or (lambda op: store.apply([op]))
        #: The articles opened (by the session), kept whole; *first* is the one already read at start-up.
        self._articles: dict[int, Article] = {}
        self._lock = threading.RLock()
        self._index_by_source: dict[str, int] | None = None
        self._absolute: list[str] = []
        self._index_by_id: dict[str, int] = {}
        self._progress: dict[tuple[str, str, str], Progress] = {}  # (kind, annotator, article id)
        self._by_source: dict[tuple[str, str, str], Progress] = {}  # (kind, annotator, absolute path)
        self._label_counts: dict[str, Counter[str]] | None = None  # article id -> label -> count
        self._annotators_of: dict[str, set[str]] | None = None  # article id -> annotators with annotations
        self._pending: dict[str, int | None] = {}
        self._stored: set[str] = set()  # article ids put in the store's articles table this run
        self._last_stamp: datetime | None = None
        if read_progress:  # else the caller reads it once the store is read (the app: after its first paint)
            self.reload_progress()
        if first is not None:
            self._articles[0] = first
            self.seen(0, first)

    def __len__(self) -> int:
        return len(self.refs)

    # ---- reading ------------------------------------------------------------------

    def reload_progress(self) -> None:
        """Read the done marks and last opened articles again (colleagues may have changed them)."""
        records = self.store.progress()
        with self._lock:
            self._progress = {(r.kind, r.annotator, r.article_id): r for r in records}
            self._by_source = {(r.kind, r.annotator, r.source): r for r in records if r.source}

    def refresh(self) -> None:
        """Forget the counts and read the progress again: the next counts come from the file as it is now."""
        with self._lock:
            self._label_counts = None
            self._annotators_of = None
            self._pending.clear()
        self.reload_progress()

    def article(self, index: int) -> Article:
        """The article at *index*, read on first use and kept (the session opens it); raises :class:`ArticleError`."""
        with self._lock:
            found = self._articles.get(index)
        if found is None:
            found = self._load(self.paths[index])
            with self._lock:
                found = self._articles.setdefault(index, found)
            self.seen(index, found)
        return found

    def index_of(self, article_id: str) -> int | None:
        """The position of the article with *article_id*, reading articles not yet read (unreadable ones are skipped)."""
        with self._lock:
            known = self._index_by_id.get(article_id)
        if known is not None:
            return known
        for index in range(len(self.refs)):
            if self.ref(index).id == article_id:
                return index
        return None

    def ref(self, index: int) -> ArticleRef:
        """The article at *index*, its file read (once) if it has not been yet."""
        ref = self.refs[index]
        if ref.id is None and ref.error is None:
            try:
                with self._lock:
                    article = self._articles.get(index)
                if article is None:
                    article = self._load(ref.path)
            except ArticleError as exc:
                ref.error = str(exc)
            else:
                self.seen(index, article)
                with self._lock:
                    new = article.id not in self._stored
                    self._stored.add(article.id)
                if new and self.store.article(article.id) is None:
                    self.save(Op.put_article(article))
        return ref

    def seen(self, index: int, article: Article) -> None:
        """Note the id and title of the article at *index*, read by the reader (which stores it itself)."""
        ref = self.refs[index]
        with self._lock:
            ref.id, ref.title, ref.error = article.id, article.title, None
            self._index_by_id.setdefault(article.id, index)

    def _sources(self) -> dict[str, int]:
        """Index by absolute path, made once (10,000 paths take some milliseconds)."""
        with self._lock:
            if self._index_by_source is None:
                self._absolute = [absolute(ref.path) for ref in self.refs]
                self._index_by_source = {}
                for index, source in enumerate(self._absolute):
                    self._index_by_source.setdefault(source, index)
            return self._index_by_source

    def index_of_path(self, path: str) -> int | None:
        return self._sources().get(absolute(path))

    def source(self, index: int) -> str:
        """The absolute path of the article at *index*, as progress documents name it."""
        self._sources()
        return self._absolute[index]

    # ---- status ---------------------------------------------------------------------

    def _record(self, kind: str, index: int, annotator: str) -> Progress | None:
        ref = self.refs[index]
        with self._lock:
            if ref.id is not None:
                found = self._progress.get((kind, annotator, ref.id))
                if found is not None:
                    return found
                # The same file, changed since: what was done was another text. Only a file never
                # read falls back to its path.
                by_path = self._by_source.get((kind, annotator, self.source(index)))
                return by_path if by_path is not None and by_path.article_id == ref.id else None
            return self._by_source.get((kind, annotator, self.source(index)))

    def status(self, index: int, annotator: str | None = None) -> str:
        annotator = annotator or self.annotator
        if self._record("done", index, annotator) is not None:
            return DONE
        if self._record("opened", index, annotator) is not None:
            return IN_PROGRESS
        ref = self.refs[index]
        if ref.id is not None and self._annotators_of is not None and annotator in self._annotators_of.get(ref.id, ()):
            return IN_PROGRESS
        return NEW

    def is_done(self, index: int, annotator: str | None = None) -> bool:
        return self._record("done", index, annotator or self.annotator) is not None

    def done_count(self, annotator: str | None = None) -> int:
        """Articles of this corpus the annotator has done: a walk over the done marks, not the articles."""
        annotator = annotator or self.annotator
        with self._lock:
            marks = [r for r in self._progress.values() if r.kind == "done" and r.annotator == annotator]
        found = set()
        for record in marks:
            for index in (self._index_by_id.get(record.article_id), self._sources().get(record.source)):
                if index is not None and self.is_done(index, annotator):
                    found.add(index)
        return len(found)

    def annotators(self) -> list[str]:
        """Everyone with progress on an article of this corpus, the current annotator first."""
        with self._lock:
            records = list(self._progress.values())
        found = {self.annotator}
        if self.blind:
            return [self.annotator]
        for record in records:
            if record.annotator in found:
                continue
            index = self._index_by_id.get(record.article_id)
            if index is None and record.source:
                index = self.index_of_path(record.source)
            if index is not None:
                found.add(record.annotator)
        return [self.annotator] + sorted(found - {self.annotator})

    def next_not_done(self, after: int) -> int | None:
        """The first article after *after* (going round to the start) not done by the annotator."""
        return next(self.not_done_after(after), None)

    def not_done_after(self, after: int) -> Iterator[int]:
        """The articles after *after*, going round to the start, not done by the annotator, nearest first."""
        count = len(self.refs)
        for step in range(1, count):
            index = (after + step) % count
            if not self.is_done(index):
                yield index

    def resume_index(self) -> int:
        """The article of this corpus the annotator opened last (0 if none)."""
        with self._lock:
            opened = [r for r in self._progress.values() if r.kind == "opened" and r.annotator == self.annotator]
        for record in sorted(opened, key=lambda r: r.at, reverse=True):
            index = self._index_by_id.get(record.article_id)
            if index is None and record.source:
                index = self.index_of_path(record.source)
            if index is not None:
                return index
        return 0

    def position(self, index: int) -> str:
        """``3/120 done``: where *index* is in the corpus, and its status for the annotator."""
        return f"{index + 1}/{len(self.refs)} {self.status(index)}"

    # ---- changes (each returns the op to save; memory is updated at once) --------------

    def _now(self) -> str:
        """The time of a change, in microseconds and later than the last one: the newest open must win."""
        stamp = datetime.now(timezone.utc)
        if self._last_stamp is not None and stamp <= self._last_stamp:
            stamp = self._last_stamp + timedelta(microseconds=1)
        self._last_stamp = stamp
        return stamp.isoformat(timespec="microseconds")

    def _put(self, record: Progress) -> None:
        with self._lock:
            self._progress[(record.kind, record.annotator, record.article_id)] = record
            if record.source:
                self._by_source[(record.kind, record.annotator, record.source)] = record

    def opened(self, index: int, article: Article) -> Op:
        """The annotator opened the article at *index* now."""
        self.seen(index, article)
        record = Progress("opened", article.id, self.annotator, self.source(index), self._now())
        self._put(record)
        return Op.opened(record.article_id, record.annotator, record.source, record.at)

    def set_done(self, index: int, article: Article, done: bool) -> Op:
        """Mark the article at *index* done (or not done any more) for the annotator."""
        self.seen(index, article)
        source = self.source(index)
        if done:
            record = Progress("done", article.id, self.annotator, source, self._now())
            self._put(record)
            return Op.mark_done(record.article_id, record.annotator, record.source, record.at)
        with self._lock:
            self._progress.pop(("done", self.annotator, article.id), None)
            self._by_source.pop(("done", self.annotator, source), None)
        return Op.mark_not_done(article.id, self.annotator)

    # ---- counts -------------------------------------------------------------------

    def _count_annotations(self) -> None:
        counts: dict[str, Counter[str]] = {}
        who: dict[str, set[str]] = {}
        for ann in self.store.annotations():
            if ann.is_entity or (self.blind and ann.annotator != self.annotator):
                continue
            counts.setdefault(ann.article_id, Counter())[ann.label] += 1
            who.setdefault(ann.article_id, set()).add(ann.annotator)
        with self._lock:
            self._label_counts, self._annotators_of = counts, who

    def counts(self, index: int) -> Counts | None:
        """Quotes, claims and pending suggestions of the article at *index*; None if its file cannot be read."""
        ref = self.ref(index)
        if ref.id is None:
            return None
        if self._label_counts is None:
            self._count_annotations()
        labels = (self._label_counts or {}).get(ref.id, Counter())
        return Counts(labels[QUOTE], labels[CLAIM], self._pending_count(index))

    def _pending_count(self, index: int) -> int | None:
        ref = self.refs[index]
        assert ref.id is not None
        with self._lock:
            if ref.id in self._pending:
                return self._pending[ref.id]
        pending = None
        if self._cached_analysis is not None:
            stub = Article(id=ref.id, source=ref.path, title=ref.title or "", text="")
            analysis = self._cached_analysis(stub)
            if analysis is not None:
                rejected = self.store.rejections(ref.id, self.annotator)
                tagged = [a for a in self.store.annotations(ref.id) if not self.blind or a.annotator == self.annotator]
                shown = visible_suggestions(analysis.suggestions, tagged, rejected,
                                            threshold=self.threshold, show_all=False)
                pending = len(shown)
        with self._lock:
            self._pending[ref.id] = pending
        return pending
