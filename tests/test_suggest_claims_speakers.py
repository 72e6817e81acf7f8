"""Claims that a construction decides: whose a transcript's turn is, what a phrase with no verb states.

Every sentence here is written for the test; each test holds one rule of annotations/suggest/claims.py.
"""

import pytest

from annotations.evaluate import same_name
from annotations.suggest import DEFAULT_THRESHOLD

from suggest_helpers import claim_with, claims, suggested


def test_a_transcript_turn_is_its_speakers_claim_without_the_label(nlp):
    text = (
        "Ferry chief questioned on cancellations\n\n"
        "On Monday's programme, presenter Ilona Marsk spoke to Petra Vandenhoek-Sill, head of Brightwater "
        "Ferries. This is an edited transcript.\n\n"
        "MARSK: Why were so many crossings cancelled?\n\n"
        "VANDENHOEK-SILL: Two of our four boats failed their inspections in March. We ran 212 crossings "
        "fewer than planned.\n\n"
        "MARSK: Will it happen again?"
    )
    found = suggested(nlp, text)
    first = claim_with(found, "inspections")
    assert first.text == "Two of our four boats failed their inspections in March."
    assert same_name(first.speaker["name"], "Petra Vandenhoek-Sill"), first.speaker
    assert same_name(claim_with(found, "212 crossings").speaker["name"], "Petra Vandenhoek-Sill")
    assert not any("MARSK" in c.text or "VANDENHOEK" in c.text for c in claims(nlp, text))


def test_the_answers_of_a_question_and_answer_interview_are_the_interviewees(nlp):
    text = (
        "Ten minutes with a lock keeper\n\n"
        "Hanne Oskarsdottir has worked the Bellow lock for 31 years. She spoke to the Gazette.\n\n"
        "Q: What has changed?\n"
        "A: The traffic. We passed 4,100 boats last summer, twice what we saw in 1995.\n"
        "Q: And the winters?"
    )
    c = claim_with(suggested(nlp, text), "4,100 boats")
    assert c.text.startswith("We passed 4,100 boats")
    assert same_name(c.speaker["name"], "Hanne Oskarsdottir"), c.speaker


def test_one_capitalised_label_is_not_a_transcript(nlp):
    text = "Bridge closed\n\nUPDATE: The bridge reopened at 6 p.m. after 14 hours, the council said."
    c = claim_with(suggested(nlp, text), "14 hours")
    assert c.speaker is None or not same_name(c.speaker["name"], "Update"), c.speaker


def test_quoted_words_with_no_verb_are_not_a_claim_unless_they_give_an_amount(nlp):
    text = (
        "The council met on Monday. The opposition leader, Rhoda Pell, blamed \"fifteen years of broken "
        "promises\" for the state of the pool. Asked what the repairs had cost, the treasurer, Aldo Finch, "
        "said: \"£2.3 million, out of a budget of about £9 million.\""
    )
    found = claims(nlp, text)
    fragment = claim_with(found, "fifteen years")
    assert "no verb" in fragment.reasons and fragment.confidence < DEFAULT_THRESHOLD
    amount = claim_with(found, "£2.3 million")
    assert "no verb" not in amount.reasons and amount.confidence >= DEFAULT_THRESHOLD


def test_the_that_clause_after_the_writing_a_body_spoke_in_is_reported(nlp):
    text = (
        "The ferry board met on Monday. The harbour's chief engineer, Mette Lorne, said in a statement that "
        "the east quay had been closed for 19 days."
    )
    c = claim_with(suggested(nlp, text), "19 days")
    assert c.text == "the east quay had been closed for 19 days"
    assert c.speaker is not None and same_name(c.speaker["name"], "Mette Lorne"), c.speaker


def test_a_reported_clause_before_a_quote_joined_on_is_a_claim_of_its_own(nlp):
    text = (
        "The ferry board met on Monday. The Ministry of Health said in a statement that it had hired 340 "
        "nurses since March and that \"waiting lists are shorter in every region\"."
    )
    c = claim_with(suggested(nlp, text), "340 nurses")
    assert c.text == "it had hired 340 nurses since March"
    assert same_name(c.speaker["name"], "Ministry of Health"), c.speaker


def test_a_clause_that_a_quote_completes_is_not_cut_before_the_quote(nlp):
    text = (
        "The ferry board met on Monday. The inspector, Rolf Amsel, said the 14 safety reports were "
        "\"a box-ticking exercise\"."
    )
    assert not any(c.text.rstrip().endswith(" were") for c in claims(nlp, text))


@pytest.mark.parametrize("text, words, claimant", [
    ("Memo warned of jail staffing months before escape\nBy Ilse Marrow-Tate, Kell Valley Radio\n"
     "A staffing memo sent to the Kell County sheriff in March warned that the jail was short of 19 officers.\n"
     "Sheriff Anders Ekwueme-Holt, who was first elected in 2014 and is running again next year, did not "
     "dispute the memo's figures.\n\"We start officers at $16.20 an hour. The feed store across the road starts "
     "at $17,\" the sheriff said.", "$16.20", "Anders Ekwueme-Holt"),
    ("The Harlow County Fire District sent four crews on Monday.\n\nThe fire had burned 2,300 acres by Tuesday, "
     "according to the district.", "2,300 acres", "Harlow County Fire District"),
], ids=["a-title", "an-organisation"])
def test_a_claimant_left_as_a_common_noun_is_the_one_the_article_named_with_it(nlp, text, words, claimant):
    c = claim_with(suggested(nlp, text), words)
    assert c.speaker is not None and same_name(c.speaker["name"], claimant), c.speaker


def test_places_heading_a_round_up_in_capitals_are_not_speakers(nlp):
    text = (
        "World in brief\n\n"
        "OSLO: The city council approved 240 new bus stops on Monday.\n\n"
        "LISBON: Tram fares rose by 12 percent in March."
    )
    c = claim_with(suggested(nlp, text), "240")
    assert c.speaker is None or not same_name(c.speaker["name"], "Oslo"), c.speaker
