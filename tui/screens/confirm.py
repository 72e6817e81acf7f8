"""A yes/no question over the reader: the keys that confirm are named in the question."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class Confirm(ModalScreen[bool]):
    """Asks *question*; @, y or enter answers yes (so a second @ confirms a speaker link), n or esc no."""

    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical {
        width: 64; max-width: 100%; height: auto;
        border: round $warning; background: $surface; padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("y,enter,at", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str, keys: str) -> None:
        super().__init__()
        self.question = question
        self.keys = keys

    def compose(self) -> ComposeResult:
        # Text, never markup: the question quotes words of the article.
        with Vertical():
            yield Static(Text(self.question), id="question")
            yield Static(Text(self.keys, style="dim"), id="keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
