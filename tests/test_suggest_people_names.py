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


@pytest.mark.parametrize("director", ['Jonathan "Jack" Miller', 'Sigurd "Sig" Tollefsen'],
                         ids=["tagged-whole", "given-name-tagged-alone"])
def test_a_nickname_in_quotation_marks_is_no_part_of_the_name(nlp, director):
    text = (
        f"The director, {director}, spent four years filming the marsh.\n\n"
        "“We filmed through the night, every night,” he said."
    )
    full = " ".join(w for w in director.split() if '"' not in w)
    assert speakers(nlp, text) == {"We filmed through the night, every night,": full}


def test_a_nicknamed_relative_is_not_the_person_who_shares_the_surname(nlp):
    # Her father's "he" must not make her a "he": the nicknamed name is his own person.
    text = (
        "Marta Kovane runs the forge on Quay Street. She took it over from her father, Anton “Big Hammer” "
        "Kovane, in 1990.\n\n"
        "“Nobody else in the town would do it,” she said."
    )
    assert speakers(nlp, text) == {"Nobody else in the town would do it,": "Marta Kovane"}


def test_a_name_in_front_of_an_organisation_noun_is_the_body_not_a_person(nlp):
    # The small model calls "Mercer Royal" a person; "she" must still be the doctor.
    text = (
        "The board approved the merger of Lowfield General and Mercer Royal hospitals on Monday by seven votes "
        "to two.\n\n"
        "\"Nobody will be turned away,\" Dr. Wenna Castell, the board's medical director, told reporters.\n\n"
        "Mercer Royal is 31 kilometres from Lowfield. Patients would reach it in \"well under an hour\", she said."
    )
    assert speakers(nlp, text)["well under an hour"] == "Wenna Castell"


def test_an_unnamed_spokesperson_of_a_body_in_front_of_them_speaks_for_that_body(nlp):
    text = (
        "About 2,000 people marched through Harwick on Saturday.\n\n"
        "Harwick police said there had been one arrest. \"A noisy day, but a calm one,\" a police spokesman said."
    )
    assert speakers(nlp, text) == {"A noisy day, but a calm one,": "Harwick police"}
