"""A list beside the text that the reader shows and hides; enter chooses an entry, esc closes it.

The reader lays the panels out (their width, and the whole area on a narrow terminal).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class SidePanel(OptionList):
    DEFAULT_CSS = """
    SidePanel {
        border-left: tall $primary;
        display: none;
        &.-shown { display: block; }
    }
    """

    BINDINGS = [Binding("escape", "close", "Close panel", id="close-panel", show=False)]

    class Closed(Message):
        """The panel asks to be hidden."""

        def __init__(self, panel: "SidePanel") -> None:
            super().__init__()
            self.panel = panel

        @property
        def control(self) -> "SidePanel":
            return self.panel

    class Chosen(Message):
        """An entry was chosen; *value* is its option id."""

        def __init__(self, panel: "SidePanel", value: str) -> None:
            super().__init__()
            self.panel = panel
            self.value = value

        @property
        def control(self) -> "SidePanel":
            return self.panel

    #: Shown, and not choosable, when there are no entries.
    EMPTY = "nothing here yet"

    def replace_entries(self, entries: Iterable[tuple[Text, str]]) -> None:
        """Show (prompt, value) entries, keeping the highlighted row where it was."""
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(Option(prompt, id=value) for prompt, value in entries)
        if not self.option_count:
            self.add_option(Option(Text(self.EMPTY, style="dim"), disabled=True))
        elif highlighted is not None:
            self.highlighted = min(highlighted, self.option_count - 1)

    def action_close(self) -> None:
        self.post_message(self.Closed(self))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(self, event.option.id))


def excerpt(text: str, width: int = 40) -> str:
    """*text* on one line, cut after the last whole word that fits in *width* cells, with an ellipsis."""
    flat = " ".join(text.split())
    if cell_len(flat) <= width:
        return flat
    kept = ""
    for word in flat.split(" "):
        longer = f"{kept} {word}" if kept else word
        if cell_len(longer) > width - 1:
            break
        kept = longer
    if not kept:  # one word wider than the room: cut it
        kept = set_cell_size(flat, max(0, width - 1))
    return kept.rstrip(",;:") + "…"
