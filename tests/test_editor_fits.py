"""The annotation editor fits small terminals: every field and the key hint are on screen, whole,
at 80x24 and 60x20, and tab only ever focuses a field that can be seen."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press
from textual.errors import NoWidget
from textual.widgets import Static

from tui.screens.editor import AnnotationEditor
from tui.widgets.article_view import ArticleView

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
# The longest paragraph's first sentence, so the editor's excerpt is as long as it gets.
CLAIM_AT = "According to the council's own transport study"
FIELDS = ("#label", "#speaker", "#speaker-text", "#note", "#status")


pytestmark = pytest.mark.usefixtures("no_analysis")  # the model plays no part here


def assert_whole_on_screen(screen, widget, what: str) -> None:
    try:
        geometry = screen.find_widget(widget)
    except NoWidget:
        raise AssertionError(f"{what} is not on screen at all") from None
    assert geometry.region.area, f"{what} has no room"
    assert screen.region.contains_region(geometry.region), f"{what} at {geometry.region} is off {screen.region}"
    assert geometry.visible_region == geometry.region, f"{what} at {geometry.region} is clipped to {geometry.clip}"


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_every_field_and_the_hint_are_on_screen(make_app, size) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=size) as pilot:
        await annotations_loaded(pilot)
        app.screen.query_one(ArticleView).move_to(TEXT.index(CLAIM_AT))
        await press(pilot, "c", "enter")
        editor = app.screen
        assert isinstance(editor, AnnotationEditor)
        for selector in FIELDS:
            assert_whole_on_screen(editor, editor.query_one(selector), selector)
        hints = [s for s in editor.query(Static) if "ctrl+s" in str(s.render())]
        assert hints, "the editor tells how to save"
        assert_whole_on_screen(editor, hints[0], "the hint")

        seen = set()
        for _ in range(2 * len(FIELDS)):
            await press(pilot, "tab")
            focused = app.focused
            assert focused is not None
            assert_whole_on_screen(editor, focused, f"the focused {focused!r}")
            seen.add(focused.id)
        assert seen == {selector[1:] for selector in FIELDS}
