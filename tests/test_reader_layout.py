"""What the reader shows at the sizes people use: every character of the article on screen, with or
without a side panel, and the legend and the status bar always in sight.

The screen is read back from the compositor, the same cells a terminal would get.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import press, status_of, view_of
from textual.strip import Strip

from tui.widgets.article_view import GUTTER
from tui.widgets.legend import Legend
from tui.widgets.side_panel import SidePanel

ROOT = Path(__file__).resolve().parent.parent
BRIDGE = next(p for p in (ROOT / "tui" / "sample" / "harbour-bridge-vote.txt", ROOT / "examples" / "harbour-bridge-vote.txt") if p.exists())
SIZES = [(60, 20), (80, 24), (100, 30), (120, 40)]
PANELS = {"no panel": None, "entities": "p", "annotations": "A", "suggestions": "S"}
#: Below this many columns a side panel takes the whole reader area instead of sharing it.
NARROW = 80


def screen_rows(app) -> list[Strip]:
    return app.screen._compositor.render_strips()


async def read_through(pilot) -> str:
    """Every character of the article the reader shows, scrolled from top to bottom, white space dropped."""
    app = pilot.app
    view = view_of(app)
    region = view.scrollable_content_region
    left, right = region.x + GUTTER, region.right
    last_top = max(0, view.line_count - region.height)
    seen: dict[int, str] = {}
    top = 0
    while True:
        view.scroll_to(y=top, animate=False, immediate=True)
        await pilot.pause()
        rows = screen_rows(app)
        assert int(view.scroll_offset.y) == top
        for row in range(region.height):
            if top + row < view.line_count:
                seen[top + row] = rows[region.y + row].crop(left, right).text
        if top >= last_top:
            break
        top = min(last_top, top + region.height)
    assert sorted(seen) == list(range(view.line_count)), "every line of the wrap table was on screen once"
    return "".join("".join(seen[line].split()) for line in sorted(seen))


def without_white_space(text: str) -> str:
    return "".join(text.split())


def assert_in_sight(app, widget) -> None:
    """*widget* is on screen, as wide as the screen, and no other widget covers any of its cells."""
    width, height = app.size
    region = widget.region
    assert region.height >= 1 and region.x == 0 and region.width == width, f"{widget} at {region}"
    assert region.bottom <= height, f"{widget} at {region} is below the screen"
    for y in range(region.y, region.bottom):
        for x in range(0, width, 3):
            found, _ = app.screen.get_widget_at(x, y)
            assert found is widget or widget in found.ancestors, f"{found} covers {widget} at ({x}, {y})"


@pytest.mark.parametrize("panel", PANELS)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_every_character_of_the_article_is_on_screen(make_app, wait_for_entities, size, panel) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=size) as pilot:
        await wait_for_entities(pilot)
        view = view_of(app)
        key = PANELS[panel]
        if key is not None:
            await press(pilot, key)
            shown = [p for p in app.screen.query(SidePanel) if p.display]
            assert len(shown) == 1, "one side panel at a time"
            if size[0] < NARROW:
                # Too narrow to share: the panel takes the reader area and the text waits behind it.
                assert not view.display
                assert shown[0].region.width == size[0]
                assert_in_sight(app, status_of(app))
                assert_in_sight(app, app.screen.query_one(Legend))
                await press(pilot, "escape")
                assert not shown[0].display and view.display and app.focused is view
            else:
                assert shown[0].region.x >= view.region.right, "the panel sits beside the text, not over it"
        assert without_white_space(await read_through(pilot)) == without_white_space(view.text)
        assert_in_sight(app, status_of(app))
        assert_in_sight(app, app.screen.query_one(Legend))


async def test_the_text_rewraps_to_every_new_terminal_size(make_app, wait_for_entities) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_entities(pilot)
        view = view_of(app)
        await press(pilot, "right_curly_bracket", "right_curly_bracket", "right_curly_bracket")
        for size in [(100, 30), (60, 20), (80, 24), (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            first, last = view.visible_offsets()
            assert first <= view.cursor <= last, "the cursor stays in sight"
            assert without_white_space(await read_through(pilot)) == without_white_space(view.text), size
            assert_in_sight(app, status_of(app))


async def test_a_panel_on_a_narrow_terminal_closes_on_its_key_and_on_choosing_an_entry(make_app, wait_for_entities) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for_entities(pilot)
        view = view_of(app)
        await press(pilot, "p")
        panel = app.focused
        assert isinstance(panel, SidePanel) and panel.region.width == 60 and not view.display
        await press(pilot, "p")
        assert not panel.display and view.display and app.focused is view
        await press(pilot, "p", "down", "enter")
        assert not panel.display and view.display, "the jump to the entity is seen at once"
        first, last = view.visible_offsets()
        assert view.cursor > 0 and first <= view.cursor <= last
