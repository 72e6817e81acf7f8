"""Carry annotations over to a corrected version of their article.

An annotation keeps its exact text and 32 characters of context on each side
(a W3C text-quote selector) besides its offsets. When the text changes, each
annotation is placed again, trying in order:

1. the same offsets, if they still hold the same text and context: *anchored*;
2. an exact occurrence of the text: the one whose context agrees best, then the
   one nearest where the old offsets fall in the new text: *moved* (or
   *anchored* when that is the old place);
3. a fuzzy match of the text near where it was, above a similarity threshold:
   *changed* (the span now holds slightly different text, e.g. a typo fixed);
4. otherwise *orphaned*: the annotation is kept on the old version, never
   deleted, and listed for the user.

No I/O here: the caller reads both versions and writes the result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from enum import Enum
from typing import Iterable

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ..model import Annotation, now, quote_selector

#: The least similarity (0-100, rapidfuzz's scale) for a fuzzy match to count.
FUZZY_THRESHOLD = 80.0

#: Texts shorter than this move to another occurrence only if their context agrees.
SHORT = 20

#: How far (in characters) around the expected place a fuzzy match is looked for.
FUZZY_WINDOW = 2000


class Anchoring(str, Enum):
    ANCHORED = "anchored"
    MOVED = "moved"
    CHANGED = "changed"
    ORPHANED = "orphaned"


@dataclass(frozen=True)
class Placement:
    """Where one annotation lands in the new text (``annotation`` is None when orphaned)."""

    old: Annotation
    state: Anchoring
    annotation: Annotation | None
    score: float = 100.0


class OffsetMap:
    """Maps offsets of the old text to the new one through the blocks the two share.

    Used only to say where an annotation is *expected*; the text decides where
    it goes. Matching is done by lines, so a long article costs little.
    """

    def __init__(self, old: str, new: str) -> None:
        old_lines = old.splitlines(keepends=True)
        new_lines = new.splitlines(keepends=True)
        old_starts = _starts(old_lines)
        new_starts = _starts(new_lines)
        matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        # (old offset, new offset) at the start of each shared block of lines
        self._anchors = [
            (old_starts[block.a], new_starts[block.b])
            for block in matcher.get_matching_blocks()
            if block.size
        ]
        self._ratio = len(new) / len(old) if old else 1.0

    def __call__(self, offset: int) -> int:
        before = [pair for pair in self._anchors if pair[0] <= offset]
        if not before:
            return round(offset * self._ratio)
        old_at, new_at = before[-1]
        return new_at + (offset - old_at)


def _starts(lines: list[str]) -> list[int]:
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line)
    starts.append(at)
    return starts


def reanchor(
    annotations: Iterable[Annotation],
    old_text: str,
    new_text: str,
    *,
    new_article_id: str,
    annotator: str,
    threshold: float = FUZZY_THRESHOLD,
) -> list[Placement]:
    """Place each annotation of *old_text* in *new_text*, in the order given."""
    expected = OffsetMap(old_text, new_text)
    return [
        _place(ann, new_text, expected(ann.start), new_article_id, annotator, threshold)
        for ann in annotations
    ]


def _place(
    ann: Annotation, text: str, expected: int, article_id: str, annotator: str, threshold: float
) -> Placement:
    if ann.text and text[ann.start:ann.end] == ann.text and _context_score(ann.prefix, ann.suffix, text, ann.start, ann.end) == 200:
        return Placement(ann, Anchoring.ANCHORED, _moved_to(ann, text, ann.start, ann.end, article_id, annotator))
    if ann.text and ann.text in text:
        best = find_occurrence(text, ann.text, ann.prefix, ann.suffix, expected)
        if best is None:
            return Placement(ann, Anchoring.ORPHANED, None, 0.0)
        state = Anchoring.ANCHORED if best == ann.start else Anchoring.MOVED
        return Placement(ann, state, _moved_to(ann, text, best, best + len(ann.text), article_id, annotator))
    found = _fuzzy(ann.text, text, expected, threshold)
    if found is None:
        return Placement(ann, Anchoring.ORPHANED, None, 0.0)
    start, end, score = found
    return Placement(ann, Anchoring.CHANGED, _moved_to(ann, text, start, end, article_id, annotator), score)


def find_occurrence(text: str, needle: str, prefix: str | None, suffix: str | None, expected: int) -> int | None:
    """The start of the occurrence of *needle* in *text* whose context agrees best with
    *prefix* and *suffix* (None: not known), the one nearest *expected* among equals; None
    when there is none, or when a short needle's context does not agree (it would be a guess)."""
    hits = _occurrences(text, needle)
    if not hits:
        return None
    best = max(hits, key=lambda start: (_context_score(prefix, suffix, text, start, start + len(needle)),
                                        -abs(start - expected)))
    if len(needle) < SHORT and _context_score(prefix, suffix, text, best, best + len(needle)) < 100:
        # A short text ("Smith", "he said") recurs by chance: without its
        # context it is not the same place.
        return None
    return best


def _occurrences(text: str, needle: str) -> list[int]:
    if not needle:
        return []
    hits, at = [], text.find(needle)
    while at != -1:
        hits.append(at)
        at = text.find(needle, at + 1)
    return hits


def _context_score(prefix: str | None, suffix: str | None, text: str, start: int, end: int) -> float:
    """How well the context around start..end agrees with *prefix* and *suffix* (0-200).

    Each side is compared over the characters kept, the nearest ones (an import may keep
    fewer than 32); an empty side is the edge of the text, and a side that is None is not
    known (an imported span that came without it) and disagrees with nothing.
    """
    found = quote_selector(text, start, end)
    return _side(prefix, found["prefix"], tail=True) + _side(suffix, found["suffix"], tail=False)


def _side(kept: str | None, found: str, *, tail: bool) -> float:
    if kept is None:
        return 100.0
    if kept:
        found = found[len(found) - len(kept):] if tail else found[:len(kept)]
    return _similar(kept, found, tail=tail)


def _similar(kept: str, found: str, *, tail: bool) -> float:
    if kept == found:
        return 100.0
    # Context near the span matters more than context far from it.
    if tail:
        kept, found = kept[::-1], found[::-1]
    return fuzz.ratio(kept, found)


def _fuzzy(needle: str, text: str, expected: int, threshold: float) -> tuple[int, int, float] | None:
    if not needle.strip():
        return None
    windows = [(max(0, expected - FUZZY_WINDOW), expected + len(needle) + FUZZY_WINDOW), (0, len(text))]
    for low, high in windows:
        found = fuzz.partial_ratio_alignment(needle, text[low:high], score_cutoff=threshold)
        if found is not None:
            start, end = _fit(needle, text, low + found.dest_start, low + found.dest_end)
            if start < end:
                return start, end, fuzz.ratio(needle, text[start:end])
        if low == 0 and high >= len(text):
            break
    return None


def _fit(needle: str, text: str, start: int, end: int, slack: int = 3) -> tuple[int, int]:
    """Move the ends of an alignment a few characters to where the whole span is most like the old text.

    The aligner compares windows as long as the needle, so a span that gained or
    lost a character would otherwise be cut short or run over by one. Edit
    distance counts a replaced character once (a straightened quotation mark),
    and among equals the span nearest the old length wins.
    """
    def fit(span: tuple[int, int]) -> tuple[int, int]:
        s, e = span
        return (-Levenshtein.distance(needle, text[s:e]), -abs((e - s) - len(needle)))

    spans = [
        (s, e)
        for s in range(max(0, start - slack), start + slack + 1)
        for e in range(max(s + 1, end - slack), min(len(text), end + slack) + 1)
    ]
    best = max(spans, key=fit, default=(start, end))
    return _trim(text, *best)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _moved_to(ann: Annotation, text: str, start: int, end: int, article_id: str, annotator: str) -> Annotation:
    if article_id == ann.article_id and (start, end) == (ann.start, ann.end) and text[start:end] == ann.text:
        return ann
    return replace(
        ann,
        article_id=article_id,
        start=start,
        end=end,
        **quote_selector(text, start, end),
        attrs={**ann.attrs, "reanchored_from": {"article_id": ann.article_id, "start": ann.start, "end": ann.end, "text": ann.text}},
        annotator=annotator,
        modified=now(),
        rev=ann.rev + 1,
    )


def summary(placements: Iterable[Placement]) -> dict[str, int]:
    """How many annotations ended in each state, every state present."""
    counts = {state.value: 0 for state in Anchoring}
    for placement in placements:
        counts[placement.state.value] += 1
    return counts


@dataclass(frozen=True)
class CarryOver:
    """What opening a corrected article does: the version it corrects, and where each annotation lands."""

    previous_id: str
    placements: list[Placement]

    @property
    def orphans(self) -> list[Annotation]:
        return [p.old for p in self.placements if p.state is Anchoring.ORPHANED]

    def ops(self, article) -> list:
        """The store ops that record it: the article naming its previous version, and each move
        as an edit of the revision that was read (a colleague's change meanwhile is a conflict)."""
        from ..store import Op

        ops = [Op.put_article(article.with_previous(self.previous_id))]
        ops += [Op.put(p.annotation, base_rev=p.old.rev) for p in self.placements
                if p.annotation is not None and p.annotation is not p.old]
        return ops

    def message(self) -> str:
        counts = summary(self.placements)
        moved = len(self.placements) - counts["orphaned"]
        text = (f"the text changed since {self.previous_id[:12]}: {moved} of {len(self.placements)} "
                f"annotation(s) carried over ({counts['anchored']} in place, {counts['moved']} moved, "
                f"{counts['changed']} changed)")
        if counts["orphaned"]:
            text += f"; {counts['orphaned']} orphaned, kept on the old version"
        return text


def previous_version(article, known) -> "object | None":
    """The stored article that *article* corrects: same source, other text, not corrected already.

    *known* is every stored article; ``None`` when *article* already names the version it
    corrects (the carry-over was done) or nothing earlier matches.
    """
    known = list(known)
    if any(other.id == article.id and other.previous_id for other in known):
        return None
    superseded = {other.previous_id for other in known if other.previous_id}
    if article.id in superseded:
        return None  # an older version opened again: it takes nothing from its corrections
    earlier = [other for other in known
               if other.source == article.source and other.id != article.id and other.id not in superseded]
    return earlier[-1] if earlier else None


def carry_over(article, known, annotations_of, *, annotator: str) -> CarryOver | None:
    """Where the annotations of the version *article* corrects go, or ``None`` if it corrects none.

    *annotations_of(article_id)* gives the stored annotations of an article.
    """
    previous = previous_version(article, known)
    if previous is None or annotations_of(article.id):
        return None  # nothing to carry, or the corrected text has annotations of its own already
    annotations = annotations_of(previous.id)
    if not annotations:
        return None
    placements = reanchor(annotations, previous.text, article.text, new_article_id=article.id, annotator=annotator)
    return CarryOver(previous.id, placements)
