"""What the pipeline finds in an article (entities, sentences, suggestions), cached.

The app asks :meth:`Analyser.cached` first, which never loads spaCy, then runs
:meth:`Analyser.run` in a background thread, which reports chunk by chunk. A
long article is analysed in a child process (see analysis_process), a short
one in that thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from .article import Article
from .cache import AnalysisCache
from .model import Entity
from .nlp import ChunkResult, analyse_nearest_first, join_docs, load_pipeline, model_info

log = logging.getLogger(__name__)

#: Articles longer than this many characters are analysed in a child process. Measured on the
#: shared 2-core machine: a child's first chunk of the 4,800-character sample came about 1 s
#: later than the thread's (3.3-4.0 s against 2.3-2.5 s: a fresh interpreter, then spaCy's
#: import and the model's load, which the thread pays only once per app run), while the thread
#: holds the interpreter lock for roughly 40-50 ms per 1,000 characters (a megabyte took 51 s),
#: stalling every key: through a pty, p95 key to frame during the analysis of 1 MB went from
#: 188 ms in the thread to 68 ms in the child (69 ms once analysed, on that loaded machine).
#: At 50,000 characters the thread would stall keys for two seconds or more, longer than the
#: child's extra start; below it the thread is done before a child would have started. Short
#: articles, and so every test article but the few that lower this, stay in the thread.
PROCESS_ABOVE_CHARS = 50_000


@dataclass
class Analysis:
    entities: list[Entity] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    suggestions: list = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "entities": [[e.start, e.end, e.label, e.text] for e in self.entities],
            "sentences": self.sentences,
            "suggestions": [asdict(s) for s in self.suggestions],
        }

    @classmethod
    def from_json(cls, data: dict) -> "Analysis":
        suggestions = _suggestions_from_dicts(data.get("suggestions") or [])
        return cls(
            entities=[Entity(s, e, label, text) for s, e, label, text in data["entities"]],
            sentences=[tuple(s) for s in data["sentences"]],
            suggestions=suggestions,
        )


def suggester_version() -> str:
    try:
        from .suggest import SUGGESTER_VERSION
    except ImportError:
        return "none"
    return SUGGESTER_VERSION


class Analyser:
    """Loads one pipeline once, and analyses articles with it."""

    def __init__(self, model_name: str, cache: AnalysisCache | None = None, *, process_above: int | None = None):
        self.model_name = model_name
        self.cache = cache if cache is not None else AnalysisCache()
        self.process_above = PROCESS_ABOVE_CHARS if process_above is None else process_above
        self._nlp = None
        self._lock = threading.Lock()
        self._children: set = set()  # ChildRuns still running, stopped by stop()

    def _installed_version(self) -> str | None:
        # Asked once per run: a look-up walks every installed distribution, and the corpus screen
        # asks for the cached analysis of each row it shows.
        if not hasattr(self, "_version"):
            from importlib import metadata  # slow to import; only the analysis thread needs it

            try:
                self._version: str | None = metadata.version(self.model_name)
            except (metadata.PackageNotFoundError, ValueError):
                self._version = None
        return self._version

    def _key(self, article_id: str, version: str) -> tuple[str, ...]:
        return (article_id, self.model_name, version, suggester_version())

    def cached(self, article: Article) -> Analysis | None:
        """The cached analysis, found without loading the pipeline where possible."""
        version = self._installed_version()
        if version is None and self._nlp is not None:
            version = model_info(self._nlp).version
        if version is None:
            return None
        data = self.cache.get(*self._key(article.id, version))
        if data is None:
            return None
        try:
            return Analysis.from_json(data)
        except (KeyError, TypeError, ValueError):
            return None

    def pipeline(self):
        with self._lock:
            if self._nlp is None:
                self._nlp = load_pipeline(self.model_name)
            return self._nlp

    def run(
        self,
        article: Article,
        *,
        near: int = 0,
        on_chunk: Callable[[ChunkResult], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Analysis | None:
        """Analyse *article*, the chunk around *near* first; None if cancelled.

        Raises ModelMissing, or AnalysisFailed when the child process fails or dies.
        """
        if len(article.text) > self.process_above:
            return self._run_in_child(article, near, on_chunk or (lambda chunk: None), cancelled)
        found = self._run_in_thread(article, near, on_chunk or (lambda chunk: None), cancelled)
        if found is None or cancelled():
            return None  # never cache half an answer
        result, version = found
        self.store(article.id, result, version)
        return result

    def store(self, article_id: str, result: Analysis, version: str) -> None:
        """Sort *result* and cache it for the article."""
        result.entities.sort(key=lambda e: (e.start, e.end))
        result.sentences.sort()
        self.cache.put(result.to_json(), *self._key(article_id, self._installed_version() or version))

    def _run_in_thread(self, article, near, on_chunk, cancelled) -> tuple[Analysis, str] | None:
        nlp = self.pipeline()
        result = Analysis()
        docs = {}
        for chunk, doc in analyse_nearest_first(nlp, article.text, near):
            if cancelled():
                return None
            docs[chunk.start] = doc
            result.entities.extend(chunk.entities)
            result.sentences.extend(chunk.sentences)
            on_chunk(chunk)
        result.suggestions = suggest_safely(nlp, docs, cancelled)
        return result, model_info(nlp).version

    def _run_in_child(self, article, near, on_chunk, cancelled) -> Analysis | None:
        """The child caches its whole answer itself: turning tens of thousands of entities and
        suggestions into JSON here would hold the app's interpreter lock for a good part of a second."""
        from .analysis_process import ChildRun, chunk_from_message

        child = ChildRun(self.model_name, article.text, near, self.cache, article.id)
        self._children.add(child)
        result = Analysis()
        try:
            for message in child.messages(cancelled):
                if message[0] == "chunk":
                    chunk = chunk_from_message(message)
                    result.entities.extend(chunk.entities)
                    result.sentences.extend(chunk.sentences)
                    on_chunk(chunk)
                else:  # "done"
                    result.suggestions = _suggestions_from_dicts(message[1])
                    result.entities.sort(key=lambda e: (e.start, e.end))
                    result.sentences.sort()
                    return result
            return None  # cancelled
        finally:
            child.stop()
            self._children.discard(child)

    def stop(self) -> None:
        """End every child process still analysing (the app is quitting)."""
        for child in list(self._children):
            child.stop()


def _suggestions_from_dicts(dicts: list[dict]) -> list:
    if not dicts:
        return []
    from .suggest import Suggestion

    return [Suggestion(**{**d, "reasons": tuple(d["reasons"])}) for d in dicts]


def suggest_safely(nlp, docs: dict, cancelled: Callable[[], bool] = lambda: False) -> list:
    """Suggestions for the article whose chunk docs are *docs*; [] if the suggester fails."""
    try:
        from .suggest import suggest

        return suggest(join_docs(nlp, docs), cancelled=cancelled)
    except Exception:  # suggestions are optional: the reader must not lose its entities
        log.exception("suggestions failed")
        return []
