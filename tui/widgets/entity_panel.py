"""The entity panel: the article's entities grouped by text, with counts."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from annotations.model import Entity


class EntityPanel(OptionList):
    DEFAULT_CSS = """
    EntityPanel {
        dock: right;
        width: 32;
        border-left: tall $primary;
        display: none;
        &.-shown { display: block; }
    }
    """

    class Chosen(Message):
        """Jump to the next occurrence of this entity text."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def show_entities(self, entities: list[Entity]) -> None:
        counts = Counter((e.text, e.label) for e in entities)
        highlighted = self.highlighted
        self.clear_options()
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0].lower()))
        self.add_options(
            Option(Text.assemble((f"{count:>3} ", "bold"), text, (f"  {label}", "dim")), id=f"{label}\0{text}")
            for (text, label), count in ordered
        )
        if highlighted is not None and self.option_count:
            self.highlighted = min(highlighted, self.option_count - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id.split("\0", 1)[1]))
