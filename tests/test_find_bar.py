"""The find bar shows what is typed, then which match of how many the cursor is on, and when n/N wrap."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_helpers import press, until, view_of

from tui.widgets.find_bar import PLACEHOLDER, FindBar

ROOT = Path(__file__).resolve().parent.parent
BRIDGE = next(p for p in (ROOT / "tui" / "sample" / "harbour-bridge-vote.txt", ROOT / "examples" / "harbour-bridge-vote.txt") if p.exists())
TEXT = BRIDGE.read_text(encoding="utf-8")


def find_row(app) -> str:
    """The screen row of the find bar, as a terminal shows it."""
    bar = app.screen.query_one(FindBar)
    assert bar.display and bar.region.height == 1, f"the find bar is at {bar.region}"
    return app.screen._compositor.render_strips()[bar.region.y].text


@pytest.mark.parametrize("size", [(60, 20), (100, 30)], ids=["60x20", "100x30"])
async def test_the_placeholder_and_the_query_show_as_typed(make_app, size) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=size) as pilot:
        await press(pilot, "slash")
        assert PLACEHOLDER[: size[0] // 3] in find_row(app)
        await press(pilot, *"Wester Qu")
        assert "Wester Qu" in find_row(app)
        await press(pilot, *"ay")
        assert "Wester Quay" in find_row(app)


async def test_the_match_count_follows_n_and_N_and_says_when_it_wrapped(make_app) -> None:
    app = make_app([BRIDGE])
    starts = [m.start() for m in re.finditer("wester quay", TEXT, re.IGNORECASE)]
    total = len(starts)
    assert total >= 3
    async with app.run_test(size=(100, 30)) as pilot:
        view = view_of(app)
        await press(pilot, "slash", *"wester quay", "enter")
        assert app.focused is view and view.cursor == starts[0]
        row = find_row(app)
        assert "wester quay" in row and f"1/{total}" in row and "wrapped" not in row
        await press(pilot, "n")
        assert f"2/{total}" in find_row(app)
        await press(pilot, "N", "N")
        assert view.cursor == starts[-1]
        assert f"{total}/{total}  wrapped to the end" in find_row(app)
        await press(pilot, "n")
        assert view.cursor == starts[0]
        assert f"1/{total}  wrapped to the start" in find_row(app)


async def test_no_match_is_said_in_the_bar(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "slash", *"zeppelin", "enter")
        assert "zeppelin" in find_row(app) and "no matches" in find_row(app)


async def test_escape_closes_the_bar_and_clears_the_matches(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(80, 24)) as pilot:
        view = view_of(app)
        await press(pilot, "slash", *"bridge", "enter", "slash", "escape")
        assert not app.screen.query_one(FindBar).display
        assert view._matches == [] and app.focused is view


def query_of(app) -> str:
    bars = app.screen.query(FindBar)
    return bars.first().query_input.value if bars else ""


def type_at_once(app, *keys: str) -> None:
    """Keys as a paste or a laggy link delivers them: all queued before the app handles the first."""
    from textual import events

    for key in keys:
        character = "/" if key == "slash" else key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


async def settle(pilot, done, timeout: float = 10.0) -> None:
    """Pause until *done()* (keys sent again go round the app's queue, slower on a loaded machine), then a
    little longer, so that a key applied twice would have shown."""
    for _ in range(int(timeout / 0.05)):
        if done():
            break
        await pilot.pause(0.05)
    await pilot.pause(0.3)


@pytest.mark.parametrize("query", ["said", "Ahmed"])
async def test_text_sent_with_the_slash_goes_into_the_query_not_to_the_reader(make_app, wait_for_entities, query) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_entities(pilot)
        view = view_of(app)
        before = list(app.session.annotations)
        cursor = view.cursor
        type_at_once(app, "slash", *query)
        await until(pilot, lambda: len(query_of(app)) >= len(query), "typing the query")  # keys take turns
        bar = app.screen.query_one(FindBar)
        assert bar.query_input.value == query, "every key typed after / is in the query, in order"
        assert app.focused is bar.query_input
        assert app.session.annotations == before and view.selection is None and view.cursor == cursor
        await press(pilot, *"er")
        assert bar.query_input.value == query + "er", "typing on adds to what was typed ahead"


async def test_enter_and_backspace_sent_with_the_slash_edit_and_run_the_find(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(100, 30)) as pilot:
        view = view_of(app)
        type_at_once(app, "slash", *"quayx", "backspace", "enter")
        await until(pilot, lambda: view.cursor != 0, "the find")  # keys take turns
        assert app.focused is view and view.cursor == TEXT.lower().index("quay"), "found `quay`, not `quayx`"
        await press(pilot, "n")
        assert view.cursor == [m.start() for m in re.finditer("quay", TEXT, re.IGNORECASE)][1]
        await press(pilot, "slash", *"bridge")
        assert app.screen.query_one(FindBar).query_input.value == "bridge", "what is typed replaces the last query"


async def test_keys_sent_after_the_enter_act_in_the_reader_once_each(make_app) -> None:
    app = make_app([BRIDGE])
    starts = [m.start() for m in re.finditer("quay", TEXT, re.IGNORECASE)]
    async with app.run_test(size=(100, 30)) as pilot:
        view = view_of(app)
        type_at_once(app, "slash", *"quay", "enter", "n", "n")
        await settle(pilot, lambda: view.cursor == starts[2])
        bar = app.screen.query_one(FindBar)
        assert bar.query_input.value == "quay", "the keys after enter are not the query's"
        assert app.focused is view and view.cursor == starts[2], "each n after the enter moved on one match"
        await press(pilot, "n")
        assert view.cursor == starts[3]


async def test_keys_sent_after_the_escape_act_in_the_reader(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(100, 30)) as pilot:
        view = view_of(app)
        await press(pilot, "slash", *"quay", "enter")
        type_at_once(app, "slash", *"bridge", "escape", "slash", *"vote")
        bar = app.screen.query_one(FindBar)
        await settle(pilot, lambda: bar.query_input.value == "vote")
        assert app.focused is bar.query_input and bar.query_input.value == "vote", "the second / opened the find again"
        cursor = view.cursor
        await press(pilot, "enter")
        assert app.focused is view and view.cursor == TEXT.lower().index("vote", cursor + 1)


async def test_a_quote_key_sent_after_the_enter_tags_the_found_quotation_once(make_app, wait_for_entities) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_entities(pilot)
        type_at_once(app, "slash", *"stopped", "enter", "q")
        await settle(pilot, lambda: any(a.label == "QUOTE" for a in app.session.annotations))
        quotes = [a for a in app.session.annotations if a.label == "QUOTE"]
        assert len(quotes) == 1 and quotes[0].start <= TEXT.index("stopped") < quotes[0].end, quotes
        assert app.screen.query_one(FindBar).query_input.value == "stopped"
