"""The annotations panel: the article's annotations in text order."""

from __future__ import annotations

from rich.text import Text

from annotations.model import Annotation
from annotations.speakers import speaker_name

from .side_panel import SidePanel, excerpt


class AnnotationPanel(SidePanel):
    DEFAULT_CSS = """
    AnnotationPanel { border-left: tall $secondary; }
    """

    EMPTY = "no annotations yet: v selects, q tags a quote, c a claim"

    def show_annotations(self, annotations: list[Annotation]) -> None:
        def prompt(ann: Annotation) -> Text:
            speaker = speaker_name(ann.attrs.get("speaker"))
            head = Text.assemble((ann.label, "bold"), (f"  {speaker}" if speaker else "", "italic"))
            return Text("\n").join([head, Text(excerpt(ann.text), style="dim")])

        # Values start with the offset to jump to, and are unique.
        self.replace_entries((prompt(ann), f"{ann.start}:{ann.id}") for ann in annotations)
