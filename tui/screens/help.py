"""The help screen: every key of the screen underneath, as currently bound."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..keymap import config_path


def describe_key(key: str) -> str:
    names = {
        "right_parenthesis": ")", "left_parenthesis": "(", "right_curly_bracket": "}",
        "left_curly_bracket": "{", "question_mark": "?", "slash": "/", "quotation_mark": '"',
        "greater_than_sign": ">", "less_than_sign": "<", "left_square_bracket": "[",
        "right_square_bracket": "]", "space": "space", "escape": "esc",
    }
    return ", ".join(names.get(k.strip(), k.strip()) for k in key.split(","))


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 76;
        max-width: 100%;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help-close"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self._under = under

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=True)
        table.add_column("Key", no_wrap=True)
        table.add_column("Does")
        table.add_column("Id", style="dim")
        keymap = getattr(self.app, "user_keys", {})
        bindings: list[Binding] = [*self._under.BINDINGS, *self.app.BINDINGS]
        for binding in bindings:
            if not isinstance(binding, Binding):
                continue
            key = keymap.get(binding.id, binding.key) if binding.id else binding.key
            table.add_row(Text(describe_key(key)), Text(binding.description), Text(binding.id or ""))
        table.add_row(Text("ctrl+p"), Text("Command palette"), Text(""))
        footer = Text(f"\nRemap keys in {config_path()} ([keys] binding-id = \"key\"). esc closes.", style="dim")
        with VerticalScroll():
            yield Static(Text("annotty keys", style="bold"))
            yield Static(table)
            yield Static(footer)

    def action_dismiss(self) -> None:
        self.dismiss(None)
