"""The suggestions panel: each suggested quote or claim with speaker, confidence and reasons."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from annotations.suggest import Suggestion

from .annotation_panel import excerpt


class SuggestionPanel(OptionList):
    DEFAULT_CSS = """
    SuggestionPanel {
        dock: right;
        width: 44;
        border-left: tall $accent;
        display: none;
        &.-shown { display: block; }
    }
    """

    class Chosen(Message):
        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    def show_suggestions(self, suggestions: list[Suggestion]) -> None:
        highlighted = self.highlighted
        self.clear_options()
        for s in suggestions:
            speaker = s.speaker or {}
            who = speaker.get("name") or speaker.get("text")
            lines = [
                Text.assemble((s.label, "bold"), f" {s.confidence:.2f}", (f"  {who}" if who else "", "italic")),
                Text(excerpt(s.text, 42), style="dim"),
                Text(excerpt(", ".join(s.reasons), 42), style="dim italic"),
            ]
            self.add_option(Option(Text("\n").join(lines), id=f"{s.start}:{s.end}:{s.label}"))
        if not suggestions:
            self.add_option(Option(Text("no suggestions (yet): * shows all"), disabled=True))
        if highlighted is not None and self.option_count:
            self.highlighted = min(highlighted, self.option_count - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(int(event.option.id.split(":", 1)[0])))
