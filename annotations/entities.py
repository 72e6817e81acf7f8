"""The entities a reader sees: the model's, with a person's corrections on top.

A correction is an annotation with an entity label (a relabel, or an entity the
model missed) or with NOT_ENTITY (the model's entity is wrong). Corrections win:
a model entity that overlaps any correction is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import NOT_ENTITY, Annotation, Entity


def corrected_entities(model: Iterable[Entity], annotations: Iterable[Annotation]) -> list[Entity]:
    """*model* must be sorted by (start, end); so is the result."""
    corrections = [a for a in annotations if a.is_entity]
    if not corrections:
        return list(model)
    spans = sorted((a.start, a.end) for a in corrections)
    kept = [e for e in model if not _overlaps_any(e.start, e.end, spans)]
    kept += [Entity(a.start, a.end, a.label, a.text) for a in corrections if a.label != NOT_ENTITY]
    return sorted(kept, key=lambda e: (e.start, e.end))


def _overlaps_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)
