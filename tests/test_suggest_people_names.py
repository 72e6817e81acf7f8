"""Who a speaker is: names the people rules must read as one person, or as nobody, on invented passages."""

import pytest

from annotations.model import QUOTE
from annotations.nlp import load_pipeline, parse
from annotations.suggest import suggest


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def speakers(nlp, text) -> dict[str, str | None]:
    """Quote text -> the resolved speaker name."""
    return {s.text: (s.speaker or {}).get("name") for s in suggest(parse(nlp, text), include_indirect=False)
            if s.label == QUOTE}


def test_a_double_barrelled_surname_ending_in_a_street_word_is_a_person(nlp):
    text = (
        "Judge Marisol Trent-Lane retired from the county court on Friday after 30 years.\n\n"
        "“I will miss the work more than the building,” she said."
    )
    assert speakers(nlp, text) == {"I will miss the work more than the building,": "Marisol Trent-Lane"}
