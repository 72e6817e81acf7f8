"""What the first paint waits for: only what it shows. Widgets that start hidden (the find bar, the
side panels) are mounted just after it, and work as before once they are."""

from __future__ import annotations

from pathlib import Path

from textual._compositor import CompositorUpdate

from app_helpers import press, reader
from tui.widgets.find_bar import FindBar
from tui.widgets.side_panel import SidePanel

SAMPLE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"


def record_first_frame(app, at_first_frame) -> list:
    """Call *at_first_frame* when the first frame is drawn; what it returns is kept in the list returned."""
    seen: list = []
    display = app._display

    def recorded(screen, renderable) -> None:
        if isinstance(renderable, CompositorUpdate) and not seen:
            seen.append(at_first_frame())
        display(screen, renderable)

    app._display = recorded
    return seen


async def test_hidden_widgets_are_mounted_after_the_first_paint(make_app, wait_for_entities) -> None:
    app = make_app([SAMPLE])
    first = record_first_frame(app, lambda: [type(w).__name__ for w in app.screen.query("SidePanel, FindBar")])
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_entities(pilot)
        assert first == [[]], f"mounted before the first paint: {first}"
        screen = reader(app)
        assert len(screen.query(SidePanel)) == 3 and len(screen.query(FindBar)) == 1
        await press(pilot, "p")
        assert screen.query_one("#entities", SidePanel).has_class("-shown")
        await press(pilot, "escape", "slash")
        assert screen.query_one(FindBar).has_class("-shown")


async def test_keys_for_hidden_widgets_before_they_are_mounted_take_effect_once_they_are(make_app, wait_for_entities) -> None:
    app = make_app([SAMPLE])

    def press_early() -> list[str]:
        mounted = [type(w).__name__ for w in app.screen.query("SidePanel, FindBar")]
        app.screen.action_toggle_entity_panel()  # as `p` and `/` typed the moment the text shows
        app.screen.action_find()
        return mounted

    first = record_first_frame(app, press_early)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_entities(pilot)
        await pilot.pause(0.2)
        assert first == [[]], f"mounted before the first paint: {first}"
        screen = reader(app)
        assert screen.query_one("#entities", SidePanel).has_class("-shown")
        assert screen.query_one(FindBar).has_class("-shown")
