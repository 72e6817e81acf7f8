"""Transcripts and question-and-answer interviews: a paragraph that opens on a speaker's label
("KELLERMAN: It did not fail.", "A: Slowly.") is that speaker's turn, and what it states is theirs."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .quotes import QuoteFinder

#: A label opening a line: a name in capitals ("ODUYA-HART", "VAN NESS") or the Q and A of an interview.
_LABEL = re.compile(r"^(?:[A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+){0,2}|Q|A):[ \t]+(?=\S)", re.MULTILINE)
#: An article is a transcript only when at least two speakers take turns, one of them more than once: a
#: lone "UPDATE:" is not one, nor a round-up's "LONDON: ...", "PARIS: ...".
_MIN_SPEAKERS = 2


@dataclass(frozen=True)
class Turn:
    start: int  # the first word after the label
    end: int  # the end of its line
    label: str
    name: str | None  # who speaks, by the fullest name the article gives; None for the interviewer's "Q"


class Turns:
    """The speakers' turns of an article (none when it is not a transcript), looked up by offset."""

    def __init__(self, text: str, finder: "QuoteFinder | None", body_start: int = 0) -> None:
        labels = [m for m in _LABEL.finditer(text) if m.start() >= body_start]
        counts = Counter(m.group().split(":")[0] for m in labels)
        if len(counts) < _MIN_SPEAKERS or max(counts.values(), default=0) < 2:
            labels = []  # places in capitals heading a round-up ("LONDON: ...") each speak once
        self.turns: list[Turn] = []
        for m in labels:
            label = m.group().split(":")[0]
            end = text.find("\n", m.end())
            self.turns.append(Turn(m.end(), len(text) if end < 0 else end, label, _name(label, m.start(), finder, body_start)))
        self._starts = [t.start for t in self.turns]

    def at(self, offset: int) -> Turn | None:
        """The turn whose words hold *offset*, if any."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.turns[i] if i >= 0 and offset < self.turns[i].end else None

    def label_end(self, start: int, end: int) -> int | None:
        """Where the words of a turn begin, when the span *start*..*end* opens on its label."""
        turn = self.at(end - 1) if end > start else None
        if turn is not None and start < turn.start <= end:
            return turn.start
        return None


def _name(label: str, offset: int, finder: "QuoteFinder | None", body_start: int) -> str | None:
    """The speaker a label stands for: "A" answers, so it is the person the introduction names first; a
    surname in capitals is that person by their full name ("ODUYA-HART" -> Femi Oduya-Hart)."""
    if label == "Q":
        return None
    people = finder.people if finder is not None else None
    if label == "A":
        first = next((m.person for m in people.mentions if m.start >= body_start), None) if people else None
        return first.name if first is not None else None
    person = people.by_surname(label.split()[-1], offset) if people else None
    if person is not None and person.surname.casefold() == label.split()[-1].casefold():
        return person.name
    return " ".join(w.capitalize() for w in label.split())
