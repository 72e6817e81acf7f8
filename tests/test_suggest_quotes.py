"""Quote suggestions on short invented passages, run through the real spaCy model."""

import json

import pytest

from annotations.model import QUOTE
from annotations.nlp import load_pipeline, parse
from annotations.suggest import DEFAULT_THRESHOLD, SUGGESTER_VERSION, Suggestion, suggest
from annotations.suggest.docview import DocView
from annotations.suggest.people import People, without_titles


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def quotes(nlp, text, **kwargs) -> list[Suggestion]:
    return [s for s in suggest(parse(nlp, text), **kwargs) if s.label == QUOTE]


def direct(nlp, text) -> list[Suggestion]:
    return [s for s in quotes(nlp, text, include_indirect=False)]


def only(found: list[Suggestion], words: str) -> Suggestion:
    matching = [s for s in found if words in s.text]
    assert len(matching) == 1, [s.text for s in found]
    return matching[0]


def test_cue_after_the_quote(nlp):
    text = "“The harbour will reopen on Monday morning,” Port Director Selma Voss said on Friday."
    q = only(direct(nlp, text), "harbour")
    assert (q.start, q.end) == (1, text.index("”"))
    assert q.kind == "direct"
    assert q.cue["text"] == "said" and text[q.cue["start"]:q.cue["end"]] == "said"
    assert q.speaker["name"] == "Selma Voss"
    assert text[q.speaker["start"]:q.speaker["end"]] == q.speaker["text"]
    assert q.rule == "suggest:quote-cue-after"
    assert q.confidence >= DEFAULT_THRESHOLD


def test_cue_before_with_inverted_subject(nlp):
    text = "Mayor Tomas Brandt visited the site. Said Brandt, “We have waited long enough for this bridge.”"
    q = only(direct(nlp, text), "waited")
    assert q.speaker["name"] == "Tomas Brandt"
    assert q.rule == "suggest:quote-cue-before"


def test_colon_introducing_the_quote(nlp):
    text = "Health Secretary Irma Colley told the committee: “Waiting lists are shorter than a year ago.”"
    q = only(direct(nlp, text), "Waiting lists")
    assert q.cue["text"] == "told"
    assert q.speaker["name"] == "Irma Colley"


def test_participial_cue_takes_the_subject_of_its_clause(nlp):
    text = (
        "Coach Dario Pellegrini defended his players on Sunday, saying: "
        "“They gave everything they had in the second half.”"
    )
    q = only(direct(nlp, text), "gave everything")
    assert q.cue["text"] == "saying"
    assert q.speaker["name"] == "Dario Pellegrini"


def test_passive_quoted_as_saying(nlp):
    text = (
        "Kalina Mirova, the airline's founder, was quoted as saying that the company would "
        "“never again fly half-empty planes to save face.”"
    )
    q = only(direct(nlp, text), "half-empty")
    assert q.speaker["name"] == "Kalina Mirova"
    assert q.kind == "mixed"


def test_according_to(nlp):
    text = "“The shelves were empty by nine in the morning,” according to shop owner Ravi Menon."
    q = only(direct(nlp, text), "shelves")
    assert q.cue["text"] == "according to"
    assert q.speaker["name"] == "Ravi Menon"


def test_floating_quote_inherits_the_previous_speaker(nlp):
    text = (
        "“We were not consulted on the route,” said farmer Agnes Tolland.\n\n"
        "“Nobody from the ministry has ever walked these fields.”"
    )
    found = direct(nlp, text)
    floating = only(found, "Nobody")
    assert floating.kind == "floating"
    assert floating.cue is None
    assert floating.speaker["name"] == "Agnes Tolland"
    assert floating.confidence < only(found, "consulted").confidence


def test_pronoun_speaker_resolves_to_the_person_named_before(nlp):
    text = (
        "Lorna Achebe has run the ferry for twenty years.\n\n"
        "“The crossing has never been this busy,” she said."
    )
    q = only(direct(nlp, text), "crossing")
    assert q.speaker["text"] == "she"
    assert q.speaker["name"] == "Lorna Achebe"


def test_title_speaker_resolves_to_the_named_minister(nlp):
    text = (
        "Transport Minister Felix Odhiambo opened the new terminal on Monday.\n\n"
        "“This airport will carry four million passengers a year,” the minister said."
    )
    q = only(direct(nlp, text), "airport")
    assert q.speaker["text"].lower() == "the minister"
    assert q.speaker["name"] == "Felix Odhiambo"


def test_surname_speaker_resolves_to_the_full_name(nlp):
    text = (
        "The strike was called by Harriet Kowalczyk, who leads the drivers' union.\n\n"
        "“Our members have had enough,” Kowalczyk said."
    )
    q = only(direct(nlp, text), "members")
    assert q.speaker["text"] == "Kowalczyk"
    assert q.speaker["name"] == "Harriet Kowalczyk"


def test_multi_paragraph_quote_is_one_suggestion(nlp):
    text = (
        "Governor Amara Jalloh addressed the assembly. She said:\n\n"
        "“The drought has cost our farmers two harvests in a row.\n\n"
        "“We will not let a third one go the same way,” she added."
    )
    found = direct(nlp, text)
    assert len(found) == 1
    q = found[0]
    assert q.text.startswith("The drought") and q.text.endswith("the same way,")
    assert q.speaker["name"] == "Amara Jalloh"


def test_stray_mark_does_not_lose_the_other_quotes(nlp):
    text = (
        "The report ” was published late.\n\n"
        "“We found nothing wrong with the accounts,” auditor Petra Lindgren said.\n\n"
        "An odd “ mark sits here.\n\n"
        "“The figures add up,” Lindgren said."
    )
    found = direct(nlp, text)
    assert [s.text for s in found] == ["We found nothing wrong with the accounts,", "The figures add up,"]
    assert {s.speaker["name"] for s in found} == {"Petra Lindgren"}


def test_apostrophes_are_not_quotes(nlp):
    text = "The ministers’ plan doesn’t add up, and the nurses’ union won’t back it, Yusuf Demir said."
    assert direct(nlp, text) == []


def test_glued_name_and_verb(nlp):
    text = (
        "Inspector Maya Okonkwo led the search.\n\n"
        "Okonkwosaid the team would return at dawn: “We have covered only half the forest.”"
    )
    q = only(direct(nlp, text), "forest")
    assert q.speaker["name"] == "Maya Okonkwo"
    assert q.speaker["text"] == "Okonkwo"
    assert q.cue["text"] == "said"


def test_non_breaking_spaces_and_mixed_marks(nlp):
    text = (
        "Chef Bruno Alvarez opened at 7\u00a0p.m. on Saturday.\n\n"
        "\"Tonight the kitchen belongs to the apprentices,\" Alvarez said.\n\n"
        "“They have earned it this year,” he added."
    )
    found = direct(nlp, text)
    assert [s.speaker["name"] for s in found] == ["Bruno Alvarez", "Bruno Alvarez"]
    assert found[0].text == "Tonight the kitchen belongs to the apprentices,"


def test_scare_quotes_and_short_titles_are_not_quotes(nlp):
    assert direct(nlp, "The “temporary” fence has stood beside the café “Pit Stop” for ten years.") == []
    # the quoted word is the subject of its clause: the writer's distance, not someone's words
    assert direct(nlp, "Mirela Dascalu sighed. The so-called “reform” collapsed within a month, she recalls.") == []


def test_a_short_fragment_inside_paraphrase_is_the_reporting_verbs_subjects(nlp):
    q = only(direct(nlp, "Councillor Idris Vane called the ruling “shameful” on Monday."), "shameful")
    assert (q.kind, q.speaker["name"], q.rule) == ("mixed", "Idris Vane", "suggest:quote-fragment")
    assert q.confidence >= DEFAULT_THRESHOLD
    q = only(direct(nlp, "Engineer Mirela Dascalu said the repairs were “nearly finished” by then."), "nearly")
    assert (q.text, q.speaker["name"]) == ("nearly finished", "Mirela Dascalu")


def test_indirect_speech_is_a_lower_tier(nlp):
    text = "Treasurer Hugo Salas said that the club had cleared its debts by the end of March."
    found = quotes(nlp, text)
    q = only(found, "cleared")
    assert q.kind == "indirect"
    assert q.text == "the club had cleared its debts by the end of March"
    assert q.speaker["name"] == "Hugo Salas"
    assert q.confidence < DEFAULT_THRESHOLD
    assert quotes(nlp, text, include_indirect=False) == []


def test_to_json_has_exactly_the_public_fields(nlp):
    text = "“The vote will happen on Thursday,” party whip Nadia Kerr said."
    q = only(direct(nlp, text), "vote")
    doc = q.to_json("articles/vote.txt")
    assert list(doc) == ["source", "label", "start", "end", "text", "speaker", "cue", "kind", "confidence", "reasons"]
    assert doc["source"] == "articles/vote.txt"
    assert json.loads(json.dumps(doc))["speaker"]["name"] == "Nadia Kerr"
    assert SUGGESTER_VERSION == "8"


def test_sorted_and_never_crashes_on_odd_text(nlp):
    text = "”“ ‘’ \" \" «»\n\n\n“\n\n” ’ plain words here. “Unclosed at the very end"
    found = suggest(parse(nlp, text))
    assert found == sorted(found, key=lambda s: s.start)


def test_cancelled_stops_between_quotes_and_gives_nothing(nlp):
    paragraphs = [f"“Crossing number {n} will close for repairs this week,” engineer Ilona Varga said." for n in range(6)]
    doc = parse(nlp, "\n\n".join(paragraphs))
    assert len([s for s in suggest(doc) if s.label == QUOTE]) == 6
    asked = 0

    def after_two_quotes() -> bool:
        nonlocal asked
        asked += 1
        return asked > 2

    assert suggest(doc, cancelled=after_two_quotes) == []
    assert asked == 3  # it stopped at the first "yes" instead of running to the end
    assert suggest(doc, cancelled=lambda: True) == []


def test_hyphenated_names_keep_their_hyphens(nlp):
    text = (
        "Eleanor Vasquez-Hale runs the Marsh Road food bank.\n\n"
        "“We have never seen queues like these,” Vasquez-Hale said on Monday.\n\n"
        "“Demand has doubled since the spring,” said Jean-Luc Moreau-Petit, who chairs the trustees."
    )
    found = direct(nlp, text)
    assert only(found, "queues").speaker["name"] == "Eleanor Vasquez-Hale"
    assert only(found, "Demand").speaker["name"] == "Jean-Luc Moreau-Petit"


def test_he_skips_the_woman_already_called_she(nlp):
    text = (
        "Councillor Daniel Okafor said the survey had cost too much.\n\n"
        "Ruth Penhaligon disagreed. She said the harbour would silt up by August.\n\n"
        "Ruth Penhaligon shook her head as he spoke.\n\n"
        "“Every report costs more than the last,” he said."
    )
    q = only(direct(nlp, text), "Every report")
    assert q.speaker["text"] == "he"
    assert q.speaker["name"] == "Daniel Okafor"


def test_honorific_and_gendered_noun_give_the_pronoun(nlp):
    text = (
        "Deborah Kinsella has waited eight months for an operation. "
        "Her husband, Frank, drove her to the clinic.\n\n"
        "“Nobody phoned us about the closure,” he said."
    )
    assert only(direct(nlp, text), "Nobody").speaker["name"] == "Frank"
    text = (
        "Mr Rowe met Ms Sandoval on Monday, and Sandoval spoke first.\n\n"
        "“The figures do not add up at all,” he said."
    )
    assert only(direct(nlp, text), "figures").speaker["name"] == "Rowe"


def test_a_contested_pronoun_teaches_nothing(nlp):
    # "He" here could be either man or woman as far as the text has said; it must not
    # make Ines Carvalho "he", or the later "she" would skip her.
    text = (
        "Health Minister Ines Carvalho met Kwame Boateng on Monday. He said the clinics were ready.\n\n"
        "“We will go to the families ourselves,” she said."
    )
    assert only(direct(nlp, text), "families").speaker["name"] == "Ines Carvalho"


def test_untagged_full_name_before_a_surname(nlp):
    text = (
        "Marguerite Fontaine-Leclerc, a structural engineer, inspected the bridge in 2019.\n\n"
        "“Nobody asked me a single question about that report,” Fontaine-Leclerc said."
    )
    assert only(direct(nlp, text), "Nobody").speaker["name"] == "Marguerite Fontaine-Leclerc"


def test_floating_quote_after_a_paragraph_of_background(nlp):
    text = (
        "“We did not train for ten years to be told our overtime is a favour,” said Dr. Amira Stolz.\n\n"
        "The dispute began in September. The trust says the payments were never in the contracts.\n\n"
        "“Every one of us has covered nights for free this year.”"
    )
    q = only(direct(nlp, text), "covered nights")
    assert q.kind == "floating"
    assert q.speaker["name"] == "Amira Stolz"


def test_floating_quote_is_not_given_across_someone_else(nlp):
    text = (
        "“We did not train for ten years to be told our overtime is a favour,” said Dr. Amira Stolz.\n\n"
        "The chief executive, Graham Pellow, replied in a statement on Tuesday.\n\n"
        "“Every one of us has covered nights for free this year.”"
    )
    q = only(direct(nlp, text), "covered nights")
    assert q.speaker is None or q.speaker["name"] != "Amira Stolz"


def test_two_people_sharing_a_surname_stay_apart(nlp):
    text = (
        "Martin Okoye, 41, denies fraud. “I never signed those invoices,” Okoye told the court.\n\n"
        "His wife, Grace Okoye, said he had been abroad all that month.\n\n"
        "“He was in Lagos with his mother the whole time,” Grace Okoye said."
    )
    found = direct(nlp, text)
    assert only(found, "invoices").speaker["name"] == "Martin Okoye"
    assert only(found, "Lagos").speaker["name"] == "Grace Okoye"


def test_a_first_name_says_who_he_is(nlp):
    # The woman is the nearest subject before "he"; only her first name says she is not him.
    text = (
        "Peter Lindahl lost his job at the mill in May.\n\n"
        "The union organiser, Hannah Brecht, put it to him that the redundancy was unlawful.\n\n"
        "“I was told on a Friday and gone by the Monday,” he said."
    )
    assert only(direct(nlp, text), "Friday").speaker["name"] == "Peter Lindahl"


def test_an_unnamed_spokeswoman_speaks_for_her_company(nlp):
    text = (
        "A spokeswoman for Brightwell Energy said the outage had been caused by a storm.\n\n"
        "“Our engineers worked through the night to restore power,” she said."
    )
    q = only(direct(nlp, text), "engineers")
    assert q.speaker["text"] == "she"
    assert q.speaker["name"] == "Brightwell Energy"


def test_a_spokesman_for_the_union_is_the_union_named_before(nlp):
    text = (
        "The strike was called by the Harbour Workers Union on Tuesday.\n\n"
        "“Our members have had enough of broken promises,” said a spokesman for the union."
    )
    assert only(direct(nlp, text), "broken promises").speaker["name"] == "Harbour Workers Union"


def test_a_word_that_only_opens_sentences_is_no_speaker(nlp):
    # The small model tags "Lunch" as a person; a floating quote must not be given to it.
    text = (
        "Inside, the hall has been divided into three rooms. Lunch is now served in two sittings, "
        "and assemblies have been cancelled.\n\n“You learn to eat quickly in this place.”"
    )
    q = only(direct(nlp, text), "eat quickly")
    assert q.speaker is None or q.speaker["name"] != "Lunch"


def test_a_surname_alone_takes_the_full_name_for_he_and_she(nlp):
    # The model tags only "Solheim"; "he" must still be given the full name.
    text = (
        "The regional government has promised a plan by the end of the year. Its environment commissioner, "
        "Petter Solheim, said officials were looking at limits on fertiliser near the river.\n\n"
        "According to Solheim, no decision has been taken on the existing farms. He said the government "
        "would “listen to the science and to the people who make their living here.”"
    )
    assert only(direct(nlp, text), "listen to the science").speaker["name"] == "Petter Solheim"


def test_a_title_is_not_part_of_an_untagged_name():
    assert without_titles("Councillor Bethan Harries".split()) == ["Bethan", "Harries"]
    assert without_titles("Chief Inspector Mo Farouk".split()) == ["Mo", "Farouk"]
    assert without_titles(["Judge"]) == ["Judge"]  # a lone word is kept: it may be the surname


def test_a_name_deep_in_apposition_is_the_speaker(nlp):
    text = (
        "Her rival, the businessman Duncan Achterberg, said the scheme was "
        "“a gift to landlords and nobody else.”"
    )
    assert only(direct(nlp, text), "gift to landlords").speaker["name"] == "Duncan Achterberg"


def test_the_owner_of_an_answer_is_the_speaker(nlp):
    text = (
        "Sofia Renner has run the ferry for twenty years.\n\n"
        "Her answer to every complaint is the same: “The sea decides, not the timetable.”"
    )
    assert only(direct(nlp, text), "sea decides").speaker["name"] == "Sofia Renner"


def test_a_colon_after_a_sentence_about_someone(nlp):
    text = "Sofia Renner has run the ferry for twenty years. She was blunt: “The sea decides, not the timetable.”"
    q = only(direct(nlp, text), "sea decides")
    assert q.rule == "suggest:quote-colon"
    assert q.speaker["text"] == "She" and q.speaker["name"] == "Sofia Renner"


def test_floating_quote_after_a_paragraph_of_narrative_about_her(nlp):
    text = (
        "Ingrid Falk has kept bees on the moor since 1998.\n\n"
        "Her hives sit behind a dry-stone wall, and she checks them every morning before work.\n\n"
        "“The heather gives the honey its colour. You cannot fake that with sugar.”"
    )
    q = only(direct(nlp, text), "heather")
    assert q.kind == "floating"
    assert q.speaker["name"] == "Ingrid Falk"


def test_floating_quote_taken_by_that_was_after_it(nlp):
    text = (
        "Olaf Brenner and Maeve Doyle both teach at the school.\n\n"
        "“You learn to teach quietly when the hall is your classroom.”\n\n"
        "That was Maeve Doyle, who has taught there for fourteen years."
    )
    q = only(direct(nlp, text), "teach quietly")
    assert q.speaker["name"] == "Maeve Doyle"


def test_a_street_is_not_a_person(nlp):
    # The small model tags "Mill Lane" as a person; it must not become anyone's name.
    text = (
        "Under cross-examination, the prosecutor put it to him that a neighbour had seen his van "
        "on Mill Lane at 11.40 p.m.\n\n“There are a hundred white vans in this town.”"
    )
    doc = parse(nlp, text)
    assert any(e.text == "Mill Lane" and e.label_ == "PERSON" for e in doc.ents)
    people = People(DocView(doc), lambda offset: False)
    assert not people.knows("Mill Lane")
    q = only([s for s in suggest(doc) if s.label == QUOTE], "white vans")
    assert q.speaker is None or q.speaker["name"] != "Mill Lane"


@pytest.mark.parametrize("text, name", [
    ("Tenants met on Monday.\n\n“We will appeal the ruling,” Dr. Ines Marlow said.", "Ines Marlow"),
    ("Tenants met on Monday.\n\n“Nobody asked us first,” J. R. Okafor said after the meeting.", "J. R. Okafor"),
    ("Tenants met on Monday.\n\n“The bridge is safe for now,” Sen. Alma Pruitt (D-Wis.) told reporters.", "Alma Pruitt"),
    ("Tenants met on Monday.\n\n“The rents are fair,” Tor Lindahl, the long-serving head of the regional "
     "chamber of commerce in Veyle, said on Friday.", "Tor Lindahl"),
], ids=["title", "initials", "party-and-state", "long-apposition"])
def test_the_cue_after_a_quote_is_found_past_abbreviations_and_asides(nlp, text, name):
    q = only(direct(nlp, text), ",")
    assert (q.rule, q.speaker["name"]) == ("suggest:quote-cue-after", name)


def test_a_byline_after_the_quote_names_its_speaker(nlp):
    text = (
        "We asked shoppers about the new market hall.\n\n"
        "“The stalls are too dear for anyone who sells vegetables.” ― Odile Brassard, 51, grower\n\n"
        "“It is warm and dry, which is more than the old square was.” — Henrik Vass, 30, baker\n"
    )
    found = direct(nlp, text)
    assert [(q.speaker["name"], q.rule) for q in found] == [
        ("Odile Brassard", "suggest:quote-byline"), ("Henrik Vass", "suggest:quote-byline")]


@pytest.mark.parametrize("text, cue, name", [
    ("Councillor Rhea Imrie condemned the decision as “a betrayal of every family on the estate”.",
     "condemned", "Rhea Imrie"),
    ("The union blamed the closure on “ten years of nobody listening to the drivers”.", "blamed", "The union"),
    ("As the treasurer, Bram Oduya, put it: “The money has simply run out.”", "put", "Bram Oduya"),
    ("“We have waited long enough for this road,” the letter reads.", "reads", "the letter"),
], ids=["condemn", "blame", "as-X-put-it", "letter-reads"])
def test_more_reporting_verbs_are_cues(nlp, text, cue, name):
    q = direct(nlp, text)[0]
    assert (q.cue["text"], q.speaker["name"]) == (cue, name)


def test_an_article_without_blank_lines_has_a_paragraph_a_line(nlp):
    from annotations.suggest.quotes import article_paragraphs

    assert article_paragraphs("One.\nTwo two.\n") == [(0, 4), (5, 13)]
    assert article_paragraphs("One.\nstill one.\n\nTwo.") == [(0, 15), (17, 21)]  # blank lines: they decide
    text = ("Harbour Master Ivo Radek spoke on Tuesday.\n"
            "“We lost five weeks we will never get back,” Radek said. “But the cranes are moving again.”\n"
            "The deal, which the dockers described as fair, cuts berth fees by 8 percent.\n")
    q = only(direct(nlp, text), "cranes")
    assert q.speaker["name"] == "Ivo Radek"


@pytest.mark.parametrize("text, name", [
    ("The pool committee met on Monday.\n\nA leaflet showing the councillor Piet Maas saying “the pool will "
     "never close” was sent to 4,000 homes.", "Piet Maas"),
    ("The pool committee met on Monday.\n\nIt was Greta Lund, who said “we will fight this in every court we "
     "can find”, who led the campaign.", "Greta Lund"),
], ids=["no-climbing-past-a-participle", "relative-pronoun"])
def test_the_speaker_is_the_one_saying_never_a_relative_pronoun_or_the_leaflet(nlp, text, name):
    assert direct(nlp, text)[0].speaker["name"] == name


def test_a_speaker_without_a_cue_is_less_sure_the_further_back_and_then_not_guessed(nlp):
    background = "The mill closed in 1987.\n\nThe river rose again in spring.\n\nThe road was rebuilt twice.\n\n"
    text = (
        "Tomasz Krol, who owns the mill, spoke at the gate on Friday.\n\n“We kept the wheel turning for forty years,” Krol said.\n\n"
        "“Nobody else would have bothered with it.”\n\nThe mill closed in 1987.\n\n"
        "“My father would have laughed at the price of flour now.”\n\n" + background + background
        + "“It will turn again one day, I am sure of it.”\n"
    )
    found = direct(nlp, text)
    near, further, far = only(found, "Nobody"), only(found, "flour"), only(found, "turn again")
    assert near.speaker["name"] == further.speaker["name"] == "Tomasz Krol"
    assert DEFAULT_THRESHOLD <= further.confidence < near.confidence
    assert far.speaker is None and far.rule == "suggest:quote-no-cue"



@pytest.mark.parametrize("text, name", [
    # The model hangs "Halloran" on the paragraph before, so "said" has no subject in the parse.
    ("“Two million is small change for Corvo,” Castell said. “The lake will take a decade to recover.”\n\n"
     "Halloran, speaking later to local radio, said: “We have already spent three million dollars on the "
     "clean-up and we will spend more.”", "Halloran"),
], ids=["name-hung-on-the-paragraph-before"])
def test_a_cue_without_a_subject_takes_the_name_opening_its_sentence_never_a_word_of_the_quote(nlp, text, name):
    q = only(direct(nlp, text), "clean-up")
    assert (q.speaker["text"], q.speaker["name"]) == (name, name)



def test_a_participle_hung_on_the_reported_clause_is_the_reporters(nlp):
    text = (
        "Judge Ansel Pryce said the firm had ignored four warnings from inspectors, adding: "
        "“This was a choice made to save money.”"
    )
    assert only(direct(nlp, text), "choice made").speaker["name"] == "Ansel Pryce"


@pytest.mark.parametrize("text, words, name", [
    ("The harbour trust raised the rents in June.\n\nThe trust said the rents were still “well below what "
     "the market would pay”.", "market", "harbour trust"),
    ("A third of the county's bridges are overdue for inspection, according to a report released on Monday by "
     "the Roads Inspectorate.\n\n“The county did not know which bridges were overdue,” the report said.",
     "which bridges", "Roads Inspectorate"),
    ("A memo written in May by officials at the Transport Ministry shows the cuts were planned early.\n\n"
     "As the memo puts it: “Nobody reads the appendix.”", "appendix", "Transport Ministry"),
    ("An audit office report last year found that spending had fallen. “Further cuts would put patients at "
     "risk,” the report warned.", "Further cuts", "audit office"),
    ("Brenmoor Dairies said in a statement that the plant had passed an inspection in June. “We will "
     "cooperate fully with the inspectors,” the statement said.", "cooperate", "Brenmoor Dairies"),
    ("The water company, which owns the reservoir, let the anglers stay. A spokeswoman for the company said "
     "it was “delighted” to have them.", "delighted", "water company"),
    ("A spokesman for the Harbour Pilots Association said the talks had failed.\n\n“Our members have waited "
     "two years for an answer,” the spokesman said.", "waited", "Harbour Pilots Association"),
], ids=["body-by-its-fullest-description", "report-by-who-released-it", "memo-by-the-officials-body",
        "report-by-its-compound-author", "statement-by-who-issued-it", "spokeswoman-for-the-company",
        "the-spokesman-again"])
def test_organisations_and_documents_speak_by_the_fullest_name_in_the_article(nlp, text, words, name):
    assert only(direct(nlp, text), words).speaker["name"] == name


@pytest.mark.parametrize("headline", ["The last keeper of Carrick Point", "The last ferryman of Kelda Sound"])
def test_a_headline_place_never_runs_into_the_name_under_it(nlp, headline):
    # The small model tags "Carrick Point\n\nAgnes Holloway" as one name, across the paragraph break.
    text = (
        f"{headline}\n\nAgnes Holloway still climbs the 114 steps of the lighthouse every evening, although "
        "the lamp has switched itself on since 1997.\n\n“Somebody has to check the gulls have not moved in,” she says."
    )
    doc = parse(nlp, text)
    assert any("\n\n" in e.text for e in doc.ents)
    q = only([s for s in suggest(doc) if s.label == QUOTE], "gulls")
    assert q.speaker["name"] == "Agnes Holloway"
    people = People(DocView(doc), lambda offset: False)
    assert not any(people.knows(place) for place in ("Carrick Point", "Kelda Sound"))
    assert all("\n\n" not in e.text for e in DocView(doc).ents)


@pytest.mark.parametrize("text", [
    "Ola Brekke first read a book called “The Salt Road Home” in 2009, and bought his boat a year later.",
    "The council's review, titled “Rooms for the Future”, found that visits fell by a third, Mayor Ines Dahl said.",
    "Their leaflet, headed “Nine Years of Gravel”, has reached 3,000 homes, the residents' group said.",
    "The documentary “Salt Roads of the North” opens on Friday, its director Anton Reyes said.",
    "Neighbours call him “the honey man”, and Arjun Patel says he does not mind.",
    "Petra Lund, who has been dubbed “the Queen of the Quay” by the local paper, said she was not sure.",
], ids=["called", "titled", "headed", "work-title", "call-him", "dubbed"])
def test_titles_names_and_nicknames_are_not_quotes(nlp, text):
    assert direct(nlp, text) == []


def test_quotation_marks_in_the_headline_are_not_a_quote(nlp):
    text = (
        "‘We will not be moved’: fishermen vow to stay on the quay\n\n"
        "“We will not be moved,” said skipper Ola Brekke on Tuesday."
    )
    assert [(q.text, q.speaker["name"]) for q in direct(nlp, text)] == [("We will not be moved,", "Ola Brekke")]


def test_a_name_called_is_still_speech_when_a_thing_is_called_something(nlp):
    q = only(direct(nlp, "Petra Lund, the harbour master, called the plan “a gift to the landlords”."), "gift")
    assert q.speaker["name"] == "Petra Lund"


@pytest.mark.parametrize("surname", ["Skoglund", "Holmberg"])
def test_a_known_surname_the_model_calls_a_place_is_still_the_person(nlp, surname):
    # The small model tags the surname standing alone as a place; "she" must still be her.
    text = (
        f"Liv {surname} kept the ferry running for nineteen years with her late husband.\n\nThe Island Heritage "
        "Trust, which bought the pier in 2015, plans to open it to visitors next summer. Its director, Samir "
        f"Haddou, said the trust wanted {surname} to lead the first tours.\n\n"
        f"{surname}, now 81, is less sure. “I am not a museum piece,” she said."
    )
    doc = parse(nlp, text)
    assert any(e.text == surname and e.label_ != "PERSON" for e in doc.ents)
    q = only([s for s in suggest(doc) if s.label == QUOTE and s.kind != "indirect"], "museum piece")
    assert q.speaker["name"] == f"Liv {surname}"


def test_she_after_a_reported_clause_is_the_reporter_not_the_one_reported_on(nlp):
    text = (
        "Osric Brenner, 52, struck his tenant twice in the hallway, the jury heard.\n\n"
        "Prosecutor Ilse Marr said Brenner had ignored the tenant's letters for six weeks. “When the tenant "
        "asked once more, the defendant lost his temper,” she told the court.\n\n"
        "Brenner denied the charge. In evidence, he said he had raised the hammer “to make a point”."
    )
    found = direct(nlp, text)
    assert only(found, "lost his temper").speaker["name"] == "Ilse Marr"
    assert only(found, "make a point").speaker["name"] == "Osric Brenner"


@pytest.mark.parametrize("full, short", [("Joost van der Berg", "Van der Berg"), ("Amaury de Lisle", "De Lisle")])
def test_a_surname_with_its_particle_is_the_person_named_in_full(nlp, full, short):
    text = (
        f"The baker, {full}, has run the shop on Quay Street since 1998.\n\n"
        f"{short} said he had written to the harbour trust nine times. “Nobody has ever written back,” he said."
    )
    assert only(direct(nlp, text), "written back").speaker["name"] == full


def test_a_writing_never_introduced_is_by_whoever_wrote_to_someone_before_it(nlp):
    text = (
        "The Ferry Users Group wrote to the minister in May. "
        "“We have waited three years for a timetable,” the letter reads."
    )
    assert only(direct(nlp, text), "timetable").speaker["name"] == "Ferry Users Group"


def test_a_quote_in_the_first_paragraph_looks_for_its_cue_in_its_own_sentence_only(nlp):
    # The window before a quote in the article's first paragraph ran back to the article's start.
    text = "The Ferry Users Group wrote to the minister in May. “We have waited three years for a timetable,” the letter reads."
    assert only(direct(nlp, text), "timetable").kind == "direct"
    text = (
        "The minister, Otto Brandt, was asked about the delay. His reply was “a shrug and a promise”, "
        "according to Ana Ruiz, who was at the meeting."
    )
    q = only(direct(nlp, text), "shrug")
    assert (q.cue["text"], q.speaker["name"]) == ("according to", "Ana Ruiz")


def test_she_is_someone_named_in_the_sentence_before_rather_than_an_older_subject(nlp):
    text = (
        "Councillor Sandra Quaye chairs the parks committee, which meets on 14 March.\n\n"
        "A petition to save the skate park had 2,860 signatures by Tuesday, according to its organiser, "
        "16-year-old Tilly Brennan.\n\n“We are not going anywhere,” she said."
    )
    assert only(direct(nlp, text), "not going anywhere").speaker["name"] == "Tilly Brennan"


def test_the_name_opening_a_sentence_is_never_just_the_title_before_it(nlp):
    from annotations.suggest.quotes import QuoteFinder

    text = "Her colleague Professor Anton Reyes, a co-author of the paper, described the hedges as “a carbon store”."
    doc = parse(nlp, text)
    finder = QuoteFinder(DocView(doc))
    verb = next(t for t in doc if t.text == "described")
    assert finder._name_before(verb).name == "Anton Reyes"


@pytest.mark.parametrize("text", [
    "Protesters outside the depot carried a banner reading “Hands off our harbour buses” and blocked the gate.",
    "Outside the hall, parents held placards saying “Keep our school open for good”.",
], ids=["banner-reading", "placards-saying"])
def test_a_slogan_printed_on_a_thing_is_not_a_quote(nlp, text):
    assert direct(nlp, text) == []


def test_a_letter_that_reads_is_still_a_quote(nlp):
    text = "The Ferry Users Group wrote to the minister in May. “We have waited three years,” the letter reads."
    assert only(direct(nlp, text), "waited").speaker["name"] == "Ferry Users Group"


def test_a_mixed_quote_far_from_its_reporting_verb_takes_the_sentences_cue(nlp):
    text = (
        "Ferry users on the Kelda route should expect “at least three weeks” of reduced sailings after "
        "the collision near Skarva pier on Tuesday night, the operator Nordvik Lines said on Friday."
    )
    q = only(direct(nlp, text), "three weeks")
    assert (q.cue["text"], q.speaker["name"]) == ("said", "Nordvik Lines")


@pytest.mark.parametrize("text, name", [
    ("A spokesman for the Drivers and Allied Transport Union said the talks had failed.\n\n“Our members have "
     "waited two years for an answer,” the spokesman said.", "Drivers and Allied Transport Union"),
    ("The Porters and General Workers Union called the strike on Monday.\n\n“Our members have had enough,” said a "
     "spokeswoman for the union.", "Porters and General Workers Union"),
], ids=["spokesman-again", "spokeswoman-for-the-union"])
def test_an_organisation_with_and_in_its_name_keeps_its_whole_name(nlp, text, name):
    assert only(direct(nlp, text), "Our members").speaker["name"] == name


_REVIEW = (
    "Report finds clinic ignored warnings\n\nManagers at Elmfield Clinic ignored repeated warnings from nurses "
    "about staffing, an independent review published on Wednesday found.\n\nThe review, led by the surgeon "
    "Dr. Ana Ruiz, examined 64 cases between 2019 and 2023.\n\n“Concerns were raised, written down and then set "
    "aside,” the report says. It describes a “culture of quiet reassurance” in which bad news rarely reached the board."
)


def test_a_writing_with_no_author_is_named_by_its_fullest_description_never_the_headlines(nlp):
    assert only(direct(nlp, _REVIEW), "set aside").speaker["name"] == "independent review"


def test_it_saying_something_is_the_writing_or_body_just_named(nlp):
    assert only(direct(nlp, _REVIEW), "quiet reassurance").speaker["name"] == "independent review"


def test_a_headline_ending_on_quoted_words_is_still_a_headline(nlp):
    text = (
        "Harbour master warns of quays \"falling into the sea\"\n\n"
        "The old quays are \"falling into the sea\", harbour master Tove Lindqvist told the council on Monday."
    )
    found = [(q.start, q.speaker["name"]) for q in direct(nlp, text)]
    assert found == [(text.rindex("falling"), "Tove Lindqvist")]


def test_a_follow_on_quote_keeps_the_speaker_past_names_in_their_own_attribution(nlp):
    text = (
        "Depot closure approved\n\n"
        "\"Tell that to the drivers who start at five in the morning,\" said Councillor Ruben Ashcroft, who chairs "
        "the transport committee and whose father, Tomas Ashcroft, ran the Millbrook depot until 2019. \"Nobody on the board has "
        "ever driven the night route.\""
    )
    q = only(direct(nlp, text), "night route")
    assert q.speaker["name"] == "Ruben Ashcroft"


def test_a_headline_run_into_the_first_sentence_lends_it_no_speaker(nlp):
    # The small model makes the name the object of the headline's verb and its verb a conjunct of the headline's.
    text = (
        "Retiring teacher warns of schools \"held together by tape\"\n\n"
        "Headteacher Marjorie Pell-Dunmore, who retires this week after 30 years at Kirkby Primary, used her last "
        "assembly on Friday to warn that schools were \"held together by tape\"."
    )
    q = only(direct(nlp, text), "held together")
    assert q.start > text.index("\n") and q.speaker["name"] == "Marjorie Pell-Dunmore"


def test_a_long_apposition_between_the_name_and_the_verb_after_the_quote(nlp):
    text = (
        "The night ward will close in June.\n\n"
        "\"Nobody will be sent home, but the sickest children will go straight to the city,\" Dr. Agnes Whitlow, "
        "the trust's clinical lead and until March the head of the children's unit at Lowfield General, told "
        "reporters after the meeting."
    )
    q = only(direct(nlp, text), "sickest")
    assert q.cue["text"] == "told" and q.speaker["name"] == "Agnes Whitlow"


def test_the_object_of_as_inside_the_quote_is_what_was_said_not_who_said_it(nlp):
    text = (
        "The assembly passed the bill on Friday.\n\n"
        "Rep. Oskar Lindqvist (R-Marsh), the minority's lead on the transport committee and a former engineer at "
        "the Marsh Valley waterworks, dismissed the bill as \"a timetable with no trains.\""
    )
    q = only(direct(nlp, text), "timetable")
    assert q.speaker["name"] == "Oskar Lindqvist"



def test_every_word_between_brackets_is_in_parentheses_however_the_model_hangs_it(nlp):
    from annotations.suggest.quotes import _in_parentheses

    doc = parse(nlp, "Said Rep. Marisol Quint (D-Harwick, chair of the water committee), who wrote the bill.")
    inside = [t.text for t in doc if _in_parentheses(t)]
    assert {"Harwick", "chair", "committee"} <= set(inside)
    assert not {"Marisol", "Quint", "wrote", "bill"} & set(inside)


def test_a_name_after_the_body_a_title_is_of_is_the_titled_person(nlp):
    # The model hangs the name on the society rather than on the chair.
    text = (
        "The court closed two rooms on Friday.\n\n"
        "The chair of the Harwick Law Society, Mirela Sandoval, said members had been \"warning about this for years\"."
    )
    q = only(direct(nlp, text), "warning")
    assert q.speaker["name"] == "Mirela Sandoval"


@pytest.mark.parametrize("sentence, speaker", [
    ("The statement quotes the harbour minister, Edvin Rask, as saying the state had offered \"a fair price for "
     "the land.\"", "Edvin Rask"),
    ("Councillor Ruth Ambler cited the inspectors' report and said it was \"only the part we can see\".",
     "Ruth Ambler"),
], ids=["quoted-as-saying", "cited-a-report-and-said"])
def test_whoever_a_writing_quotes_as_saying_says_it(nlp, sentence, speaker):
    text = "The harbour sale went ahead on Monday.\n\n" + sentence
    q = only(direct(nlp, text), text[text.index("\"") + 1:text.index("\"") + 8])
    assert q.speaker["name"] == speaker


@pytest.mark.parametrize("sentence", [
    "She labelled suggestions that the site would be sold for housing “simply untrue”.",
    "He labelled suggestions that the field would be used for parking “simply untrue”.",
])
def test_a_fragment_deep_under_its_reporting_verb_is_still_quoted(nlp, sentence):
    # The model hangs the quoted words on the last noun of the clause, five links below "labelled".
    text = f"The board voted to close the school on Monday.\n\nChair Edda Morrow said the board had met four times. {sentence}"
    q = only(direct(nlp, text), "simply untrue")
    assert q.cue["text"] == "labelled" and q.speaker["name"] == "Edda Morrow"


def test_a_slogan_listed_after_a_slogan_is_no_quote_either(nlp):
    text = (
        "About 500 people marched to the harbour on Sunday.\n\n"
        "\"Save our ferry!\" chanted members of the Skellan Ferry Users Group as they passed the pier. Many carried "
        "banners reading \"No boat, no island\" and \"Our children need the crossing\"."
    )
    assert [q.text for q in direct(nlp, text)] == ["Save our ferry!"]


def test_a_title_with_a_work_noun_in_apposition_after_it_is_no_quote(nlp):
    text = (
        "The Harwick Film Festival opened on Friday with \"Winter Harbour, Summer Sea\", a documentary about the "
        "fishing villages.\n\nIts director said the film took four years."
    )
    assert [q.text for q in direct(nlp, text)] == []


def test_quoted_words_between_a_determiner_and_their_noun_name_it(nlp):
    text = (
        "The plan has critics. Teacher Ansel Morrow, who chairs the \"Keep the Pier\" campaign, said the "
        "council was \"selling the view to the highest bidder\"."
    )
    assert [q.text for q in direct(nlp, text)] == ["selling the view to the highest bidder"]


def test_a_pronoun_that_names_nobody_is_no_speaker(nlp):
    text = "The ferry was late again on Monday.\n\n\"We will wait here until it comes,\" she said."
    q = only(direct(nlp, text), "wait here")
    assert q.speaker is None
    assert "speaker not resolved to a name" in q.reasons
