"""The reader's suggestion keys turned into session commands: accept, reject (or take a rejection back),
accept all (asked twice), show all.

A plain object the reader holds. `a` and `x` act on the entry highlighted in the suggestions
panel while the panel has the focus, and otherwise on the suggestion under the cursor (the one
`]` or `[` went to, when two share a place: :class:`annotations.targets.Marks`). Accepting,
rejecting and accepting all are each one undo step. `*` shows every suggestion, the rejected
ones too (dimmed). Which suggestions show is the session's to say (annotations/editing.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..widgets.suggestion_panel import SuggestionPanel

if TYPE_CHECKING:  # the suggester is imported by the analysis, not at start-up
    from annotations.suggest import Suggestion

    from .reader import ReaderScreen

#: Seconds within which a second `!` accepts them all.
ACCEPT_ALL_WITHIN = 5


class Suggesting:
    def __init__(self, reader: ReaderScreen) -> None:
        self.reader = reader
        self._accept_all_armed = False

    def _notify(self, message: str, **options) -> None:
        """A notification, said first in the status bar too, in place of what the last key said there."""
        self.reader.say(message)
        self.reader.notify(message, markup=False, **options)

    def target(self) -> Suggestion | None:
        """What `a` and `x` act on: the highlighted entry of the focused suggestions panel, else the cursor's."""
        reader = self.reader
        panel = reader.app.focused  # the panel, if it is mounted and focused
        if isinstance(panel, SuggestionPanel) and panel.highlighted is not None:
            value = panel.get_option_at_index(panel.highlighted).id
            if value is None:  # the "no suggestions" line
                return None
            start, end, label = value.split(":", 2)
            key = (int(start), int(end), label)
            return next((s for s in reader.suggestions if (s.start, s.end, s.label) == key), None)
        return reader.suggestion_at(reader.view.cursor)

    def _no_target(self) -> None:
        if isinstance(self.reader.app.focused, SuggestionPanel):
            self._notify("no suggestion highlighted in the panel")
        else:
            self._notify("no suggestion under the cursor (] jumps to the next)")

    def accept(self) -> None:
        suggestion = self.target()
        if suggestion is None:
            self._no_target()
            return
        self.reader.session.accept(suggestion)
        self.reader.show_saving()
        # What the last key said ("rejected (u undoes)") no longer holds; the new tag shows under the cursor.
        self.reader.forget_note()
        self.reader.status.under_cursor = self.reader.describe(self.reader.view.cursor)

    def reject(self) -> None:
        suggestion = self.target()
        if suggestion is None:
            self._no_target()
            return
        session = self.reader.session
        rejected = session.is_rejected(suggestion)
        session.reject(suggestion)  # or takes the rejection back
        self.reader.show_saving()
        self.reader.say("rejection taken back" if rejected else "rejected (u undoes)")

    def accept_all(self) -> None:
        session = self.reader.session
        above = session.accept_all_candidates()
        if not above:
            self._notify("no suggestions above the threshold")
            return
        if not self._accept_all_armed:
            self._accept_all_armed = True
            self.reader.set_timer(ACCEPT_ALL_WITHIN, lambda: setattr(self, "_accept_all_armed", False))
            self._notify(f"accept all {len(above)} suggestions above {session.threshold:.2f}? press ! again",
                         timeout=ACCEPT_ALL_WITHIN)
            return
        self._accept_all_armed = False
        count = session.accept_all()
        self.reader.show_saving()
        self._notify(f"accepted {count} {'suggestion' if count == 1 else 'suggestions'} (u undoes them all)")

    def toggle_all(self) -> None:
        reader = self.reader
        showing_all = reader.session.toggle_all_suggestions()
        reader.drawing.marks()
        reader.status.under_cursor = reader.describe(reader.view.cursor)
        self._notify("showing all suggestions, rejected ones dimmed (x takes a rejection back)" if showing_all
                     else "showing confident suggestions")
