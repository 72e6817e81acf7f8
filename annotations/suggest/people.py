"""The people an article mentions, so that "he", "the minister" and "Asif" can be named in full."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .cues import NAME_TITLES, PERSON_NOUNS, PRONOUNS

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

#: How far around a name (in tokens) a title such as "minister" is taken to describe it.
_TITLE_REACH_BEFORE = 4
_TITLE_REACH_AFTER = 8


@dataclass
class Person:
    name: str
    titles: set[str] = field(default_factory=set)

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class Mention:
    start: int
    person: Person


class People:
    """Every PERSON named in a doc outside quotations, in order of mention."""

    def __init__(self, doc: "Doc", inside_quote) -> None:
        self._by_surname: dict[str, Person] = {}
        self.mentions: list[Mention] = []
        for ent in doc.ents:
            if ent.label_ != "PERSON" or inside_quote(ent.start_char):
                continue
            name = clean_name(ent)
            if not name:
                continue
            person = self.add(name)
            person.titles |= _titles_near(doc, ent)
            self.mentions.append(Mention(ent.start_char, person))
        self._starts = [m.start for m in self.mentions]

    def add(self, name: str) -> Person:
        surname = name.split()[-1].lower()
        known = self._by_surname.get(surname)
        if known is None:
            known = Person(name)
            self._by_surname[surname] = known
        elif len(name.split()) > len(known.name.split()):
            known.name = name  # the surname was seen alone first; keep the full name
        return known

    def by_surname(self, word: str) -> Person | None:
        return self._by_surname.get(word.lower().removesuffix("'s").removesuffix("’s"))

    def last_before(self, offset: int, title: str | None = None) -> Person | None:
        """The person mentioned most recently before *offset* (with *title*, if given)."""
        i = bisect.bisect_left(self._starts, offset) - 1
        while i >= 0:
            person = self.mentions[i].person
            if title is None or title in person.titles:
                return person
            i -= 1
        return None

    def resolve(self, mention: "Span") -> str | None:
        """The full name behind a speaker mention, or None when it names no known person."""
        for ent in mention.ents:
            if ent.label_ == "PERSON":
                person = self.by_surname(clean_name(ent).split()[-1]) if clean_name(ent) else None
                return person.name if person else clean_name(ent)
        head = mention.root
        word = head.text.lower()
        if word in PRONOUNS:
            person = self.last_before(mention.start_char)
            return person.name if person else None
        if head.pos_ == "PROPN" or head.text[:1].isupper() and head.i > mention.sent.start:
            person = self.by_surname(head.text)
            if person:
                return person.name
        lemma = head.lemma_.lower()
        if lemma in PERSON_NOUNS:
            person = self.last_before(mention.start_char, lemma)
            return person.name if person else None
        return None


def clean_name(ent: "Span") -> str:
    """A person's name without titles in front or a possessive behind: "Defence Minister Ali Reza's" -> "Ali Reza"."""
    words = [t.text for t in ent]
    cut = 0
    for i, w in enumerate(words[:-1]):
        if w.lower().rstrip(".") in NAME_TITLES or w.lower() in PERSON_NOUNS:
            cut = i + 1
    words = words[cut:]
    if words and words[-1] in ("'s", "’s", "'", "’"):
        words = words[:-1]
    return " ".join(w.removesuffix("'s").removesuffix("’s") for w in words).strip()


def _titles_near(doc: "Doc", ent: "Span") -> set[str]:
    sent = ent.sent
    lo = max(sent.start, ent.start - _TITLE_REACH_BEFORE)
    hi = min(sent.end, ent.end + _TITLE_REACH_AFTER)
    titles = {t.lower_ for t in ent if t.lower_ in PERSON_NOUNS}
    for t in doc[lo:ent.start]:
        if t.lemma_.lower() in PERSON_NOUNS:
            titles.add(t.lemma_.lower())
    # An apposition after the name: "Priya Anand, the operator's chief engineer".
    for t in doc[ent.end:hi]:
        if t.ent_type_ == "PERSON":
            break
        if t.lemma_.lower() in PERSON_NOUNS and (t.head.i in range(ent.start, ent.end) or t.dep_ == "appos"):
            titles.add(t.lemma_.lower())
    # A name in apposition to a title: "The health minister, Ines Carvalho".
    root = ent.root
    if root.dep_ == "appos" and root.head.lemma_.lower() in PERSON_NOUNS:
        titles.add(root.head.lemma_.lower())
    return titles
