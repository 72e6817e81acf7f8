"""What the pipeline finds in an article (entities, sentences, suggestions), cached.

The app asks :meth:`Analyser.cached` first, which never loads spaCy, then runs
:meth:`Analyser.run` in a background thread, which reports chunk by chunk.
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
        suggestions = []
        if data.get("suggestions"):
            from .suggest import Suggestion

            suggestions = [Suggestion(**{**d, "reasons": tuple(d["reasons"])}) for d in data["suggestions"]]
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

    def __init__(self, model_name: str, cache: AnalysisCache | None = None):
        self.model_name = model_name
        self.cache = cache if cache is not None else AnalysisCache()
        self._nlp = None
        self._lock = threading.Lock()

    def _installed_version(self) -> str | None:
        from importlib import metadata  # slow to import; only the analysis thread needs it

        try:
            return metadata.version(self.model_name)
        except (metadata.PackageNotFoundError, ValueError):
            return None

    def _key(self, article: Article, version: str) -> tuple[str, ...]:
        return (article.id, self.model_name, version, suggester_version())

    def cached(self, article: Article) -> Analysis | None:
        """The cached analysis, found without loading the pipeline where possible."""
        version = self._installed_version()
        if version is None and self._nlp is not None:
            version = model_info(self._nlp).version
        if version is None:
            return None
        data = self.cache.get(*self._key(article, version))
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
        """Analyse *article*, the chunk around *near* first; None if cancelled."""
        nlp = self.pipeline()
        result = Analysis()
        docs = {}
        for chunk, doc in analyse_nearest_first(nlp, article.text, near):
            if cancelled():
                return None
            docs[chunk.start] = doc
            result.entities.extend(chunk.entities)
            result.sentences.extend(chunk.sentences)
            if on_chunk is not None:
                on_chunk(chunk)
        result.entities.sort(key=lambda e: (e.start, e.end))
        result.sentences.sort()
        result.suggestions = self._suggest(nlp, docs, cancelled)
        if cancelled():
            return None  # never cache half an answer
        version = self._installed_version() or model_info(nlp).version
        self.cache.put(result.to_json(), *self._key(article, version))
        return result

    def _suggest(self, nlp, docs, cancelled: Callable[[], bool]) -> list:
        try:
            from .suggest import suggest

            return suggest(join_docs(nlp, docs), cancelled=cancelled)
        except Exception:  # suggestions are optional: the reader must not lose its entities
            log.exception("suggestions failed")
            return []
