"""Whose annotations the reader shows: a layer.

The reader starts on the current annotator's own layer. A key cycles through
everyone's, then each other annotator in turn, then gold, and back. With
``--blind`` only one's own layer exists, so double annotation stays blind.
Entity corrections are a layer's too: a correction by someone else does not
change what a blind annotator sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Annotation

MINE = "mine"
EVERYONE = "everyone"
#: The annotator name adjudicated annotations are written under, unless another is given. Here, not in
#: adjudication, so that the reader shows the gold layer without loading adjudication and agreement.
GOLD = "gold"


@dataclass(frozen=True)
class Layer:
    """*kind* is MINE, EVERYONE, or an annotator's name (GOLD among them)."""

    kind: str

    def shows(self, ann: Annotation, me: str) -> bool:
        if self.kind == MINE:
            return ann.annotator == me
        if self.kind == EVERYONE:
            return True
        return ann.annotator == self.kind

    def title(self, me: str) -> str:
        """Whose annotations these are, as the notice says it: "showing " + title."""
        if self.kind == MINE:
            return f"your annotations ({me})"
        if self.kind == EVERYONE:
            return "everyone's annotations"
        return f"{self.kind} annotations" if self.kind == GOLD else f"{self.kind}'s annotations"


def layers(me: str, annotators: Iterable[str], *, blind: bool = False) -> list[Layer]:
    """The layers a key cycles through, in order: mine, everyone's, each other annotator, gold."""
    if blind:
        return [Layer(MINE)]
    others = sorted(set(annotators) - {me, GOLD})
    return [Layer(MINE), Layer(EVERYONE), *(Layer(name) for name in others), Layer(GOLD)]


def next_layer(current: Layer, me: str, annotators: Iterable[str], *, blind: bool = False) -> Layer:
    order = layers(me, annotators, blind=blind)
    try:
        return order[(order.index(current) + 1) % len(order)]
    except ValueError:
        return order[0]


def visible(annotations: Iterable[Annotation], layer: Layer, me: str) -> list[Annotation]:
    return [ann for ann in annotations if layer.shows(ann, me)]


def margin_letters(annotators: Sequence[str]) -> dict[str, str]:
    """A margin letter per annotator: the first letter of the name not taken yet, else a digit."""
    taken: dict[str, str] = {}
    used: set[str] = set()
    for name in sorted(set(annotators)):
        letter = next((c.upper() for c in name if c.isalnum() and c.upper() not in used), None)
        if letter is None:
            letter = next(str(d) for d in range(10) if str(d) not in used) if len(used) < 36 else "?"
        used.add(letter)
        taken[name] = letter
    return taken
