"""Paragraphs, sentences and words of an article's text, as offset spans.

Sentences come from spaCy once it has run; until then :func:`fallback_sentences`
gives boundaries good enough for the cursor and for tagging a claim at once.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

Spans = list[tuple[int, int]]

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)

# A sentence ends at . ! ? (and any closing quotes or brackets after them)
# followed by white space and something that can start a sentence.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9\u00C0-\u024F])")

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt st jr sr inc ltd co corp no vs etc "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m".split()
)


#: Characters read around the cursor to find the next or previous word before the whole
#: text's word index is used instead (only text without spaces for this long needs it).
_LOCAL_SCAN = 512


def paragraphs(text: str) -> Spans:
    """Paragraphs are separated by blank lines; each span excludes the surrounding white space."""
    spans: Spans = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        _add_stripped(spans, text, pos, m.start())
        pos = m.end()
    _add_stripped(spans, text, pos, len(text))
    return spans


def _add_stripped(spans: Spans, text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


def fallback_sentences(text: str) -> Spans:
    """Sentence spans by punctuation, never crossing a paragraph break."""
    spans: Spans = []
    for p_start, p_end in paragraphs(text):
        para = text[p_start:p_end]
        start = 0
        for m in _SENTENCE_END.finditer(para):
            word = para[:m.start()].rsplit(None, 1)[-1].lower().strip("\"'“‘(") if para[:m.start()].strip() else ""
            if m.group().startswith(".") and (word in _ABBREVIATIONS or len(word) == 1):
                continue
            _add_stripped(spans, text, p_start + start, p_start + m.end())
            start = m.end()
        _add_stripped(spans, text, p_start + start, p_end)
    return spans


def words(text: str) -> list[int]:
    """Start offsets of words (runs of word characters, or single punctuation marks)."""
    return [m.start() for m in _WORD.finditer(text)]


def span_at(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The span containing *offset* (spans sorted and not overlapping), else None."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    if i >= 0 and spans[i][0] <= offset < spans[i][1]:
        return spans[i]
    return None


def next_start(starts: Sequence[int], offset: int) -> int | None:
    """The first start strictly after *offset*."""
    i = bisect.bisect_right(starts, offset)
    return starts[i] if i < len(starts) else None


def previous_start(starts: Sequence[int], offset: int) -> int | None:
    """The last start strictly before *offset*."""
    i = bisect.bisect_left(starts, offset) - 1
    return starts[i] if i >= 0 else None


class Segments:
    """The paragraphs, sentences and words of one text, each computed on first use.

    Nothing is computed up front, so a long article is on screen before its
    words are indexed. Sentences start as :func:`fallback_sentences` and are
    replaced by the model's once it has run.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._paragraph_starts: list[int] | None = None
        self._word_starts: list[int] | None = None
        self._sentences: Spans | None = None
        self._sentence_starts: list[int] | None = None

    @property
    def paragraph_starts(self) -> list[int]:
        if self._paragraph_starts is None:
            self._paragraph_starts = [start for start, _ in paragraphs(self.text)]
        return self._paragraph_starts

    @property
    def word_starts(self) -> list[int]:
        if self._word_starts is None:
            self._word_starts = words(self.text)
        return self._word_starts

    # Words are found around the offset, not from an index of the whole text: indexing every
    # word of a megabyte costs a quarter of a second, which the first `w` used to pay.
    # A word never spans white space, so reading words from just after white space finds
    # the same word starts as reading from the start of the text.

    def next_word(self, offset: int) -> int | None:
        """The first word start strictly after *offset*."""
        begin = self._token_start(offset)
        if begin is None:
            return next_start(self.word_starts, offset)
        for m in _WORD.finditer(self.text, begin):
            if m.start() > offset:
                return m.start()
        return None

    def previous_word(self, offset: int) -> int | None:
        """The last word start strictly before *offset*."""
        text = self.text
        last = min(offset, len(text)) - 1
        floor = max(-1, last - _LOCAL_SCAN)
        while last > floor and text[last].isspace():
            last -= 1
        if last < 0:
            return None
        begin = self._token_start(last) if last > floor else None
        if begin is None:
            return previous_start(self.word_starts, offset)
        found = None
        for m in _WORD.finditer(text, begin):  # no end bound: it would cut the last word short
            if m.start() >= offset:
                break
            found = m.start()
        return found

    def _token_start(self, offset: int) -> int | None:
        """Where the run of non-space characters holding *offset* begins (or *offset*, in white
        space); None in a run so long that the word index is the cheaper way."""
        text = self.text
        begin = min(offset, len(text))
        floor = max(0, begin - _LOCAL_SCAN)
        while begin > floor and not text[begin - 1].isspace():
            begin -= 1
        return begin if begin == 0 or text[begin - 1].isspace() else None

    @property
    def sentences(self) -> Spans:
        if self._sentences is None:
            self._sentences = fallback_sentences(self.text)
        return self._sentences

    @sentences.setter
    def sentences(self, spans: Spans) -> None:
        self._sentences = sorted(spans)
        self._sentence_starts = None

    @property
    def sentence_starts(self) -> list[int]:
        if self._sentence_starts is None:
            self._sentence_starts = [start for start, _ in self.sentences]
        return self._sentence_starts

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        return span_at(self.sentences, offset)
