"""Paragraph, fallback sentence and word boundaries, as offsets into the text."""

from __future__ import annotations

import pytest

from annotations.segments import Segments, fallback_sentences, next_start, paragraphs, previous_start, span_at, words

TEXT = (
    "  Flood warning for Kestle valley\n"
    "\n"
    "The river at Kestle Bridge rose two metres overnight.\n"
    "Residents were told to move cars to higher ground.\n"
    " \t \n"
    "\n"
    "Mr. Odhiambo, who chairs the parish council, met U.S. Army engineers at 9 a.m. Sunday. "
    "He said the barrier \"held, just\". Was it enough? Nobody knows yet!\n"
)


def texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_paragraphs_are_split_at_blank_lines_and_exclude_surrounding_space() -> None:
    assert texts(TEXT, paragraphs(TEXT)) == [
        "Flood warning for Kestle valley",
        "The river at Kestle Bridge rose two metres overnight.\nResidents were told to move cars to higher ground.",
        TEXT.split("\n\n")[-1].strip(),
    ]


def test_paragraph_spans_are_sorted_and_disjoint() -> None:
    spans = paragraphs(TEXT)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end < start
        assert "\n" in TEXT[end:start] and TEXT[end:start].strip() == ""


def test_no_paragraphs_in_blank_text() -> None:
    assert paragraphs("") == []
    assert paragraphs(" \n\n\t\n") == []


def test_fallback_sentences_skip_abbreviations_and_initials() -> None:
    last = paragraphs(TEXT)[-1]
    sentences = [s for s in fallback_sentences(TEXT) if s[0] >= last[0]]
    assert texts(TEXT, sentences) == [
        "Mr. Odhiambo, who chairs the parish council, met U.S. Army engineers at 9 a.m. Sunday.",
        "He said the barrier \"held, just\".",
        "Was it enough?",
        "Nobody knows yet!",
    ]


def test_fallback_sentences_never_cross_a_paragraph_break() -> None:
    paras = paragraphs(TEXT)
    for start, end in fallback_sentences(TEXT):
        assert span_at(paras, start) == span_at(paras, end - 1) is not None


def test_heading_without_a_full_stop_is_its_own_sentence() -> None:
    assert texts(TEXT, fallback_sentences(TEXT))[0] == "Flood warning for Kestle valley"


def test_sentence_ending_inside_closing_quote() -> None:
    text = "“We will appeal.” The club said nothing more. ‘Fine.’ Done."
    assert texts(text, fallback_sentences(text)) == ["“We will appeal.”", "The club said nothing more.", "‘Fine.’", "Done."]


def test_numbers_with_decimal_points_do_not_end_sentences() -> None:
    text = "Fees rose 4.99 per cent. Then they fell."
    assert texts(text, fallback_sentences(text)) == ["Fees rose 4.99 per cent.", "Then they fell."]


def test_words_are_word_runs_and_single_punctuation_marks() -> None:
    text = "Ms Ayo's £3.5m plan—approved."
    starts = words(text)
    tokens = [text[s:e] for s, e in zip(starts, starts[1:] + [len(text)])]
    assert [t.strip() for t in tokens] == ["Ms", "Ayo's", "£", "3", ".", "5m", "plan", "—", "approved", "."]


def test_every_word_start_begins_a_non_space_character() -> None:
    for start in words(TEXT):
        assert not TEXT[start].isspace()


def test_span_at_and_start_searches() -> None:
    spans = [(0, 4), (6, 10)]
    assert span_at(spans, 0) == (0, 4)
    assert span_at(spans, 3) == (0, 4)
    assert span_at(spans, 4) is None
    assert span_at(spans, 9) == (6, 10)
    starts = [0, 6, 12]
    assert next_start(starts, 0) == 6
    assert next_start(starts, 5) == 6
    assert next_start(starts, 12) is None
    assert previous_start(starts, 12) == 6
    assert previous_start(starts, 7) == 6
    assert previous_start(starts, 0) is None


@pytest.mark.parametrize("text", [TEXT, "", "   ", "one", "  don't   stop.\n\n\t«Here» U.S. 3,000 ", "x" * 2000 + " end " + "y" * 1500])
def test_next_and_previous_word_match_the_whole_text_index_at_every_offset(text: str) -> None:
    segments = Segments(text)
    starts = words(text)
    for offset in range(len(text) + 1):
        assert segments.next_word(offset) == next_start(starts, offset), offset
        assert segments.previous_word(offset) == previous_start(starts, offset), offset


def test_word_motion_does_not_index_the_whole_text() -> None:
    segments = Segments(TEXT * 50)
    segments.next_word(10)
    segments.previous_word(len(TEXT) * 25)
    assert segments._word_starts is None
