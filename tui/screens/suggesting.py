"""Suggestions in the reader: which to show, and accepting or rejecting them one key at a time.

A mixin of :class:`~tui.screens.reader.ReaderScreen` (see :mod:`tui.screens.tagging`).
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from annotations.history import Create
from annotations.model import CLAIM, Annotation
from annotations.store import Op

from ..widgets.article_view import Mark
from ..widgets.suggestion_panel import SuggestionPanel

if TYPE_CHECKING:  # the suggester is imported by the analysis, not at start-up
    from annotations.suggest import Suggestion


class Suggesting:
    def refresh_suggestions(self) -> None:
        """Suggestions worth showing: above the threshold (unless all are asked for), not rejected, not taken."""
        taken = {(a.label, a.start, a.end) for a in self.annotations}
        threshold = 0.0 if self.show_all_suggestions else self.app.options.threshold
        self.suggestions = [
            s for s in self.all_suggestions
            if s.confidence >= threshold
            and (s.label, s.start, s.end) not in self.rejected
            and (s.label, s.start, s.end) not in taken
            and (self.show_all_suggestions or s.kind != "indirect")
        ]
        marks = [Mark(a.start, a.end, a.label) for a in self.annotations if not a.is_entity]
        marks += [Mark(s.start, s.end, s.label, suggestion=True) for s in self.suggestions]
        self.view.set_marks(marks)
        self.refresh_panels()

    def suggestion_at(self, offset: int) -> Suggestion | None:
        # Asked on every cursor move: found by bisection, as a long article has thousands.
        by_start, starts, longest = self._suggestion_index()
        low = bisect.bisect_left(starts, offset - longest)
        high = bisect.bisect_right(starts, offset)
        found = [s for s in by_start[low:high] if s.start <= offset < s.end]
        return min(found, key=lambda s: s.end - s.start) if found else None

    def _suggestion_index(self) -> tuple[list[Suggestion], list[int], int]:
        """The shown suggestions sorted by start, their starts, the longest one's length."""
        index = getattr(self, "_suggestions_indexed", None)
        if index is None or index[0] is not self.suggestions:
            by_start = sorted(self.suggestions, key=lambda s: s.start)
            longest = max((s.end - s.start for s in by_start), default=0)
            index = (self.suggestions, (by_start, [s.start for s in by_start], longest))
            self._suggestions_indexed = index
        return index[1]

    def accept(self, suggestion: Suggestion) -> Annotation:
        assert self.article is not None
        attrs: dict = {"confidence": suggestion.confidence, "reasons": list(suggestion.reasons)}
        if suggestion.speaker:
            attrs["speaker"] = dict(suggestion.speaker)
        if suggestion.kind:
            attrs["kind"] = suggestion.kind
        if suggestion.label == CLAIM:
            attrs["status"] = "unchecked"
        ann = Annotation.create(
            article_id=self.article.id,
            source=self.article.source,
            article_text=self.view.text,
            label=suggestion.label,
            start=suggestion.start,
            end=suggestion.end,
            annotator=self.app.annotator,
            attrs=attrs,
            origin=f"{suggestion.rule}@{suggestion.confidence:.2f}",
        )
        self.app.history.apply(Create(ann))
        return ann

    def action_accept(self) -> None:
        suggestion = self.suggestion_at(self.view.cursor)
        if suggestion is None:
            self.notify("no suggestion under the cursor (] jumps to the next)", markup=False)
            return
        self.accept(suggestion)
        self.status.saving = "saving"
        self.annotations_changed()

    def action_reject(self) -> None:
        suggestion = self.suggestion_at(self.view.cursor)
        if suggestion is None:
            self.notify("no suggestion under the cursor (] jumps to the next)", markup=False)
            return
        assert self.article is not None
        key = (suggestion.label, suggestion.start, suggestion.end)
        self.rejected.add(key)
        self.app.saves.submit(Op.rejection(self.article.id, self.app.annotator, *key))
        self.status.saving = "saving"
        self.refresh_suggestions()
        self.status.under_cursor = self.describe(self.view.cursor)

    def action_accept_all(self) -> None:
        above = [s for s in self.suggestions if s.confidence >= self.app.options.threshold]
        if not above:
            self.notify("no suggestions above the threshold", markup=False)
            return
        if not self._accept_all_armed:
            self._accept_all_armed = True
            self.set_timer(5, lambda: setattr(self, "_accept_all_armed", False))
            self.notify(f"accept all {len(above)} suggestions above {self.app.options.threshold:.2f}? press ! again",
                        markup=False, timeout=5)
            return
        self._accept_all_armed = False
        for suggestion in above:
            self.accept(suggestion)
        self.status.saving = "saving"
        self.annotations_changed()
        self.notify(f"accepted {len(above)} suggestions", markup=False)

    def action_toggle_all_suggestions(self) -> None:
        self.show_all_suggestions = not self.show_all_suggestions
        self.refresh_suggestions()
        self.notify("showing all suggestions" if self.show_all_suggestions else "showing confident suggestions",
                    markup=False)

    def action_toggle_suggestion_panel(self) -> None:
        self.toggle_panel(self.query_one(SuggestionPanel))
