"""The annotations panel: the article's annotations in text order."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from annotations.model import Annotation


def excerpt(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class AnnotationPanel(OptionList):
    DEFAULT_CSS = """
    AnnotationPanel {
        dock: right;
        width: 40;
        border-left: tall $secondary;
        display: none;
        &.-shown { display: block; }
    }
    """

    class Chosen(Message):
        def __init__(self, offset: int) -> None:
            super().__init__()
            self.offset = offset

    def show_annotations(self, annotations: list[Annotation]) -> None:
        highlighted = self.highlighted
        self.clear_options()
        for ann in annotations:
            speaker = (ann.attrs.get("speaker") or {}).get("text")
            lines = [Text.assemble((ann.label, "bold"), (f"  {speaker}" if speaker else "", "italic"))]
            lines.append(Text(excerpt(ann.text), style="dim"))
            self.add_option(Option(Text("\n").join(lines), id=f"{ann.start}:{ann.id}"))
        if not annotations:
            self.add_option(Option(Text("no annotations yet: v selects, q tags a quote, c a claim"), disabled=True))
        if highlighted is not None and self.option_count:
            self.highlighted = min(highlighted, self.option_count - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(int(event.option.id.split(":", 1)[0])))
