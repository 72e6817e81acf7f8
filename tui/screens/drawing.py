"""Drawing what the session holds for the open article: the annotations and suggestions as marks over
the text, and the side panels (entities, annotations, suggestions) that list them.

A plain object the reader holds. Hidden panels are filled when shown: on a long article a panel
of thousands of entries costs more than the change itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..widgets.annotation_panel import AnnotationPanel
from ..widgets.article_view import Mark
from ..widgets.entity_panel import EntityPanel
from ..widgets.side_panel import SidePanel
from ..widgets.suggestion_panel import SuggestionPanel

if TYPE_CHECKING:
    from .reader import ReaderScreen


class Drawing:
    def __init__(self, reader: ReaderScreen) -> None:
        self.reader = reader

    def marks(self, changed: Iterable[tuple[int, int]] | None = None) -> None:
        """Draw the annotations and the shown suggestions again: only the lines of the *changed* spans, or all;
        then the shown panels."""
        reader = self.reader
        rejected = reader.session.rejected
        letters = reader.layer_letters()
        marks = [Mark(a.start, a.end, a.label, whose=letters.get(a.annotator, "")) for a in reader.annotations
                 if not a.is_entity]
        marks += [Mark(s.start, s.end, s.label, suggestion=True, dim=(s.label, s.start, s.end) in rejected)
                  for s in reader.suggestions]
        reader.view.set_marks(marks, changed)
        self.panels()

    def panels(self) -> None:
        """Fill the shown side panels again."""
        for panel in self.reader.query(SidePanel):
            if panel.has_class("-shown"):
                self.fill(panel)

    def fill(self, panel: SidePanel) -> None:
        reader = self.reader
        if isinstance(panel, EntityPanel):
            panel.show_entities(reader.entities)
        elif isinstance(panel, AnnotationPanel):
            panel.show_annotations([a for a in reader.annotations if not a.is_entity])
        elif isinstance(panel, SuggestionPanel):
            panel.show_suggestions(reader.suggestions, reader.session.rejected)

    def toggle(self, panel: SidePanel) -> None:
        """Show a side panel, in place of any other, with its first entry ready for enter; or hide it."""
        reader = self.reader
        showing = not panel.has_class("-shown")
        for other in reader.query(SidePanel):
            other.set_class(showing and other is panel, "-shown")
        reader.set_class(showing, "-panel-open")
        if showing:
            self.fill(panel)
            if panel.highlighted is None and panel.option_count:
                panel.highlighted = 0
            panel.focus()
        else:
            reader.view.focus()

    def toggle_when_mounted(self, widget_type: type[SidePanel]) -> None:
        """Show or hide the panel of *widget_type*, once it is mounted (just after the first paint)."""
        self.reader.when_mounted(widget_type, self.toggle)
