"""Quotation-mark pairing on plain text."""

import pytest

from annotations.quotations import quotation_at, quotations


def quoted(text: str) -> list[str]:
    return [text[a:b] for a, b in quotations(text)]


def test_curly_double_quote_span_excludes_marks():
    text = "“We will rebuild the bridge,” the mayor said."
    assert quotations(text) == [(1, text.index("”"))]


def test_every_kind_of_mark_pairs_with_its_own_partner():
    text = "„Wir bleiben hier“, sagte sie. «Nous restons ici», dit-il. ‹Un› and ‘single ones too’."
    assert quoted(text) == ["Wir bleiben hier", "Nous restons ici", "Un", "single ones too"]


def test_straight_double_quotes_toggle():
    text = 'He said "the plan works" and "the money is there".'
    assert quoted(text) == ["the plan works", "the money is there"]


def test_apostrophes_are_not_single_quotes():
    text = "The ministers’ plan doesn’t work, it’s the ’90s again. The officers' union wasn't told."
    assert quotations(text) == []


def test_plural_possessive_inside_a_single_quote_still_closes_it():
    text = "She called it ‘a fair deal for everyone’ and left."
    assert quoted(text) == ["a fair deal for everyone"]


def test_stray_closing_mark_is_skipped_and_later_quotes_survive():
    text = "A stray ” mark here. Then “a real quote follows,” he said."
    assert quoted(text) == ["a real quote follows,"]


def test_stray_opening_mark_does_not_swallow_the_article():
    text = "An “unclosed mark here.\n\nLater “a proper quote,” she said.\n\n“Another one,” he said."
    assert quoted(text) == ["a proper quote,", "Another one,"]


def test_stray_straight_mark_is_dropped_at_the_paragraph_break():
    text = 'Measured at 5" of rain.\n\n"This one counts," he said.'
    assert quoted(text) == ["This one counts,"]


def test_multi_paragraph_quote_is_one_quotation():
    text = (
        "“The first paragraph of the statement goes on\n\n"
        "“and the second carries it further\n\n"
        "“before the third ends it,” she said.\n\nNo quote here."
    )
    spans = quotations(text)
    assert len(spans) == 1
    start, end = spans[0]
    assert start == 1
    assert text[end] == "”" and text[start:end].endswith("ends it,")


def test_multi_paragraph_straight_quote():
    text = '"It began in the spring\n\n"and it ended in autumn," he said.'
    assert quoted(text) == ['It began in the spring\n\n"and it ended in autumn,']


def test_nested_quotations_are_both_reported_and_sorted():
    text = "“He told me ‘we are leaving now’ and went,” she said."
    assert quoted(text) == ["He told me ‘we are leaving now’ and went,", "we are leaving now"]


def test_quotation_at_returns_the_innermost_and_counts_marks_as_inside():
    text = "x “a ‘b c’ d” y"
    outer = (text.index("“") + 1, text.index("”"))
    inner = (text.index("‘") + 1, text.index("’"))
    assert quotation_at(text, 0) is None
    assert quotation_at(text, text.index("“")) == outer
    assert quotation_at(text, text.index("”")) == outer
    assert quotation_at(text, text.index("‘")) == inner
    assert quotation_at(text, text.index("b")) == inner
    assert quotation_at(text, text.index("d")) == outer
    assert quotation_at(text, len(text) - 1) is None


def test_quotation_at_between_sibling_quotes_is_none():
    text = "“one two three” and “four five six”"
    assert quotation_at(text, text.index("and")) is None
    assert quotation_at(text, text.index("five")) == (text.index("four"), text.index("six") + 3)


def test_large_text_with_many_quotes():
    text = "The mayor said “the road opens in May,” and the council’s clerk agreed.\n\n" * 20_000
    spans = quotations(text)
    assert len(spans) == 20_000
    last = spans[-1]
    assert text[last[0]:last[1]] == "the road opens in May,"
    assert quotation_at(text, last[0] + 3) == last
    assert quotation_at(text, last[1] + 5) is None


def test_opening_mark_followed_by_a_space_is_stray():
    text = "An odd “ mark sits here.\n\n“The figures add up,” she said."
    assert quoted(text) == ["The figures add up,"]


@pytest.mark.parametrize("text, quoted", [
    ("`The ferry is late again,' a passenger said.", "The ferry is late again,"),
    ("``The ferry is late again,'' a passenger said.", "The ferry is late again,"),
    ("Passengers waited.\n\n”The ferry is late again,” one said.", "The ferry is late again,"),
    ("“The ferry is late again,\" one said.", "The ferry is late again,"),
    ("He grinned. ''Ask me in ten minutes' time.'' Then he left.", "Ask me in ten minutes' time."),
], ids=["backtick-apostrophe", "double-backtick", "closing-mark-opens-a-paragraph", "curly-then-straight",
        "two-apostrophes-around-an-apostrophe"])
def test_the_marks_some_papers_use_pair(text, quoted):
    assert [text[a:b] for a, b in quotations(text)] == [quoted]


def test_a_closing_mark_inside_a_line_still_opens_nothing():
    text = "Fares rose” and nobody noticed ”until May."
    assert quotations(text) == []


@pytest.mark.parametrize("text, quoted", [
    ("The keeper shrugged. ”We lock the gate at dusk,” he said.", "We lock the gate at dusk,"),
    ("She counted 40 boats this week, ”more than in any June before.”", "more than in any June before."),
], ids=["after-a-full-stop", "after-a-comma"])
def test_a_closing_mark_after_a_space_opens_a_quote_inside_a_line(text, quoted):
    assert [text[a:b] for a, b in quotations(text)] == [quoted]


def test_a_straight_opening_mark_closed_by_a_curly_one_pairs():
    text = 'The warden said: "The path reopens on Monday, weather allowing.” Then she left.'
    assert [text[a:b] for a, b in quotations(text)] == ["The path reopens on Monday, weather allowing."]


@pytest.mark.parametrize("text", [
    "The nurse spoke first.\n“We are short every night.\n“The ward is full and the patients wait,” she said.\nThe crowd cheered.",
    "The nurse spoke first.\n”We are short every night.\n”The ward is full and the patients wait,” she said.\nThe crowd cheered.",
    'The nurse spoke first.\n"We are short every night.\n"The ward is full and the patients wait," she said.\nThe crowd cheered.',
], ids=["curly", "closing-mark-as-opener", "straight"])
def test_a_quote_carried_on_to_the_next_line_in_one_paragraph_a_line_is_one_quote(text):
    start = text.index("We are")
    end = text.index("wait,") + len("wait,")
    assert quotations(text) == [(start, end)]
