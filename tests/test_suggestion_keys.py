"""Tagging and suggestion keys on a real article, with the real model: speakers shown by their resolved name,
q on a suggested quotation keeping its speaker, a and x on the panel's highlighted entry, ] visiting each of
two suggestions at one place, @ linking whole names and asking before anything else, and undo covering
reject and accept-all; every result checked in the database file."""

from __future__ import annotations

from pathlib import Path

from app_helpers import (annotations_loaded, press, reader, record_notifications, saved_docs, speaker_named, status_of,
                         view_of)
from test_suggestions_ui import BRIDGE, SIZE, TEXT, annotation_docs, check_accepted, confident, ready, saved
from test_suggestions_ui import suggestions  # noqa: F401  (the fixture)
from textual.widgets import Input, OptionList, Select

from annotations.editing import trim_span
from annotations.model import QUOTE
from annotations.nlp import parse
from annotations.suggest import Suggestion, suggest
from tui.screens.confirm import Confirm
from tui.screens.editor import AnnotationEditor
from tui.screens.reader import ReaderScreen


def key(s: Suggestion) -> tuple[str, int, int]:
    return (s.label, s.start, s.end)


def pronoun_quote(suggestions: list[Suggestion]) -> Suggestion:
    """A confident suggested quotation whose speaker is a pronoun the suggester resolved to a name."""
    for s in suggestions:
        if s.label == QUOTE and confident(s) and s.kind == "direct" and s.speaker:
            if s.speaker["text"].lower() in ("he", "she") and s.speaker["name"][0].isupper():
                return s
    raise AssertionError("the article has no quote said by a pronoun")


def offered(app) -> list[tuple[str, int, int]]:
    return [key(s) for s in reader(app).suggestions]


def rejections(data: dict) -> list[tuple[str, int, int]]:
    return sorted((d["label"], d["start"], d["end"]) for d in data.get("rejections", {}).values())


def panel_text(panel: OptionList) -> str:
    return "\n".join(str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count))


# ---- speakers by name (issue 9, item 7) and q on a suggestion (item 8) ----------------------------------


async def test_q_on_a_suggested_quotation_stores_what_accept_stores_and_shows_the_speaker_by_name(
    make_app, wait_for_entities, suggestions, tmp_path: Path
) -> None:
    s = pronoun_quote(suggestions)
    name, pronoun = s.speaker["name"], s.speaker["text"]
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        view_of(app).move_to(s.start + 3)
        await press(pilot, "q")
        under = status_of(app).under_cursor
        await press(pilot, "A")
        listed = panel_text(reader(app).query_one("#annotations", OptionList))
        docs = annotation_docs(saved(app, tmp_path / "annotations.json"))
    assert len(docs) == 1
    check_accepted(docs[0], s, "alice")  # the speaker, kind, confidence, reasons and the rule as origin
    assert docs[0]["attrs"]["speaker"] == {"text": pronoun, "start": s.speaker["start"], "end": s.speaker["end"],
                                           "name": name}
    assert under.split(" | ")[0] == f"QUOTE by {name}", under
    assert name in listed and f"  {pronoun}\n" not in listed, listed


async def test_the_suggestions_panel_and_the_editor_show_the_name_and_the_editor_keeps_the_speaker(
    make_app, wait_for_entities, suggestions, tmp_path: Path
) -> None:
    s = pronoun_quote(suggestions)
    name, pronoun = s.speaker["name"], s.speaker["text"]
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        await press(pilot, "S")
        panel = reader(app).query_one("#suggestions", OptionList)
        wanted = f"{s.start}:{s.end}:{s.label}"
        at = next(i for i in range(panel.option_count) if panel.get_option_at_index(i).id == wanted)
        entry = str(panel.get_option_at_index(at).prompt)
        await press(pilot, "S")
        view_of(app).move_to(s.start + 3)
        await press(pilot, "a")
        accepted_under = status_of(app).under_cursor
        await press(pilot, "enter")
        editor = app.screen
        assert isinstance(editor, AnnotationEditor)
        speaker_select = editor.query_one("#speaker", Select)
        shown_speaker = str(speaker_select.query_one("SelectCurrent").label)
        chosen = speaker_select.value
        editor.query_one("#note", Input).value = "check the recording"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ReaderScreen)
        docs = annotation_docs(saved(app, tmp_path / "annotations.json"))
    assert name in entry.splitlines()[0]
    assert accepted_under.split(" | ")[0] == f"QUOTE by {name}", accepted_under
    assert chosen == f"{s.speaker['start']}:{s.speaker['end']}", "the linked speaker is the editor's choice"
    assert shown_speaker == f"{name} (matched “{pronoun}”)", shown_speaker
    assert len(docs) == 1
    assert docs[0]["attrs"]["speaker"] == s.speaker, "saving the editor keeps the resolved speaker"
    assert docs[0]["attrs"]["note"] == "check the recording"


# ---- a and x in the panel, ] at one place (item 9) ------------------------------------------------------


async def test_a_and_x_act_on_the_entry_highlighted_in_the_suggestions_panel(
    make_app, wait_for_entities, suggestions, tmp_path: Path
) -> None:
    listed = sorted({key(s): s for s in suggestions if confident(s)}.values(), key=lambda s: (s.start, s.end, s.label))
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        assert reader(app).suggestion_at(view_of(app).cursor) is None, "no suggestion under the cursor"
        await press(pilot, "S", "down", "down", "down")
        panel = reader(app).query_one("#suggestions", OptionList)
        assert panel.highlighted == 3 and app.focused is panel
        await press(pilot, "a")
        accepted = listed[3]
        assert app.focused is panel, "the panel keeps the focus"
        # The accepted entry left the list; the highlight is on the entry after it, which x rejects.
        assert panel.get_option_at_index(panel.highlighted).id == f"{listed[4].start}:{listed[4].end}:{listed[4].label}"
        await press(pilot, "x")
        still = offered(app)
        data = saved(app, tmp_path / "annotations.json")
    docs = annotation_docs(data)
    assert len(docs) == 1
    check_accepted(docs[0], accepted, "alice")
    assert rejections(data) == [key(listed[4])]
    assert key(accepted) not in still and key(listed[4]) not in still and key(listed[5]) in still


async def test_each_suggestion_key_says_what_it_did_in_place_of_what_the_last_one_said(
    make_app, wait_for_entities, suggestions, tmp_path: Path
) -> None:
    listed = sorted({key(s): s for s in suggestions if confident(s)}.values(), key=lambda s: (s.start, s.end, s.label))
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        await press(pilot, "S", "x")
        assert status_of(app).under_cursor.startswith("rejected (u undoes)")
        await press(pilot, "a")  # on the next entry: the rejected one left the list
        said = status_of(app).under_cursor
        data = saved(app, tmp_path / "annotations.json")
    assert rejections(data) == [key(listed[0])]
    check_accepted(annotation_docs(data)[0], listed[1], "alice")
    assert "rejected" not in said, said


async def test_c_on_a_sentence_whose_claim_suggestion_is_hidden_stores_a_manual_claim(
    make_app, wait_for_entities, suggestions, tmp_path: Path
) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        segments = reader(app).segments
        hidden = next(s for s in suggestions if s.label == "CLAIM" and not confident(s)
                      and trim_span(TEXT, *segments.sentence_at(s.start)) == (s.start, s.end))
        assert key(hidden) not in offered(app), "below the threshold: not shown"
        view_of(app).move_to(hidden.start)
        await press(pilot, "c")
        (doc,) = annotation_docs(saved(app, tmp_path / "annotations.json"))
    assert (doc["label"], doc["start"], doc["end"]) == key(hidden)
    assert doc["origin"] == "manual", "a suggestion never offered is not what the tag accepts"
    assert "confidence" not in doc["attrs"] and "reasons" not in doc["attrs"]


async def test_brackets_visit_each_of_two_suggestions_at_one_place_and_a_takes_the_one_visited(
    make_app, wait_for_entities, suggestions, tmp_path: Path
) -> None:
    starts = [s.start for s in suggestions if confident(s)]
    place = next(start for start in sorted(starts) if starts.count(start) == 2)
    pair = sorted((s for s in suggestions if confident(s) and s.start == place), key=lambda s: (s.end, s.label))
    assert {s.label for s in pair} == {"QUOTE", "CLAIM"}
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        view = view_of(app)
        view.move_to(place - 1)
        await press(pilot, "right_square_bracket")
        first = (view.cursor, reader(app).suggestion_at(view.cursor), status_of(app).under_cursor)
        await press(pilot, "right_square_bracket")
        second = (view.cursor, reader(app).suggestion_at(view.cursor), status_of(app).under_cursor)
        await press(pilot, "a")
        await press(pilot, "left_square_bracket")
        back = view.cursor
        docs = annotation_docs(saved(app, tmp_path / "annotations.json"))
    assert first[0] == second[0] == place, "both stops are at the same place"
    assert [key(first[1]), key(second[1])] == [key(s) for s in pair]
    assert first[2].startswith(f"suggested {pair[0].label}") and "+1 more (])" in first[2], first[2]
    assert f"suggested {pair[1].label}" in second[2], second[2]
    assert len(docs) == 1 and (docs[0]["label"], docs[0]["start"], docs[0]["end"]) == key(pair[1])
    assert back < place


# ---- @ (item 12) ---------------------------------------------------------------------------------------


FERRY = Path(__file__).resolve().parent / "data" / "articles" / "ferry-timetable.txt"


def count_model_runs(monkeypatch) -> list[str]:
    """Every run of a spaCy pipeline from now on, by name: naming a speaker must run none (a parse of a long
    article in the app's process took seconds, keys waiting)."""
    from spacy.language import Language

    runs: list[str] = []
    for method in ("__call__", "pipe"):
        real = getattr(Language, method)
        monkeypatch.setattr(Language, method, lambda self, *a, _real=real, _name=method, **k: (
            runs.append(_name), _real(self, *a, **k))[1])
    return runs


async def test_at_on_a_surname_the_article_names_in_full_links_the_person_without_asking(
    make_app, wait_for_entities, nlp, monkeypatch, tmp_path: Path
) -> None:
    text = FERRY.read_text(encoding="utf-8")
    said = next(s for s in suggest(parse(nlp, text)) if s.label == QUOTE and s.text.startswith("We cannot land"))
    assert (said.speaker["text"], said.speaker["name"]) == ("Reed", "Thomas Reed")
    reed = text.index("Reed told")
    db = tmp_path / "annotations.json"
    app = make_app([FERRY], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        runs = count_model_runs(monkeypatch)
        view = view_of(app)
        view.move_to(said.start + 3)
        await press(pilot, "a")
        assert saved_docs(app, db)[0]["attrs"]["speaker"]["name"] == "Thomas Reed"
        await press(pilot, "at")
        view.move_to(reed + 1)
        await press(pilot, "at")
        await speaker_named(pilot)
        assert isinstance(app.screen, ReaderScreen), "a surname the article gives a person is not asked about"
        linked = saved_docs(app, db)[0]["attrs"]["speaker"]
        await press(pilot, "A")
        listed = panel_text(reader(app).query_one("#annotations", OptionList))
    assert linked == {"text": "Reed", "start": reed, "end": reed + len("Reed"), "name": "Thomas Reed"}
    assert "Thomas Reed" in listed, listed
    assert runs == [], "naming the speaker ran the model"


async def test_at_on_a_pronoun_names_whom_the_suggester_resolved_it_to(
    make_app, wait_for_entities, suggestions, tmp_path: Path
) -> None:
    said = pronoun_quote(suggestions)
    pronoun = said.speaker
    db = tmp_path / "annotations.json"
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        view = view_of(app)
        view.move_to(said.start + 3)
        await press(pilot, "a", "at")
        view.move_to(pronoun["start"])
        await press(pilot, "at")
        await speaker_named(pilot)
        assert isinstance(app.screen, Confirm), "a pronoun is linked only once confirmed"
        await press(pilot, "y")
        linked = saved_docs(app, db)[0]["attrs"]["speaker"]
    assert linked == pronoun, (linked, pronoun)


async def test_at_on_an_ordinary_word_asks_first_and_esc_links_nothing(
    make_app, wait_for_entities, tmp_path: Path
) -> None:
    quote = TEXT.index("For ten years people")
    word = TEXT.index("reporters outside")
    db = tmp_path / "annotations.json"
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        await annotations_loaded(pilot)
        messages = record_notifications(app)
        view = view_of(app)
        view.move_to(quote + 4)
        await press(pilot, "q", "at")
        suggested = saved_docs(app, db)[0]["attrs"].get("speaker")  # the quotation is a suggested quote
        view.move_to(word + 3)
        await press(pilot, "at")
        await speaker_named(pilot)
        assert isinstance(app.screen, Confirm), "an ordinary word is not linked without asking"
        question = app.screen.question
        await press(pilot, "escape")
        assert isinstance(app.screen, ReaderScreen)
        kept = saved_docs(app, db)[0]["attrs"].get("speaker")
        view.move_to(quote + 4)
        await press(pilot, "at")
        view.move_to(word + 3)
        await press(pilot, "at")
        await speaker_named(pilot)
        await press(pilot, "y")
        linked = saved_docs(app, db)[0]["attrs"]["speaker"]
    assert "“reporters”" in question and "not a name" in question, question
    assert kept == suggested and "no speaker linked" in messages
    assert linked == {"text": "reporters", "start": word, "end": word + len("reporters")}


async def test_at_on_another_kind_of_entity_asks_and_a_second_at_links_it(
    make_app, wait_for_entities, nlp, tmp_path: Path
) -> None:
    from annotations.nlp import parse

    quote = TEXT.index("For ten years people")
    place = next(e for e in parse(nlp, TEXT).ents if e.text == "Marlowe Street")
    assert place.label_ not in ("PERSON", "ORG")
    db = tmp_path / "annotations.json"
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(quote + 4)
        await press(pilot, "q", "at")
        view.move_to(place.start_char + len("Marlowe S"))
        await press(pilot, "at")
        await speaker_named(pilot)
        assert isinstance(app.screen, Confirm)
        question = app.screen.question
        await press(pilot, "at")
        assert isinstance(app.screen, ReaderScreen)
        linked = saved_docs(app, db)[0]["attrs"]["speaker"]
    assert "“Marlowe Street”" in question and place.label_ in question, question
    assert linked == {"text": "Marlowe Street", "start": place.start_char, "end": place.end_char}


async def test_at_before_entities_are_known_links_the_whole_capitalised_name(
    make_app, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    quote = TEXT.index("For ten years people")
    name = TEXT.index("Eleanor Vasquez-Hale")
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(quote + 4)
        await press(pilot, "q", "at")
        view.move_to(TEXT.index("Hale", name))
        await press(pilot, "at")
        await speaker_named(pilot)
        assert isinstance(app.screen, ReaderScreen), "a capitalised name needs no confirmation"
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert docs[0]["attrs"]["speaker"] == {"text": "Eleanor Vasquez-Hale", "start": name, "end": name + 20}


# ---- undo covers reject and accept-all; no duplicate tags (issue 8) ----------------------------------


async def test_u_after_x_brings_the_suggestion_back_and_redo_rejects_it_again(
    make_app, wait_for_entities, suggestions, tmp_path: Path
) -> None:
    db = tmp_path / "annotations.json"
    s = next(s for s in suggestions if confident(s) and s.label == "CLAIM" and s.start > TEXT.index("Opponents"))
    tagged = TEXT.index("Opponents dispute those figures.")
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        messages = record_notifications(app)
        view = view_of(app)
        view.move_to(tagged)
        await press(pilot, "c")  # an older change that u must leave alone
        view.move_to(s.start)
        await press(pilot, "x")
        rejected = saved(app, db)
        assert key(s) not in offered(app)
        assert status_of(app).under_cursor.startswith("rejected (u undoes)")
        await press(pilot, "u")
        after_undo = saved(app, db)
        assert key(s) in offered(app), "undo brings the rejected suggestion back"
        assert "rejected" not in status_of(app).under_cursor, "the status bar no longer says it is rejected"
        assert reader(app).suggestion_at(view.cursor) is not None
        await press(pilot, "ctrl+r")
        after_redo = saved(app, db)
        assert key(s) not in offered(app)
        await press(pilot, "ctrl+q")
    assert rejections(rejected) == [key(s)]
    assert rejections(after_undo) == [], "the rejection leaves the file"
    assert [d["start"] for d in annotation_docs(after_undo)] == [tagged], "u undid the reject, not the claim"
    assert rejections(after_redo) == [key(s)]
    assert any(m.startswith("undo reject of suggested CLAIM") for m in messages), messages

    again = make_app([BRIDGE], annotator="alice")
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        assert key(s) not in offered(again), "the redone rejection holds after a restart"


async def test_accept_all_is_one_undo_step(make_app, wait_for_entities, suggestions, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    expected = {key(s) for s in suggestions if confident(s)}
    tagged = TEXT.index("Opponents dispute those figures.")
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        messages = record_notifications(app)
        view_of(app).move_to(tagged)
        await press(pilot, "c", "exclamation_mark", "exclamation_mark")
        accepted = annotation_docs(saved(app, db))
        await press(pilot, "u")
        undone = annotation_docs(saved(app, db))
        shown_after_undo = set(offered(app))
        await press(pilot, "ctrl+r")
        redone = annotation_docs(saved(app, db))
    assert len(accepted) == len(expected) + 1
    assert [(d["label"], d["start"]) for d in undone] == [("CLAIM", tagged)], "one u takes back every accepted one"
    assert shown_after_undo == expected
    assert sorted(d["id"] for d in redone) == sorted(d["id"] for d in accepted)
    assert f"undo accept of {len(expected)} suggestions" in messages, messages


async def test_q_twice_on_one_quotation_stores_one_annotation(make_app, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        messages = record_notifications(app)
        view_of(app).move_to(TEXT.index("walk across"))
        await press(pilot, "q", "q")
        docs = saved_docs(app, tmp_path / "annotations.json")
        await press(pilot, "u")
        after_undo = saved_docs(app, tmp_path / "annotations.json")
    assert len(docs) == 1 and docs[0]["label"] == QUOTE
    assert "already tagged as QUOTE" in messages
    assert after_undo == [], "the second q made no undo step"


async def test_q_on_a_quotation_a_colleague_tagged_stores_my_own(make_app, monkeypatch, tmp_path: Path) -> None:
    from annotations.article import load
    from annotations.model import Annotation
    from annotations.store import open_db

    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    article = load(BRIDGE)
    start = TEXT.index("I will believe it")
    end = start + len("I will believe it when I can walk across it,")
    with open_db(tmp_path / "annotations.json") as store:
        store.add(Annotation.create(article_id=article.id, source=article.source, article_text=article.text,
                                    label=QUOTE, start=start, end=end, annotator="bob"))
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(app).move_to(TEXT.index("walk across"))
        await press(pilot, "q")
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert sorted((d["annotator"], d["start"], d["end"]) for d in docs) == [("alice", start, end), ("bob", start, end)]


async def test_asterisk_shows_a_rejected_suggestion_dimmed_and_x_takes_the_rejection_back(
    make_app, wait_for_entities, suggestions, tmp_path: Path
) -> None:
    db = tmp_path / "annotations.json"
    s = next(s for s in suggestions if confident(s) and s.label == "CLAIM" and s.start > TEXT.index("Opponents"))
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        view = view_of(app)
        view.move_to(s.start)
        await press(pilot, "x")
        assert key(s) not in offered(app)
        await press(pilot, "asterisk")
        assert key(s) in offered(app), "* shows the rejected suggestion too"
        marks = [m for m in view._marks if (m.label, m.start, m.end) == key(s)]
        assert [m.dim for m in marks] == [True], "drawn dimmed"
        assert "rejected CLAIM" in status_of(app).under_cursor and "(x un-rejects)" in status_of(app).under_cursor
        await press(pilot, "x")
        un_rejected = saved(app, db)
        assert [m.dim for m in view._marks if (m.label, m.start, m.end) == key(s)] == [False]
        assert "rejection taken back" in status_of(app).under_cursor
        await press(pilot, "asterisk")
        assert key(s) in offered(app), "offered again among the confident ones"
        await press(pilot, "u")
        undone = saved(app, db)
        assert key(s) not in offered(app), "u takes the un-reject back: rejected again"
    assert rejections(un_rejected) == []
    assert rejections(undone) == [key(s)]


async def test_tagging_a_span_twice_selects_the_existing_annotation_and_the_status_bar_says_so(
    make_app, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(TEXT.index("walk across"))
        await press(pilot, "q")
        (ann,) = reader(app).annotations
        assert view.selection is None
        view.move_to(TEXT.index("believe it"))
        await press(pilot, "q")
        assert view.selection == (ann.start, ann.end), "the existing quote is selected"
        assert status_of(app).under_cursor.startswith("already tagged as QUOTE: selected")
        assert len(reader(app).annotations) == 1
        await press(pilot, "l")
        assert "already tagged" not in status_of(app).under_cursor, "the word goes once the cursor moves"
