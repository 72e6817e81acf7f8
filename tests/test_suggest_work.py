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
