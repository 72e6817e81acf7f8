"""The label picker: choose a label for the selection with one key."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class LabelPicker(ModalScreen[str | None]):
    """Each label with its key; the key or enter picks, esc cancels."""

    DEFAULT_CSS = """
    LabelPicker { align: center middle; }
    LabelPicker > OptionList { width: 44; max-height: 80%; border: round $primary; }
    LabelPicker > Static { width: 44; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="label-cancel")]

    def __init__(self, labels: list[tuple[str, str]]) -> None:
        """*labels* are (label, key) pairs; key may be empty."""
        super().__init__()
        self._labels = labels

    def compose(self) -> ComposeResult:
        yield Static(Text("Tag as: press a key, or move and enter", style="bold"))
        yield OptionList(
            *(
                Option(Text.assemble((f"{key or ' ':>2} ", "bold"), label), id=label)
                for label, key in self._labels
            )
        )

    def on_key(self, event: Key) -> None:
        for label, key in self._labels:
            if key and event.character == key:
                event.stop()
                self.dismiss(label)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
