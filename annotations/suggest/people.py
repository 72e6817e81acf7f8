"""The people an article mentions, so that "he", "the minister" and "Asif" can be named in full."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .cues import CUE_VERBS, NAME_TITLES, PERSON_NOUNS, PRONOUNS, split_glued
from .docview import DocView

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

#: How far around a name (in tokens) a title such as "minister" is taken to describe it.
_TITLE_REACH_BEFORE = 4
_TITLE_REACH_AFTER = 8

#: Words that make a capitalised name an organisation, not a person.
_ORGANISATION_WORDS = frozenset(
    """
    agency association authority bank board church club college committee company corporation council
    court department fund group holdings inc institute league ltd metals ministry office party police
    service society trust union university
    """.split()
)


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
    is_subject: bool


class People:
    """Every PERSON named in a doc outside quotations, in order of mention."""

    def __init__(self, view: DocView, inside_quote) -> None:
        self.view = view
        doc = view.doc
        self._by_surname: dict[str, Person] = {}
        self.mentions: list[Mention] = []
        #: (start, end) of the entities taken to be people, whatever label the model gave them.
        self.person_spans: set[tuple[int, int]] = set()
        for ent in view.ents:
            if inside_quote(ent.start_char) or split_glued(ent[-1].text):
                continue
            # A known surname alone is that person, even when the model calls it an organisation.
            if not (_is_person(ent) or (ent.label_ == "ORG" and len(ent) == 1 and self.by_surname(ent.text))):
                continue
            name = clean_name(ent)
            if not name:
                continue
            person = self.add(name)
            person.titles |= _titles_near(doc, ent)
            self.person_spans.add((ent.start_char, ent.end_char))
            self.mentions.append(Mention(ent.start_char, person, _is_subject(ent)))
        # A surname the model did not tag at all, doing something: "Sato, a former teacher, becomes ...".
        for token in doc:
            if token.pos_ == "PROPN" and not token.ent_type_ and token.dep_ in ("nsubj", "nsubjpass"):
                person = self.by_surname(token.text)
                if person is not None and not inside_quote(token.idx):
                    self.mentions.append(Mention(token.idx, person, True))
        self.mentions.sort(key=lambda m: m.start)
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

    def last_before(self, offset: int, title: str | None = None, subject: bool = False) -> Person | None:
        """The person mentioned most recently before *offset* (with *title*, or as a subject, if asked)."""
        i = bisect.bisect_left(self._starts, offset) - 1
        while i >= 0:
            mention = self.mentions[i]
            if (title is None or title in mention.person.titles) and (mention.is_subject or not subject):
                return mention.person
            i -= 1
        return None

    def resolve(self, mention: "Span") -> str | None:
        """The full name behind a speaker mention, or None when it names no known person."""
        for ent in self.view.ents_in(mention):
            if (ent.start_char, ent.end_char) in self.person_spans:
                name = clean_name(ent)
                person = self.by_surname(name.split()[-1]) if name else None
                return person.name if person else name or None
        head = mention.root
        word = head.text.lower()
        if word in PRONOUNS:
            # The last person who did something in the story is who "he" or "she" most often is.
            person = self.last_before(mention.start_char, subject=True) or self.last_before(mention.start_char)
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


def _is_person(ent: "Span") -> bool:
    if ent.label_ == "PERSON":
        return True
    # The small model often calls a titled name an organisation: "Chief Constable Rebecca Morris".
    if ent.label_ != "ORG" or any(t.lower_ in _ORGANISATION_WORDS for t in ent):
        return False
    name = clean_name(ent).split()
    if not 2 <= len(name) <= 3 or not all(w[:1].isupper() for w in name):
        return False
    root = ent.root
    titled = len(name) < len(ent)
    beside_title = root.dep_ == "appos" and root.head.lemma_.lower() in PERSON_NOUNS
    speaks = root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in CUE_VERBS
    return titled or beside_title or speaks


def _is_subject(ent: "Span") -> bool:
    root = ent.root
    if root.dep_ == "appos":
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass")


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
