"""What a reader's key acts on: the span a tag covers, the annotation or the suggestion under the cursor,
the mark `]` or `[` goes to next, and where `w` takes a growing selection.

Found from plain values (the text, its segments, the cursor, the selection, the marks shown and the
one `]`/`[` last went to), with no screen, so a unit test asks them directly. The screen holds one
:class:`Marks` per reader: it remembers the mark last gone to, which decides between two marks at
one place.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .model import NOT_ENTITY, Annotation, Entity
from .quotations import quotation_at
from .segments import Segments

if TYPE_CHECKING:  # the suggester is imported by the analysis, not at start-up
    from .suggest import Suggestion

Span = tuple[int, int]
_ONLY_SPACE_TO_THE_END = re.compile(r"\s*\Z")
#: An annotation or a suggestion as `]` and `[` visit them: (start, end, label, annotation id or "" for a suggestion).
Mark = tuple[int, int, str, str]


def quote_span(text: str, selection: Span | None, cursor: int) -> Span | None:
    """What `q` tags: the selection, else the quotation around the cursor."""
    return selection or quotation_at(text, cursor)


def claim_span(segments: Segments, selection: Span | None, cursor: int) -> Span | None:
    """What `c` tags: the selection, else the sentence under the cursor."""
    return selection or sentence_under(segments, cursor)


def sentence_under(segments: Segments, cursor: int) -> Span | None:
    """The sentence under the cursor; at the end of the text (where `G` puts the cursor: past the last
    character, and the white space after it), the last sentence, which a reader who has just finished
    the article means."""
    found = segments.sentence_at(cursor)
    text = segments.text
    if found is None and _ONLY_SPACE_TO_THE_END.match(text, cursor):
        last = cursor - 1
        while last >= 0 and text[last].isspace():
            last -= 1
        if last >= 0:
            found = segments.sentence_at(last)
    return found


def entity_span(entities_at_cursor: Sequence[Entity]) -> Span | None:
    """The span of the first entity under the cursor."""
    return next(((e.start, e.end) for e in entities_at_cursor), None)


def label_span(selection: Span | None, entities_at_cursor: Sequence[Entity]) -> Span | None:
    """What `t` tags: the selection, else the entity under the cursor."""
    return selection or entity_span(entities_at_cursor)


def innermost(annotations_at_cursor: Sequence[Annotation]) -> Annotation | None:
    """The annotation enter, `@` and `d` act on: the innermost under the cursor (the list is innermost first)."""
    return annotations_at_cursor[0] if annotations_at_cursor else None


def correction_to_delete(annotations: Sequence[Annotation], cursor: int) -> Annotation | None:
    """An entity correction under the cursor that `d` takes away (a "not an entity" one stays: it is the deletion)."""
    found = next((a for a in annotations if a.is_entity and a.start <= cursor < a.end), None)
    return found if found is not None and found.label != NOT_ENTITY else None


def next_word(segments: Segments, cursor: int, *, selecting_forward: bool, first_step: bool = False) -> int | None:
    """Where `w` moves the cursor; ``None`` to stay.

    The selection holds the character under the cursor, so while it grows forward `w` stops just before
    the next word: the selection ends with this word (and the gap after it, which tagging trims) rather
    than taking the next word's first letter. *first_step*: the selection is just the character under
    the cursor and `w` has not yet kept it there; if the next word starts right after it (the 6 of 6.4,
    the U of U.S.), that character is the whole word, so the selection stays as it is.
    """
    if not selecting_forward:
        return segments.next_word(cursor)
    target = segments.next_word(cursor)
    if target == cursor + 1:
        # Just before a word: at the end of the selection's last word or its gap, or on a word of one
        # character; the selection goes on to the end of the next word, unless it has only just begun.
        if first_step and not segments.text[cursor].isspace():
            return None
        target = segments.next_word(cursor + 1)
    return None if target is None else target - 1


def marks_of(annotations: Sequence[Annotation], suggestions: Sequence[Suggestion]) -> list[Mark]:
    """Every annotation (not entity corrections) and suggestion as a :data:`Mark`, in text order."""
    marks = [(a.start, a.end, a.label, a.id) for a in annotations if not a.is_entity]
    marks += [(s.start, s.end, s.label, "") for s in suggestions]
    return sorted(marks)


def step_mark(marks: Sequence[Mark], cursor: int, current: Mark | None, step: int) -> Mark | None:
    """The next (*step* 1) or previous (-1) mark from *cursor*; marks that start at one place (a suggested
    quote and a suggested claim over one span) are each visited in turn, *current* being the one shown."""
    if current not in marks or current[0] != cursor:
        # Arrived some other way: the first mark that starts here counts as the one shown.
        current = next((m for m in marks if m[0] == cursor), None)
    if current is not None:
        at = marks.index(current) + step
        return marks[at] if 0 <= at < len(marks) else None
    if step > 0:
        return next((m for m in marks if m[0] > cursor), None)
    return next((m for m in reversed(marks) if m[0] < cursor), None)


class Marks:
    """The mark `]` or `[` last went to, and the suggestion under an offset that it decides."""

    def __init__(self) -> None:
        self.current: Mark | None = None
        self._indexed: tuple[Sequence[Suggestion], list[Suggestion], list[int], int] | None = None

    def show(self, ann: Annotation) -> None:
        """Make *ann* the mark shown (an existing tag selected again)."""
        self.current = (ann.start, ann.end, ann.label, ann.id)

    def step(self, annotations: Sequence[Annotation], suggestions: Sequence[Suggestion], cursor: int,
             step: int) -> Mark | None:
        """Go to the next or previous mark (see :func:`step_mark`); ``None`` if there is none that way."""
        target = step_mark(marks_of(annotations, suggestions), cursor, self.current, step)
        if target is not None:
            self.current = target
        return target

    def suggestions_at(self, suggestions: Sequence[Suggestion], offset: int) -> list[Suggestion]:
        """The suggestions under *offset*."""
        # Asked on every cursor move: found by bisection, as a long article has thousands.
        by_start, starts, longest = self._index(suggestions)
        low = bisect.bisect_left(starts, offset - longest)
        high = bisect.bisect_right(starts, offset)
        return [s for s in by_start[low:high] if s.start <= offset < s.end]

    def suggestion_at(self, suggestions: Sequence[Suggestion], offset: int) -> Suggestion | None:
        """The suggestion shown under *offset*: the one `]`/`[` went to, else the shortest."""
        found = self.suggestions_at(suggestions, offset)
        current = self.current
        for s in found:
            if current is not None and current[:3] == (s.start, s.end, s.label) and current[3] == "":
                return s
        return min(found, key=lambda s: (s.end - s.start, s.label)) if found else None

    def _index(self, suggestions: Sequence[Suggestion]) -> tuple[list[Suggestion], list[int], int]:
        """The suggestions sorted by start, their starts, the longest one's length; made again for a new list."""
        if self._indexed is None or self._indexed[0] is not suggestions:
            by_start = sorted(suggestions, key=lambda s: s.start)
            longest = max((s.end - s.start for s in by_start), default=0)
            self._indexed = (suggestions, by_start, [s.start for s in by_start], longest)
        return self._indexed[1:]
