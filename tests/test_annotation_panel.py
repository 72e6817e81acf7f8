"""The annotations panel (A): each entry shows the label, the claim status, the speaker's name, the
annotated text and the note, each cut at a whole word with an ellipsis to the panel's width."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press
from textual.geometry import Region

from annotations.article import load
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import open_db
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.side_panel import excerpt

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
QUOTE_TEXT = "For ten years people in Wester Quay have been told to wait,"
CLAIM_TEXT = "The study also found that Wester Quay's population has grown by 38 per cent since 2015"
NOTE = "Census figures give 31 per cent; ask the council which study they mean"


pytestmark = pytest.mark.usefixtures("no_analysis")  # the model plays no part here


def store_annotations(db: Path) -> None:
    article = load(str(BRIDGE))
    store = open_db(db)
    for label, phrase, attrs in [
        (QUOTE, QUOTE_TEXT, {"speaker": {"text": "Ms Vasquez-Hale", "name": "Eleanor Vasquez-Hale"}}),
        (CLAIM, CLAIM_TEXT, {"status": "misleading", "note": NOTE}),
    ]:
        start = article.text.index(phrase)
        store.add(Annotation.create(article_id=article.id, source=article.source, article_text=article.text,
                                    label=label, start=start, end=start + len(phrase), annotator="alice",
                                    attrs=attrs))
    store.close()


def screen_lines(widget) -> list[str]:
    """The widget's lines as drawn, without its left border."""
    width, height = widget.region.size
    lines = ["".join(segment.text for segment in strip).strip("▊▎ ")
             for strip in widget.render_lines(Region(0, 0, width, height))]
    return [line for line in lines if line.strip("▔▁")]


def test_an_excerpt_ends_at_a_whole_word() -> None:
    assert excerpt(QUOTE_TEXT, 30) == "For ten years people in…"
    assert excerpt("short enough", 30) == "short enough"
    assert excerpt("Supercalifragilistic", 8) == "Superca…"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_entries_show_status_speaker_and_note_cut_at_words(make_app, tmp_path: Path, size) -> None:
    store_annotations(tmp_path / "annotations.json")
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=size) as pilot:
        await annotations_loaded(pilot)
        await press(pilot, "A")
        panel = app.screen.query_one(AnnotationPanel)
        lines = screen_lines(panel)
        text = "\n".join(lines)
        # The panel is at its narrowest (30 columns) at 80x24: a long speaker's name is cut at a whole word.
        head = next(line for line in lines if line.startswith("QUOTE  Eleanor"))
        assert head == "QUOTE  Eleanor Vasquez-Hale" or (size[0] < 100 and head == "QUOTE  Eleanor…"), lines
        assert "CLAIM  misleading" in lines
        words = set(" ".join([QUOTE_TEXT, CLAIM_TEXT, "note:", NOTE, "QUOTE Eleanor Vasquez-Hale"]).split())
        shown = [line for line in lines if line.endswith("…")]
        assert len(shown) >= 2, f"long texts are cut with an ellipsis:\n{text}"
        for line in shown:
            *whole, last = line[:-1].split(" ")
            assert last.rstrip(",;:") in words, f"{line!r} is cut inside a word"
        assert any(line.startswith("note: Census figures") for line in lines), text
        assert all(len(line) <= panel.scrollable_content_region.width for line in lines)
        assert QUOTE_TEXT.startswith(lines[lines.index(head) + 1].rstrip("…"))
