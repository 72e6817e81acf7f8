"""The entity panel: the article's entities grouped by text, with counts."""

from __future__ import annotations

from collections import Counter

from rich.text import Text

from annotations.model import Entity

from .side_panel import SidePanel


class EntityPanel(SidePanel):
    EMPTY = "no entities yet"

    def show_entities(self, entities: list[Entity]) -> None:
        counts = Counter((e.text, e.label) for e in entities)
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0].lower()))
        self.replace_entries(
            # The same text can carry two labels, so the value names both.
            (Text.assemble((f"{count:>3} ", "bold"), text, (f"  {label}", "dim")), f"{label}\0{text}")
            for (text, label), count in ordered
        )
