"""The suggestions panel: each suggested quote or claim with speaker, confidence and reasons."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from rich.text import Text

from annotations.speakers import speaker_name

from .side_panel import SidePanel, excerpt

if TYPE_CHECKING:  # the suggester is imported by the analysis, not at start-up
    from annotations.suggest import Suggestion


class SuggestionPanel(SidePanel):
    DEFAULT_CSS = """
    SuggestionPanel { width: 44; border-left: tall $accent; }
    """

    EMPTY = "no suggestions (yet): * shows all"

    def show_suggestions(self, suggestions: list[Suggestion], rejected: Collection[tuple[str, int, int]] = ()) -> None:
        """List *suggestions*; those in *rejected* (label, start, end) are dimmed and say so."""
        def prompt(s: Suggestion) -> Text:
            who = speaker_name(s.speaker)
            was_rejected = (s.label, s.start, s.end) in rejected
            entry = Text("\n").join([
                Text.assemble((s.label, "bold"), f" {s.confidence:.2f}", (f"  {who}" if who else "", "italic"),
                              ("  rejected (x un-rejects)" if was_rejected else "", "")),
                Text(excerpt(s.text, 42), style="dim"),
                Text(excerpt(", ".join(s.reasons), 42), style="dim italic"),
            ])
            if was_rejected:
                entry.stylize("dim")
            return entry

        # Values start with the offset to jump to, and are unique.
        self.replace_entries((prompt(s), f"{s.start}:{s.end}:{s.label}") for s in suggestions)
