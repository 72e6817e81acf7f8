"""The annotation editor (enter on an annotation), driven by keys: label, speaker from the entity list
or typed, note, claim status; ctrl+s saves a new revision, esc leaves the database as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from app_helpers import annotations_loaded, press, record_notifications, saved_docs
from textual.widgets import Input, OptionList, Select

from annotations.model import CLAIM, QUOTE
from tui.screens.editor import AnnotationEditor
from tui.screens.reader import ReaderScreen
from tui.widgets.article_view import ArticleView

EXAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"
BRIDGE = EXAMPLES / "harbour-bridge-vote.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
SIZE = (110, 36)
QUOTE_TEXT = "For ten years people in Wester Quay have been told to wait,"


def span_of(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


async def choose(pilot, select_id: str, prompt: str) -> None:
    """With the Select *select_id* focused: open it, move down to *prompt*, press enter."""
    app = pilot.app
    select = app.screen.query_one(f"#{select_id}", Select)
    assert app.focused is select, f"expected #{select_id} to have focus, not {app.focused}"
    await press(pilot, "enter")
    overlay = app.focused
    for _ in range(overlay.option_count):
        if str(overlay.get_option_at_index(overlay.highlighted).prompt) == prompt:
            break
        await press(pilot, "down")
    else:
        raise AssertionError(f"{prompt!r} is not offered by #{select_id}")
    await press(pilot, "enter")
    assert app.focused is select


async def tag_quote_and_open_editor(pilot) -> None:
    view = pilot.app.screen.query_one(ArticleView)
    view.move_to(TEXT.index(QUOTE_TEXT) + 4)
    await press(pilot, "q", "enter")
    assert isinstance(pilot.app.screen, AnnotationEditor), "enter on an annotation opens the editor"


async def test_editor_changes_label_speaker_note_and_status(make_app, wait_for_entities, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    name = span_of("Eleanor Vasquez-Hale")
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        await annotations_loaded(pilot)
        await tag_quote_and_open_editor(pilot)
        created = saved_docs(app, db)[0]
        editor = app.screen
        assert editor.query_one("#status", Select).disabled, "a quote has no claim status"
        await choose(pilot, "label", CLAIM)
        assert not editor.query_one("#status", Select).disabled
        await press(pilot, "tab")
        await choose(pilot, "speaker", "Eleanor Vasquez-Hale (PERSON)")
        await press(pilot, "tab", "tab")
        assert app.focused is editor.query_one("#note", Input)
        await press(pilot, *"check the travel times")
        await press(pilot, "tab")
        await choose(pilot, "status", "misleading")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ReaderScreen)
        shown = app.screen.annotations
        docs = saved_docs(app, db)
    assert len(docs) == 1
    doc = docs[0]
    assert doc["id"] == created["id"] and doc["created"] == created["created"]
    assert (doc["label"], doc["start"], doc["end"]) == (CLAIM, *span_of(QUOTE_TEXT))
    assert doc["text"] == TEXT[doc["start"]:doc["end"]]
    # The quotation is a suggested quote, so q stored what accepting it stores; the editor keeps that.
    kept = {k: v for k, v in created["attrs"].items() if k not in ("speaker", "note", "status")}
    assert kept["confidence"] > 0 and kept["kind"] == "direct"
    assert doc["attrs"] == {
        **kept,
        "speaker": {"text": "Eleanor Vasquez-Hale", "start": name[0], "end": name[1]},
        "note": "check the travel times",
        "status": "misleading",
    }
    assert doc["rev"] == created["rev"] + 1 and doc["modified"] > created["modified"]
    assert [(a.label, a.attrs) for a in shown] == [(CLAIM, doc["attrs"])]


async def test_a_typed_speaker_wins_over_the_list(make_app, wait_for_entities, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        await annotations_loaded(pilot)
        await tag_quote_and_open_editor(pilot)
        created = saved_docs(app, db)[0]
        await press(pilot, "tab")
        await choose(pilot, "speaker", "Daniel Okafor (PERSON)")
        await press(pilot, "tab", *"a harbour pilot", "ctrl+s")
        assert isinstance(app.screen, ReaderScreen)
        assert "QUOTE by a harbour pilot" in app.screen.status.under_cursor
        docs = saved_docs(app, db)
    assert len(docs) == 1
    assert docs[0]["label"] == QUOTE
    kept = {k: v for k, v in created["attrs"].items() if k != "speaker"}
    assert docs[0]["attrs"] == {**kept, "speaker": {"text": "a harbour pilot"}}
    assert docs[0]["rev"] == 2


async def test_esc_closes_the_editor_without_changing_anything(make_app, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    db = tmp_path / "annotations.json"
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        await tag_quote_and_open_editor(pilot)
        before = saved_docs(app, db)
        await choose(pilot, "label", CLAIM)
        await press(pilot, "tab", "tab", "tab", *"not to be kept", "escape")
        assert isinstance(app.screen, ReaderScreen)
        assert [(a.label, a.attrs, a.rev) for a in app.screen.annotations] == [(QUOTE, {}, 1)]
        after = saved_docs(app, db)
    assert after == before
    assert after[0]["rev"] == 1 and after[0]["attrs"] == {}


async def test_enter_away_from_annotations_opens_no_editor(make_app, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        messages = record_notifications(app)
        app.screen.query_one(ArticleView).move_to(TEXT.index("Opponents"))
        await press(pilot, "enter")
        assert isinstance(app.screen, ReaderScreen)
        assert "no annotation under the cursor" in messages
        docs = saved_docs(app, tmp_path / "annotations.json")
    assert docs == []


async def test_speaker_names_from_the_article_are_shown_as_text(make_app) -> None:
    from annotations.model import Annotation, Entity

    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        article = app.screen.article
        ann = Annotation.create(article_id=article.id, source=article.source, article_text=article.text,
                                label=QUOTE, start=0, end=10, annotator="t")
        hostile = Entity(0, 13, "PERSON", "[red]Jane[/] Doe")
        app.push_screen(AnnotationEditor(ann, [QUOTE, CLAIM], [hostile]))
        await pilot.pause()
        speakers = app.screen.query_one("#speaker", Select)
        speakers.focus()
        await pilot.press("enter")  # open the list
        await pilot.pause()
        overlay = speakers.query_one(OptionList)
        shown = "\n".join(overlay.render_line(y).text for y in range(overlay.size.height))
        assert "[red]Jane[/] Doe (PERSON)" in shown, shown


@pytest.mark.usefixtures("no_analysis")
async def test_enter_and_d_on_a_quotes_opening_mark_find_the_quote(make_app, tmp_path: Path) -> None:
    """`}` to a paragraph that opens with a tagged quote lands on its opening mark, which the quote's
    span leaves out: enter and `d` there still act on that quote."""
    db = tmp_path / "annotations.json"
    quote = span_of(QUOTE_TEXT)
    assert TEXT[quote[0] - 1] == "“" and TEXT[quote[0] - 3:quote[0] - 1] == "\n\n", "the paragraph opens with it"
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = pilot.app.screen.query_one(ArticleView)
        view.move_to(quote[0] + 4)
        await press(pilot, "q")
        assert [(d["start"], d["end"]) for d in saved_docs(app, db)] == [quote], "the marks are left out"
        view.move_to(quote[0] - 10)  # in the paragraph before
        await press(pilot, "right_curly_bracket")
        assert view.cursor == quote[0] - 1, "} lands on the opening mark"
        await press(pilot, "enter")
        assert isinstance(app.screen, AnnotationEditor), "enter on the opening mark opens the quote's editor"
        assert app.screen.annotation.start == quote[0]
        await press(pilot, "escape")
        assert isinstance(app.screen, ReaderScreen)
        view.move_to(quote[1])  # on the closing mark
        await press(pilot, "enter")
        assert isinstance(app.screen, AnnotationEditor), "and so does enter on the closing mark"
        await press(pilot, "escape")
        view.move_to(quote[0] - 1)
        await press(pilot, "d")
        assert saved_docs(app, db) == [], "d on the opening mark deletes the quote"
