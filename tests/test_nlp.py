"""Chunking an article at paragraph starts, nearest chunk first, and joining the chunk docs back."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from annotations.nlp import (
    CHUNK_CHARS,
    ModelMissing,
    analyse,
    analyse_nearest_first,
    chunk_spans,
    join_docs,
    load_pipeline,
    nearest_first,
    parse,
)
from annotations.segments import paragraphs, span_at

EXAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"
TEXT = "\n".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt")))
SIZE = 1000


def test_chunks_cover_the_text_contiguously() -> None:
    spans = chunk_spans(TEXT, SIZE)
    assert len(spans) > 3
    assert spans[0][0] == 0
    assert spans[-1][1] == len(TEXT)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end == start


def test_chunks_never_split_a_paragraph() -> None:
    paras = paragraphs(TEXT)
    for start, end in chunk_spans(TEXT, SIZE):
        for p_start, p_end in paras:
            inside = start <= p_start < end
            assert inside == (start <= p_end - 1 < end), f"paragraph {p_start}..{p_end} cut by chunk {start}..{end}"


def test_chunks_are_at_least_the_size_except_the_last() -> None:
    spans = chunk_spans(TEXT, SIZE)
    assert all(end - start >= SIZE for start, end in spans[:-1])


def test_short_and_empty_texts() -> None:
    assert chunk_spans("", SIZE) == []
    assert chunk_spans("One line.", SIZE) == [(0, 9)]
    assert chunk_spans("\n\n  \n", SIZE) == [(0, 5)]


@pytest.mark.parametrize("offset", [0, 1500, 4321, len(TEXT) - 1])
def test_nearest_first_starts_at_the_chunk_holding_the_offset_and_moves_outwards(offset: int) -> None:
    spans = chunk_spans(TEXT, SIZE)
    ordered = nearest_first(spans, offset)
    assert sorted(ordered) == spans
    assert ordered[0] == span_at(spans, offset)

    def distance(span: tuple[int, int]) -> int:
        return 0 if span[0] <= offset < span[1] else min(abs(span[0] - offset), abs(span[1] - 1 - offset))

    distances = [distance(s) for s in ordered]
    assert distances == sorted(distances)


def test_chunk_results_use_offsets_into_the_whole_article(nlp) -> None:
    start, end = chunk_spans(TEXT, SIZE)[2]
    result, doc = analyse(nlp, TEXT, start, end)
    assert doc.text == TEXT[start:end]
    assert result.entities, "the third chunk of the example articles has named entities"
    for entity in result.entities:
        assert start <= entity.start < entity.end <= end
        assert TEXT[entity.start:entity.end] == entity.text
    for s, e in result.sentences:
        assert start <= s < e <= end
        assert TEXT[s:e] == TEXT[s:e].strip()


def test_analyse_nearest_first_yields_every_chunk_once(nlp) -> None:
    spans = chunk_spans(TEXT, SIZE)
    seen = [(chunk.start, chunk.end) for chunk, _ in analyse_nearest_first(nlp, TEXT, 3000, SIZE)]
    assert seen == nearest_first(spans, 3000)


def test_joined_doc_matches_processing_the_whole_text_at_once(nlp) -> None:
    whole = nlp(TEXT)
    joined = parse(nlp, TEXT, SIZE)
    assert joined.text == TEXT
    assert len(joined) == len(whole)
    assert [(e.start_char, e.end_char) for e in joined.ents] == [(e.start_char, e.end_char) for e in whole.ents]
    # Labels can only differ next to a boundary between docs (a text of several chunks is parsed
    # paragraph by paragraph), where the whole doc saw the previous paragraph as context.
    boundaries = [start for start, _ in paragraphs(TEXT)[1:]]
    for a, b in zip(joined.ents, whole.ents):
        if a.label_ != b.label_:
            nearest = min(abs(a.start_char - boundary) for boundary in boundaries)
            assert nearest <= 40, f"{a.text!r} labelled {a.label_} vs {b.label_} far from any chunk boundary"


def test_join_docs_orders_chunks_by_start_whatever_order_they_came_in(nlp) -> None:
    docs = {chunk.start: doc for chunk, doc in analyse_nearest_first(nlp, TEXT, len(TEXT) - 1, SIZE)}
    assert list(docs) != sorted(docs)
    assert join_docs(nlp, docs).text == TEXT


def test_missing_model_names_the_install_command() -> None:
    with pytest.raises(ModelMissing, match="pip install"):
        load_pipeline("xx_no_such_pipeline_here")


def test_model_sentences_never_cross_a_paragraph_break(nlp) -> None:
    paras = paragraphs(TEXT)
    result, _ = analyse(nlp, TEXT, 0, len(TEXT))
    crossing = [TEXT[s:e][:60] for s, e in result.sentences if span_at(paras, s) != span_at(paras, e - 1)]
    assert crossing == [], (
        "sentences from the model run across paragraph breaks (a headline joined to the first "
        f"paragraph); annotations/nlp.py analyse() should split doc.sents at paragraph breaks: {crossing}"
    )


# ---- a paragraph longer than spaCy takes in one piece -------------------------------------

ONE_SENTENCE = "Mayor Ilse Varga of Calderbridge approved the harbour budget on Tuesday. "


def assert_contiguous(spans: list[tuple[int, int]], text: str) -> None:
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(end == start for (_, end), (start, _) in zip(spans, spans[1:]))


def test_the_default_chunk_limit_is_the_pipelines_max_length(nlp) -> None:
    assert inspect.signature(chunk_spans).parameters["max_chars"].default == nlp.max_length


def test_a_paragraph_over_a_million_characters_is_cut_at_sentence_ends() -> None:
    paragraph = ONE_SENTENCE * (1_000_000 // len(ONE_SENTENCE) + 1)
    text = "Budget night\n\n" + paragraph
    assert len(paragraph) > 1_000_000
    spans = chunk_spans(text)
    assert_contiguous(spans, text)
    assert max(end - start for start, end in spans) <= 2 * CHUNK_CHARS
    assert spans[0] == (0, text.index(paragraph)), "the headline is a chunk of its own"
    for _, end in spans[1:-1]:
        assert text[end - 2:end] == ". ", f"cut inside a sentence at {end}: {text[end - 20:end + 20]!r}"


def test_a_long_run_without_white_space_is_cut_at_the_limit() -> None:
    text = "x" * 25_000
    spans = chunk_spans(text, 10_000, 12_000)
    assert_contiguous(spans, text)
    assert max(end - start for start, end in spans) <= 12_000


def test_a_paragraph_just_over_the_pipelines_limit_is_analysed_with_exact_offsets(nlp, monkeypatch) -> None:
    limit = 20_000  # lowered so the test stays quick; the real limit is nlp.max_length
    monkeypatch.setattr(nlp, "max_length", limit)
    paragraph = ONE_SENTENCE * (limit // len(ONE_SENTENCE) + 1)
    assert len(paragraph) > limit
    with pytest.raises(ValueError, match="max_length"):
        nlp(paragraph)  # what analysis did with it before
    text = "Budget night\n\n" + paragraph
    chunks = list(analyse_nearest_first(nlp, text))
    assert len(chunks) > 1
    found = [e for chunk, _ in chunks for e in chunk.entities]
    assert sum(e.text == "Tuesday" for e in found) == paragraph.count("Tuesday")
    for entity in found:
        assert text[entity.start:entity.end] == entity.text
    assert join_docs(nlp, {chunk.start: doc for chunk, doc in chunks}).text == text


def test_a_long_text_is_parsed_paragraph_by_paragraph_a_short_one_whole(nlp) -> None:
    """spaCy steps through a batch's docs together, so a chunk of several paragraphs piped as a batch of
    paragraph docs took about 0.8 of the time of the chunk as one doc; an article of one chunk stays one
    doc, the model seeing all of it (the gold articles are such, so the evaluation is unchanged)."""
    chunks = list(analyse_nearest_first(nlp, TEXT, 0, SIZE))
    assert len(chunks) > 1
    for chunk, docs in chunks:
        assert "".join(doc.text for doc in docs) == TEXT[chunk.start:chunk.end]
        assert len(docs) == len([p for p in paragraphs(TEXT) if chunk.start <= p[0] < chunk.end]), \
            "one doc per paragraph of the chunk"
    short = TEXT[:SIZE - 1]
    [(_, docs)] = list(analyse_nearest_first(nlp, short, 0, SIZE))
    assert len(docs) == 1 and docs[0].text == short
