"""The first screen of a shared session (a browser tab of `annotty serve`): who is annotating.

Every change is recorded under the name picked here, so colleagues who share one server
login still each have their own annotations, rejections and cursor.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from annotations.article import sanitise_line


class AnnotatorScreen(Screen[str]):
    """Pick one of *names* (enter) or type another; dismissed with the chosen name."""

    DEFAULT_CSS = """
    AnnotatorScreen {
        align: center middle;
    }
    AnnotatorScreen > Vertical {
        width: 60;
        max-width: 100%;
        height: auto;
        border: round $primary;
        border-title-style: bold;
        padding: 0 1;
    }
    AnnotatorScreen OptionList { height: auto; max-height: 12; margin-bottom: 1; }
    AnnotatorScreen #annotator-hint { color: $text-muted; }
    """

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self._names = names

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Who is annotating?"
            if self._names:
                # Options are drawn as markup unless given as Text: names stay text.
                yield OptionList(*[Text(name) for name in self._names], id="annotator-names")
            yield Input(placeholder="or type your name" if self._names else "your name", id="annotator-name")
            yield Static(Text("Every change is recorded under this name; enter chooses."),
                         id="annotator-hint")

    def on_mount(self) -> None:
        names = self.query(OptionList)
        if names:
            names.first().highlighted = 0
            names.first().focus()
        else:
            self.query_one(Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._names[event.option_index])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = sanitise_line(event.value).strip()
        if name:
            self.dismiss(name)
