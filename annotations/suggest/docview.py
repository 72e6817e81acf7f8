"""One parsed doc, with the things the suggesters ask for again and again read only once.

spaCy rebuilds ``Doc.text`` from every token and ``Doc.ents`` (which ``Span.ents``
walks) from every entity on each access, so asking for them per quote or per
clause makes suggestions quadratic in the article's length. Everything here is
read once per :func:`~annotations.suggest.suggest` call and looked up by offset.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token


class Cancelled(Exception):
    """The caller asked the suggesters to stop; never leaves :func:`~annotations.suggest.suggest`."""


class DocView:
    def __init__(self, doc: "Doc", cancelled: Callable[[], bool] = lambda: False) -> None:
        self.doc = doc
        self.text: str = doc.text
        self.ents: list["Span"] = [part for ent in doc.ents for part in _cut_at_paragraphs(ent)]
        self._ent_starts = [e.start for e in self.ents]
        self._ent_of_token: dict[int, "Span"] = {i: e for e in self.ents for i in range(e.start, e.end)}
        self.sentences: list["Span"] = _sentences(doc)
        self._sentence_starts = [s.start for s in self.sentences]
        self._cancelled = cancelled

    def check(self) -> None:
        """Stop the suggesters here if the caller has asked them to."""
        if self._cancelled():
            raise Cancelled

    def ent_of(self, token: "Token") -> "Span | None":
        """The entity *token* belongs to, if any."""
        return self._ent_of_token.get(token.i)

    def ents_in(self, span: "Span") -> list["Span"]:
        """The entities wholly inside *span*, like ``span.ents`` without walking every entity of the doc."""
        i = bisect.bisect_left(self._ent_starts, span.start)
        out = []
        while i < len(self.ents) and self.ents[i].start < span.end:
            if self.ents[i].end <= span.end:
                out.append(self.ents[i])
            i += 1
        return out

    def ents_before(self, token: "Token") -> "Iterator[Span]":
        """The entities starting before *token*, nearest first."""
        i = bisect.bisect_left(self._ent_starts, token.i)
        return (self.ents[j] for j in range(i - 1, -1, -1))

    def sentence_of(self, token: "Token") -> "Span | None":
        """The sentence (cut at paragraph breaks) holding *token*; None for the blank between paragraphs."""
        i = bisect.bisect_right(self._sentence_starts, token.i) - 1
        if i < 0 or token.i >= self.sentences[i].end:
            return None
        return self.sentences[i]


def _sentences(doc: "Doc") -> list["Span"]:
    """The model's sentences, cut again at paragraph breaks (the small model runs some together)."""
    out = []
    for sent in doc.sents:
        start = sent.start
        for token in sent:
            if token.i > start and token.is_space and "\n\n" in token.text:
                out.append(doc[start:token.i])
                start = token.i + 1
        if start < sent.end:
            out.append(doc[start:sent.end])
    return [s for s in out if s.text.strip()]


def _cut_at_paragraphs(ent: "Span") -> list["Span"]:
    """An entity in pieces at each paragraph break inside it: the small model runs a headline's last
    words into the first name of the paragraph under it ("Garron Head\n\nEwa Stromberg")."""
    if not any(t.is_space and "\n\n" in t.text for t in ent):
        return [ent]
    from spacy.tokens import Span

    parts, start = [], ent.start
    for t in ent:
        if t.is_space and "\n\n" in t.text:
            if t.i > start:
                parts.append(Span(ent.doc, start, t.i, label=ent.label))
            start = t.i + 1
    if start < ent.end:
        parts.append(Span(ent.doc, start, ent.end, label=ent.label))
    return parts


def headline_end(text: str) -> int:
    """The end of the first line when it is a headline (it has no closing full stop), else 0."""
    first = text.lstrip("\n").split("\n", 1)[0]
    # A headline can end on quoted words ('Judge warns of courts "running on goodwill"'); a sentence
    # ends on its full stop, inside the marks or out.
    if first and not first.rstrip().rstrip("”’\"'").endswith((".", "!", "?")):
        return len(text) - len(text.lstrip("\n")) + len(first)
    return 0
