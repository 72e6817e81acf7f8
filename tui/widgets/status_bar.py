"""The status bar: article, position, analysis state, what is under the cursor, saving."""

from __future__ import annotations

import os

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

#: Fields that give way, in this order, when the bar is too narrow; the save state
#: and the position never do.
SHRINK_ORDER = ("database", "under_cursor", "analysis")


def shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: width - 1] + "…" if width >= 4 else ""


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    title: reactive[str] = reactive("")
    position: reactive[str] = reactive("")
    analysis: reactive[str] = reactive("")
    under_cursor: reactive[str] = reactive("")
    saving: reactive[str] = reactive("")
    database: reactive[str] = reactive("")

    def fields(self, width: int) -> dict[str, str]:
        """The right-hand fields, shortened to leave the title some room where possible."""
        fields = {
            "under_cursor": self.under_cursor,
            "analysis": self.analysis,
            "saving": self.saving,
            "database": self.database,
            "position": self.position,
        }
        budget = width - 12  # keep a little of the title in sight

        def overflow() -> int:
            return sum(len(v) + 2 for v in fields.values() if v) - budget

        if overflow() > 0:
            fields["database"] = os.path.basename(self.database)
        for name in SHRINK_ORDER:
            if (excess := overflow()) > 0:
                fields[name] = shorten(fields[name], len(fields[name]) - excess)
        return fields

    def render(self) -> Text:
        # Built from plain strings: article titles and file names are never markup.
        fields = self.fields(self.size.width)
        styles = {
            "under_cursor": "italic",
            "analysis": "bold",
            "saving": "reverse" if "fail" in self.saving else "",
            "database": "dim",
            "position": "bold",
        }
        right = Text.assemble(*((f" {value} ", styles[name]) for name, value in fields.items() if value))
        room = max(0, self.size.width - right.cell_len - 1)
        left = Text(f" {self.title}", no_wrap=True)
        left.truncate(room, overflow="ellipsis", pad=True)
        return Text.assemble(left, right, no_wrap=True, overflow="crop")
