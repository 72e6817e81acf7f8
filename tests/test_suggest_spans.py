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
