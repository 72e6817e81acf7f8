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


#: The digits 1 to LABEL_KEYS toggle the legend's first labels, numbered in it.
LABEL_KEYS = 9
#: Lines the legend may take; entries that do not fit are counted at the end of the last one.
MAX_LINES = 2
SEPARATOR = "  "


class Legend(Widget):
    DEFAULT_CSS = f"""
    Legend {{
        height: auto;
        max-height: {MAX_LINES};
        background: $surface;
        padding: 0 1;
    }}
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

    def _items(self) -> list[Text]:
        items: list[Text] = []
        if not self._enabled:
            items.append(Text("highlighting off", style="bold"))
        for number, entry in enumerate(self._entries, start=1):
            key = f"{number} " if number <= LABEL_KEYS else ""
            style = Style(dim=True, strike=True) if entry.hidden or not self._enabled else entry.style
            items.append(Text.assemble((key, "bold"), (entry.label, style), f" {entry.count}"))
        return items

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.lines(self._items(), max(1, width))) if self._entries else 1

    def render(self) -> Text:
        if not self._entries:
            return Text("no entities yet", style="dim")
        return Text("\n", no_wrap=True).join(self.lines(self._items(), max(1, self.size.width)))

    @staticmethod
    def lines(items: list[Text], width: int) -> list[Text]:
        """*items* packed into at most MAX_LINES lines of *width* cells, breaking only between items;
        the items that do not fit are counted ("+3 more") at the end of the last line."""
        lines: list[list[Text]] = [[]]
        used = 0
        for item in items:
            needed = item.cell_len + (len(SEPARATOR) if lines[-1] else 0)
            if lines[-1] and used + needed > width:
                lines.append([])
                used, needed = 0, item.cell_len
            lines[-1].append(item)
            used += needed
        if len(lines) > MAX_LINES:
            kept = lines[:MAX_LINES]
            last = kept[-1]
            while True:
                left = len(items) - sum(len(line) for line in kept)
                more = Text(f"+{left} more", style="dim")
                if not last or sum(i.cell_len for i in last) + len(SEPARATOR) * len(last) + more.cell_len <= width:
                    break
                last.pop()
            last.append(more)
            lines = kept
        return [Text(SEPARATOR, no_wrap=True).join(line) for line in lines]
