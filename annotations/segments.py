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
        _add_paragraph_sentences(spans, text, p_start, p_end)
    return spans


def _add_paragraph_sentences(spans: Spans, text: str, p_start: int, p_end: int) -> None:
    """The fallback sentences of the paragraph text[p_start:p_end], appended to *spans*."""
    # The end bound keeps the look-ahead inside the paragraph, as a slice of it would.
    start = p_start
    for m in _SENTENCE_END.finditer(text, p_start, p_end):
        if m.group().startswith(".") and _is_abbreviation(_word_before(text, p_start, m.start())):
            continue
        _add_stripped(spans, text, start, m.end())
        start = m.end()
    _add_stripped(spans, text, start, p_end)


def _is_abbreviation(word: str) -> bool:
    word = word.lower().strip("\"'“‘(")
    return word in _ABBREVIATIONS or len(word) == 1


def _word_before(text: str, floor: int, end: int) -> str:
    """The last run of non-space characters in text[floor:end], or "" if it is all white space."""
    # Read backwards from *end*: text[floor:end].split() copied the paragraph for every full stop.
    last = _last_match(_UP_TO_NON_SPACE, text, floor, end) + 1
    return text[_last_match(_UP_TO_SPACE, text, floor, last) + 1:last]


# Greedy, so that a match ends at the last such character: \s is what str.isspace() calls space.
_UP_TO_SPACE = re.compile(r".*\s", re.DOTALL)
_UP_TO_NON_SPACE = re.compile(r".*\S", re.DOTALL)


def _last_match(up_to: re.Pattern[str], text: str, floor: int, end: int) -> int:
    """The offset of the last character in text[floor:end] that ends a match of *up_to*, else floor - 1;
    read from *end* back in growing steps, so a run is read about twice at most."""
    step = 64
    while True:
        begin = max(floor, end - step)
        m = up_to.match(text, begin, end)
        if m:
            return m.end() - 1
        if begin == floor:
            return floor - 1
        step *= 2


#: Characters read on each side of the cursor for the fallback sentences, doubled until the
#: paragraphs the answer needs are whole in the window.
_SENTENCE_WINDOW = 512


def _fallback_window(text: str, offset: int, reach: int) -> tuple[int, int, Spans] | None:
    """The fallback sentences of the whole paragraphs in a stretch of text about *reach*
    characters to each side of *offset*: (left, right, sentences), where [left, right) holds those
    paragraphs and the breaks between them; None if no paragraph is whole in the stretch.

    They are the sentences :func:`fallback_sentences` finds there: the breaks are searched between
    edges that are not white space, where no break of the whole text can begin or end, and a
    paragraph cut by an edge is left out, since its sentences may depend on the rest of it.
    """
    lo = max(0, offset - reach)
    while lo > 0 and text[lo - 1].isspace():
        lo -= 1
    hi = min(len(text), offset + reach)
    while hi < len(text) and text[hi].isspace():
        hi += 1
    # Each piece between two breaks (or a break and an end of the text) is one paragraph.
    edges = [lo] + [i for m in _PARAGRAPH_BREAK.finditer(text, lo, hi) for i in m.span()] + [hi]
    pieces = list(zip(edges[::2], edges[1::2]))
    if lo > 0:
        pieces.pop(0)
    if hi < len(text) and pieces:
        pieces.pop()
    if not pieces:
        return None
    sentences: Spans = []
    for start, end in pieces:
        paragraph: Spans = []
        _add_stripped(paragraph, text, start, end)
        for p_start, p_end in paragraph:
            _add_paragraph_sentences(sentences, text, p_start, p_end)
    return pieces[0][0], pieces[-1][1], sentences


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
    words are indexed. Sentences are the fallback sentences of the paragraphs
    around the cursor until the model's are set.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._paragraph_starts: list[int] | None = None
        self._word_starts: list[int] | None = None
        self._sentences: Spans | None = None
        self._sentence_starts: list[int] = []

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

    # Until the model's sentences arrive, the sentence keys read the fallback sentences of the
    # paragraphs around the cursor only: those of a whole megabyte took 1.4 s on the first `)`.

    @property
    def sentences(self) -> Spans | None:
        """The model's sentences, once they have arrived; None until then."""
        return self._sentences

    @sentences.setter
    def sentences(self, spans: Spans) -> None:
        self._sentences = sorted(spans)
        self._sentence_starts = [start for start, _ in self._sentences]

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        """The sentence holding *offset*, else None."""
        if self._sentences is not None:
            return span_at(self._sentences, offset)
        return span_at(self._fallback_around(offset, lambda spans, left, right: True), offset)

    def next_sentence(self, offset: int) -> int | None:
        """The first sentence start strictly after *offset*."""
        if self._sentences is not None:
            return next_start(self._sentence_starts, offset)
        n = len(self.text)
        spans = self._fallback_around(
            offset, lambda spans, left, right: right == n or next_start([s for s, _ in spans], offset) is not None
        )
        return next_start([s for s, _ in spans], offset)

    def previous_sentence(self, offset: int) -> int | None:
        """The last sentence start strictly before *offset*."""
        if self._sentences is not None:
            return previous_start(self._sentence_starts, offset)
        spans = self._fallback_around(
            offset, lambda spans, left, right: left == 0 or previous_start([s for s, _ in spans], offset) is not None
        )
        return previous_start([s for s, _ in spans], offset)

    def _fallback_around(self, offset: int, answered) -> Spans:
        """Fallback sentences of a window around *offset* that holds it and for which
        ``answered(spans, left, right)`` holds, widening the window until it does."""
        text = self.text
        offset = max(0, min(offset, len(text)))
        reach = _SENTENCE_WINDOW
        while True:
            window = _fallback_window(text, offset, reach)
            if window is not None:
                left, right, spans = window
                if left == 0 and right == len(text):
                    return spans
                # Between two paragraphs, the gap belongs to neither side's window.
                if left <= offset <= right and answered(spans, left, right):
                    return spans
            reach *= 2
