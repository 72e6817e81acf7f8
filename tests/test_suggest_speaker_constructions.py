"""Speakers of the constructions unseen news kept getting wrong: a "who" clause hung on the body beside
a name, lower-case roles before a name, titles before the title, a follow-on pronoun (sentences written
for these tests)."""


from annotations.model import QUOTE
from annotations.nlp import parse
from annotations.suggest import suggest
from annotations.suggest.people import without_titles

from suggest_helpers import speaker_of


def test_who_after_a_name_and_its_workplace_is_the_person(nlp):
    text = ("Grain prices rose for a third week. \"Nobody planted enough,\" said Tamsin Orlov, an analyst at "
            "Fenmark Securities, who called the rise \"a weather story, not a trade story.\"")
    assert speaker_of(nlp, text, "weather story") == "Tamsin Orlov"


def test_a_lower_case_role_before_a_name_is_her_role(nlp):
    text = ("The museum reopened its east wing on Saturday.\n\n"
            "Senior curator Ottoline Faversham-Reid said the repairs had taken four years.\n\n"
            "\"Every one of these rooms leaked when I started,\" the curator said.")
    assert speaker_of(nlp, text, "rooms leaked") == "Ottoline Faversham-Reid"


def test_an_attorney_is_the_lawyer_a_sentence_later(nlp):
    text = ("Defense attorney Lucinda Haverford-Ross argued that her client had been misled.\n\n"
            "\"He trusted the wrong people and he has paid for it,\" the defense lawyer said.")
    assert speaker_of(nlp, text, "trusted the wrong") == "Lucinda Haverford-Ross"


def test_words_in_front_of_a_title_are_part_of_the_title(nlp):
    text = ("City Councilman Bartholomew Quist-Ferrante called the fee rise \"a tax on getting home from work\" "
            "at Tuesday's meeting.")
    assert speaker_of(nlp, text, "getting home") == "Bartholomew Quist-Ferrante"
    assert without_titles("City Councilman Ernesto Vila".split()) == ["Ernesto", "Vila"]
    assert without_titles("State Sen. Dana Roe".split()) == ["Dana", "Roe"]
    assert without_titles("Mr Paul Judge".split()) == ["Paul", "Judge"], "a surname that is a title stays"


def test_she_added_after_a_womans_quotes_is_hers_not_an_older_subjects(nlp):
    text = ("Greta Villanueva, 20, a second-year history student, was less patient. \u201cI moved across the "
            "country for this,\u201d she said.\n\n"
            "The talks are being led, according to the college, by its deputy principal, Imelda Castellanos-Ruiz.\n\n"
            "\u201cI share their frustration. My own pension is on the line too,\u201d she said. \u201cWe meet the "
            "union again on Friday. I want the lecture halls full again by March.\u201d\n\n"
            "She added: \u201cNobody has left the table.\u201d")
    assert speaker_of(nlp, text, "Nobody has left") == "Imelda Castellanos-Ruiz"


def test_a_new_woman_in_the_narrative_takes_the_pronoun_from_the_last_speaker(nlp):
    text = ("\"The fund is safe,\" said Councillor Bethany Rowe.\n\n"
            "Readers in the valley are less sure. Winifred Osei-Blake, 84, has used the service for years.\n\n"
            "\"If it goes, I go without,\" she said.")
    assert speaker_of(nlp, text, "I go without") == "Winifred Osei-Blake"


def test_a_chairman_can_be_she(nlp):
    text = ("The Orchard Growers' Association has 40 members. Its chairman, Philippa Marchbank, criticised "
            "the insurance scheme, which she said paid out 'only when nobody can prove anything'.\n\n"
            "'What would count, then, if this does not?' she asked.")
    assert speaker_of(nlp, text, "What would count") == "Philippa Marchbank"


def test_a_full_name_tagged_as_an_organisation_after_the_surname_alone_is_that_person(nlp):
    text = ("Thornbury beat Lakeside by an innings as Ashdown takes seven\n\n"
            "Thornbury completed an innings victory over Lakeside shortly after lunch on the third day, with the "
            "seamer Bryn Ashdown taking seven for 31 as the visitors were bowled out for 94.\n\n"
            "\"Some days the ball just does what you ask of it,\" Ashdown said.")
    assert speaker_of(nlp, text, "does what you ask") == "Bryn Ashdown"


def test_a_known_surname_before_the_cue_whatever_the_model_made_of_it(nlp):
    text = ("On the closing track, the band's accordionist, Lorcan Sweet, trades verses with the singer. "
            "\"I'll sail when the harbour thaws,\" Sweet sings.")
    assert speaker_of(nlp, text, "harbour thaws") == "Lorcan Sweet"


def test_the_zoo_is_the_zoo_named_before(nlp):
    text = ("The Cedar Hollow Zoo announced the birth of twin otters on Monday. \"The pups are feeding well "
            "and their mother is calm,\" the zoo said in a statement.")
    assert speaker_of(nlp, text, "pups are feeding") == "Cedar Hollow Zoo"


def test_a_name_is_the_speaker_not_the_party_or_district_beside_it(nlp):
    text = ("House Speaker Marisa Delacroix-Holt, R-Fenwick, said the plan was \"a fine speech and a large bill\".\n\n"
            "Lt. Gov. Osvaldo Trembley, a Republican who is running for governor, characterized the proposal as "
            "\"an advertisement paid for by taxpayers.\"")
    assert speaker_of(nlp, text, "fine speech") == "Marisa Delacroix-Holt"
    assert speaker_of(nlp, text, "advertisement paid") == "Osvaldo Trembley"


def test_someones_parents_are_the_speakers_not_the_someone(nlp):
    text = ("Tobias Dunmore, 17, died at the crossing in May.\n\n"
            "In a statement read by their solicitor, Mr Dunmore's parents said: 'Tobias did nothing wrong. "
            "We want the crossing moved before another family loses a son.'")
    assert speaker_of(nlp, text, "did nothing wrong") == "Mr Dunmore's parents"


def test_a_name_a_who_clause_describes_is_a_person_even_untagged(nlp):
    text = ("Winifred Ashcombe, crossword setter who baffled a county, dies at 88\n\nBy Martin Ellory\n\n"
            "Winifred Ashcombe, who set more than 4,000 cryptic crosswords for the Evening Lantern over 40 years "
            "under the pseudonym \"Wren\", has died aged 88. She died on Monday at her home in Tarrow after a short "
            "illness, her nephew, Felix, said.\n\n"
            "She never explained a clue. \"If I have to explain it, I set it badly,\" she told an interviewer in 1990.\n\n"
            "Her husband, Gerald Ashcombe, a surveyor, died in 2011.")
    assert speaker_of(nlp, text, "set it badly") == "Winifred Ashcombe"


def test_a_word_after_the_is_no_person(nlp):
    from annotations.suggest.docview import DocView
    from annotations.suggest.quotes import QuoteFinder

    text = "Anna Vell joined the Courant as a clerk in 1961. He had worked at the Herald for years."
    people = QuoteFinder(DocView(parse(nlp, text))).people
    assert [m.person.name for m in people.mentions] == ["Anna Vell"]


def test_someone_shouting_is_no_speaker_to_guess(nlp):
    for text, words in [
        ("About 300 residents filled the school hall.\n\n\"Shame!\" someone yelled from the bleachers as the "
         "authority's executive director, Hollis Brandt-Ueda, began his presentation. Others joined in.", "Shame"),
        ("\"Mind the step!\" someone shouted.", "Mind the step"),
    ]:
        found = [s for s in suggest(parse(nlp, text), include_indirect=False) if s.label == QUOTE and words in s.text]
        assert len(found) == 1 and found[0].speaker is None, found
        assert found[0].confidence >= 0.5, "the quote is still suggested, only its speaker is left open"
