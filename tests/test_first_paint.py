"""What the first paint waits for: only what it shows. Widgets that start hidden (the find bar, the
side panels), the analysis, the stored annotations, the database and the wrap of a long article's
rest all wait until the first frame is out, and keys typed meanwhile act as they would after."""

from __future__ import annotations

from pathlib import Path

from textual._compositor import CompositorUpdate

from app_helpers import annotations_loaded, press, reader
from tui.screens.reader import ReaderScreen
from tui.widgets.article_view import WRAP_FIRST, wrap
from tui.widgets.find_bar import FindBar
from tui.widgets.side_panel import SidePanel

SAMPLE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"


def record_first_frame(app, at_first_frame) -> list:
    """Call *at_first_frame* when the first frame is put out; what it returns is kept in the list returned.

    Textual puts out no frame while a batch of updates is open: it composes and draws the first
    screen inside its start-up batch, so the frame drawn then is not the one a terminal first shows.
    """
    seen: list = []
    display = app._display

    def recorded(screen, renderable) -> None:
        if isinstance(renderable, CompositorUpdate) and not app._batch_count and not seen:
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


PARAGRAPH = (
    "The ferry operator said on Monday that 2,300 passengers a week had moved to the coastal bus since "
    "the spring timetable, and that the late crossing would stop in October unless the council paid for it."
)


def long_article(tmp_path: Path) -> Path:
    text = "Ferry crossings to end early\n\n" + "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(400))
    assert len(text) > 3 * WRAP_FIRST
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    return path


async def test_the_first_frame_out_comes_before_the_work_it_does_not_show(make_app, monkeypatch, tmp_path) -> None:
    started: list[str] = []
    start_background_work = ReaderScreen._start_background_work
    monkeypatch.setattr(ReaderScreen, "_start_background_work",
                        lambda screen, article: (started.append("analysis"), start_background_work(screen, article)))
    app = make_app([long_article(tmp_path)], model="no_such_pipeline")
    read_store = app._read_store_after_first_paint
    app._read_store_after_first_paint = lambda: (started.append("database"), read_store())

    def at_first_frame() -> dict:
        view = app.screen.view
        return {
            "started": list(started),
            "mounted": [type(w).__name__ for w in app.screen.query("SidePanel, FindBar")],
            "lines wrapped": len(view._wrapped),
            "all wrapped": view._unwrapped_from is None,
            "lines drawn off screen": [line for line in view._strips if line >= view.size.height],
            "text shown": view.text[:20] in "".join(strip.text for strip in app.screen._compositor.render_strips()),
        }

    first = record_first_frame(app, at_first_frame)
    async with app.run_test(size=(100, 30)) as pilot:
        await annotations_loaded(pilot)
        view = app.screen.view
        assert first and first[0]["text shown"], "the first frame out shows the article"
        assert first[0]["started"] == [] and first[0]["mounted"] == [], first
        assert not first[0]["all wrapped"] and first[0]["lines wrapped"] < len(wrap(view.text, view._wrap_width)) / 3
        assert first[0]["lines drawn off screen"] == [], "the next page is drawn ahead after the first paint"
        assert sorted(started) == ["analysis", "database"]
        assert len(reader(app).query(SidePanel)) == 3 and view._unwrapped_from is None


async def test_keys_typed_before_the_rest_is_wrapped_act_on_the_whole_article(make_app, tmp_path) -> None:
    app = make_app([long_article(tmp_path)], model="no_such_pipeline")

    def press_end() -> int:  # `G` the moment the text shows: the end of the article, not of its head
        app.screen.action_end()
        return app.screen.view.cursor

    first = record_first_frame(app, press_end)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.view
        lines = wrap(view.text, view._wrap_width)
        assert first == [len(view.text)]
        assert list(view._wrapped) == lines and view.line_of(view.cursor) == len(lines) - 1
        assert int(view.scroll_offset.y) == len(lines) - view.size.height, "the last line is on screen"


async def test_a_paragraph_key_and_find_typed_before_the_rest_is_wrapped_act_as_after(make_app, tmp_path) -> None:
    path = long_article(tmp_path)
    app = make_app([path], model="no_such_pipeline")

    def press_early() -> tuple[int, int]:
        screen = app.screen
        screen.action_next_paragraph()
        after_paragraph = screen.view.cursor
        screen.action_end()
        screen.action_previous_paragraph()  # `G` then `{`: the start of the last paragraph
        return after_paragraph, screen.view.cursor

    first = record_first_frame(app, press_early)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = app.screen.view.text
        assert first == [(text.index("0. "), text.rindex("399. "))]
        await press(pilot, "slash", *"399.", "enter")
        assert app.screen.view.cursor == text.rindex("399. ")
        view = app.screen.view
        starts = [start for start, _ in wrap(text, view._wrap_width)]
        assert view.line_of(view.cursor) == starts.index(text.rindex("399. "))
