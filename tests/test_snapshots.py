"""Screenshots of the reader and the help screen, compared with the accepted ones in __snapshots__/.

Regenerate after an intended change of the look with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the SVGs before committing them.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from textual import constants
from textual.widgets import Input

from tui.widgets.article_view import ArticleView, entity_class
from tui.widgets.status_bar import StatusBar

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"


@pytest.fixture(autouse=True)
def truecolor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader picks its colours from the terminal's colour system (TERM); the pictures are of truecolor."""
    monkeypatch.setattr(constants, "COLOR_SYSTEM", "truecolor")


async def settle(pilot, wait_for_entities) -> None:
    """Wait until nothing on screen will change by itself: entities shown, everything saved."""
    app = pilot.app
    for field in app.screen.query(Input):
        field.cursor_blink = False
    await wait_for_entities(pilot)
    status = app.screen.query_one(StatusBar)
    loop = asyncio.get_running_loop()
    # The cursor position is saved after a second of stillness; let that save happen first.
    await pilot.pause(1.2)
    deadline = loop.time() + 10
    while not status.saving.endswith(" saved"):
        if loop.time() > deadline:
            pytest.fail(f"saving never settled: {status.saving!r}")
        await pilot.pause(0.05)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_reader_with_entities(snap_compare, make_app, wait_for_entities, size: tuple[int, int]) -> None:
    app = make_app([BRIDGE])

    async def run_before(pilot) -> None:
        await settle(pilot, wait_for_entities)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_reader_after_moving_into_the_text(snap_compare, make_app, wait_for_entities) -> None:
    app = make_app([BRIDGE])

    async def run_before(pilot) -> None:
        await pilot.press("right_curly_bracket", "right_curly_bracket", "right_curly_bracket", "w", "w")
        await settle(pilot, wait_for_entities)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_help_screen(snap_compare, make_app, wait_for_entities) -> None:
    app = make_app([BRIDGE])

    async def run_before(pilot) -> None:
        await settle(pilot, wait_for_entities)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_no_color_keeps_entities_distinct_by_style(
    snap_compare, make_app, wait_for_entities, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app([BRIDGE])
    looks: dict[str, tuple[bool, bool, bool, bool]] = {}

    async def run_before(pilot) -> None:
        await settle(pilot, wait_for_entities)
        view = app.screen.query_one(ArticleView)
        for group in ("person", "org", "place", "date", "number", "group", "other"):
            style = view.get_component_rich_style(entity_class_of(group))
            looks[group] = (bool(style.bold), bool(style.italic), bool(style.underline), bool(style.reverse))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
    assert app.no_color
    assert len(set(looks.values())) == len(looks), (
        f"entity groups must differ by more than colour (tui/widgets/article_view.py DEFAULT_CSS): {looks}"
    )


def entity_class_of(group: str) -> str:
    labels = {"person": "PERSON", "org": "ORG", "place": "GPE", "date": "DATE", "number": "CARDINAL", "group": "NORP", "other": "EVENT"}
    name = entity_class(labels[group])
    assert re.fullmatch(rf"article-view--{group}", name)
    return name
