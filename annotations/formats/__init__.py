"""Exports and imports: one module per format, each with ``NAME``, ``SUFFIX``, ``KIND`` ("file" or
"folder") and ``write(docs, target, context) -> count``, and ``read(path)`` where the format can be
imported. :data:`FORMATS` and :data:`READERS` are the registries; importing.py anchors what is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, BinaryIO

from ..nlp import DEFAULT_MODEL
from ..store import Store
from . import brat, csvfile, docbin, jsonl, w3c, xmi
from .output import ExportError, file_output, folder_output
from .records import ExportDoc, Filters, export_docs

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

FORMATS: dict[str, ModuleType] = {module.NAME: module for module in (jsonl, docbin, brat, w3c, csvfile, xmi)}

#: The formats that can also be read (``read(path) -> Iterator[Incoming]``), for ``annotty import``.
READERS: dict[str, ModuleType] = {name: module for name, module in FORMATS.items() if hasattr(module, "read")}

__all__ = ["READERS", "FORMATS", "ExportContext", "ExportDoc", "ExportError", "Filters", "export", "export_docs"]


class ExportContext:
    """What a format may need beyond the annotations: the spaCy pipeline, loaded once and only if asked,
    and the model's entities and sentences per article."""

    #: Articles handed to the model together; bounds memory whatever the corpus size.
    BATCH = 16
    #: Longer texts go through the chunked path, which keeps under the pipeline's max_length.
    LONG_TEXT = 100_000

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.model = model
        self._nlp = None
        self._recogniser = None

    def pipeline(self):
        if self._nlp is None:
            from ..nlp import load_pipeline

            self._nlp = load_pipeline(self.model)
        return self._nlp

    def tokenizer(self) -> Callable:
        """The pipeline's tokenizer alone (the same tokens the model sees)."""
        return self.pipeline().make_doc

    def analysed(self, docs: Iterable[ExportDoc]) -> Iterator[tuple[ExportDoc, "Doc"]]:
        """Each doc with a spaCy Doc of its article holding tokens, sentences and the model's entities.

        An article the reader has analysed comes from its cache (no model run); the others
        go through the entity and sentence recognisers only, in batches.
        """
        from ..analysis import Analyser

        analyser = Analyser(self.model)
        batch: list[ExportDoc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) == self.BATCH:
                yield from self._analyse_batch(analyser, batch)
                batch = []
        if batch:
            yield from self._analyse_batch(analyser, batch)

    def _analyse_batch(self, analyser, batch: list[ExportDoc]) -> Iterator[tuple[ExportDoc, "Doc"]]:
        from ..nlp import parse

        cached = [analyser.cached(doc.article) for doc in batch]
        todo = [doc.article.text for doc, found in zip(batch, cached)
                if found is None and len(doc.article.text) <= self.LONG_TEXT]
        recogniser = self.recogniser() if any(found is None for found in cached) else None
        parsed = iter(recogniser.pipe(todo, batch_size=self.BATCH)) if todo else iter(())
        for doc, found in zip(batch, cached):
            if found is not None:
                yield doc, self._from_analysis(doc.article.text, found)
            elif len(doc.article.text) > self.LONG_TEXT:
                yield doc, parse(recogniser, doc.article.text)
            else:
                yield doc, next(parsed)

    def recogniser(self):
        """The pipeline with only what finds entities and sentences switched on (several times quicker)."""
        if self._recogniser is None:
            nlp = self.pipeline()
            wanted = {"tok2vec", "transformer", "ner", "senter"} | ({"parser"} if "senter" not in nlp.component_names else set())
            for name in nlp.component_names:
                if name in wanted and name in nlp.disabled:
                    nlp.enable_pipe(name)
                elif name not in wanted and name not in nlp.disabled:
                    nlp.disable_pipe(name)
            self._recogniser = nlp
        return self._recogniser

    def _from_analysis(self, text: str, analysis) -> "Doc":
        from spacy.util import filter_spans

        doc = self.tokenizer()(text)
        starts = {start for start, _ in analysis.sentences}
        for token in doc:
            token.is_sent_start = token.i == 0 or token.idx in starts
        spans = [doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand") for e in analysis.entities]
        doc.ents = filter_spans([s for s in spans if s is not None])
        return doc


def export(
    store: Store,
    fmt: str,
    out: Path | BinaryIO,
    *,
    filters: Filters = Filters(),
    force: bool = False,
    context: ExportContext | None = None,
    progress: Callable[[Iterable[ExportDoc], int], Iterator[ExportDoc]] | None = None,
) -> int:
    """Write *store*'s annotations in format *fmt* to *out* (a path, or an open stream such as standard
    output, for the formats that are one file); returns how many items were written."""
    module = FORMATS[fmt]
    if not isinstance(out, Path) and module.KIND == "folder":
        raise ExportError(f"a {fmt} export is a folder: name one with --out")
    context = context or ExportContext()
    docs: Iterable[ExportDoc] = export_docs(store, filters)
    if progress is not None:
        total = sum(1 for article in store.articles() if filters.keeps_article(article))
        docs = progress(docs, total)
    if module.KIND == "folder":
        with folder_output(out, force) as folder:
            return module.write(docs, folder, context)
    if not isinstance(out, Path):
        return module.write(docs, out, context)
    with file_output(out, force) as handle:
        return module.write(docs, handle, context)
