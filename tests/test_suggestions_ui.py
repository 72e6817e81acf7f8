"""Suggested quotes and claims in the app: accept (a), reject (x, remembered per annotator), accept all (! twice),
show all (*), jumping (] [), the panel (S), and `annotty suggest --json`. Expected suggestions come from running
the suggesters on the real model's parse of the article, outside the app."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from app_helpers import press, reader, record_notifications, view_of
from textual.widgets import OptionList

from annotations.nlp import parse
from annotations.suggest import DEFAULT_THRESHOLD, Suggestion, suggest
from tui.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"
BRIDGE = EXAMPLES / "harbour-bridge-vote.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
SIZE = (110, 32)
ARTICLE_ID = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
JSON_FIELDS = {"source", "label", "start", "end", "text", "speaker", "cue", "kind", "confidence", "reasons"}


@pytest.fixture(scope="module")
def suggestions(nlp) -> list[Suggestion]:
    found = suggest(parse(nlp, TEXT))
    assert any(s.confidence >= DEFAULT_THRESHOLD for s in found) and any(s.confidence < DEFAULT_THRESHOLD for s in found)
    return found


def alone(suggestions: list[Suggestion], wanted, among) -> tuple[Suggestion, int]:
    """The first suggestion matching *wanted*, with an offset inside it that no other of *among* covers."""
    for s in suggestions:
        if not wanted(s):
            continue
        others = [o for o in suggestions if o is not s and among(o)]
        for offset in range(s.start, s.end):
            if not any(o.start <= offset < o.end for o in others):
                return s, offset
    raise AssertionError("the article has no such suggestion on its own")


def confident(s: Suggestion) -> bool:
    return s.confidence >= DEFAULT_THRESHOLD


async def ready(pilot, wait_for_entities) -> None:
    """Entities and suggestions shown, stored annotations and rejections read."""
    await wait_for_entities(pilot)
    for _ in range(200):
        if not [w for w in pilot.app.workers if w.group == "annotations" and not w.is_finished]:
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("the stored annotations were never loaded")


def saved(app, db: Path) -> dict:
    assert app.saves.flush(5), f"the save queue did not flush ({app.saves.pending} pending)"
    return json.loads(db.read_text(encoding="utf-8"))


def annotation_docs(data: dict) -> list[dict]:
    """The live annotation documents (tombstones of deleted ones left out)."""
    live = [d for d in data.get("annotations", {}).values() if not d.get("deleted")]
    return sorted(live, key=lambda d: (d["start"], d["end"], d["label"]))


def check_accepted(doc: dict, s: Suggestion, annotator: str) -> None:
    assert (doc["label"], doc["start"], doc["end"]) == (s.label, s.start, s.end)
    assert doc["text"] == TEXT[s.start:s.end] == s.text
    assert doc["prefix"] == TEXT[max(0, s.start - 32):s.start] and doc["suffix"] == TEXT[s.end:s.end + 32]
    assert s.rule.startswith("suggest:")
    assert doc["origin"] == f"{s.rule}@{s.confidence:.2f}", "the origin names the rule and its confidence"
    assert doc["attrs"]["confidence"] == s.confidence
    assert doc["attrs"]["reasons"] == list(s.reasons)
    assert doc["attrs"].get("speaker") == s.speaker
    assert doc["attrs"].get("kind") == s.kind
    assert doc["annotator"] == annotator and doc["rev"] == 1 and doc["source"] == str(BRIDGE)


async def test_a_accepts_the_suggestion_under_the_cursor(make_app, wait_for_entities, suggestions, tmp_path: Path) -> None:
    s, offset = alone(suggestions, lambda s: confident(s) and s.label == "QUOTE" and s.speaker, confident)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        view_of(app).move_to(offset)
        await pilot.pause()
        assert f"suggested {s.label}" in reader(app).status.under_cursor
        await press(pilot, "a")
        under = reader(app).status.under_cursor
        still_suggested = [(x.label, x.start, x.end) for x in reader(app).suggestions]
        docs = annotation_docs(saved(app, tmp_path / "annotations.json"))
    assert len(docs) == 1
    check_accepted(docs[0], s, "alice")
    assert (s.label, s.start, s.end) not in still_suggested, "an accepted suggestion is no longer offered"
    assert under.startswith(s.label) and "suggested" not in under.split(" | ")[0]


async def test_x_rejects_for_this_annotator_only_and_survives_a_restart(
    make_app, wait_for_entities, suggestions, tmp_path: Path
) -> None:
    db = tmp_path / "annotations.json"
    s, offset = alone(suggestions, lambda s: confident(s) and s.label == "CLAIM", confident)
    key = (s.label, s.start, s.end)

    def offered(app) -> list[tuple]:
        return [(x.label, x.start, x.end) for x in reader(app).suggestions]

    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        assert key in offered(app)
        view_of(app).move_to(offset)
        await press(pilot, "x")
        assert key not in offered(app)
        assert reader(app).suggestion_at(offset) is None
        data = saved(app, db)
        await press(pilot, "ctrl+q")
    assert annotation_docs(data) == [], "rejecting stores no annotation"
    assert [
        {k: d[k] for k in ("article_id", "annotator", "label", "start", "end")} for d in data["rejections"].values()
    ] == [{"article_id": ARTICLE_ID, "annotator": "alice", "label": s.label, "start": s.start, "end": s.end}]
    confident_count = sum(confident(x) for x in suggestions)

    again = make_app([BRIDGE], annotator="alice")
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        assert key not in offered(again), "a rejected suggestion does not come back for the same annotator"
        assert len(offered(again)) == confident_count - 1
        saved(again, db)
    other = make_app([BRIDGE], annotator="bob")
    async with other.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        assert key in offered(other), "another annotator still sees it"
        assert len(offered(other)) == confident_count
        data = saved(other, db)
    assert len(data["rejections"]) == 1


async def test_exclamation_mark_twice_accepts_every_suggestion_above_the_threshold(
    make_app, wait_for_entities, suggestions, tmp_path: Path
) -> None:
    db = tmp_path / "annotations.json"
    expected = [s for s in suggestions if confident(s)]
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        messages = record_notifications(app)
        await press(pilot, "exclamation_mark")
        assert any("press ! again" in m for m in messages), messages
        assert annotation_docs(saved(app, db)) == [], "the first ! only asks"
        await press(pilot, "exclamation_mark")
        assert reader(app).suggestions == []
        docs = annotation_docs(saved(app, db))
    by_key = {(s.label, s.start, s.end): s for s in expected}
    assert sorted((d["label"], d["start"], d["end"]) for d in docs) == sorted(by_key)
    for doc in docs:
        check_accepted(doc, by_key[(doc["label"], doc["start"], doc["end"])], "alice")


async def test_asterisk_shows_suggestions_below_the_threshold(make_app, wait_for_entities, suggestions, tmp_path: Path) -> None:
    s, offset = alone(suggestions, lambda s: not confident(s), lambda o: True)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        messages = record_notifications(app)
        view_of(app).move_to(offset)
        await press(pilot, "a")
        assert any("no suggestion under the cursor" in m for m in messages), "hidden below the threshold"
        await press(pilot, "asterisk")
        shown = {(x.label, x.start, x.end) for x in reader(app).suggestions}
        assert shown == {(x.label, x.start, x.end) for x in suggestions}, "* shows every suggestion"
        await press(pilot, "a")
        docs = annotation_docs(saved(app, tmp_path / "annotations.json"))
    assert len(docs) == 1
    check_accepted(docs[0], s, "alice")


async def test_brackets_jump_between_annotations_and_suggestions(make_app, wait_for_entities, suggestions, tmp_path: Path) -> None:
    tagged = TEXT.index("Opponents dispute those figures.")
    assert not any(s.start == tagged and confident(s) for s in suggestions)
    # One stop per mark: a suggested quote and a suggested claim over one span are two stops at one place.
    expected = sorted([s.start for s in suggestions if confident(s)] + [tagged])
    assert len(set(expected)) < len(expected), "the article has two suggestions at one place"
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        view = view_of(app)
        view.move_to(tagged)
        await press(pilot, "v", "right_parenthesis", "left", "c", "g")
        seen = []
        for _ in expected:
            await pilot.press("right_square_bracket")
            seen.append(view.cursor)
        await pilot.pause()
        back = []
        for _ in expected[:-1]:
            await pilot.press("left_square_bracket")
            back.append(view.cursor)
        await pilot.pause()
        docs = annotation_docs(saved(app, tmp_path / "annotations.json"))
    assert seen == expected
    assert back == expected[-2::-1]
    assert [(d["label"], d["start"], d["text"]) for d in docs] == [("CLAIM", tagged, "Opponents dispute those figures.")]


async def test_S_lists_the_suggestions_and_enter_jumps(make_app, wait_for_entities, suggestions, tmp_path: Path) -> None:
    shown = sorted((s.start, s.end, s.label) for s in suggestions if confident(s))
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, wait_for_entities)
        await press(pilot, "S")
        panel = reader(app).query_one("#suggestions", OptionList)
        assert panel.display and app.focused is panel
        listed = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
        assert listed == [f"{start}:{end}:{label}" for start, end, label in shown]
        await press(pilot, "down", "down", "enter")
        cursor = view_of(app).cursor
        assert app.focused is view_of(app)
        data = saved(app, tmp_path / "annotations.json")
    assert cursor == shown[2][0]
    assert annotation_docs(data) == [] and len(data["articles"]) == 1


def test_suggest_json_prints_one_object_per_suggestion(nlp, monkeypatch, capsys, tmp_path: Path) -> None:
    from annotations.suggest import command

    monkeypatch.setattr(command, "load_pipeline", lambda name: nlp)
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    assert main(["suggest", "examples/", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    rows = [json.loads(line) for line in out.splitlines()]
    by_source: dict[str, list[dict]] = {}
    for row in rows:
        assert set(row) == JSON_FIELDS, sorted(set(row) ^ JSON_FIELDS)
        by_source.setdefault(row["source"], []).append(row)
    examples = sorted(EXAMPLES.glob("*.txt"))
    assert sorted(by_source) == sorted(f"examples/{p.name}" for p in examples)
    for path in examples:
        text = path.read_text(encoding="utf-8")
        found = by_source[f"examples/{path.name}"]
        for row in found:
            assert row["text"] == text[row["start"]:row["end"]]
            assert row["confidence"] >= DEFAULT_THRESHOLD
            assert isinstance(row["reasons"], list) and row["reasons"]
        expected = {(s.label, s.start, s.end) for s in suggest(parse(nlp, text)) if confident(s)}
        assert {(r["label"], r["start"], r["end"]) for r in found} == expected
    assert [p.name for p in tmp_path.iterdir()] == ["examples"], "suggest writes no database"
