"""How much work the suggesters do on a long article: repeated questions are answered once."""

import re

import pytest

from annotations.model import QUOTE
from annotations.nlp import load_pipeline, parse
from annotations.suggest import bodies, suggest

# Written for this test: the same company's spokespeople speak again and again, as in a long story.
PARAGRAPHS = [
    "A spokeswoman for Brightwell Energy said the outage on {day} had been caused by a storm.\n\n"
    "“Our engineers worked through the night to restore power to {count} homes,” she said.\n\n"
    for day, count in zip(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] * 3, range(100, 2000, 100))
]


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_the_fullest_name_of_a_body_is_looked_up_once_per_name(nlp, monkeypatch):
    """Each lookup scans every organisation and the whole text: asked once per spokesperson, it made the
    suggestions of a 1 MB article take 96 s of its 126."""
    searches = []

    class CountingRe:
        def __getattr__(self, name):
            return getattr(re, name)

        def search(self, *args):
            searches.append(args[0])
            return re.search(*args)

    monkeypatch.setattr(bodies, "re", CountingRe())
    found = [s for s in suggest(parse(nlp, "".join(PARAGRAPHS))) if s.label == QUOTE and "engineers" in s.text]
    assert len(found) == len(PARAGRAPHS)
    assert {s.speaker["name"] for s in found} == {"Brightwell Energy"}
    assert len(searches) == len(set(searches)) <= 2


def test_the_article_text_is_built_once_for_all_the_names_cleaned(nlp, monkeypatch):
    """spaCy joins a doc's text anew on each `doc.text`: read once per one-word name, it made the quote
    suggestions of a 1 MB article take minutes. Every name is looked for in one and the same string."""
    from annotations.suggest import people

    texts = []  # kept, so that no string's id is reused by the next one

    class Counting:
        def __init__(self, pattern):
            self.pattern = pattern

        def search(self, text, *args):
            texts.append(text)
            return self.pattern.search(text, *args)

    monkeypatch.setattr(people, "_GIVEN_NAME_AND_NICKNAME", Counting(people._GIVEN_NAME_AND_NICKNAME))
    paragraphs = "".join(f"Okafor said on {day} that the ferry would run. Brandt said it would not.\n\n"
                         for day in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] * 4)
    suggest(parse(nlp, paragraphs))
    assert len(texts) > 10, "the test needs one-word names"
    assert len({id(text) for text in texts}) == 1
