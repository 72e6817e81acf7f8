"""Organisations and documents an article credits with words, named as fully as the article names them.

"The trust said" is the harbour trust named two paragraphs up; "the report said" is the
State Audit Office that released it, or, when nobody is said to have written it, the
"independent review" it was introduced as.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .docview import DocView, headline_end

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Span, Token

#: Nouns for bodies that speak: "the council said", "the union warned".
BODY_NOUNS = frozenset(
    """
    agency airline association authority bank board charity club commission committee company council
    court department developer federation firm government group hospital insurer league lender ministry
    office operator party police regulator school service trust union university utility
    """.split()
)

#: Nouns that stand for whichever organisation the story last had doing something: "the company said".
_GENERIC_BODIES = frozenset("company firm group business organisation organization".split())

#: A noun and a comma (or "called") right before an organisation's name: "The developer, Wexham Yards",
#: "a Tulsa-area company called Prairie Crest".
_KIND_BEFORE = re.compile(
    r"(?:^|[,;:(]\s+|\s)(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[\w’'-]+[’']s?)\s+(?:[\w-]+\s+){0,3}?([a-z][\w-]*)(?:,|\s+(?:called|named))\s+$")
#: A name right after a noun: "its parent company, Corrande Utilities", "a company called Prairie Crest".
_NAME_AFTER = re.compile(r"(?:,\s+(?:the\s+)?|\s+(?:called|named)\s+)[A-Z]")
#: A comma and a noun right after an organisation's name: "Bellmore Power, the local utility,".
_KIND_AFTER = re.compile(r",\s+(?:the|a|an|its)\s+(?:[\w’'-]+\s+){0,3}?([a-z][\w-]*)(?=\s*[,.;)]|\s+(?:which|that|of|in|based)\b)")

#: Nouns for writings that speak: "the report says", "the letter reads", "as the memo put it".
DOCUMENT_NOUNS = frozenset(
    """
    ad advert advertisement analysis assessment audit document email filing inquiry investigation leaflet
    letter memo memorandum motion note paper petition report review ruling statement study submission survey
    """.split()
)

#: People who write for a body: "a memo written by officials at the Finance Ministry".
_STAFF_NOUNS = frozenset("official officials staff officer officers spokesman spokeswoman spokesperson".split())

#: Verbs whose agent wrote the writing: "a report released by", not "a memo seen by the Tribune".
_AUTHORING = frozenset("write release publish issue prepare send sign draft compile produce file submit commission".split())

#: Prepositions that give a writing's author: "a report by", "a statement from".
_AUTHOR_PREPOSITIONS = frozenset({"by", "from", "of"})

_NAMED = ("ORG", "PERSON", "GPE", "NORP")

#: Words in front of a noun that say nothing about which one it is: "its own study", "the new report".
_NOT_DESCRIBING = frozenset("own new latest last recent same other former".split())


class Bodies:
    """The bodies and documents of one doc, outside quotations."""

    def __init__(self, view: DocView, inside_quote: Callable[[int], bool], name_of: Callable[["Token"], str | None]) -> None:
        self.view = view
        self._name_of = name_of  # the full name of a person or body a token names, from the quote finder
        self._orgs = [e for e in view.ents if e.label_ == "ORG" and not inside_quote(e.start_char)]
        # A headline's "Report finds ..." is not the report the story introduces.
        story = headline_end(view.text)
        self._nouns: list["Token"] = [
            t for t in view.doc
            if t.idx >= story and t.pos_ == "NOUN" and t.lemma_.lower() in BODY_NOUNS | DOCUMENT_NOUNS
            and view.ent_of(t) is None and not inside_quote(t.idx)
        ]
        # fullest_org looks through every organisation and the whole text; a long article asks it again
        # and again for the same few names (577 times in 1 MB, 96 s), so each name's answer is kept.
        self._org_words: list[list[str]] | None = None
        self._fullest: dict[str, str] = {}
        self._kinds: dict[str, list[tuple[int, "Span"]]] | None = None

    def name(self, token: "Token") -> str | None:
        """The full name behind *token* if it is a body or a document the article credits; else None."""
        lemma = token.lemma_.lower()
        if token.pos_ != "NOUN" or self.view.ent_of(token) is not None:
            return None
        if lemma in DOCUMENT_NOUNS:
            return self._document(token)
        if lemma in BODY_NOUNS:
            return self._body(token)
        if any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            # "the zoo", "the brewery": any kind of body, once the article has named one "... Zoo".
            before = [e for e in self._orgs if e.start_char < token.idx and e.root.lemma_.lower() == lemma]
            if before:
                return self.fullest_org(org_name(before[-1]))
        return None

    def it(self, token: "Token") -> str | None:
        """What an "it" saying something stands for: the last body or writing that was a subject in its
        sentence or the two before ("The review ... concluded ... '...,' the report says. It describes ...")."""
        sentences = self.view.sentences
        i = bisect.bisect_right(self.view._sentence_starts, token.i) - 1
        lo = sentences[max(0, i - 2)].start if i >= 0 else 0
        for noun in reversed([t for t in self._nouns if lo <= t.i < token.i and t.dep_ in ("nsubj", "nsubjpass")]):
            name = self.name(noun)
            if name:
                return name
        return None

    def fullest_org(self, name: str) -> str:
        """"Fairbury Supermarkets" for "Fairbury": the longest organisation the article names that starts
        with *name*'s words."""
        if name not in self._fullest:
            self._fullest[name] = self._find_fullest_org(name)
        return self._fullest[name]

    def _find_fullest_org(self, name: str) -> str:
        if self._org_words is None:
            self._org_words = [org_name(ent).split() for ent in self._orgs]
        words = name.split()
        best = name
        for full in self._org_words:
            if len(full) > len(best.split()) and full[:len(words)] == words:
                best = " ".join(full)
        # The model often starts a name with "and" in it too late: "the Bakers and Allied Workers Union".
        joined = re.search(r"\b((?:[A-Z][\w’'-]+ )+(?:and|&) )" + re.escape(best) + r"\b", self.view.text)
        if joined is None:
            return best
        front = joined.group(1).split()
        while front and front[0] in ("The", "A", "An"):
            front.pop(0)
        return " ".join(front + [best])

    def _body(self, token: "Token") -> str | None:
        """An organisation named "... Union" for "the union"; else the fullest description the article gives
        a body of that kind ("the district council" for "the council"); None when it never says more."""
        lemma = token.lemma_.lower()
        before = [e for e in self._orgs if e.start_char < token.idx and e.root.lemma_.lower() == lemma]
        if before:
            return self.fullest_org(org_name(before[-1]))
        # "The rail company, which owns the land": a body the article describes but never names. A noun
        # with a name after it ("its parent company, Corrande Utilities") is that name's, not this one.
        text = self.view.text
        descriptions = [_description(t) for t in self._nouns if t.lemma_.lower() == lemma
                        and not _NAME_AFTER.match(text, t.idx + len(t.text))]
        fullest = max(descriptions, key=lambda d: len(d.split()), default="")
        if len(fullest.split()) > 1:
            return fullest
        if lemma in _GENERIC_BODIES:
            return self._last_subject_org(token.idx)
        return self._named_as(lemma, token.idx)

    def _named_as(self, kind: str, offset: int) -> str | None:
        """The organisation the article named as a *kind* ("The developer, Wexham Yards LLC, plans",
        "Bellmore Power, the local utility,"): the last one before *offset*, else the first after it."""
        if self._kinds is None:
            self._kinds = {}
            text = self.view.text
            for ent in self._orgs:
                sentence = self.view.sentence_of(ent[0])
                lo = sentence.start_char if sentence is not None else 0
                found = [_KIND_BEFORE.search(text[lo:ent.start_char]), _KIND_AFTER.match(text, ent.end_char)]
                for m in found:
                    if m is not None and "\n" not in m.group():
                        self._kinds.setdefault(m.group(1).lower(), []).append((ent.start_char, ent))
        named = self._kinds.get(kind, [])
        before = [ent for at, ent in named if at < offset]
        ent = before[-1] if before else named[0][1] if named else None
        return self.fullest_org(org_name(ent)) if ent is not None else None

    def _last_subject_org(self, offset: int) -> str | None:
        """The last organisation before *offset* that did something (the subject of its clause, or named
        in apposition to it): what a bare "the company" or "the group" most often means."""
        for ent in reversed([e for e in self._orgs if e.end_char <= offset]):
            root = ent.root
            if root.dep_ in ("nsubj", "nsubjpass") or root.dep_ == "appos" and root.head.dep_ in ("nsubj", "nsubjpass"):
                return self.fullest_org(org_name(ent))
        return None

    def _document(self, token: "Token") -> str | None:
        """Whoever wrote the document *token* stands for; else its fullest description; None for a bare
        "the report" that the article never introduces."""
        author = self._author(token)
        if author:
            return author
        lemma = token.lemma_.lower()
        earlier = [t for t in self._nouns if t.idx < token.idx and t.lemma_.lower() in DOCUMENT_NOUNS]
        # The same word names the same writing; otherwise "the report" is the review introduced before it.
        meant = lemma if any(t.lemma_.lower() == lemma for t in earlier) else earlier[-1].lemma_.lower() if earlier else None
        mentions = [t for t in earlier if t.lemma_.lower() == meant]
        for mention in mentions:
            author = self._author(mention)
            if author:
                return author
        fullest = max((_description(t) for t in mentions), key=lambda d: len(d.split()), default="")
        if len(fullest.split()) > 1:
            return fullest  # "an independent review published on Wednesday found" ... "the report says"
        own = _description(token)
        if len(own.split()) > 1:
            return own
        if not earlier:
            # "The Ferry Users Group wrote to the minister. '...,' the letter reads.": a writing the article
            # never introduced is by whoever it last said wrote, sent or issued something.
            for verb in reversed([t for t in self.view.doc[:token.i] if t.pos_ == "VERB" and t.lemma_.lower() in _AUTHORING]):
                subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                named = self.named(subject) if subject is not None else None
                if named:
                    return named
        return None

    def _author(self, document: "Token") -> str | None:
        """The author the article gives a document where it names it: "an audit office report", "a report
        released by the State Audit Office", "a statement from the Growers' Association", "the Environment
        Office said in a report"."""
        for child in document.children:
            # "a GAO report", "the ministry's study": an entity or a body in front of the writing wrote it.
            if child.dep_ in ("compound", "poss") and (self.view.ent_of(child) is not None
                                                        or child.dep_ == "poss" and child.lemma_.lower() in BODY_NOUNS):
                named = self.named(child)
                if named:
                    return named
        compounds = [c for c in document.lefts if c.dep_ == "compound"]
        if compounds and compounds[-1].lemma_.lower() in BODY_NOUNS and self.view.ent_of(compounds[-1]) is None:
            # "An audit office report": the model hangs both words on "report".
            return document.doc[compounds[0].left_edge.i:compounds[-1].i + 1].text
        holders = [document] + [c for c in document.children if c.dep_ == "acl" and c.lemma_.lower() in _AUTHORING]
        for holder in holders:
            for prep in holder.children:
                if prep.dep_ in ("prep", "agent") and prep.lower_ in _AUTHOR_PREPOSITIONS:
                    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    named = self.named(obj) if obj is not None else None
                    if named:
                        return named
        head = document.head
        if document.dep_ == "pobj" and head.lower_ == "in" and head.head.pos_ == "VERB":
            subject = next((c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            named = self.named(subject) if subject is not None else None
            if named:
                return named
        return None

    def named(self, token: "Token") -> str | None:
        """The body or person *token* names: an entity, a body noun, or staff "at" a body."""
        ent = self.view.ent_of(token)
        if ent is not None and ent.label_ in _NAMED:
            return self._name_of(token) or org_name(ent)
        if token.pos_ == "NOUN" and token.lemma_.lower() in BODY_NOUNS:
            return self._body(token) or _description(token)
        if token.pos_ == "PROPN" and ent is None:  # a name the model did not tag: "the Roads Inspectorate"
            return _description(token)
        if token.lower_ in _STAFF_NOUNS or token.lemma_.lower() in _STAFF_NOUNS:
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ in ("at", "of", "from", "for"):
                    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if obj is not None:
                        return self.named(obj)
        return None


def _description(token: "Token") -> str:
    """The noun with the words in front that say which one it is: "independent review", "harbour trust"."""
    left = token.i
    for child in reversed(list(token.lefts)):
        if child.dep_ in ("compound", "amod") and child.right_edge.i == left - 1 and child.lower_ not in _NOT_DESCRIBING:
            left = child.left_edge.i
    words = token.doc[left:token.i + 1].text.split()
    return " ".join(words)


def org_name(ent: "Span") -> str:
    words = ent.text.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    name = " ".join(words)
    return name.removesuffix("’s").removesuffix("'s")
