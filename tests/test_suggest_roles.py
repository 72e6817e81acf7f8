"""Speakers named by a title or a role, and bodies by a common noun: the name the article tied to it (sentences written for these tests)."""

import pytest

from annotations.model import QUOTE
from annotations.nlp import load_pipeline, parse
from annotations.suggest import suggest


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def speaker_of(nlp, text: str, words: str) -> str | None:
    found = [s for s in suggest(parse(nlp, text), include_indirect=False) if s.label == QUOTE and words in s.text]
    assert len(found) == 1, [s.text for s in found]
    return (found[0].speaker or {}).get("name")


def test_an_abbreviated_title_is_no_part_of_the_name(nlp):
    text = ("The opposition leader, Cllr Maud Fenwright, said the budget was “a rates rise by the back door”.\n\n"
            "“Nobody voted for this,” she said.")
    assert speaker_of(nlp, text, "back door") == "Maud Fenwright"
    assert speaker_of(nlp, text, "Nobody voted") == "Maud Fenwright"
