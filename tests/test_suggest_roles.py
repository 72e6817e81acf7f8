"""Speakers named by a title or a role, and bodies by a common noun: the name the article tied to it (sentences written for these tests)."""


from annotations.nlp import parse
from annotations.suggest import suggest

from suggest_helpers import speaker_of


def test_an_abbreviated_title_is_no_part_of_the_name(nlp):
    text = ("The opposition leader, Cllr Maud Fenwright, said the budget was “a rates rise by the back door”.\n\n"
            "“Nobody voted for this,” she said.")
    assert speaker_of(nlp, text, "back door") == "Maud Fenwright"
    assert speaker_of(nlp, text, "Nobody voted") == "Maud Fenwright"


def test_the_judge_is_the_judge_named_before_not_the_defendant_beside_the_title(nlp):
    text = ("Ivo Tarrant, 47, admitted theft at an earlier hearing.\n\n"
            "Sentencing him, Judge Orla Quenby said Tarrant had shown no remorse.\n\n"
            "“You took money from people who trusted you,” the judge said.")
    assert speaker_of(nlp, text, "You took money") == "Orla Quenby"


def test_court_counsel_named_by_what_they_do(nlp):
    text = ("Prosecuting, Tobias Wrenfield said the thefts ran for three years.\n\n"
            "“It was planned down to the last receipt,” the prosecutor said.\n\n"
            "Defending, Aurelie Maddox said her client was in debt.\n\n"
            "“He is ashamed of what he did,” defence counsel said.")
    assert speaker_of(nlp, text, "last receipt") == "Tobias Wrenfield"
    assert speaker_of(nlp, text, "ashamed") == "Aurelie Maddox"


def test_a_role_in_apposition_after_the_name(nlp):
    text = ("Greta Vollmar, the coroner, opened the inquest on Monday.\n\n"
            "“The family deserve answers, and they will get them,” the coroner said.")
    assert speaker_of(nlp, text, "family deserve") == "Greta Vollmar"


def test_the_company_is_the_organisation_last_doing_something(nlp):
    text = ("The regional utility, Ravelstone Energy, said it had cut power to 9,000 homes as a precaution. "
            "“We do not switch people off lightly,” the company said in a statement.")
    assert speaker_of(nlp, text, "switch people off") == "Ravelstone Energy"


def test_a_body_named_by_its_kind(nlp):
    text = ("The developer, Harrowgate Homes, plans 300 flats on the old gasworks site.\n\n"
            "“This is the best use of the land in a generation,” the developer said.")
    assert speaker_of(nlp, text, "best use") == "Harrowgate Homes"


def test_the_company_called_by_a_name_is_that_name(nlp):
    text = ("Its owner, a Dallas-area company called Silver Mesa Health Partners, closed the ward in May.\n\n"
            "Silver Mesa said it had tried everything. “We regret the impact on the town,” the company said.")
    assert speaker_of(nlp, text, "regret") == "Silver Mesa Health Partners"


def test_an_organisation_speaking_is_named_without_the_article(nlp):
    text = "The Harbour Pilots Association said the new berths were “a disaster waiting to happen”."
    assert speaker_of(nlp, text, "disaster") == "Harbour Pilots Association"


def test_a_name_the_model_stops_at_a_hyphen_is_given_whole(nlp):
    text = ("The vice-chancellor, Professor Sir Edmund Waverley-Hythe, said in an email to staff that he "
            "“deeply regrets” the decision.\n\n"
            "“The scheme has a deficit of £91 million. Doing nothing is not an option,” he wrote.")
    assert speaker_of(nlp, text, "deficit") == "Edmund Waverley-Hythe"


def test_a_name_cut_after_the_given_name_runs_on_to_the_surname(nlp):
    from spacy.tokens import Span

    from annotations.suggest.people import clean_name

    doc = parse(nlp, "Cllr Rhian Pengelly-Vos, who represents Tregarth, spoke first.")
    cut = Span(doc, 0, 2, label="PERSON")  # "Cllr Rhian": where the small model sometimes stops
    assert clean_name(cut, doc.text) == "Rhian Pengelly-Vos"


def test_unnamed_staff_at_a_body_speak_for_it(nlp):
    text = ("In a note to clients, economists at Harwick Capital Markets called the slide in bank shares "
            "“a panic with no floor in sight” but said the worst could be over.")
    assert speaker_of(nlp, text, "panic") == "Harwick Capital Markets"


def test_several_or_some_speak_for_the_group_they_are_counted_from(nlp):
    text = ("Hundreds of farmers marched on the ministry on Friday. Several called the subsidy cut "
            "“a death sentence for small farms”.\n\n"
            "The strikers walked past the depot, where a row of managers watched from the gate. Some sang "
            "“We are not going back, we are not going back” all the way to the square.")
    assert speaker_of(nlp, text, "death sentence") == "farmers"
    assert speaker_of(nlp, text, "not going back") == "strikers"
