"""The entity legend: each label with its style and count; a digit toggles a label."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widget import Widget


@dataclass(frozen=True)
class LegendEntry:
    label: str
    count: int
    style: Style
    hidden: bool


class Legend(Widget):
    DEFAULT_CSS = """
    Legend {
        height: auto;
        max-height: 2;
        background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[LegendEntry] = []
        self._enabled = True

    def update_entries(self, entries: list[LegendEntry], enabled: bool) -> None:
        # Counts change with every chunk of a long analysis; the legend's height (and so the
        # screen's layout, which repaints the scrollbar too) can change only with its words' lengths.
        shape = [(e.label, len(str(e.count))) for e in entries]
        layout = shape != [(e.label, len(str(e.count))) for e in self._entries] or enabled != self._enabled
        self._entries = entries
        self._enabled = enabled
        self.refresh(layout=layout)

    def render(self) -> Text:
        if not self._entries:
            return Text("no entities yet", style="dim")
        parts: list[Text] = []
        if not self._enabled:
            parts.append(Text("highlighting off  ", style="bold"))
        for number, entry in enumerate(self._entries, start=1):
            key = str(number) if number <= 9 else " "
            style = Style(dim=True, strike=True) if entry.hidden or not self._enabled else entry.style
            parts.append(Text.assemble((key, "bold"), " ", (entry.label, style), f" {entry.count}  "))
        return Text.assemble(*parts)
