"""Adjudication: settling what annotators disagree on into one gold layer.

What every annotator tagged the same way (same span, label and speaker) is
agreed and goes to gold as it is. The rest is grouped into disagreements: the
annotations of the annotators that overlap one another, in text order, each of
one kind (only one annotator; the same span with different labels; the same
span and label with different speakers; overlapping boundaries). A decision
takes one annotator's version, all of them, none, or an edited one; the result
is written under the adjudicator's name with ``attrs["adjudicated_from"]``
listing the annotations it came from. A "none" decision is kept as the
adjudicator's rejection of that span, so it counts as settled. A new decision
on a disagreement replaces the one before it: :func:`decision_step` deletes
the gold annotations and takes back the rejection the earlier one made.

No I/O here: the caller reads the store and applies the step returned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Iterable, Sequence

from ..history import Batch, Command, Create, Delete, Reject, Unreject
from ..model import Annotation, new_id, now, quote_selector
from .agreement import speaker_key


class Kind(str, Enum):
    ONLY_ONE = "only one annotator"
    LABEL = "same span, different label"
    SPEAKER = "same span and label, different speaker"
    BOUNDARY = "overlapping boundaries"


def _identity(ann: Annotation) -> tuple:
    return (ann.start, ann.end, ann.label, speaker_key(ann))


@dataclass(frozen=True)
class Disagreement:
    """Overlapping annotations that the annotators do not share, by annotator."""

    versions: tuple[tuple[str, tuple[Annotation, ...]], ...]  # (annotator, their annotations here), in order

    @property
    def annotations(self) -> list[Annotation]:
        return [ann for _, anns in self.versions for ann in anns]

    @property
    def start(self) -> int:
        return min(ann.start for ann in self.annotations)

    @property
    def end(self) -> int:
        return max(ann.end for ann in self.annotations)

    @property
    def source_ids(self) -> frozenset[str]:
        return frozenset(ann.id for ann in self.annotations)

    @property
    def kind(self) -> Kind:
        anns = self.annotations
        if sum(1 for _, group in self.versions if group) == 1:
            return Kind.ONLY_ONE
        spans = {(a.start, a.end) for a in anns}
        if len(spans) == 1:
            return Kind.LABEL if len({a.label for a in anns}) > 1 else Kind.SPEAKER
        return Kind.BOUNDARY

    def of(self, annotator: str) -> tuple[Annotation, ...]:
        return next((anns for name, anns in self.versions if name == annotator), ())


@dataclass(frozen=True)
class Comparison:
    agreed: list[list[Annotation]]  # per agreed item, every annotator's copy
    disagreements: list[Disagreement]


def compare(annotations: Iterable[Annotation], annotators: Sequence[str]) -> Comparison:
    """What *annotators* agree on and where they differ, in text order (entity corrections left out)."""
    mine: dict[str, list[Annotation]] = {name: [] for name in annotators}
    for ann in annotations:
        if ann.annotator in mine and not ann.is_entity:
            mine[ann.annotator].append(ann)
    agreed: list[list[Annotation]] = []
    rest: list[tuple[str, Annotation]] = []
    by_identity = [{} for _ in annotators]
    for i, name in enumerate(annotators):
        for ann in mine[name]:
            by_identity[i].setdefault(_identity(ann), []).append(ann)
    shared = set.intersection(*(set(d) for d in by_identity)) if annotators else set()
    for key in sorted(shared):
        # One copy each is agreed; a second copy (an annotator who tagged it twice) stays a difference.
        agreed.append([d[key].pop(0) for d in by_identity])
    for i, name in enumerate(annotators):
        for anns in by_identity[i].values():
            rest.extend((name, ann) for ann in anns)
    rest.sort(key=lambda pair: (pair[1].start, pair[1].end, annotators.index(pair[0])))
    groups: list[list[tuple[str, Annotation]]] = []
    reach = -1
    for name, ann in rest:
        if groups and ann.start < reach:
            groups[-1].append((name, ann))
            reach = max(reach, ann.end)
        else:
            groups.append([(name, ann)])
            reach = ann.end
    disagreements = [
        Disagreement(tuple((who, tuple(a for n, a in group if n == who)) for who in annotators))
        for group in groups
    ]
    return Comparison(agreed, disagreements)


def to_gold(sources: Sequence[Annotation], text: str, adjudicator: str, *, edit: dict | None = None) -> Annotation:
    """One gold annotation made from *sources* (the first is the model), with *edit* applied."""
    first = sources[0]
    changes = dict(edit or {})
    start, end = changes.pop("start", first.start), changes.pop("end", first.end)
    attrs = {**first.attrs, **changes.pop("attrs", {})}
    attrs["adjudicated_from"] = sorted(a.id for a in sources)
    stamp = now()
    return replace(
        first, id=new_id(), start=start, end=end, **quote_selector(text, start, end),
        attrs=attrs, origin="adjudicated", annotator=adjudicator, created_by=adjudicator,
        created=stamp, modified=stamp, rev=1,
        **changes,
    )


class Decision(str, Enum):
    TAKE = "take"  # one annotator's version
    ALL = "all"  # every version
    NONE = "none"  # no version


def decide(
    disagreement: Disagreement, decision: Decision, text: str, adjudicator: str, *, annotator: str | None = None,
) -> list[Annotation]:
    """The gold annotations a decision makes (none for NONE: the caller records a rejection)."""
    if decision is Decision.NONE:
        return []
    if decision is Decision.ALL:
        return [to_gold([ann], text, adjudicator) for ann in disagreement.annotations]
    chosen = disagreement.of(annotator or "")
    if not chosen:
        raise ValueError(f"{annotator!r} has nothing here")
    return [to_gold([ann], text, adjudicator) for ann in chosen]


def settled(disagreement: Disagreement, gold: Iterable[Annotation], rejected: Iterable[tuple[str, int, int]]) -> bool:
    """Whether the adjudicator has decided *disagreement*: a gold annotation comes from it, or it was rejected."""
    sources = disagreement.source_ids
    for ann in gold:
        if sources & set(ann.attrs.get("adjudicated_from", ())):
            return True
    return any(start == disagreement.start and end == disagreement.end for _, start, end in rejected)


def rejection_of(disagreement: Disagreement) -> tuple[str, int, int]:
    """The (label, start, end) a "none" decision records for the adjudicator."""
    return (disagreement.annotations[0].label, disagreement.start, disagreement.end)


def made_by(
    disagreement: Disagreement, gold: Iterable[Annotation], rejected: Iterable[tuple[str, int, int]],
) -> tuple[list[Annotation], list[tuple[str, int, int]]]:
    """The gold annotations and rejections an earlier decision on *disagreement* made (what :func:`settled` sees)."""
    sources = disagreement.source_ids
    annotations = [ann for ann in gold if sources & set(ann.attrs.get("adjudicated_from", ()))]
    rejections = sorted(key for key in rejected if key[1:] == (disagreement.start, disagreement.end))
    return annotations, rejections


def decision_step(
    disagreement: Disagreement, new_gold: Sequence[Annotation], *, gold: Iterable[Annotation],
    rejected: Iterable[tuple[str, int, int]], article_id: str, text: str, adjudicator: str, summary: str,
) -> Batch | None:
    """One undo step that makes *new_gold* the decision on *disagreement* (none: a rejection of its span).

    What an earlier decision on it made is deleted or taken back in the same step, so gold holds
    only the last decision. ``None`` when the decision is already the one recorded ("none" twice).
    """
    old_gold, old_rejections = made_by(disagreement, gold, rejected)
    keep: tuple[str, int, int] | None = None
    if not new_gold:
        keep = rejection_of(disagreement)
        if keep in old_rejections and not old_gold:
            return None  # already rejected, nothing else to take back
    commands: list[Command] = [Delete(ann) for ann in old_gold]
    commands += [Unreject(article_id, adjudicator, *key, text=text[key[1]:key[2]])
                 for key in old_rejections if key != keep]
    commands += [Create(ann) for ann in new_gold]
    if keep is not None and keep not in old_rejections:
        label, start, end = keep
        commands.append(Reject(article_id, adjudicator, label, start, end, text[start:end]))
    return Batch(tuple(commands), summary)
