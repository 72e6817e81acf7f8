"""The reader's selection keys: start or clear a selection, extend it with a motion, select the
sentence or the quotation at the cursor. A plain object the reader holds; the view keeps the selection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotations import targets
from annotations.quotations import quotation_at

if TYPE_CHECKING:
    from .reader import ReaderScreen


class Selecting:
    def __init__(self, reader: ReaderScreen) -> None:
        self.reader = reader

    def toggle(self) -> None:
        view = self.reader.view
        if view.selection is None:
            view.start_selection()
        else:
            view.clear_selection()

    def clear(self) -> None:
        """Esc: clears the selection, and cancels a speaker link half made."""
        self.reader.tagging.cancel_linking()
        self.reader.view.clear_selection()

    def extend(self, motion: str) -> None:
        """Shift and a motion: the selection grows (or starts) as the cursor moves."""
        if self.reader.view.selection is None:
            self.reader.view.start_selection()
        getattr(self.reader, f"action_{motion}")()

    def select_sentence(self) -> None:
        reader = self.reader
        span = targets.sentence_under(reader.segments, reader.view.cursor)
        if span is None:
            reader.notify("no sentence under the cursor", markup=False)
            return
        reader.view.select(*span)

    def select_quotation(self) -> None:
        reader = self.reader
        span = quotation_at(reader.view.text, reader.view.cursor)
        if span is None:
            reader.notify("the cursor is not inside a quotation", markup=False)
            return
        reader.view.select(*span)
