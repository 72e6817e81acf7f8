"""Suggestions in the reader: which to show, and accepting or rejecting them one key at a time.

A mixin of :class:`~tui.screens.reader.ReaderScreen` (see :mod:`tui.screens.tagging`).
`a` and `x` act on the entry highlighted in the suggestions panel while the panel has
the focus, and otherwise on the suggestion under the cursor (the one `]` or `[` went to,
when two share a place). Accepting, rejecting and accepting all are each one undo step.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from annotations.history import Batch, Create, Reject
from annotations.model import CLAIM, Annotation

from ..widgets.article_view import Mark
from ..widgets.suggestion_panel import SuggestionPanel

if TYPE_CHECKING:  # the suggester is imported by the analysis, not at start-up
    from annotations.suggest import Suggestion


class Suggesting:
    @property
    def rejected(self) -> frozenset[tuple[str, int, int]]:
        """(label, start, end) of the open article's suggestions this annotator rejected."""
        if self.article is None:
            return frozenset()
        return self.app.history.rejections.for_article(self.article.id)

    def refresh_suggestions(self) -> None:
        """Suggestions worth showing: above the threshold (unless all are asked for), not rejected, not taken."""
        taken = {(a.label, a.start, a.end) for a in self.annotations}
        rejected = self.rejected
        threshold = 0.0 if self.show_all_suggestions else self.app.options.threshold
        self.suggestions = [
            s for s in self.all_suggestions
            if s.confidence >= threshold
            and (s.label, s.start, s.end) not in rejected
            and (s.label, s.start, s.end) not in taken
            and (self.show_all_suggestions or s.kind != "indirect")
        ]
        marks = [Mark(a.start, a.end, a.label) for a in self.annotations if not a.is_entity]
        marks += [Mark(s.start, s.end, s.label, suggestion=True) for s in self.suggestions]
        self.view.set_marks(marks)
        self.refresh_panels()

    def suggestion_at(self, offset: int) -> Suggestion | None:
        """The suggestion shown under *offset*: the one `]`/`[` went to, else the shortest."""
        # Asked on every cursor move: found by bisection, as a long article has thousands.
        by_start, starts, longest = self._suggestion_index()
        low = bisect.bisect_left(starts, offset - longest)
        high = bisect.bisect_right(starts, offset)
        found = [s for s in by_start[low:high] if s.start <= offset < s.end]
        current = self._current_mark
        for s in found:
            if current is not None and current[:3] == (s.start, s.end, s.label) and current[3] == "":
                return s
        return min(found, key=lambda s: (s.end - s.start, s.label)) if found else None

    def _suggestion_index(self) -> tuple[list[Suggestion], list[int], int]:
        """The shown suggestions sorted by start, their starts, the longest one's length."""
        index = getattr(self, "_suggestions_indexed", None)
        if index is None or index[0] is not self.suggestions:
            by_start = sorted(self.suggestions, key=lambda s: s.start)
            longest = max((s.end - s.start for s in by_start), default=0)
            index = (self.suggestions, (by_start, [s.start for s in by_start], longest))
            self._suggestions_indexed = index
        return index[1]

    def target_suggestion(self) -> Suggestion | None:
        """What `a` and `x` act on: the highlighted entry of the focused suggestions panel, else the cursor's."""
        panel = self.app.focused  # the panel, if it is mounted and focused
        if isinstance(panel, SuggestionPanel) and panel.highlighted is not None:
            value = panel.get_option_at_index(panel.highlighted).id
            if value is None:  # the "no suggestions" line
                return None
            start, end, label = value.split(":", 2)
            key = (int(start), int(end), label)
            return next((s for s in self.suggestions if (s.start, s.end, s.label) == key), None)
        return self.suggestion_at(self.view.cursor)

    def accepted(self, suggestion: Suggestion) -> Annotation:
        """The annotation that accepting *suggestion* stores: its span, speaker, kind, confidence and reasons,
        with the rule and confidence as its origin."""
        assert self.article is not None
        attrs: dict = {"confidence": suggestion.confidence, "reasons": list(suggestion.reasons)}
        if suggestion.speaker:
            attrs["speaker"] = dict(suggestion.speaker)
        if suggestion.kind:
            attrs["kind"] = suggestion.kind
        if suggestion.label == CLAIM:
            attrs["status"] = "unchecked"
        return Annotation.create(
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

    def _no_target(self) -> None:
        if isinstance(self.app.focused, SuggestionPanel):
            self.notify("no suggestion highlighted in the panel", markup=False)
        else:
            self.notify("no suggestion under the cursor (] jumps to the next)", markup=False)

    def action_accept(self) -> None:
        suggestion = self.target_suggestion()
        if suggestion is None:
            self._no_target()
            return
        self.app.history.apply(Create(self.accepted(suggestion)))
        self.status.saving = "saving"
        self.annotations_changed()

    def action_reject(self) -> None:
        suggestion = self.target_suggestion()
        if suggestion is None:
            self._no_target()
            return
        assert self.article is not None
        self.app.history.apply(Reject(
            self.article.id, self.app.annotator, suggestion.label, suggestion.start, suggestion.end, suggestion.text,
        ))
        self.status.saving = "saving"
        self.refresh_suggestions()
        self.status.under_cursor = self.describe(self.view.cursor)

    def action_accept_all(self) -> None:
        # Two suggesters may offer the same span and label: it is stored once.
        above = list({
            (s.label, s.start, s.end): s for s in self.suggestions if s.confidence >= self.app.options.threshold
        }.values())
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
        noun = "suggestion" if len(above) == 1 else "suggestions"
        batch = Batch(tuple(Create(self.accepted(s)) for s in above), f"accept of {len(above)} {noun}")
        self.app.history.apply(batch)
        self.status.saving = "saving"
        self.annotations_changed()
        self.notify(f"accepted {len(above)} {noun} (u undoes them all)", markup=False)

    def action_toggle_all_suggestions(self) -> None:
        self.show_all_suggestions = not self.show_all_suggestions
        self.refresh_suggestions()
        self.notify("showing all suggestions" if self.show_all_suggestions else "showing confident suggestions",
                    markup=False)

    def action_toggle_suggestion_panel(self) -> None:
        self.when_mounted(SuggestionPanel, self.toggle_panel)
