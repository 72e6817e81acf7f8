"""Tagging keys in a headless app on a real article: selections, quotes, claims, the label picker,
speaker links, deletion, overlaps and the annotations panel; every result checked in the database file."""

from __future__ import annotations

import hashlib
import re
import threading
from datetime import datetime, timedelta
from pathlib import Path

from app_helpers import (annotations_loaded, press, reader, record_notifications, saved_docs, speaker_named, status_of,
                         view_of)
from textual.widgets import OptionList

from annotations.model import CLAIM, NOT_ENTITY, QUOTE
from annotations.nlp import parse
from annotations.store import Store
from tui.keymap import config_path
from tui.screens.label_picker import LabelPicker
from tui.screens.reader import ReaderScreen

EXAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"
BRIDGE = EXAMPLES / "harbour-bridge-vote.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
SIZE = (110, 32)
ANNOTATOR = "alice"
DOC_FIELDS = {
    "id", "article_id", "source", "label", "start", "end", "text", "prefix", "suffix",
    "attrs", "origin", "annotator", "created", "created_by", "modified", "rev",
}
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


# ---- helpers ---------------------------------------------------------------------


def check_doc(doc: dict, *, label: str, start: int, end: int, text: str = TEXT, source: Path = BRIDGE) -> None:
    """A stored annotation has every field the README's database section promises, consistent with the text."""
    assert set(doc) == DOC_FIELDS, f"fields differ: {sorted(set(doc) ^ DOC_FIELDS)}"
    assert UUID4.match(doc["id"]), doc["id"]
    assert doc["article_id"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert doc["source"] == str(source)
    assert (doc["label"], doc["start"], doc["end"]) == (label, start, end), (doc["label"], doc["start"], doc["end"], doc["text"])
    assert doc["text"] == text[start:end]
    assert doc["prefix"] == text[max(0, start - 32):start]
    assert doc["suffix"] == text[end:end + 32]
    assert doc["annotator"] == doc["created_by"] == ANNOTATOR
    created, modified = datetime.fromisoformat(doc["created"]), datetime.fromisoformat(doc["modified"])
    assert created.utcoffset() == timedelta(0) and modified >= created
    assert isinstance(doc["attrs"], dict) and isinstance(doc["rev"], int) and doc["rev"] >= 1


def span_of(phrase: str, after: int = 0) -> tuple[int, int]:
    start = TEXT.index(phrase, after)
    return start, start + len(phrase)


def analysis_held_back(monkeypatch) -> None:
    """No entity recognition: the article shows with punctuation sentences only."""
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)


# ---- selections -------------------------------------------------------------------


async def test_v_and_motions_select_and_q_tags_the_selection(make_app, tmp_path: Path) -> None:
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        start = TEXT.index("councillors voted")
        view.move_to(start)
        # While selecting, w w stops on the space before "23" (not on its "2"); the tag trims the space away.
        await press(pilot, "v", "w", "w")
        assert view.selection == (start, TEXT.index(" 23") + 1)
        await press(pilot, "q")
        assert view.selection is None, "tagging clears the selection"
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert len(docs) == 1
    check_doc(docs[0], label=QUOTE, start=start, end=TEXT.index(" 23"))
    assert docs[0]["text"] == "councillors voted"
    assert docs[0]["origin"] == "manual" and docs[0]["attrs"] == {} and docs[0]["rev"] == 1


async def test_escape_clears_the_selection_so_q_has_nothing_to_tag(make_app, tmp_path: Path) -> None:
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        messages = record_notifications(app)
        view = view_of(app)
        view.move_to(TEXT.index("councillors"))
        await press(pilot, "v", "l", "l")
        assert view.selection is not None
        await press(pilot, "escape")
        assert view.selection is None
        await press(pilot, "q")
        assert any("select text first" in m for m in messages), messages
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert docs == [], "outside a quotation and with no selection, q stores nothing"


async def test_shift_arrows_extend_a_selection_and_c_tags_it(make_app, tmp_path: Path) -> None:
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        start = TEXT.index("The mayor, Eleanor")
        view.move_to(start)
        await press(pilot, *["shift+right"] * 8)
        assert view.selection == span_of("The mayor")
        await press(pilot, "shift+down")
        line_below = view.cursor
        assert line_below > start + 8 and view.line_of(line_below) == view.line_of(start) + 1
        assert view.selection == (start, line_below + 1)
        await press(pilot, "c")
        docs = saved_docs(app, tmp_path / "annotations.json")
    end = line_below + 1
    while TEXT[end - 1].isspace():
        end -= 1
    assert len(docs) == 1
    check_doc(docs[0], label=CLAIM, start=start, end=end)


async def test_s_selects_the_model_sentence_under_the_cursor(make_app, wait_for_entities, nlp, tmp_path: Path) -> None:
    cursor = TEXT.index("population has grown")
    sentence = next(s for s in parse(nlp, TEXT).sents if s.start_char <= cursor < s.end_char)
    expected = (sentence.start_char, sentence.start_char + len(sentence.text.rstrip()))
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(cursor)
        await press(pilot, "s")
        assert view.selection == expected
        assert TEXT[slice(*expected)].startswith("The study also found")
        await press(pilot, "c")
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert len(docs) == 1
    check_doc(docs[0], label=CLAIM, start=expected[0], end=expected[1])


async def test_quotation_mark_selects_curly_straight_and_two_paragraph_quotes(make_app, tmp_path: Path) -> None:
    curly = span_of("For ten years people in Wester Quay have been told to wait,")
    straight = span_of("Businesses on both sides of the water have been cut off from each other for six years,")
    # Mr Okafor's quote is left open at the end of a paragraph and goes on in the next, which
    # opens with the same mark: one quotation from "The council's" to "why.".
    running = (TEXT.index("The council's reserves"), TEXT.index("explaining why.") + len("explaining why."))
    assert "\n\n“And when" in TEXT[slice(*running)]
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        for span, inside in ((curly, "people in Wester"), (straight, "both sides"), (running, "bins are collected")):
            view.move_to(TEXT.index(inside))
            await press(pilot, "quotation_mark")
            assert view.selection == span, f"around {inside!r}"
            await press(pilot, "escape")
        # On the opening mark itself counts as inside.
        view.move_to(curly[0] - 1)
        await press(pilot, "quotation_mark", "q")
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert len(docs) == 1
    check_doc(docs[0], label=QUOTE, start=curly[0], end=curly[1])


async def test_q_without_a_selection_tags_the_quotation_around_the_cursor(make_app, tmp_path: Path) -> None:
    straight = span_of("I will believe it when I can walk across it,")
    running = (TEXT.index("The council's reserves"), TEXT.index("explaining why.") + len("explaining why."))
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(TEXT.index("walk across"))
        await press(pilot, "q")
        view.move_to(TEXT.index("libraries close"))
        await press(pilot, "q")
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert len(docs) == 2
    check_doc(docs[0], label=QUOTE, start=running[0], end=running[1])
    check_doc(docs[1], label=QUOTE, start=straight[0], end=straight[1])


async def test_q_on_a_quotations_opening_mark_leaves_the_cursor_on_the_new_quote(make_app, tmp_path: Path) -> None:
    # } lands on a paragraph's first character, often a quotation's opening mark: q there tags the words
    # inside the marks, and enter, @ and d right after it must act on that quote.
    quote = span_of("I will believe it when I can walk across it,")
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(quote[0] - 1)
        assert TEXT[view.cursor] == '"'
        await press(pilot, "q")
        assert quote[0] <= view.cursor < quote[1]
        assert status_of(app).under_cursor.startswith("QUOTE")
        await press(pilot, "at")
        assert "linking speaker" in status_of(app).under_cursor
        await press(pilot, "escape")
        await press(pilot, "d")
        assert reader(app).annotations == []


async def test_a_tag_that_drops_the_space_a_selection_ended_on_keeps_the_cursor_in_it(make_app, tmp_path: Path) -> None:
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        start = TEXT.index("councillors voted")
        view.move_to(start)
        await press(pilot, "v", "w", "w", "c")
        [claim] = reader(app).annotations
        assert TEXT[claim.start:claim.end] == "councillors voted"
        assert claim.start <= view.cursor < claim.end
        assert status_of(app).under_cursor.startswith("CLAIM")


async def test_c_works_as_soon_as_the_article_shows_with_punctuation_sentences(make_app, monkeypatch, tmp_path: Path) -> None:
    analysis_held_back(monkeypatch)
    sentence = span_of(
        "The decision came shortly before midnight, after a six-hour meeting at the Assembly Rooms "
        "on Marlowe Street that was twice interrupted by protesters in the public gallery."
    )
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        assert status_of(app).analysis == "entities: loading"
        view_of(app).move_to(TEXT.index("six-hour meeting"))
        await press(pilot, "c")
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert len(docs) == 1
    check_doc(docs[0], label=CLAIM, start=sentence[0], end=sentence[1])


async def test_a_tag_made_while_stored_annotations_are_read_is_kept(make_app, monkeypatch, tmp_path: Path) -> None:
    analysis_held_back(monkeypatch)
    reading = threading.Event()
    release = threading.Event()
    original = Store.annotations

    def slow_annotations(self, article_id=None, **options):
        found = original(self, article_id, **options)
        reading.set()
        release.wait(10)
        return found

    monkeypatch.setattr(Store, "annotations", slow_annotations)
    sentence = span_of("Opponents dispute those figures.")
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(500):  # waited for on the event loop, not by blocking it: the database is read after the first paint
            if reading.is_set():
                break
            await pilot.pause(0.02)
        assert reading.is_set()
        view_of(app).move_to(sentence[0] + 3)
        await press(pilot, "c")
        release.set()
        await annotations_loaded(pilot)
        shown = [(a.label, a.start, a.end) for a in reader(app).annotations]
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert len(docs) == 1
    check_doc(docs[0], label=CLAIM, start=sentence[0], end=sentence[1])
    assert shown == [(CLAIM, *sentence)], (
        "a claim tagged while the stored annotations were still being read vanished from the screen "
        "(it is on disk): on an article's first read, tui/screens/reader.py _annotations_loaded() calls "
        "history.annotations.load(), which replaces the in-memory annotations with what the store held before the tag"
    )


# ---- the label picker -------------------------------------------------------------


def write_labels(text: str) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


async def test_t_picks_a_label_by_key_by_enter_and_esc_cancels(make_app, tmp_path: Path) -> None:
    write_labels('[labels]\nEVIDENCE = "e"\n')
    figure = span_of("£48 million road and foot bridge")
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        view.select(*figure)
        await press(pilot, "t")
        assert isinstance(app.screen, LabelPicker)
        options = app.screen.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids[:3] == [QUOTE, CLAIM, "EVIDENCE"] and "PERSON" in ids
        await press(pilot, "escape")
        assert isinstance(app.screen, ReaderScreen)
        assert reader(app).annotations == [], "esc picks nothing"
        await press(pilot, "t", "e")
        assert isinstance(app.screen, ReaderScreen)
        # Enter picks the highlighted entry.
        view.select(*span_of("Opponents dispute those figures."))
        await press(pilot, "t", "down", "down")
        options = app.screen.query_one(OptionList)
        highlighted = options.get_option_at_index(options.highlighted).id
        await press(pilot, "enter")
        assert isinstance(app.screen, ReaderScreen)
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert len(docs) == 2
    check_doc(docs[0], label="EVIDENCE", start=figure[0], end=figure[1])
    check_doc(docs[1], label=highlighted, start=TEXT.index("Opponents"), end=span_of("Opponents dispute those figures.")[1])


async def test_t_with_an_entity_label_corrects_the_entity(make_app, wait_for_entities, nlp, tmp_path: Path) -> None:
    offset = TEXT.index("Marlowe Street")
    entity = next(e for e in parse(nlp, TEXT).ents if e.start_char <= offset < e.end_char)
    assert entity.label_ != "PERSON", "the test relabels a non-person as PERSON"
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(offset)
        await press(pilot, "t")
        options = app.screen.query_one(OptionList)
        for _ in range(options.option_count):
            await press(pilot, "down")
            if options.get_option_at_index(options.highlighted).id == "PERSON":
                break
        await press(pilot, "enter")
        shown = [(e.start, e.end, e.label) for e in view.entities_at(offset)]
        await press(pilot, "A")  # panels are filled when shown
        panel_rows = reader(app).query_one("#annotations", OptionList).option_count
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert shown == [(entity.start_char, entity.end_char, "PERSON")]
    assert len(docs) == 1
    check_doc(docs[0], label="PERSON", start=entity.start_char, end=entity.end_char)
    assert panel_rows == 1, "an entity correction is not listed among the annotations (only the empty-list hint)"


# ---- speaker links, deletion ----------------------------------------------------------


async def test_at_on_a_quote_then_at_on_a_name_links_the_speaker(make_app, wait_for_entities, tmp_path: Path) -> None:
    quote = span_of("For ten years people in Wester Quay have been told to wait,")
    name = span_of("Eleanor Vasquez-Hale")
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(quote[0] + 4)
        await press(pilot, "q", "at")
        assert "linking speaker" in status_of(app).under_cursor
        view.move_to(name[0] + 3)
        await press(pilot, "at")
        await speaker_named(pilot)
        assert "QUOTE by Eleanor Vasquez-Hale" not in status_of(app).under_cursor  # the cursor is on the name
        view.move_to(quote[0] + 4)
        await pilot.pause()
        assert "QUOTE by Eleanor Vasquez-Hale" in status_of(app).under_cursor
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert len(docs) == 1
    check_doc(docs[0], label=QUOTE, start=quote[0], end=quote[1])
    assert docs[0]["attrs"]["speaker"] == {"text": "Eleanor Vasquez-Hale", "start": name[0], "end": name[1]}
    assert docs[0]["rev"] == 2, "linking a speaker is an edit"


async def test_d_deletes_the_annotation_under_the_cursor(make_app, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(TEXT.index("Opponents dispute"))
        await press(pilot, "c")
        view.move_to(TEXT.index("walk across"))
        await press(pilot, "q")
        assert len(saved_docs(app, db)) == 2
        view.move_to(TEXT.index("dispute those"))
        await press(pilot, "d")
        assert [a.label for a in reader(app).annotations] == [QUOTE]
        docs = saved_docs(app, db)
    assert len(docs) == 1
    quote = span_of("I will believe it when I can walk across it,")
    check_doc(docs[0], label=QUOTE, start=quote[0], end=quote[1])


async def test_d_on_a_model_entity_stores_a_not_entity_correction_that_hides_it(
    make_app, wait_for_entities, nlp, tmp_path: Path
) -> None:
    offset = TEXT.index("Saltmarsh Leisure Centre")
    entity = next(e for e in parse(nlp, TEXT).ents if e.start_char <= offset < e.end_char)
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        before = await wait_for_entities(pilot)
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(offset)
        assert view.entities_at(offset), "the model found an entity here"
        await press(pilot, "d")
        assert view.entities_at(offset) == []
        assert len(reader(app).entities) == before - 1
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert len(docs) == 1
    check_doc(docs[0], label=NOT_ENTITY, start=entity.start_char, end=entity.end_char)


# ---- overlaps and the annotations panel ------------------------------------------------


async def test_a_claim_inside_a_quote_shows_both(make_app, monkeypatch, tmp_path: Path) -> None:
    analysis_held_back(monkeypatch)  # no suggestions, so every mark on screen is an annotation
    quote = span_of("For ten years people in Wester Quay have been told to wait,")
    claim = span_of("people in Wester Quay have been told to wait")
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(quote[0])
        await press(pilot, "q")
        view.move_to(claim[0])
        await press(pilot, "v")
        view.move_to(claim[1] - 1)
        await press(pilot, "c")
        view.move_to(TEXT.index("Wester Quay have"))
        await pilot.pause()
        under = status_of(app).under_cursor
        marks = sorted((m.start, m.end, m.label) for m in view._marks)
        line = view.line_of(view.cursor) - int(view.scroll_offset.y)
        gutter = view.render_line(line).text[:2]
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert marks == [(quote[0], quote[1], QUOTE), (claim[0], claim[1], CLAIM)]
    assert under.split(" | ")[:2] == [CLAIM, QUOTE], under
    assert gutter.strip() == "*", f"the margin marks a line with two annotations with *: {gutter!r}"
    assert len(docs) == 2
    check_doc(docs[0], label=QUOTE, start=quote[0], end=quote[1])
    check_doc(docs[1], label=CLAIM, start=claim[0], end=claim[1])


async def test_A_lists_annotations_and_enter_jumps_to_one(make_app, monkeypatch, tmp_path: Path) -> None:
    analysis_held_back(monkeypatch)
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(TEXT.index("walk across"))
        await press(pilot, "q")
        view.move_to(TEXT.index("Opponents dispute"))
        await press(pilot, "c", "G", "A")
        panel = reader(app).query_one("#annotations", OptionList)
        assert panel.display and app.focused is panel
        assert panel.option_count == 2
        await press(pilot, "down", "enter")
        assert view.cursor == TEXT.index("I will believe"), "the second entry, in text order, is the quote"
        assert app.focused is view
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert [d["label"] for d in docs] == [CLAIM, QUOTE]


async def test_a_new_claim_is_unchecked_and_exports_say_so_for_one_stored_without_a_status(
        make_app, monkeypatch, tmp_path: Path) -> None:
    import csv
    import json

    from annotations.formats import ExportContext, export
    from annotations.store import open_db

    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    db = tmp_path / "annotations.json"
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(app).move_to(TEXT.index("Opponents dispute"))
        await press(pilot, "c")
        (doc,) = saved_docs(app, db)
        await press(pilot, "A")
        listed = str(reader(app).query_one("#annotations", OptionList).get_option_at_index(0).prompt)
    assert (doc["label"], doc["attrs"], doc["origin"]) == (CLAIM, {"status": "unchecked"}, "manual")
    assert "CLAIM  unchecked" in listed

    # A claim of an older file, stored with no status at all, reads as unchecked in every export.
    data = json.loads(db.read_text(encoding="utf-8"))
    (stored,) = [d for d in data["annotations"].values() if d["label"] == CLAIM]
    stored["attrs"] = {}
    db.write_text(json.dumps(data), encoding="utf-8")
    context = ExportContext()
    with open_db(db) as store:
        export(store, "csv", tmp_path / "out.csv", context=context)
        export(store, "brat", tmp_path / "brat", context=context)
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert (row["label"], row["status"]) == (CLAIM, "unchecked")
    (ann_file,) = (tmp_path / "brat").glob("*.ann")
    assert re.search(r"^A\d+\tStatus T1 unchecked$", ann_file.read_text(encoding="utf-8"), re.M)


async def test_at_the_end_of_the_article_s_and_c_take_the_last_sentence(make_app, wait_for_entities, tmp_path: Path) -> None:
    """`G` puts the cursor past the last character (after the closing mark and the final newline); the
    last sentence is still the one `s` selects and `c` tags there, as a reader who has just finished
    the article expects, rather than "put the cursor on a sentence"."""
    app = make_app([BRIDGE], annotator=ANNOTATOR)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        await annotations_loaded(pilot)
        view = view_of(app)
        last = reader(app).segments.sentence_at(len(TEXT.rstrip()) - 1)
        assert last is not None and TEXT[last[1] - 1] in ".”\""
        await press(pilot, "G", "s")
        assert view.selection == last
        await press(pilot, "escape", "G", "c")
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert len(docs) == 1
    check_doc(docs[0], label=CLAIM, start=last[0], end=last[1])
