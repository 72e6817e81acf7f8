"""The people an article mentions, so that "he", "the minister" and "Asif" can be named in full."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .cues import CUE_VERBS, NAME_TITLES, PERSON_NOUNS, PRONOUNS, split_glued
from .docview import DocView

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

#: How far around a name (in tokens) a title such as "minister" is taken to describe it.
_TITLE_REACH_BEFORE = 4
_TITLE_REACH_AFTER = 8

#: How many mentions back a he or she is looked for.
_PRONOUN_REACH = 40

#: Only the subject forms: "her" and "his" as often point at the object of a sentence as at its subject.
_GENDERED_PRONOUNS = {"he": "he", "she": "she"}

_HONORIFICS = {
    **dict.fromkeys("mr mr. sir lord".split(), "he"),
    **dict.fromkeys("mrs mrs. ms ms. miss dame lady".split(), "she"),
}

#: Honorifics and nouns that say which pronoun a person takes.
_GENDERED_WORDS = {
    **_HONORIFICS,
    **dict.fromkeys("spokesman chairman councilman congressman businessman husband father son "
                    "brother grandfather uncle widower boy man".split(), "he"),
    **dict.fromkeys("spokeswoman chairwoman councilwoman congresswoman businesswoman "
                    "wife mother daughter sister grandmother aunt widow girl woman".split(), "she"),
}

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
    #: "he" or "she" once the article has said so (an honorific, a gendered noun, a pronoun).
    pronoun: str | None = None

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class Mention:
    start: int
    person: Person
    is_subject: bool


class People:
    """Every PERSON named in a doc outside quotations, in order of mention, and who each he or she is."""

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
            name = clean_name(ent)
            # A known surname alone is that person, even when the model calls it an organisation.
            if not name or not (_is_person(ent) or ent.label_ == "ORG" and " " not in name and self.by_surname(name)):
                continue
            person = self.add(name)
            person.titles |= _titles_near(doc, ent)
            person.pronoun = person.pronoun or _pronoun_from_words(doc, ent)
            self.person_spans.add((ent.start_char, ent.end_char))
            self.mentions.append(Mention(ent.start_char, person, _is_subject(ent)))
        for token in doc:
            if token.pos_ != "PROPN" or token.ent_type_ or inside_quote(token.idx):
                continue
            subject = token.dep_ in ("nsubj", "nsubjpass")
            honorific = _HONORIFICS.get(doc[token.i - 1].lower_) if token.i > 0 else None
            if honorific is not None and token.text[:1].isupper():
                # An untagged name after "Mr" or "Ms" is a person, and says which pronoun they take.
                lo, hi = word_bounds(token)
                person = self.by_surname(doc[lo:hi].text) or self.add(doc[lo:hi].text)
                person.pronoun = person.pronoun or honorific
                self.mentions.append(Mention(token.idx, person, subject))
            elif subject:
                # A name the model did not tag at all, doing something: "Sato, a former teacher, becomes ...".
                person = self._untagged_subject(token)
                if person is not None:
                    self.mentions.append(Mention(token.idx, person, True))
        self.mentions.sort(key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]
        self._full_names: dict[str, list[tuple[int, str]]] = {}
        #: token index of each he or she outside quotes -> the person it stands for.
        self._pronouns = self._follow_pronouns(inside_quote)

    def _untagged_subject(self, token: "Token") -> Person | None:
        """The person behind an untagged proper-noun subject: a known surname, or a new full name."""
        lo, hi = word_bounds(token)
        word = token.doc[lo:hi].text
        person = self.by_surname(word)
        if person is not None:
            return person
        left = min((c.left_edge.i for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), default=lo)
        name = " ".join(token.doc[left:hi].text.split())
        words = name.split()
        speaks = token.head.lemma_.lower() in CUE_VERBS
        if speaks and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not _organisation(words):
            return self.add(name)
        return None

    def _follow_pronouns(self, inside_quote) -> dict[int, Person]:
        """Read the article in order, tying each he and she to a person and learning who is which.

        A pronoun goes to the nearest person before it whose pronoun is the same or still
        unknown (a subject first), so "Penhaligon shook her head as he spoke" skips Penhaligon
        for "he" once she has been "she". The pronoun is learnt only when no one else could
        have been meant: after "Carvalho met Boateng. He said", Carvalho does not become "he".
        """
        found: dict[int, Person] = {}
        for token in self.view.doc:
            pronoun = _GENDERED_PRONOUNS.get(token.lower_)
            if pronoun is None or inside_quote(token.idx):
                continue
            end = bisect.bisect_left(self._starts, token.idx)
            recent = self.mentions[max(0, end - _PRONOUN_REACH):end][::-1]
            agreeing = [m for m in recent if m.person.pronoun in (None, pronoun)]
            chosen = next((m for m in agreeing if m.is_subject), agreeing[0] if agreeing else None)
            if chosen is None:
                continue
            found[token.i] = chosen.person
            since = recent[:recent.index(chosen)]
            if chosen.person.pronoun is None and all(m.person is chosen.person for m in since if m in agreeing):
                chosen.person.pronoun = pronoun
        return found

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

    def full_name_before(self, surname: str, offset: int) -> str | None:
        """The nearest "Firstname Surname" before *offset* that the model did not tag as a person."""
        found = self._full_names.get(surname)
        if found is None:
            found = self._full_names[surname] = self._find_full_names(surname)
        i = bisect.bisect_left(found, (offset,)) - 1
        return found[i][1] if i >= 0 else None

    def _find_full_names(self, surname: str) -> list[tuple[int, str]]:
        doc = self.view.doc
        out = []
        for m in re.finditer(r"\b([A-Z][\w’'-]+)[ \u00a0]+" + re.escape(surname) + r"\b", self.view.text):
            first = m.group(1)
            if first.lower().rstrip(".") in NAME_TITLES or first.lower() in PERSON_NOUNS:
                continue
            span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
            if span is not None and span.root.pos_ == "PROPN" and not span.root.is_stop:
                out.append((m.start(), f"{first} {surname}"))
        return out

    def last_before(self, offset: int, title: str | None = None, subject: bool = False) -> Person | None:
        """The person mentioned most recently before *offset* (with *title*, or as a subject, if asked)."""
        i = bisect.bisect_left(self._starts, offset) - 1
        while i >= 0:
            mention = self.mentions[i]
            if (title is None or title in mention.person.titles) and (mention.is_subject or not subject):
                return mention.person
            i -= 1
        return None

    def others_between(self, start: int, end: int, name: str) -> bool:
        """True if someone other than *name* is mentioned (outside quotations) between the two offsets."""
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return any(m.person.name != name for m in self.mentions[lo:hi])

    def resolve(self, mention: "Span") -> str | None:
        """The full name behind a speaker mention, or None when it names no known person."""
        for ent in self.view.ents_in(mention):
            if (ent.start_char, ent.end_char) in self.person_spans:
                name = clean_name(ent)
                return self._full_name(name, ent.start_char) if name else None
        head = mention.root
        word = head.text.lower()
        if word in _GENDERED_PRONOUNS:
            person = self._pronouns.get(head.i)
            return person.name if person else None
        if word in PRONOUNS:
            # The last person who did something in the story is who "they" most often is.
            person = self.last_before(mention.start_char, subject=True) or self.last_before(mention.start_char)
            return person.name if person else None
        if head.pos_ == "PROPN" or head.text[:1].isupper() and head.i > mention.sent.start:
            lo, hi = word_bounds(head)
            surname = head.doc[lo:hi].text
            person = self.by_surname(surname)
            if person:
                return person.name
            full = self.full_name_before(surname, mention.start_char)
            if full:
                return self.add(full).name
        lemma = head.lemma_.lower()
        if lemma in PERSON_NOUNS:
            person = self.last_before(mention.start_char, lemma)
            return person.name if person else None
        return None

    def _full_name(self, name: str, offset: int) -> str:
        """*name* as the article gave it in full: a known person, or a first name seen before the surname."""
        person = self.by_surname(name.split()[-1])
        if person is not None:
            return person.name
        if " " not in name:
            full = self.full_name_before(name, offset)
            if full:
                return self.add(full).name
        return name


def word_bounds(token: "Token") -> tuple[int, int]:
    """Token indices of the whole written word around *token*: spaCy splits "Vasquez-Hale" in three."""
    doc = token.doc
    lo = hi = token.i
    while lo > 0 and not doc[lo - 1].whitespace_ and (doc[lo - 1].text == "-" or doc[lo].text == "-"):
        lo -= 1
    while hi + 1 < len(doc) and not doc[hi].whitespace_ and (doc[hi + 1].text == "-" or doc[hi].text == "-"):
        hi += 1
    return lo, hi + 1


def clean_name(ent: "Span") -> str:
    """A person's name without titles in front or a possessive behind: "Defence Minister Ali Reza's" -> "Ali Reza".

    The name is the article's own text between its first and last word, so "Vasquez-Hale"
    stays one word; only runs of whitespace (a line break inside a name) become one space.
    """
    cut = ent.start
    for t in ent[:-1]:
        if t.lower_.rstrip(".") in NAME_TITLES or t.lower_ in PERSON_NOUNS:
            cut = t.i + 1
    end = ent.end
    if end > cut and ent.doc[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    if end <= cut:
        return ""
    name = ent.doc[cut:end].text.removesuffix("'s").removesuffix("’s")
    return " ".join(name.split())


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


def _organisation(words: list[str]) -> bool:
    return any(w.lower() in _ORGANISATION_WORDS for w in words)


def _pronoun_from_words(doc: "Doc", ent: "Span") -> str | None:
    """"he" or "she" when an honorific or a gendered noun sits on the name: "Mr Okafor", "her husband, Frank"."""
    near = list(ent)
    # Only the words right against the name, so the "Ms" of "Ms Reis and Dr Okafor" stays with Reis.
    i = ent.start - 1
    while i >= 0 and (doc[i].text == "," or doc[i].lower_.rstrip(".") in NAME_TITLES or doc[i].lower_ in _GENDERED_WORDS):
        near.append(doc[i])
        i -= 1
    root = ent.root
    if root.dep_ == "appos":
        near.append(root.head)  # "The spokeswoman, Ana Reis"
    near += [c for c in root.children if c.dep_ == "appos"]  # "Ana Reis, a spokeswoman"
    for token in near:
        pronoun = _GENDERED_WORDS.get(token.lower_) or _GENDERED_WORDS.get(token.lemma_.lower())
        if pronoun is not None:
            return pronoun
    return None
