"""Paragraph, fallback sentence and word boundaries, as offsets into the text."""

from __future__ import annotations

import random
import re
import sys

import pytest

from annotations import segments as segments_module
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


# ---- fallback sentences near the cursor -----------------------------------------

# Paragraph edges of every kind: blank lines with spaces or tabs, several blank lines, a heading,
# abbreviations and initials, a paragraph without a full stop, quotes closing sentences.
PARAGRAPHS = [
    "Harbour levy rejected",
    "Mr. Okafor told the board at 7 p.m. that the levy was \"a tax on fishing\". Nobody disagreed! Was it fair?",
    "The vote, 9 to 2, ends a year of talks with J. R. Tolland Ltd. about the quay. It was close.",
    "no full stop in this paragraph at all just words and a dash — and more words",
    "“We will appeal.” The union said so on Friday. ‘Fine.’ Done.",
    "Fees rose 4.99 per cent. Then they fell. Then, at 3.5 m a year, they stayed",
]
SEPARATORS = ["\n\n", "\n \t\n", "\n\n\n\n", "\n\t\n  \n", "\n\n  "]


def multi_paragraph_text(seed: int, count: int) -> str:
    rng = random.Random(seed)
    parts = []
    for _ in range(count):
        parts.append(rng.choice(PARAGRAPHS))
        parts.append(rng.choice(SEPARATORS))
    return rng.choice(["", "  ", "\n\n"]) + "".join(parts[:-1]) + rng.choice(["", "\n", " \n\n "])


def interesting_offsets(text: str, rng: random.Random, n: int) -> list[int]:
    """Random offsets, the text's ends and both sides of every paragraph edge and break."""
    edges = {0, 1, len(text) - 1, len(text), len(text) + 1}
    for m in re.finditer(r"\n[ \t]*\n\s*", text):
        edges.update({m.start() - 1, m.start(), m.start() + 1, m.end() - 1, m.end(), m.end() + 1})
    return sorted({o for o in edges if o >= 0} | {rng.randrange(len(text) + 1) for _ in range(n)})


def assert_local_answers_equal_the_whole_texts(text: str, offsets: list[int]) -> None:
    whole = fallback_sentences(text)
    starts = [s for s, _ in whole]
    segments = Segments(text)
    for offset in offsets:
        assert segments.sentence_at(offset) == span_at(whole, offset), offset
        assert segments.next_sentence(offset) == next_start(starts, offset), offset
        assert segments.previous_sentence(offset) == previous_start(starts, offset), offset


@pytest.mark.parametrize("seed", range(6))
def test_sentences_near_the_cursor_equal_the_whole_texts_fallback(seed: int, monkeypatch) -> None:
    # A small first window, so that paragraphs are cut by its edges and it has to widen.
    monkeypatch.setattr(segments_module, "_SENTENCE_WINDOW", 16 + seed * 40)
    text = multi_paragraph_text(seed, 40)
    assert_local_answers_equal_the_whole_texts(text, interesting_offsets(text, random.Random(seed), 300))


@pytest.mark.parametrize(
    "text",
    [
        TEXT,
        "",
        "   \n\n  ",
        "one",
        "no full stop anywhere in this text",
        "no full stop\n\nin any\n\n\nparagraph",
        "A.",
        "Ends here.\n\n",
        "\n\nStarts after a break. Then stops",
        "x" * 5000 + ". Next one. " + "y" * 5000,
        "Long. " + "word " * 3000 + "\n\n" + "Short one. Two.",
    ],
    ids=lambda text: f"{text[:12]!r}..{len(text)}",
)
def test_sentences_near_the_cursor_equal_the_whole_texts_fallback_at_every_offset(text: str) -> None:
    offsets = range(-1, len(text) + 2) if len(text) < 2000 else interesting_offsets(text, random.Random(1), 100)
    assert_local_answers_equal_the_whole_texts(text, list(offsets))


class CountingPattern:
    """A compiled pattern that counts the characters its searches are given."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.scanned = 0

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize):
        self.scanned += max(0, min(endpos, len(string)) - pos)
        return self.pattern.finditer(string, pos, endpos)


def test_a_sentence_key_on_a_long_text_scans_only_the_paragraphs_near_the_cursor(monkeypatch) -> None:
    text = multi_paragraph_text(7, 12_000)  # about 1 MB
    assert len(text) > 900_000
    breaks = CountingPattern(segments_module._PARAGRAPH_BREAK)
    sentence_ends = CountingPattern(segments_module._SENTENCE_END)
    monkeypatch.setattr(segments_module, "_PARAGRAPH_BREAK", breaks)
    monkeypatch.setattr(segments_module, "_SENTENCE_END", sentence_ends)
    segments = Segments(text)
    middle = len(text) // 2
    # A few of its paragraphs on each side of the cursor (they are 21 to 104 characters long).
    per_key = 3_000
    keys = [
        lambda: segments.sentence_at(middle),  # what `s` and `c` read
        lambda: segments.next_sentence(0),
        lambda: segments.next_sentence(middle),
        lambda: segments.previous_sentence(middle),
        lambda: segments.previous_sentence(len(text)),
    ]
    for key in keys:
        before = breaks.scanned + sentence_ends.scanned
        assert key() is not None
        assert breaks.scanned + sentence_ends.scanned - before <= per_key, (breaks.scanned, sentence_ends.scanned)


def test_the_models_sentences_win_once_set() -> None:
    text = "One. Two.\n\nThree."
    segments = Segments(text)
    assert segments.next_sentence(0) == 5
    segments.sentences = [(0, 9), (11, 17)]
    assert segments.next_sentence(0) == 11
    assert segments.previous_sentence(17) == 11
    assert segments.sentence_at(6) == (0, 9)


async def test_sentence_keys_on_a_long_article_before_its_analysis_move_as_the_whole_texts_fallback(
    make_app, monkeypatch, tmp_path
) -> None:
    from app_helpers import press, view_of

    from tui.screens.reader import ReaderScreen

    text = multi_paragraph_text(11, 12_000)  # about 1 MB
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    whole = fallback_sentences(text)
    starts = [s for s, _ in whole]
    # The model's sentences never arrive, and the whole text's fallback must not be computed.
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    whole_text_calls = []
    monkeypatch.setattr(segments_module, "fallback_sentences", lambda text: whole_text_calls.append(len(text)) or whole)
    app = make_app([path])
    async with app.run_test(size=(100, 30)) as pilot:
        view = view_of(app)
        assert view.text == text
        await press(pilot, "right_parenthesis")
        assert view.cursor == next_start(starts, 0)
        middle = len(text) // 2
        view.move_to(middle)
        await press(pilot, "right_parenthesis")
        assert view.cursor == next_start(starts, middle)
        await press(pilot, "left_parenthesis", "left_parenthesis")
        assert view.cursor == previous_start(starts, previous_start(starts, next_start(starts, middle)))
        await press(pilot, "s")
        assert view.selection == span_at(whole, view.cursor)
        assert whole_text_calls == []
