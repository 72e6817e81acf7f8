"""The app on a database holding one of every odd document and one good annotation."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press, record_notifications, status_of, view_of

from annotations import jsoncodec
from annotations.article import load
from annotations.model import CLAIM, QUOTE, Annotation

from test_schema import ODD, nested

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
ARTICLE = load(BRIDGE)
SIZE = (110, 32)


pytestmark = pytest.mark.usefixtures("no_analysis")  # the model plays no part here


def for_this_article(doc: dict) -> dict:
    """An odd document of the schema tests, moved onto the app's article (its oddness kept)."""
    doc = copy.deepcopy(doc)
    if "article_id" in doc and isinstance(doc["article_id"], str):
        doc["article_id"] = ARTICLE.id
    if "annotator" in doc and doc["annotator"] == "ines":
        doc["annotator"] = "alice"
    return doc


@pytest.mark.parametrize("write_delay", [0.0, 0.5], ids=["quick disk", "slow disk"])
async def test_the_app_opens_shows_the_good_annotation_and_saves_beside_odd_documents(
        make_app, tmp_path: Path, monkeypatch, write_delay: float) -> None:
    # An annotation ending beyond its article is found only once the article's record (a pending save
    # of the app's) is on disk: on a slow disk the count must still include it.
    if write_delay:
        from annotations.store import Store

        apply = Store.apply

        def slow_apply(self, ops):
            time.sleep(write_delay)
            return apply(self, ops)

        monkeypatch.setattr(Store, "apply", slow_apply)
    db = tmp_path / "annotations.json"
    phrase = "Opponents dispute those figures."
    start = ARTICLE.text.index(phrase)
    good = Annotation.create(article_id=ARTICLE.id, source=ARTICLE.source, article_text=ARTICLE.text,
                             label=CLAIM, start=start, end=start + len(phrase), annotator="alice")
    tables: dict[str, dict[str, dict]] = {"meta": {"1": {"name": "schema_version", "value": 1}},
                                          "annotations": {"1": good.to_doc()}, "cursors": {}, "rejections": {},
                                          "articles": {}}
    odd_docs = [(table, for_this_article(doc)) for name, table, doc, handled in ODD
                if handled == "skipped" and name != "end beyond the article"]  # the app's article is longer: below
    length = len(ARTICLE.text)
    odd_docs.append(("annotations", {**good.to_doc(), "id": "beyond", "start": length - 5, "end": length + 5,
                                     "text": "x" * 10}))
    odd_docs.append(("annotations", {**good.to_doc(), "id": "deep", "attrs": nested(400)}))
    for table, doc in odd_docs:
        tables[table][str(len(tables[table]) + 1)] = doc
    db.write_bytes(jsoncodec.dumps(tables))

    app = make_app([BRIDGE], annotator="alice")
    notes = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        for _ in range(100):  # the count is made off the event loop, after the annotations are shown
            if any("invalid" in n for n in notes):
                break
            await pilot.pause(0.02)
        screen = app.screen
        assert [a.id for a in screen.annotations] == [good.id], "only the good annotation is shown"
        assert [n for n in notes if "invalid" in n] == [
            f"{len(odd_docs)} invalid documents in DB skipped (kept in the file as they are); 'annotty recover' lists them"
        ]
        view_of(app).move_to(start)
        await pilot.pause()
        assert status_of(app).under_cursor.startswith(CLAIM)
        view_of(app).move_to(ARTICLE.text.index("walk across"))
        await press(pilot, "q")
        for _ in range(300):
            if status_of(app).saving == "2 annotations saved":
                break
            await pilot.pause(0.02)
        assert status_of(app).saving == "2 annotations saved", status_of(app).saving
        await press(pilot, "ctrl+q")
    assert app.return_code == 0
    after = jsoncodec.loads(db.read_bytes())
    labels = sorted(d.get("label") for d in after["annotations"].values() if d.get("id") != good.id and d.get("label") in (QUOTE,))
    assert labels == [QUOTE], "the new quote was saved"
    for table, doc in odd_docs:
        if table == "cursors" and doc.get("annotator") == "alice" and isinstance(doc.get("article_id"), str):
            continue  # the app's own cursor document: saving the cursor rewrote it with a good offset
        assert doc in after[table].values(), f"an odd {table} document changed or vanished: {str(doc)[:200]}"
