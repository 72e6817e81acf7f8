"""Claim suggestions on the constructions news articles use: where a claim starts and ends, and whose it is.

Every sentence here is written for the test; each test holds one rule of annotations/suggest/claims.py.
"""

import pytest

from annotations.evaluate import same_name
from annotations.suggest import DEFAULT_THRESHOLD

from suggest_helpers import claim_with, claims, suggested


def test_a_claim_never_runs_over_a_line_from_the_headline_byline_or_dateline(nlp):
    text = (
        "Tolls on the Garrow bridge to rise by a fifth\n"
        "By Ansel Threpwood\n"
        "KIRNA, Feb. 3 (Northline Wire) - Tolls on the Garrow bridge will rise to 4.80 crowns on March 1, "
        "up from 4 crowns.\n"
        "Traffic on the bridge fell by 9 percent in 2024. ''\n"
        "''We cannot keep paying,'' said a driver, Olle Marsk."
    )
    found = claims(nlp, text)
    assert all("\n" not in c.text for c in found), [c.text for c in found]
    assert not any("Threpwood" in c.text or "KIRNA" in c.text for c in found)
    assert claim_with(found, "9 percent").text == "Traffic on the bridge fell by 9 percent in 2024."
    assert claim_with(found, "4.80 crowns").text.startswith("Tolls on the Garrow bridge will rise")


def test_the_name_under_a_vox_pop_answer_is_not_a_claim(nlp):
    text = (
        "We asked shoppers in Harl about the new parking charges.\n\n"
        "\"I come in twice a week and I paid 6 crowns on Monday.\"\n"
        "― Berit Lundqvist, 58, nurse\n\n"
        "\"It has doubled since May.\"\n"
        "— Tomas Eld, 33, electrician"
    )
    assert not any("Lundqvist" in c.text or "Eld," in c.text for c in claims(nlp, text))


@pytest.mark.parametrize("text, claim, claimant", [
    ("The wildfire reached the ridge on Tuesday. The blaze had burned 9,300 acres by nightfall, according to "
     "the Orrin Valley Fire Authority.", "The blaze had burned 9,300 acres by nightfall", "Orrin Valley Fire Authority"),
    ("The wildfire reached the ridge on Tuesday. According to the Orrin Valley Fire Authority, the blaze had "
     "burned 9,300 acres by nightfall.", "the blaze had burned 9,300 acres by nightfall", "Orrin Valley Fire Authority"),
    ("The wildfire reached the ridge on Tuesday. Some 410 homes were evacuated, according to a report released "
     "on Wednesday by the Orrin Valley Fire Authority.", "Some 410 homes were evacuated",
     "report released on Wednesday by the Orrin Valley Fire Authority"),
    ("The wildfire reached the ridge on Tuesday. According to council figures, 312 homes lost power on "
     "Monday.", "312 homes lost power on Monday", "council figures"),
    ("The wildfire reached the ridge on Tuesday. About 1,200 people marched through Pellby on Saturday, according "
     "to the Pellby Residents Association, in protest at the closures.",
     "About 1,200 people marched through Pellby on Saturday", "Pellby Residents Association"),
    ("The wildfire reached the ridge on Tuesday. Its wards were about 30% full last year, according to state "
     "hospital association data.", "Its wards were about 30% full last year", "state hospital association data"),
], ids=["trailing", "leading", "a-report-by", "figures", "in-the-middle", "a-record"])
def test_according_to_is_cut_from_the_claim_and_its_source_is_the_claimant(nlp, text, claim, claimant):
    c = claim_with(suggested(nlp, text), claim.split()[2])
    assert c.text == claim
    assert c.speaker is not None and same_name(c.speaker["name"], claimant), c.speaker


def test_a_claim_in_a_quote_ends_before_the_comma_that_leads_to_its_attribution(nlp):
    text = "The market reopened on Friday. \"We sold 4,000 tickets in the first hour,\" said the manager, Ines Paulo."
    c = claim_with(suggested(nlp, text), "4,000 tickets")
    assert c.text == "We sold 4,000 tickets in the first hour"


def test_coordinated_reported_clauses_are_claims_of_their_own(nlp):
    text = (
        "The ferry board met on Monday. The board said fares had been frozen for six years and that the "
        "crossing had lost 2 million crowns in 2024. \"The pier is the only way on, and it was shut for "
        "nine days in March,\" said Agda Holm."
    )
    found = suggested(nlp, text)
    assert claim_with(found, "six years").text == "fares had been frozen for six years"
    assert claim_with(found, "2 million").text == "the crossing had lost 2 million crowns in 2024"
    assert claim_with(found, "nine days").text == "it was shut for nine days in March"


def test_a_verb_sharing_its_subject_stays_in_one_claim(nlp):
    text = "The club met on Monday. Hollby had won their previous nine matches and had not lost at home since October."
    c = claim_with(suggested(nlp, text), "nine matches")
    assert c.text == "Hollby had won their previous nine matches and had not lost at home since October."


def test_the_month_of_may_is_not_a_modal_verb(nlp):
    text = "The club met on Monday. Hollby had won their previous nine matches and had not lost at home since May."
    c = claim_with(claims(nlp, text), "nine matches")
    assert "prediction" not in c.reasons and c.confidence >= DEFAULT_THRESHOLD
    will = claim_with(claims(nlp, "The club met on Monday. Hollby may win their next nine matches."), "nine matches")
    assert "prediction" in will.reasons


@pytest.mark.parametrize("text, claim, claimant", [
    ("The council met on Monday. Only 1,150 affordable homes had been built since 2017, Edda Morn said, "
     "against a promise of 5,000.", "Only 1,150 affordable homes had been built since 2017", "Edda Morn"),
    ("The council met on Monday. The deepest samples held 148 tonnes of carbon per hectare, Edda Morn said.",
     "The deepest samples held 148 tonnes of carbon per hectare", "Edda Morn"),
    ("The court sat on Monday. Jorun Vik, 52, struck a neighbour twice on the head in 2023, the jury heard.",
     "Jorun Vik, 52, struck a neighbour twice on the head in 2023", "jury"),
], ids=["set-into-the-sentence", "after-the-claim", "the-jury-heard"])
def test_a_reporting_clause_after_a_claim_is_its_attribution(nlp, text, claim, claimant):
    c = claim_with(suggested(nlp, text), claim.split()[1])
    assert c.text == claim
    assert c.speaker is not None and same_name(c.speaker["name"], claimant), c.speaker


def test_a_sum_in_a_plan_or_forecast_is_a_claim_but_a_forecast_without_one_is_not(nlp):
    text = (
        "The council met on Monday. The repairs to the sea wall would cost 4.2 million pounds. "
        "The sea wall will probably look better next year."
    )
    found = claims(nlp, text)
    planned = claim_with(found, "4.2 million")
    assert "prediction" not in planned.reasons and planned.confidence >= DEFAULT_THRESHOLD
    assert claim_with(found, "look better").confidence < DEFAULT_THRESHOLD


def test_a_clause_reported_from_a_source_counts_for_more_than_the_same_words_in_a_quote(nlp):
    reported = claim_with(claims(nlp, "The council met on Monday. The harbour trust said the pier was closed in March."),
                          "pier")
    assert reported.text == "the pier was closed in March"
    assert "reported" in reported.reasons and reported.confidence >= DEFAULT_THRESHOLD
    quoted = claim_with(claims(nlp, "The council met on Monday. \"The pier was closed in March,\" said Ada Lund."), "pier")
    assert "reported" not in quoted.reasons and quoted.confidence < reported.confidence


def test_a_promise_is_not_a_check_worthy_claim(nlp):
    c = claim_with(claims(nlp, "The council met on Monday. The mayor has promised to hire 40 more officers by 2026."),
                   "40 more officers")
    assert "proposal" in c.reasons and c.confidence < DEFAULT_THRESHOLD


def test_a_figure_in_a_relative_or_adverbial_clause_is_the_claim_when_the_rest_sets_the_scene(nlp):
    found = claims(nlp, "The council met on Monday. Shoppers in Dalby, where a bridge failed in 2019, were less patient.")
    assert claim_with(found, "2019").text == "where a bridge failed in 2019"
    found = claims(nlp, "The council met on Monday. The Harl folk festival is off after two of its three sponsors withdrew.")
    assert claim_with(found, "sponsors").text == "two of its three sponsors withdrew"
    found = claims(nlp, "The council met on Monday. The trust, which bought the tower in 2015, paid 40,000 pounds for it.")
    assert claim_with(found, "2015").text == "The trust, which bought the tower in 2015, paid 40,000 pounds for it."
