"""Which name a speaker is shown by, and which words of the article a second @ links as the speaker."""

from __future__ import annotations

from annotations.model import Entity
from annotations.speakers import capitalised_name_at, speaker_at, speaker_mention, speaker_name

TEXT = (
    "The mayor, Eleanor Vasquez-Hale, spoke first. Port Callow's council guarantees nothing, "
    "said Mr Okafor. He left early.\nO'Neill stayed."
)


def at(phrase: str, into: int = 1) -> int:
    return TEXT.index(phrase) + into


def span(phrase: str) -> tuple[int, int]:
    return TEXT.index(phrase), TEXT.index(phrase) + len(phrase)


def test_a_resolved_name_wins_over_the_words_it_was_found_in():
    resolved = {"text": "He", "start": 5, "end": 7, "name": "Daniel Okafor"}
    assert speaker_name(resolved) == "Daniel Okafor"
    assert speaker_mention(resolved) == "He"
    linked = {"text": "Eleanor Vasquez-Hale", "start": 11, "end": 31}
    assert speaker_name(linked) == "Eleanor Vasquez-Hale" and speaker_mention(linked) is None
    assert speaker_name({"text": "a harbour pilot"}) == "a harbour pilot"
    assert speaker_name({"text": "six-hour debate\n\nPort Callow's councillors"}) == (
        "six-hour debate Port Callow's councillors"
    ), "one line in the status bar"
    assert speaker_name({"text": "she", "name": ""}) == "she"
    assert speaker_name(None) is None and speaker_name({}) is None and speaker_name({"text": "  "}) is None


def test_the_capitalised_name_around_the_cursor_is_taken_whole():
    name = span("Eleanor Vasquez-Hale")
    for inside in ("Eleanor", "Vasquez", "Hale"):
        assert capitalised_name_at(TEXT, at(inside)) == name, inside
    assert capitalised_name_at(TEXT, at("Callow's")) == span("Port Callow"), "without the possessive"
    assert capitalised_name_at(TEXT, at("Mr Okafor")) == span("Mr Okafor")
    assert capitalised_name_at(TEXT, at("O'Neill", 3)) == span("O'Neill"), "a name does not run across lines"
    assert capitalised_name_at(TEXT, at("The mayor")) is None, "'The' starts no name"
    assert capitalised_name_at(TEXT, at("He left")) is None
    assert capitalised_name_at(TEXT, at("guarantees")) is None


def test_a_person_or_organisation_under_the_cursor_is_linked_without_asking():
    person = Entity(*span("Eleanor Vasquez-Hale"), "PERSON", "Eleanor Vasquez-Hale")
    choice = speaker_at(TEXT, at("Hale"), [person], entities_known=True)
    name = span("Eleanor Vasquez-Hale")
    assert (choice.start, choice.end, choice.text, choice.doubt) == (*name, "Eleanor Vasquez-Hale", None)
    assert choice.to_attr() == {"text": "Eleanor Vasquez-Hale", "start": person.start, "end": person.end}


def test_before_entities_are_known_a_capitalised_name_is_linked_without_asking():
    choice = speaker_at(TEXT, at("Okafor"), [], entities_known=False)
    assert (choice.text, choice.doubt) == ("Mr Okafor", None)


def test_anything_else_asks_first_and_says_why():
    word = speaker_at(TEXT, at("guarantees", 4), [], entities_known=True)
    assert (word.text, word.start, word.end) == ("guarantees", *span("guarantees"))
    assert word.doubt == "it is not a name"
    place = Entity(*span("Port Callow"), "GPE", "Port Callow")
    gpe = speaker_at(TEXT, at("Callow"), [place], entities_known=True)
    assert gpe.text == "Port Callow" and "GPE" in gpe.doubt
    missed = speaker_at(TEXT, at("Okafor"), [], entities_known=True)
    assert missed.text == "Mr Okafor" and "not recognised" in missed.doubt
    pronoun = speaker_at(TEXT, at("He left"), [], entities_known=False)
    assert pronoun.text == "He" and pronoun.doubt == "it is not a name"
    assert speaker_at(TEXT, TEXT.index(", spoke"), [], entities_known=False) is None, "not on a word"


def test_fullest_name_names_a_surname_by_whoever_of_that_name_came_last_before_it() -> None:
    from annotations.suggest.people import fullest_name

    people = [(0, "Callum Reyes"), (40, "Leanne Reyes"), (90, "Councillor Leanne Reyes"), (200, "Ali Reza's")]
    assert fullest_name("Reyes", 10, people) == "Callum Reyes"
    assert fullest_name("Reyes's", 60, people) == "Leanne Reyes"
    assert fullest_name("Mr Reyes", 0, people) == "Callum Reyes"
    assert fullest_name("Reza", 5, people) == "Ali Reza", "named later, but the only one of that name"
    assert fullest_name("Leanne Reyes", 300, people) == "Leanne Reyes"
    assert fullest_name("Anna Reyes", 300, people) is None
    assert fullest_name("reporters", 300, people) is None
