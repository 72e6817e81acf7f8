"""What the suggestion tests ask of the suggester: the claims or the quote speaker it finds in a text."""

from __future__ import annotations

from annotations.model import CLAIM, QUOTE
from annotations.nlp import parse
from annotations.suggest import DEFAULT_THRESHOLD, Suggestion, suggest


def claims(nlp, text: str) -> list[Suggestion]:
    return [s for s in suggest(parse(nlp, text)) if s.label == CLAIM]


def suggested(nlp, text: str) -> list[Suggestion]:
    """The claims shown at the default threshold."""
    return [c for c in claims(nlp, text) if c.confidence >= DEFAULT_THRESHOLD]


def claim_with(found: list[Suggestion], words: str) -> Suggestion:
    matching = [s for s in found if words in s.text]
    assert len(matching) == 1, [s.text for s in found]
    return matching[0]


def speaker_of(nlp, text: str, words: str) -> str | None:
    """The speaker's name of the one direct quote holding *words*."""
    found = [s for s in suggest(parse(nlp, text), include_indirect=False) if s.label == QUOTE and words in s.text]
    assert len(found) == 1, [s.text for s in found]
    return (found[0].speaker or {}).get("name")
