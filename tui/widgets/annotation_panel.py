"""The annotations panel: the article's annotations in text order, each with its speaker,
claim status and note, cut to the panel's width at whole words."""

from __future__ import annotations

from rich.text import Text
from textual import events

from annotations.model import CLAIM, Annotation
from annotations.speakers import speaker_name

from .side_panel import SidePanel, excerpt

#: Text width used before the panel has been laid out.
DEFAULT_WIDTH = 36


class AnnotationPanel(SidePanel):
    DEFAULT_CSS = """
    AnnotationPanel { border-left: tall $secondary; }
    """

    EMPTY = "no annotations yet: v selects, q tags a quote, c a claim"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: list[Annotation] = []

    def show_annotations(self, annotations: list[Annotation]) -> None:
        self._shown = annotations
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - padding.width if self.scrollable_content_region.width else DEFAULT_WIDTH
        # Values start with the offset to jump to, and are unique.
        self.replace_entries((entry(ann, width), f"{ann.start}:{ann.id}") for ann in annotations)

    def on_resize(self, event: events.Resize) -> None:
        if self._shown:
            self.show_annotations(self._shown)


def entry(ann: Annotation, width: int) -> Text:
    """Label, speaker and claim status; the annotated text; the note: each on one line of *width*."""
    who = speaker_name(ann.attrs.get("speaker"))
    head = Text.assemble((ann.label, "bold"))
    if ann.label == CLAIM:
        head.append(f"  {ann.status}")
    if who:
        room = width - head.cell_len - 2
        if room > 1:  # the name cut at a whole word, as the excerpts are
            head.append(f"  {excerpt(who, room)}", "italic")
    head.truncate(width, overflow="ellipsis")
    lines = [head, Text(excerpt(ann.text, width), style="dim")]
    note = ann.attrs.get("note")
    if note:
        lines.append(Text(excerpt(f"note: {note}", width), style="italic"))
    return Text("\n").join(lines)
