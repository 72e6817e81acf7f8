"""The people an article mentions, so that "he", "the minister" and "Asif" can be named in full."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .cues import CUE_VERBS, NAME_TITLES, PERSON_NOUNS, PRONOUNS, ROLE_SYNONYMS, SPOKESPEOPLE, split_glued
from .bodies import BODY_NOUNS
from .docview import DocView
from .names import pronoun_of_given_name

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

#: How far around a name (in tokens) a title such as "minister" is taken to describe it.
_TITLE_REACH_BEFORE = 4
_TITLE_REACH_AFTER = 8

#: How many mentions back a he or she is looked for.
_PRONOUN_REACH = 40

#: Only the subject forms: "her" and "his" as often point at the object of a sentence as at its subject.
_GENDERED_PRONOUNS = {"he": "he", "she": "she"}
#: The other forms, read only for people whose pronoun is already known.
_OBJECT_PRONOUNS = {"him": "he", "his": "he", "her": "she"}

_HONORIFICS = {
    **dict.fromkeys("mr mr. sir lord".split(), "he"),
    **dict.fromkeys("mrs mrs. ms ms. miss dame lady".split(), "she"),
}

#: Honorifics and nouns that say which pronoun a person takes.
_GENDERED_WORDS = {
    **_HONORIFICS,
    # Not "chairman": papers give that title to women too ("Its chairman, Glenys Marwood").
    **dict.fromkeys("spokesman councilman congressman businessman husband father son "
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

#: A noun for an organisation right after a name, in lower case: "Tallis Royal hospitals".
_BODY_AFTER = r"[ \u00a0]+(?:" + "|".join(sorted(_ORGANISATION_WORDS | {
    "academy", "airline", "charity", "clinic", "firm", "foundation", "hospital", "museum", "school"})) + r")s?\b"

#: Words that make a capitalised name a place: the small model calls "Mill Lane" and "Garron Head" people.
_PLACE_WORDS = frozenset(
    """
    avenue bridge close crescent drive estate gardens hill lane park place road square street terrace way
    bay beach cove firth glen harbour head island isle lake loch moor pier point quay sound valley
    """.split()
)

#: "Callum Reyes": a capitalised word, then (looked ahead, so that pairs overlap) the next one.
_CAPITALISED_PAIR = re.compile(r"\b([A-Z][\w’'-]+)[ \u00a0]+(?=([A-Z][\w-]*\w))")

#: Labels the small model gives a surname standing alone.
_MISTAKEN_LABELS = ("ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART")

#: Labels of the entities a spokesperson can speak for.
_BODIES = ("ORG", "GPE", "NORP", "PERSON", "FAC")


@dataclass
class Person:
    name: str
    #: Where the article first names them; two people can share a surname.
    first_seen: int = 0
    titles: set[str] = field(default_factory=set)
    #: "he" or "she" once the article has said so (an honorific, a gendered noun, a first name, a pronoun).
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

    def __init__(self, view: DocView, inside_quote, fullest_org: Callable[[str], str] = lambda name: name) -> None:
        self.view = view
        self._fullest_org = fullest_org  # "Fairbury" -> "Fairbury Supermarkets", for the body a spokesperson speaks for
        doc = view.doc
        self._by_surname: dict[str, list[Person]] = {}
        self._voices: dict[str, Person] = {}
        self._full_names: dict[str, list[tuple[int, str]]] = {}
        self._pairs: dict[str, list[tuple[int, int, str]]] | None = None
        #: role noun -> (offset, person) wherever the article ties a role to a name: "Judge Ann Bell",
        #: "Ann Bell, the judge,", "the coroner, Dr Ravi Nair", "Prosecuting, Simon Achterberg".
        self._roles: dict[str, list[tuple[int, Person]]] = {}
        self.mentions: list[Mention] = []
        #: (start, end) of the entities taken to be people, whatever label the model gave them.
        self.person_spans: set[tuple[int, int]] = set()
        doubtful: dict[str, bool] = {}  # lone words the model calls people -> never seen mid-sentence
        body_names: dict[str, bool] = {}  # names the model calls people -> seen before "hospital", "school"...
        for ent in view.ents:
            if inside_quote(ent.start_char) or split_glued(ent[-1].text):
                continue
            name = clean_name(ent, view.text)
            if not name:
                continue
            if ent.label_ == "PERSON" and " " in name:
                if name not in body_names:
                    body_names[name] = _names_a_body(view.text, name)
                if body_names[name]:
                    continue  # "Tallis Royal hospital": the model's person is a hospital
            if len(ent) == 1 and ent.label_ == "PERSON":
                if ent.text not in doubtful:
                    doubtful[ent.text] = _only_opens_sentences(view.text, ent.text)
                if doubtful[ent.text]:
                    continue
                if ent.start > 0 and doc[ent.start - 1].lower_ == "the":
                    continue  # "joined the Courant", "eaten at the Bluebird": people take no article
            if ent.label_ in ("PERSON", "ORG") and " " not in name and not self.by_surname(name, ent.start_char):
                # "Solheim" after an untagged "Petter Solheim": the person has a full name.
                full = self.full_name_before(name, ent.start_char)
                if full is not None:
                    self.add(full[1], full[0])
            # A known surname alone is that person, even when the model calls it an organisation, a place
            # or a work ("Stromberg, now 81, ..." tagged GPE).
            known = ent.label_ in _MISTAKEN_LABELS and " " not in name and self.by_surname(name, ent.start_char)
            # "the seamer Owain Carrick" tagged ORG after "Carrick" alone was a person: the full name of that person.
            alone = ent.label_ == "ORG" and _name_like(name) and self.by_surname(name.split()[-1], ent.start_char)
            known = known or alone and surname_only(alone.name.split())
            if not (_is_person(ent, view.text) or known):
                continue
            person = self.add(name, ent.start_char)
            person.titles |= _titles_near(doc, ent)
            # Words beside the name ("Mr", "her husband") say more than a first name does.
            person.pronoun = _pronoun_from_words(doc, ent) or person.pronoun
            self.person_spans.add((ent.start_char, ent.end_char))
            for role in _roles_of(view, ent):
                self._roles.setdefault(role, []).append((ent.start_char, person))
            self.mentions.append(Mention(ent.start_char, person, _is_subject(ent)))
        for token in doc:
            if token.lower_ in SPOKESPEOPLE and not inside_quote(token.idx):
                voice = self.voice_of(token)
                if voice is not None:
                    self.mentions.append(Mention(token.idx, voice, token.dep_ in ("nsubj", "nsubjpass")))
                continue
            if token.pos_ != "PROPN" or token.ent_type_ or inside_quote(token.idx):
                continue
            subject = token.dep_ in ("nsubj", "nsubjpass")
            honorific = _HONORIFICS.get(doc[token.i - 1].lower_) if token.i > 0 else None
            if honorific is not None and token.text[:1].isupper():
                # An untagged name after "Mr" or "Ms" is a person, and says which pronoun they take.
                lo, hi = word_bounds(token)
                person = self.by_surname(doc[lo:hi].text, token.idx) or self.add(doc[lo:hi].text, token.idx)
                person.pronoun = person.pronoun or honorific
                self.mentions.append(Mention(token.idx, person, subject))
            elif subject or _described_with_who(token) and not _after_preposition(token):
                # A name the model did not tag at all, doing something: "Sato, a former teacher, becomes ...".
                person = self._untagged_subject(token)
                if person is not None:
                    self.mentions.append(Mention(token.idx, person, subject))
                    for role in roles_in_front(token):
                        self._roles.setdefault(role, []).append((token.idx, person))
        self.mentions.sort(key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]
        #: token index of each he or she outside quotes -> the person it stands for.
        self._inside_quote = inside_quote
        #: token index of each he or she whose person is named in its own sentence or the one before.
        self.named_nearby: set[int] = set()
        self._pronouns = self._follow_pronouns(inside_quote)

    def _untagged_subject(self, token: "Token") -> Person | None:
        """The person behind an untagged proper-noun subject (or a name a "who" clause describes): a new full
        name, or a known surname."""
        lo, hi = word_bounds(token)
        word = token.doc[lo:hi].text
        # Never words of the line before ("By Martin Ellory" over "Winifred Ashcombe, who ...").
        left = min((c.left_edge.i for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"
                    and "\n" not in token.doc[c.left_edge.i:token.i].text), default=lo)
        words = without_titles(token.doc[left:hi].text.split())
        speaks = token.head.lemma_.lower() in CUE_VERBS or _described_with_who(token)
        if speaks and 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not _organisation(words):
            # A full name first: "Winifred Ashcombe" is not her husband Gerald Ashcombe, named further on.
            return self.add(" ".join(words), token.doc[left].idx)
        return self.by_surname(word, token.idx)

    def voice_of(self, spokesperson: "Token") -> Person | None:
        """The body "a spokeswoman for Corvale Air" speaks for, as the one who says her words.

        A spokesperson who is named ("spokeswoman Anna Reis", "a spokesman, Ivo Lind")
        is a person in their own right, so None.
        """
        if spokesperson.ent_type_ or any(c.dep_ == "appos" and c.ent_type_ for c in spokesperson.children):
            return None
        body = None
        for child in spokesperson.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of", "at"):
                body = next((c for c in child.children if c.dep_ == "pobj"), None)
            elif child.dep_ == "poss" and child.lower_ not in _OBJECT_PRONOUNS and child.lower_ not in ("its", "their"):
                body = child
            elif child.dep_ == "compound" and (child.lemma_.lower() in BODY_NOUNS or self.view.ent_of(child) is not None):
                body = child  # "a police spokeswoman", "a Corvale spokesman"
            if body is not None:
                break
        name = self._body_name(body) if body is not None else None
        if name is None:
            return None
        name = self._fullest_org(name)
        voice = self._voices.get(name.casefold())
        if voice is None:
            voice = self._voices[name.casefold()] = Person(name, spokesperson.idx)
        voice.pronoun = voice.pronoun or _GENDERED_WORDS.get(spokesperson.lower_)
        return voice

    def _body_name(self, token: "Token") -> str | None:
        """"Corvale Air" for the entity around *token*; for "the union", the last body named "... Union"."""
        ent = self.view.ent_of(token)
        if ent is not None and ent.label_ in _BODIES:
            words = ent.text.split()
            if words and words[0].lower() == "the":
                words = words[1:]
            return " ".join(w.removesuffix("’s").removesuffix("'s") for w in words) or None
        if token.pos_ != "NOUN":
            return None
        head = token.lower_
        for ent in self.view.ents_before(token):
            if ent.label_ == "ORG" and ent[-1].lower_ == head:
                return self._body_name(ent.root)
        # "Ossel police said ..." before "a police spokeswoman": the body as the article last named it.
        named = list(re.finditer(r"\b((?:[A-Z][\w’'-]+ )+)" + re.escape(head) + r"\b", self.view.text[:token.idx]))
        return named[-1].group().strip() if named else None

    def object_pronoun(self, token: "Token") -> Person | None:
        """The person a him, his or her stands for: the nearest one known to take that pronoun."""
        pronoun = _OBJECT_PRONOUNS.get(token.lower_)
        if pronoun is None:
            return None
        end = bisect.bisect_left(self._starts, token.idx)
        for mention in self.mentions[max(0, end - _PRONOUN_REACH):end][::-1]:
            if mention.person.pronoun == pronoun:
                return mention.person
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
            # Someone named in this sentence or the one before comes before any older subject:
            # "..., according to its organiser, Maisie Doyle. 'We're not going anywhere,' she said."
            near_from = self._previous_sentence_start(token)
            near = [m for m in agreeing if m.start >= near_from]
            chosen = next((m for m in near if m.is_subject), near[0] if near else None)
            if chosen is not None:
                self.named_nearby.add(token.i)
            chosen = chosen or next((m for m in agreeing if m.is_subject), agreeing[0] if agreeing else None)
            if chosen is None:
                continue
            found[token.i] = chosen.person
            since = recent[:recent.index(chosen)]
            if chosen.person.pronoun is None and all(m.person is chosen.person for m in since if m in agreeing):
                chosen.person.pronoun = pronoun
        return found

    def _previous_sentence_start(self, token: "Token") -> int:
        """Where the sentence before *token*'s own starts (a quotation in between is skipped over)."""
        sentences = self.view.sentences
        i = bisect.bisect_right(self.view._sentence_starts, token.i) - 1
        while i > 0 and self._inside_quote(sentences[i - 1].start_char) and self._inside_quote(sentences[i - 1].end_char - 1):
            i -= 1
        return sentences[max(0, i - 1)].start_char if i >= 0 else 0

    def add(self, name: str, offset: int) -> Person:
        """The person called *name* (first named at *offset*), new or already known.

        People who share a surname stay apart when their first names differ ("Callum
        Reyes" and his sister "Leanne Reyes"); a surname alone is whoever of them was
        named last before it.
        """
        words = name.split()
        same = self._by_surname.setdefault(words[-1].lower(), [])
        if surname_only(words):
            known = self.by_surname(words[-1], offset)
            if known is not None:
                return known
        for known in same:
            known_words = known.name.split()
            if surname_only(known_words) or known_words[0] == words[0]:
                if len(words) > len(known_words):
                    known.name = name  # the surname was seen alone first; keep the full name
                    known.pronoun = known.pronoun or pronoun_of_given_name(name)
                known.first_seen = min(known.first_seen, offset)
                same.sort(key=lambda p: p.first_seen)
                return known
        person = Person(name, offset, pronoun=pronoun_of_given_name(name))
        same.append(person)
        same.sort(key=lambda p: p.first_seen)
        return person

    def by_surname(self, word: str, offset: int) -> Person | None:
        """Who *word* names at *offset*: of those with that surname, the one named last before it."""
        same = self._by_surname.get(word.lower().removesuffix("'s").removesuffix("’s"))
        if not same:
            return None
        before = [p for p in same if p.first_seen <= offset]
        return before[-1] if before else same[0]

    def full_name_before(self, surname: str, offset: int) -> tuple[int, str] | None:
        """The nearest "Firstname Surname" before *offset* that the model did not tag as a person, and where."""
        found = self._full_names.get(surname)
        if found is None:
            found = self._full_names[surname] = self._find_full_names(surname)
        i = bisect.bisect_left(found, (offset,)) - 1
        return found[i] if i >= 0 else None

    def _find_full_names(self, surname: str) -> list[tuple[int, str]]:
        doc = self.view.doc
        out = []
        for start, first_end, first in self._capitalised_pairs().get(surname, ()):
            if first.lower().rstrip(".") in NAME_TITLES or first.lower() in PERSON_NOUNS:
                continue
            span = doc.char_span(start, first_end, alignment_mode="expand")
            if span is not None and span.root.pos_ == "PROPN" and not span.root.is_stop:
                out.append((start, f"{first} {surname}"))
        return out

    def _capitalised_pairs(self) -> dict[str, list[tuple[int, int, str]]]:
        """Every two capitalised words in a row, by the second: one pass over the text, however many surnames."""
        if self._pairs is None:
            self._pairs = {}
            for m in _CAPITALISED_PAIR.finditer(self.view.text):
                self._pairs.setdefault(m.group(2), []).append((m.start(1), m.end(1), m.group(1)))
        return self._pairs

    def role_holder(self, role: str, offset: int) -> Person | None:
        """Who the article last named as *role* ("judge", "prosecutor", "leader") before *offset*."""
        holders = [(at, person) for same in ROLE_SYNONYMS.get(role, (role,)) for at, person in self._roles.get(same, ())
                   if at < offset]
        return max(holders, key=lambda holder: holder[0])[1] if holders else None

    def last_before(self, offset: int, title: str | None = None, subject: bool = False) -> Person | None:
        """The person mentioned most recently before *offset* (with *title*, or as a subject, if asked)."""
        i = bisect.bisect_left(self._starts, offset) - 1
        while i >= 0:
            mention = self.mentions[i]
            if (title is None or title in mention.person.titles) and (mention.is_subject or not subject):
                return mention.person
            i -= 1
        return None

    def _last_voice_before(self, offset: int) -> Person | None:
        """The body whose unnamed spokesperson was mentioned last before *offset*."""
        voices = {id(v) for v in self._voices.values()}
        i = bisect.bisect_left(self._starts, offset) - 1
        while i >= 0:
            if id(self.mentions[i].person) in voices:
                return self.mentions[i].person
            i -= 1
        return None

    def named(self, name: str) -> Person | None:
        """The person (or the voice of a body) called *name* in full, if the article mentions one."""
        same = self._by_surname.get(name.split()[-1].lower(), []) if name.split() else []
        return next((p for p in same if p.name == name), None) or self._voices.get(name.casefold())

    def knows(self, name: str) -> bool:
        """True if *name* is a person (or the voice of a body) that this article mentions."""
        same = self._by_surname.get(name.split()[-1].lower(), [])
        return any(p.name == name for p in same) or name.casefold() in self._voices

    def rival_between(self, start: int, end: int, name: str, pronoun: str) -> bool:
        """True if someone other than *name* who could be *pronoun* ("he", "she") is the subject of a
        sentence between the two offsets: a new person the narrative turned to."""
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return any(m.is_subject and m.person.name != name and m.person.pronoun in (None, pronoun)
                   for m in self.mentions[lo:hi])

    def others_between(self, start: int, end: int, name: str) -> bool:
        """True if someone other than *name* is mentioned (outside quotations) between the two offsets."""
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return any(m.person.name != name for m in self.mentions[lo:hi])

    def resolve(self, mention: "Span") -> str | None:
        """The full name behind a speaker mention, or None when it names no known person."""
        for ent in self.view.ents_in(mention):
            if ent.root.dep_ == "poss" and ent.root.head.i == mention.root.i:
                continue  # "Ms Price's parents", "Voss's lawyer": the owner is someone else than who speaks
            if (ent.start_char, ent.end_char) in self.person_spans:
                name = clean_name(ent, self.view.text)
                return self._full_name(name, ent.start_char) if name else None
        head = mention.root
        word = head.text.lower()
        if word in _GENDERED_PRONOUNS:
            person = self._pronouns.get(head.i)
            return person.name if person else None
        if word in _OBJECT_PRONOUNS:
            person = self.object_pronoun(head)
            return person.name if person else None
        if word in PRONOUNS:
            # The last person who did something in the story is who "they" most often is.
            person = self.last_before(mention.start_char, subject=True) or self.last_before(mention.start_char)
            return person.name if person else None
        if head.pos_ == "PROPN" or head.text[:1].isupper() and head.i > mention.sent.start:
            lo, hi = word_bounds(head)
            surname = head.doc[lo:hi].text
            person = self.by_surname(surname, mention.start_char)
            if person:
                return person.name
            full = self.full_name_before(surname, mention.start_char)
            if full:
                return self.add(full[1], full[0]).name
        lemma = head.lemma_.lower()
        if head.pos_ == "NOUN" and not any(c.dep_ == "det" and c.lower_ in _INDEFINITE for c in head.children):
            # "the judge said", "defence counsel said": the person the article gave that role.
            person = self.role_holder(lemma, mention.start_char)
            if person is not None:
                return person.name
        if lemma in SPOKESPEOPLE:
            # "the spokesman" after "a spokesman for the union" speaks for the same body.
            voice = self.voice_of(head) or self._last_voice_before(mention.start_char)
            if voice is not None:
                return voice.name
        if lemma in PERSON_NOUNS:
            person = self.last_before(mention.start_char, lemma)
            return person.name if person else None
        return None

    def _full_name(self, name: str, offset: int) -> str:
        """*name* as the article gave it in full: a known person, or a first name seen before the surname."""
        person = self.by_surname(name.split()[-1], offset)
        if person is not None and (surname_only(name.split()) or person.name.split()[0] == name.split()[0]):
            return person.name
        if " " not in name:
            full = self.full_name_before(name, offset)
            if full:
                return self.add(full[1], full[0]).name
        return name


#: Lower-case words that belong to a surname: "Pieter de Waal" is "De Waal" at the start of a sentence.
_SURNAME_PARTICLES = frozenset("de da di del della der den du le la van von ter ten al el bin ibn".split())


#: A nickname in quotation marks inside a name.
_NICKNAME = re.compile(r"(?<=\s)[“\"‘'][^”\"’'\n]{1,30}[”\"’'](?=\s)")
#: A given name and a nickname right before a surname: 'Andras “Iron Hands” '.
_GIVEN_NAME_AND_NICKNAME = re.compile(r"\b([A-Z][\w’'-]+)[ \u00a0]+[“\"‘'][^”\"’'\n]{1,30}[”\"’'][ \u00a0]+$")
#: A nickname and a surname right after a given name: ' “Gus” Lindahl'.
_NICKNAME_AND_SURNAME = re.compile(r"[ \u00a0]+[“\"‘'][^”\"’'\n]{1,30}[”\"’'][ \u00a0]+([A-Z][\w’'-]*\w)")


#: The rest of a double-barrelled surname after the hyphen the model stopped at.
_HYPHENED_REST = re.compile(r"(?:-[A-Z][\w’']*[a-z])+(?![\w’'-])")
#: The surname (and its other half) after a given name the model took alone.
_NAME_REST = re.compile(r"(?:-[A-Z][\w’']*[a-z])+(?![\w’'-])|[ ][A-Z][a-z][\w’']*(?:-[A-Z][\w’']*[a-z])*(?![\w’'-])")


def surname_only(words: list[str]) -> bool:
    """True for a surname standing alone, with its particles: "Okafor", "De Waal", "van der Berg"."""
    return all(w.lower() in _SURNAME_PARTICLES for w in words[:-1])


def fullest_name(name: str, offset: int, people: Iterable[tuple[int, str]]) -> str | None:
    """The fullest name the article gives the person *name* (at *offset*) names, among *people*, the
    (offset, name) of each mention of a person an analysis found; None when *name* names none of them.

    Without a parse, the rules :class:`People` names people by: titles and a possessive are no part of
    a name; people who share a surname are told apart by their given names, each known by the longest
    name the article gives them; a surname alone ("Reed's") is whoever of that surname was first named
    last before *offset* (else the first named).
    """
    words = without_titles(_bare(name).split())
    if not words:
        return None
    surname = words[-1].lower()
    # A look at each name's last letters first: an article's analysis can name thousands of people.
    same = sorted((at, bare) for at, full in people
                  if (bare := _bare(full).rstrip())[-len(surname):].lower() == surname)
    named: dict[str, tuple[int, list[str]]] = {}  # given name -> (first seen, longest name)
    alone = False
    for at, bare in same:
        full_words = without_titles(bare.split())
        if not full_words or full_words[-1].lower() != surname:
            continue
        if surname_only(full_words):
            alone = True
            continue
        seen, longest = named.get(full_words[0], (at, full_words))
        named[full_words[0]] = (seen, max(longest, full_words, key=len))
    if not surname_only(words):
        person = named.get(words[0])
        return " ".join(person[1]) if person else None
    if not named:
        return " ".join(words) if alone else None
    by_first_seen = sorted(named.values(), key=lambda person: person[0])
    before = [longest for seen, longest in by_first_seen if seen <= offset]
    return " ".join(before[-1] if before else by_first_seen[0][1])


def _bare(name: str) -> str:
    return name.removesuffix("'s").removesuffix("’s")


def word_bounds(token: "Token") -> tuple[int, int]:
    """Token indices of the whole written word around *token*: spaCy splits "Vasquez-Hale" in three."""
    doc = token.doc
    lo = hi = token.i
    while lo > 0 and not doc[lo - 1].whitespace_ and (doc[lo - 1].text == "-" or doc[lo].text == "-"):
        lo -= 1
    while hi + 1 < len(doc) and not doc[hi].whitespace_ and (doc[hi + 1].text == "-" or doc[hi].text == "-"):
        hi += 1
    return lo, hi + 1


def without_titles(words: list[str]) -> list[str]:
    """The words of a name after any titles in front: "Councillor Bethan Harries" -> "Bethan Harries".

    Words before a title belong to it ("City Councilman Ernesto Vila", "State Sen. Dana Roe"), so the
    name starts after the last title word."""
    i = 0
    for j, word in enumerate(words[:-1]):
        if word.lower().rstrip(".") in NAME_TITLES or word.lower() in PERSON_NOUNS:
            i = j + 1
    return words[i:]


def clean_name(ent: "Span", text: str) -> str:
    """A person's name without titles in front or a possessive behind: "Defence Minister Ali Reza's" -> "Ali Reza".

    The name is the article's own text between its first and last word, so "Vasquez-Hale"
    stays one word; only runs of whitespace (a line break inside a name) become one space.
    *text* is the doc's text (``DocView.text``): spaCy joins ``doc.text`` anew on every access,
    which on a 1 MB article made each name's clean-up cost a copy of the whole article.
    """
    cut = ent.start
    for t in ent[:-1]:
        # "Said Brandt, ..." : the model takes an inverted reporting verb for a first name.
        if t.lower_.rstrip(".") in NAME_TITLES or t.lower_ in PERSON_NOUNS or t.lemma_.lower() in CUE_VERBS:
            cut = t.i + 1
    end = ent.end
    if end > cut and ent.doc[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    if end <= cut:
        return ""
    name = ent.doc[cut:end].text.removesuffix("'s").removesuffix("’s")
    if end == ent.end:
        # The model can stop a name at a hyphen ("Edmund Waverley" of "Edmund Waverley-Hythe") or, after a
        # title, at the given name ("Cllr Bethan" of "Cllr Bethan Arkwright"): the name is all of it.
        rest = (_HYPHENED_REST if " " in name else _NAME_REST).match(text, ent.end_char)
        if rest is not None:
            name += rest.group()
    # A nickname in quotation marks is no part of the name: 'Halvard "Hal" Tysk' is Halvard Tysk.
    name = " ".join(_NICKNAME.sub(" ", name).split())
    if " " not in name:
        # 'Andras “Iron Hands” Marró', where the model takes the surname alone: the given name before
        # the nickname is his, so he is not the Marró named before him.
        given = _GIVEN_NAME_AND_NICKNAME.search(text, max(0, ent.start_char - 60), ent.start_char)
        surname = _NICKNAME_AND_SURNAME.match(text, ent.end_char)
        if given is not None:
            name = f"{given.group(1)} {name}"
        elif surname is not None and ent.label_ == "PERSON":
            name = f"{name} {surname.group(1)}"  # 'Gunnar “Gus” Lindahl', where the model takes the given name alone
    return name


_INDEFINITE = frozenset({"a", "an", "another", "one", "some", "any"})

#: A role and a comma right before a name: "The coroner, ", "Haraldsen's editor at Corvid House, ".
_ROLE_BEFORE = re.compile(
    r"(?:^|[,;:(]\s+)(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Mm]y|[Oo]ur|[\w’'-]+[’']s?)\s+((?:[a-z][\w’'-]*\s+){0,3}[a-z][\w-]*)"
    r"(?:\s+(?:at|of|for|to|in)\s+[^,;:.\n]{1,60})?,\s+$")
#: A comma and a role right after a name: ", the judge,", ", a senior staff nurse, told".
_ROLE_AFTER = re.compile(
    r",\s+(?:the|a|an|his|her|its|their|[\w’'-]+[’']s?)\s+((?:[\w’'-]+\s+){0,4}?[a-z][\w-]*)"
    r"(?=\s*[,.;)]|\s+(?:who|which|of|at|for|in|since|until|and)\b)")
#: Court reports name counsel by what they do: "Prosecuting, Simon Achterberg said".
_COURT_ROLES = {
    "prosecuting": ("prosecutor", "prosecution", "counsel"),
    "defending": ("defence", "defense", "counsel", "barrister", "lawyer", "solicitor"),
}


def _roles_of(view: DocView, ent: "Span") -> set[str]:
    """The role nouns the article ties to the name *ent* where it names it: a title in front ("Judge Ann
    Bell", "Sheriff ..."), a role in apposition before or after ("the coroner, Dr Ravi Nair"; "Ann Bell,
    the judge,"), or the court report's "Prosecuting, ..." / "Defending, ...". Built from the article's
    own words, so any role it uses ("the coroner", "the boss", "the council leader") can be looked up."""
    doc, text = ent.doc, view.text
    roles = {t.lemma_.lower() for t in ent[:-1] if t.lower_.rstrip(".") in NAME_TITLES or t.lower_ in PERSON_NOUNS}
    i = ent.start - 1
    while i >= 0 and doc[i].is_alpha and not doc[i].ent_type_ and (
            doc[i].text[:1].isupper() and doc[i].pos_ in ("NOUN", "PROPN") or _role_in_front(doc[i], ent.root)):
        roles.add(doc[i].lemma_.lower())  # "Judge Harriet Okonjo", "senior coroner Ann Bell": the title outside the entity
        i -= 1
    sentence = view.sentence_of(ent[0])
    lo = sentence.start_char if sentence is not None else 0
    before = text[lo:doc[i + 1].idx if i + 1 < len(doc) else ent.start_char]
    role = _ROLE_BEFORE.search(before)
    if role is not None:
        roles.add(role.group(1).split()[-1].lower())
    court = before.strip().rstrip(",").lower()
    roles.update(_COURT_ROLES.get(court, ()))
    end = ent.end_char
    role = _ROLE_AFTER.match(text, end, min(len(text), end + 120))
    if role is not None and "\n" not in role.group():
        roles.add(role.group(1).split()[-1].lower())
    return roles


def _role_in_front(word: "Token", name: "Token") -> bool:
    """True for a lower-case role noun written straight before the name whose last word is *name*, as
    news copy titles people: "coach Renata Flores", "Senior coroner Ann Bell", "Defense attorney Nadia Reyes"."""
    return word.pos_ == "NOUN" and word.dep_ == "compound" and word.head.i == name.i


def roles_in_front(token: "Token") -> set[str]:
    """The role nouns straight before the (untagged) name ending at *token*: "coach" of "coach Renata Flores-Keene"."""
    doc = token.doc
    i = min((c.left_edge.i for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), default=word_bounds(token)[0]) - 1
    roles = set()
    while i >= 0 and doc[i].is_alpha and not doc[i].ent_type_ and _role_in_front(doc[i], token):
        roles.add(doc[i].lemma_.lower())
        i -= 1
    return roles


def _is_person(ent: "Span", text: str) -> bool:
    # "Mill Lane" is a street, but "Okafor-Lane" is a double-barrelled surname.
    if ent[-1].lower_ in _PLACE_WORDS and word_bounds(ent[-1])[0] == ent[-1].i:
        return False
    if ent.label_ == "PERSON":
        return True
    # The small model often calls a titled name an organisation: "Chief Constable Rebecca Morris".
    if ent.label_ != "ORG" or any(t.lower_ in _ORGANISATION_WORDS for t in ent):
        return False
    name = clean_name(ent, text).split()
    if not 2 <= len(name) <= 3 or not all(w[:1].isupper() for w in name):
        return False
    root = ent.root
    # A title the name was cut from ("Chief Constable Rebecca Morris"); a possessive "'s" is none.
    titled = len(name) < len([t for t in ent if t.text not in ("'s", "’s", "'", "’")])
    beside_title = root.dep_ == "appos" and root.head.lemma_.lower() in PERSON_NOUNS
    speaks = root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in CUE_VERBS or _described_with_who(root)
    # "Agnes Holloway" opening a paragraph: a given name the list knows makes it a person.
    given = pronoun_of_given_name(" ".join(name)) is not None
    return titled or beside_title or speaks or given


def _described_with_who(token: "Token") -> bool:
    """True for a name a "who" clause describes ("Winifred Ashcombe, who set 4,000 crosswords, ..."): a person."""
    return any(c.dep_ == "relcl" and any(g.lower_ == "who" and g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
               for c in token.children)


def _after_preposition(token: "Token") -> bool:
    """True for a name governed by a preposition on its own line: "a physiologist at Tarrow Infirmary who
    ..." hangs the "who" on the place (a "By" in the byline above, linked over the break, does not count)."""
    return token.dep_ == "pobj" and "\n" not in token.doc[min(token.head.i, token.i):token.i].text


def _only_opens_sentences(text: str, word: str) -> bool:
    """True for a capitalised word that only ever opens a sentence ("Lunch is served ..."): no name.

    The small model tags such words as people; a real surname turns up somewhere
    else in the article too, after a first name or in the middle of a sentence.
    """
    for m in re.finditer(r"\b" + re.escape(word) + r"\b", text):
        before = text[max(0, m.start() - 20):m.start()].rstrip(" \u00a0“‘\"'")
        if before and before[-1] not in ".!?\n":
            return False
    return True


def _names_a_body(text: str, name: str) -> bool:
    """True for a name the article puts in front of an organisation's noun ("Ferrow General and Tallis Royal
    hospitals", "the Kestrel Vale school"): it names the body, not a person."""
    return re.search(re.escape(name) + _BODY_AFTER, text) is not None


def _is_subject(ent: "Span") -> bool:
    """True for the subject of what the sentence tells, not of a clause it reports: in "Prosecutor Voss
    said Achter had ignored the complaints", Voss is the one a following "she told the court" means."""
    root = ent.root
    if root.dep_ == "appos":
        root = root.head
    verb = root.head
    reported = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in CUE_VERBS and verb.head != verb
    return root.dep_ in ("nsubj", "nsubjpass") and not reported


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


def _name_like(name: str) -> bool:
    """True for two or three capitalised words that no organisation word makes a body: "Owain Carrick"."""
    words = name.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not _organisation(words)


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
