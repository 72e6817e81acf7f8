"""What a reader's key acts on, asked without a screen (annotations/targets.py)."""

from __future__ import annotations

import pytest

from annotations import targets
from annotations.model import CLAIM, NOT_ENTITY, QUOTE, Annotation, Entity
from annotations.segments import Segments
from annotations.suggest import Suggestion

TEXT = 'The mayor said "the bridge opens in May." Critics disagree. Nobody else spoke.'


def ann(label: str, phrase: str, annotator: str = "alice") -> Annotation:
    start = TEXT.index(phrase)
    return Annotation.create(article_id="a", source="s", article_text=TEXT, label=label, start=start,
                             end=start + len(phrase), annotator=annotator)


def suggestion(label: str, phrase: str) -> Suggestion:
    start = TEXT.index(phrase)
    return Suggestion(label, start, start + len(phrase), phrase, None, None, None, 0.9, (), "suggest:test")


def test_q_takes_the_selection_else_the_quotation_around_the_cursor() -> None:
    inside = TEXT.index("bridge")
    assert targets.quote_span(TEXT, (0, 3), inside) == (0, 3)
    start, end = targets.quote_span(TEXT, None, inside)
    assert TEXT[start:end].strip('"') == "the bridge opens in May."
    assert targets.quote_span(TEXT, None, TEXT.index("Critics")) is None


def test_c_takes_the_selection_else_the_sentence_and_t_the_entity() -> None:
    segments = Segments(TEXT)
    start, end = targets.claim_span(segments, None, TEXT.index("disagree"))
    assert TEXT[start:end].strip() == "Critics disagree."
    may = Entity(TEXT.index("May"), TEXT.index("May") + 3, "DATE", "May")
    assert targets.label_span(None, [may]) == (may.start, may.end)
    assert targets.label_span((1, 2), [may]) == (1, 2)
    assert targets.label_span(None, []) is None


def test_d_takes_away_a_correction_but_not_a_deletion() -> None:
    relabelled = ann("ORG", "mayor")
    deleted = ann(NOT_ENTITY, "Critics")
    assert targets.correction_to_delete([relabelled, deleted], TEXT.index("mayor")) == relabelled
    assert targets.correction_to_delete([relabelled, deleted], TEXT.index("Critics")) is None


def test_marks_at_one_place_are_each_visited_in_turn() -> None:
    quote = suggestion(QUOTE, '"the bridge opens in May."')
    claim = suggestion(CLAIM, '"the bridge opens in May."')
    later = ann(CLAIM, "Nobody else spoke.")
    marks = targets.Marks()
    first = marks.step([later], [quote, claim], 0, 1)
    second = marks.step([later], [quote, claim], first[0], 1)
    assert (first[0], second[0]) == (quote.start, quote.start) and {first[2], second[2]} == {QUOTE, CLAIM}
    assert marks.suggestion_at([quote, claim], quote.start).label == second[2], "the one ] went to is the one under the cursor"
    third = marks.step([later], [quote, claim], second[0], 1)
    assert third == (later.start, later.end, CLAIM, later.id)
    assert marks.step([later], [quote, claim], third[0], 1) is None, "nothing after the last"
    assert marks.current == third


def test_w_stops_before_the_next_word_while_a_selection_grows_forward() -> None:
    segments = Segments(TEXT)
    said = TEXT.index("said")
    assert targets.next_word(segments, 4, selecting_forward=False) == said
    assert targets.next_word(segments, 4, selecting_forward=True) == said - 1, "the selection ends at the gap"
    assert targets.next_word(segments, said - 1, selecting_forward=True) == TEXT.index('"the') - 1, "and goes on"
    assert targets.next_word(segments, len(TEXT) - 2, selecting_forward=True) is None


@pytest.mark.parametrize(("text", "word"), [("rose 6.4 million", "6"), ("the U.S. said", "U"), ("a million, said", "million")])
def test_v_w_from_a_words_start_selects_that_word_however_short(text: str, word: str) -> None:
    segments = Segments(text)
    start = text.index(word)
    target = targets.next_word(segments, start, selecting_forward=True, first_step=True)
    end = start if target is None else target  # None: the cursor stays, on the word's one character
    assert text[start:end + 1].rstrip() == word, "the selection is the word and at most the gap after it"


def test_a_second_w_after_a_one_character_word_goes_on_to_the_next() -> None:
    text = "rose 6.4 million"
    segments = Segments(text)
    six = text.index("6")
    assert targets.next_word(segments, six, selecting_forward=True, first_step=True) is None
    assert text[six:targets.next_word(segments, six, selecting_forward=True) + 1] == "6."
