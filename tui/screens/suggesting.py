"""Suggestions in the reader: which to show, and accepting or rejecting them one key at a time.

A mixin of :class:`~tui.screens.reader.ReaderScreen` (see :mod:`tui.screens.tagging`).
`a` and `x` act on the entry highlighted in the suggestions panel while the panel has
the focus, and otherwise on the suggestion under the cursor (the one `]` or `[` went to,
when two share a place). Accepting, rejecting and accepting all are each one undo step.
`*` shows every suggestion, the rejected ones too (dimmed); `x` on a rejected one takes
the rejection back. Which suggestions show is the session's to say (annotations/editing.py).
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from collections.abc import Iterable

from ..widgets.article_view import Mark
from ..widgets.suggestion_panel import SuggestionPanel

if TYPE_CHECKING:  # the suggester is imported by the analysis, not at start-up
    from annotations.suggest import Suggestion


class Suggesting:
    def refresh_suggestions(self, changed: Iterable[tuple[int, int]] | None = None) -> None:
        """Draw the annotations and the shown suggestions again: only the lines of the *changed* spans, or all."""
        rejected = self.session.rejected
        letters = self.layer_letters()
        marks = [Mark(a.start, a.end, a.label, whose=letters.get(a.annotator, "")) for a in self.annotations
                 if not a.is_entity]
        marks += [Mark(s.start, s.end, s.label, suggestion=True, dim=(s.label, s.start, s.end) in rejected)
                  for s in self.suggestions]
        self.view.set_marks(marks, changed)
        self.refresh_panels()

    def suggestions_at(self, offset: int) -> list[Suggestion]:
        """The suggestions shown under *offset*."""
        # Asked on every cursor move: found by bisection, as a long article has thousands.
        by_start, starts, longest = self._suggestion_index()
        low = bisect.bisect_left(starts, offset - longest)
        high = bisect.bisect_right(starts, offset)
        return [s for s in by_start[low:high] if s.start <= offset < s.end]

    def suggestion_at(self, offset: int) -> Suggestion | None:
        """The suggestion shown under *offset*: the one `]`/`[` went to, else the shortest."""
        found = self.suggestions_at(offset)
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
        self.session.accept(suggestion)
        self.status.saving = "saving"

    def action_reject(self) -> None:
        suggestion = self.target_suggestion()
        if suggestion is None:
            self._no_target()
            return
        rejected = self.session.is_rejected(suggestion)
        self.session.reject(suggestion)  # or takes the rejection back
        self.status.saving = "saving"
        self.say("rejection taken back" if rejected else "rejected (u undoes)")

    def action_accept_all(self) -> None:
        above = self.session.accept_all_candidates()
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
        count = self.session.accept_all()
        self.status.saving = "saving"
        self.notify(f"accepted {count} {'suggestion' if count == 1 else 'suggestions'} (u undoes them all)",
                    markup=False)

    def action_toggle_all_suggestions(self) -> None:
        showing_all = self.session.toggle_all_suggestions()
        self.refresh_suggestions()
        self.status.under_cursor = self.describe(self.view.cursor)
        self.notify("showing all suggestions, rejected ones dimmed (x takes a rejection back)" if showing_all
                    else "showing confident suggestions", markup=False)

    def action_toggle_suggestion_panel(self) -> None:
        self.when_mounted(SuggestionPanel, self.toggle_panel)
