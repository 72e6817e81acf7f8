"""The systems annotty's suggestions are measured against in ``annotty eval``.

* plain rules: every pair of quotation marks (annotations.quotations) is a quote;
  its speaker is the person or pronoun nearest the nearest cue verb of its
  sentence (or the next sentence), else the nearest person in those sentences,
  else the last person before; the mention is resolved to a full name by the
  same name resolution annotty uses (suggest/people.py: "he" -> the person he
  stands for, a surname -> the full name). Every sentence with a digit is a
  claim, with no claimant. A suggester has to do better than this to be worth
  its rules.
* textacy: ``textacy.extract.triples.direct_quotations`` when textacy is
  installed (the ``bench`` extra); its content span includes the quotation
  marks, which are stripped; the speaker words are resolved as for the plain
  rules. textacy refuses a whole article whose count of quotation marks is odd;
  such an article counts as nothing found.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import TYPE_CHECKING

from .model import CLAIM, QUOTE
from .quotations import quotations
from .suggest.cues import CUE_VERBS, PRONOUNS
from .suggest.docview import DocView
from .suggest.people import People
from .suggest.suggestion import Suggestion

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

System = Callable[["Doc"], list[Suggestion]]

#: Marks textacy keeps at the edges of a quotation's content.
_MARKS = "\"'“”‘’«»„‚‹›`"
#: Tokens either side of a cue verb searched for its speaker.
_CUE_REACH = 6


class Refused(Exception):
    """A system that gives up on a whole article; it is scored as finding nothing there."""


class _Resolver:
    """Speaker mentions of one doc, resolved to names the way annotty resolves them."""

    def __init__(self, doc: "Doc", spans: list[tuple[int, int]]) -> None:
        self.doc = doc
        outer = sorted((a - 1, b + 1) for a, b in spans)
        self._starts = [a for a, _ in outer]
        self._outer = outer
        self.people = People(DocView(doc), self.inside_quote)

    def inside_quote(self, offset: int) -> bool:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._outer[i][1]

    def speaker(self, mention: "Span") -> dict:
        name = self.people.resolve(mention) or mention.text
        return {"text": mention.text, "start": mention.start_char, "end": mention.end_char, "name": name}


def _is_speaker_word(token: "Token") -> bool:
    return token.ent_type_ in ("PERSON", "ORG") or token.lower_ in PRONOUNS


def _mention_at(doc: "Doc", token: "Token") -> "Span":
    """The whole entity under *token*, or the token alone (a pronoun)."""
    for ent in doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return doc[token.i:token.i + 1]


def plain_rules(doc: "Doc") -> list[Suggestion]:
    text = doc.text
    spans = quotations(text)
    resolver = _Resolver(doc, spans)
    sentences = list(doc.sents)
    sent_starts = [s.start_char for s in sentences]
    outside = [t for t in doc if not resolver.inside_quote(t.idx)]
    people = [e for e in doc.ents if e.label_ == "PERSON" and not resolver.inside_quote(e.start_char)]
    found = []
    for start, end in spans:
        first = max(0, bisect.bisect_right(sent_starts, start) - 1)
        last = min(len(sentences) - 1, bisect.bisect_right(sent_starts, end) - 1 + 1)
        lo, hi = sentences[first].start, sentences[last].end
        window = [t for t in outside if lo <= t.i < hi]
        mention = None
        cues = [t for t in window if t.lemma_.lower() in CUE_VERBS]
        if cues:
            cue = min(cues, key=lambda t: min(abs(t.idx - start), abs(t.idx - end)))
            near = [t for t in window if abs(t.i - cue.i) <= _CUE_REACH and _is_speaker_word(t)]
            if near:
                mention = _mention_at(doc, min(near, key=lambda t: abs(t.i - cue.i)))
        if mention is None:
            in_window = [e for e in people if lo <= e.start < hi]
            before = [e for e in people if e.end_char <= start]
            chosen = min(in_window, key=lambda e: min(abs(e.start_char - end), abs(e.end_char - start)), default=None)
            mention = chosen or (before[-1] if before else None)
        speaker = resolver.speaker(mention) if mention is not None else None
        found.append(Suggestion(QUOTE, start, end, text[start:end], speaker, None, "direct", 1.0, (), "baseline:plain"))
    for sent in sentences:
        if any(ch.isdigit() for ch in sent.text):
            s, e = sent.start_char, sent.start_char + len(sent.text.rstrip())
            found.append(Suggestion(CLAIM, s, e, text[s:e], None, None, None, 1.0, (), "baseline:digit"))
    return found


def textacy_quotes(doc: "Doc") -> list[Suggestion]:
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError as exc:  # an odd count of quotation marks: textacy gives up on the article
        raise Refused(str(exc)) from None
    resolver = _Resolver(doc, quotations(doc.text))
    found = []
    for triple in triples:
        start, end = triple.content.start_char, triple.content.end_char
        while start < end and (doc.text[start] in _MARKS or doc.text[start].isspace()):
            start += 1
        while end > start and (doc.text[end - 1] in _MARKS or doc.text[end - 1].isspace()):
            end -= 1
        speaker = None
        if triple.speaker:
            first, last = min(t.i for t in triple.speaker), max(t.i for t in triple.speaker)
            speaker = resolver.speaker(doc[first:last + 1])
        found.append(Suggestion(QUOTE, start, end, doc.text[start:end], speaker, None, "direct", 1.0, (),
                                "baseline:textacy"))
    return found


def textacy_system() -> tuple[System | None, str]:
    """textacy's quotation extractor and its name, or None and why it cannot run."""
    try:
        import textacy
        import textacy.extract.triples  # noqa: F401
    except ImportError:
        return None, "textacy: not installed (pip install 'annotty[bench]')"
    return textacy_quotes, f"textacy {textacy.__version__}"
