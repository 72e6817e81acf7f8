"""Exports and imports: one module per format, each with ``NAME``, ``SUFFIX``, ``KIND`` ("file" or
"folder") and ``write(docs, target, context) -> count``, and ``read(path)`` where the format can be
imported. :data:`FORMATS` and :data:`READERS` are the registries; importing.py anchors what is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import ModuleType

from ..nlp import DEFAULT_MODEL
from ..store import Store
from . import brat, csvfile, docbin, jsonl, w3c, xmi
from .output import ExportError, file_output, folder_output
from .records import ExportDoc, Filters, export_docs

FORMATS: dict[str, ModuleType] = {module.NAME: module for module in (jsonl, docbin, brat, w3c, csvfile, xmi)}

#: The formats that can also be read (``read(path) -> Iterator[Incoming]``), for ``annotty import``.
READERS: dict[str, ModuleType] = {name: module for name, module in FORMATS.items() if hasattr(module, "read")}

__all__ = ["READERS", "FORMATS", "ExportContext", "ExportDoc", "ExportError", "Filters", "export", "export_docs"]


class ExportContext:
    """What a format may need beyond the annotations: the spaCy pipeline, loaded once and only if asked."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.model = model
        self._nlp = None

    def pipeline(self):
        if self._nlp is None:
            from ..nlp import load_pipeline

            self._nlp = load_pipeline(self.model)
        return self._nlp

    def tokenizer(self) -> Callable:
        """The pipeline's tokenizer alone (the same tokens the model sees)."""
        return self.pipeline().make_doc


def export(
    store: Store,
    fmt: str,
    out: Path,
    *,
    filters: Filters = Filters(),
    force: bool = False,
    context: ExportContext | None = None,
    progress: Callable[[Iterable[ExportDoc], int], Iterator[ExportDoc]] | None = None,
) -> int:
    """Write *store*'s annotations in format *fmt* to *out*; returns how many items were written."""
    module = FORMATS[fmt]
    context = context or ExportContext()
    docs: Iterable[ExportDoc] = export_docs(store, filters)
    if progress is not None:
        total = sum(1 for article in store.articles() if filters.keeps_article(article))
        docs = progress(docs, total)
    if module.KIND == "folder":
        with folder_output(out, force) as folder:
            return module.write(docs, folder, context)
    with file_output(out, force) as handle:
        return module.write(docs, handle, context)
