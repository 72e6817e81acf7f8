"""The status bar: article, position, analysis state, what is under the cursor, saving."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


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

    def render(self) -> Text:
        # Built from plain strings: article titles and file names are never markup.
        right = Text.assemble(
            (f" {self.under_cursor} " if self.under_cursor else "", "italic"),
            (f" {self.analysis} ", "bold"),
            (f" {self.saving} " if self.saving else "", "reverse" if "fail" in self.saving else ""),
            (f" {self.database} " if self.database else "", "dim"),
            (f" {self.position} ", "bold"),
        )
        width = self.size.width
        room = max(0, width - right.cell_len - 1)
        left = Text(f" {self.title}", no_wrap=True, overflow="ellipsis")
        left.truncate(room, overflow="ellipsis", pad=True)
        return Text.assemble(left, right, no_wrap=True, overflow="crop")
