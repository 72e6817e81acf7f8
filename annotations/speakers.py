"""Speakers of quotes: the name to show for one, and which words at the cursor name one.

A speaker is stored in an annotation's ``attrs["speaker"]`` (and in a suggestion) as
``{"text", "start", "end"}``: the words of the article that were linked (often a
pronoun or a surname: "he", "Ms Brannagh"), and, when the suggester resolved them,
``"name"``: the person meant ("Fiona Brannagh"). A speaker typed in the editor has
``"text"`` only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Entity

#: Entity labels that can speak.
SPEAKER_LABELS = ("PERSON", "ORG")

#: Capitalised words that start sentences but never start a name.
_NOT_NAMES = frozenset(
    "a an the this that these those he she it its they them their we i you his her our my your "
    "there here but and or so if when then as at in on of for to by with from".split()
)

#: A word with its inner hyphens and apostrophes ("Vasquez-Hale", "O'Neill").
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_POSSESSIVE = re.compile(r"['’]s$")


def speaker_name(speaker: dict | None) -> str | None:
    """The name to show for *speaker*: the resolved name if there is one, else the linked words, on one line."""
    if not speaker:
        return None
    for field in ("name", "text"):
        value = speaker.get(field)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def speaker_mention(speaker: dict | None) -> str | None:
    """The words of the article that were linked ("he"), when they differ from :func:`speaker_name`."""
    if not speaker:
        return None
    text = speaker.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    mention = " ".join(text.split())
    return None if mention == speaker_name(speaker) else mention


@dataclass(frozen=True)
class SpeakerChoice:
    """The words at the cursor to link as a speaker, and whether they are sure to name one."""

    start: int
    end: int
    text: str
    doubt: str | None = None  # why the link needs a confirmation; None when it names a person or organisation

    def to_attr(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


def speaker_at(text: str, offset: int, entities: Iterable[Entity], entities_known: bool) -> SpeakerChoice | None:
    """What the cursor at *offset* would link as a speaker.

    *entities* are those covering *offset*; *entities_known* says whether entity recognition
    has given any result yet. A person or organisation under the cursor is linked whole.
    Before entities are known, the run of capitalised words around the cursor is taken as
    a name. Anything else (another kind of entity, an ordinary word, a name the model did
    not recognise) comes with the reason to confirm it first.
    """
    covering = sorted(entities, key=lambda e: e.end - e.start)
    for entity in covering:
        if entity.label in SPEAKER_LABELS:
            return SpeakerChoice(entity.start, entity.end, text[entity.start:entity.end])
    name = capitalised_name_at(text, offset)
    if covering:
        entity = covering[-1]
        return SpeakerChoice(entity.start, entity.end, text[entity.start:entity.end],
                             f"it is a {entity.label} entity, not a person or organisation")
    if name is not None:
        start, end = name
        if not entities_known:
            return SpeakerChoice(start, end, text[start:end])
        return SpeakerChoice(start, end, text[start:end], "it was not recognised as a person or organisation")
    word = word_at(text, offset)
    if word is None:
        return None
    start, end = word
    return SpeakerChoice(start, end, text[start:end], "it is not a name")


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The span of the word (inner hyphens and apostrophes included) at *offset*, if it is on one."""
    if not 0 <= offset < len(text) or not text[offset].isalnum():
        return None
    # Words never cross lines; looking at the line alone keeps this cheap on a long article.
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    for match in _WORD.finditer(text, line_start, line_end):
        if match.start() <= offset < match.end():
            return match.span()
    return None


def capitalised_name_at(text: str, offset: int) -> tuple[int, int] | None:
    """The run of capitalised words around *offset* ("Ms Fiona Brannagh"), without a leading "The"
    or a trailing "'s"; ``None`` unless the word at *offset* belongs to such a run."""
    word = word_at(text, offset)
    if word is None or not _is_capitalised(text, word):
        return None
    words = [word]
    while True:  # to the left, over single spaces
        start = words[0][0]
        before = word_at(text, start - 2) if start >= 2 and text[start - 1] == " " else None
        if before is None or not _is_capitalised(text, before):
            break
        words.insert(0, before)
    while True:  # to the right
        end = words[-1][1]
        after = word_at(text, end + 1) if text[end:end + 1] == " " else None
        if after is None or not _is_capitalised(text, after):
            break
        words.append(after)
    while words and text[slice(*words[0])].lower() in _NOT_NAMES:
        words.pop(0)
    if not words:
        return None
    start, end = words[0][0], words[-1][1]
    possessive = _POSSESSIVE.search(text, start, end)
    if possessive is not None:
        end = possessive.start()
    return (start, end) if start <= offset < end else None


def _is_capitalised(text: str, word: tuple[int, int]) -> bool:
    return text[word[0]].isupper()
