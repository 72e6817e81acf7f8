"""Which quotation marks hold someone's words, from sentences written for these tests."""

import pytest

from annotations.model import QUOTE
from annotations.nlp import load_pipeline, parse
from annotations.suggest import suggest


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def quoted(nlp, text: str) -> list[str]:
    return [s.text for s in suggest(parse(nlp, text), include_indirect=False) if s.label == QUOTE and s.confidence >= 0.5]


def test_a_title_after_the_work_it_names_and_a_comma(nlp):
    text = ("Brora Quint drove fish lorries for 20 years. Her first novel, \"The Salt Road North,\" sold 30,000 copies. "
            "The band closed with its usual number, “Goodnight, Elvan Bay,” as it had since 1961.\n\n"
            "“I wrote it in the cab,” she said.")
    found = quoted(nlp, text)
    assert not any("Salt Road" in q or "Elvan Bay" in q for q in found), found
    assert any("in the cab" in q for q in found)


def test_words_shown_not_said(nlp):
    text = ("A flyer from the campaign showed her photograph beside the words “Wrong for Farley.” "
            "On the clinic door a sheet of paper is taped over the old sign, and underneath it is written "
            "“Nearest clinic: 40 miles.”\n\n“We did not write that flyer,” the campaign manager, Osric Penhallow, said.")
    found = quoted(nlp, text)
    assert not any("Farley" in q or "Nearest clinic" in q for q in found), found
    assert any("did not write" in q for q in found)


def test_a_long_stretch_after_called_her_is_what_was_said(nlp):
    text = ("Ottoline Brisk trained under Ambrose Kell for six years. Kell called her “the steadiest hands "
            "I have seen in my working life” and left her his tools. Neighbours call him “the clock man”.")
    found = quoted(nlp, text)
    assert any("steadiest hands" in q for q in found), found
    assert not any("clock man" in q for q in found)


def test_a_short_quotation_that_is_a_sentence_of_its_own_is_a_quote(nlp):
    text = ("Would he ever sell the forge? “When my back tells me to,” Amos Threlkeld said. “Not sooner.”\n\n"
            "Was the festival worth the money? “Ask them,” she said, pointing at the queue.")
    found = quoted(nlp, text)
    assert "Not sooner." in found and "Ask them," in found, found
