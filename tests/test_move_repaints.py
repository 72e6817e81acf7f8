"""A cursor move within the page repaints the lines it leaves and enters and the status bar: never
a layout of the screen, never the whole text (over SSH each would cost a screenful of bytes)."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

from app_helpers import press, view_of
from tui.widgets.article_view import ArticleView

SAMPLE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
#: In-page motions: characters, words, lines, entities, both ways.
MOVES = ("l", "w", "w", "j", "e", "h", "b", "k", "w", "l") * 3


async def test_a_cursor_move_lays_out_nothing_and_repaints_only_its_lines(make_app, wait_for_entities, monkeypatch) -> None:
    app = make_app([SAMPLE])
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_entities(pilot)
        await pilot.pause(0.3)  # what follows the first paint (hidden widgets mounted) is over
        layouts: list[Screen] = []
        whole_text: list[int] = []
        lines: list[int] = []
        refresh_layout = Screen._refresh_layout
        refresh_lines = ArticleView.refresh_lines
        invalidate_all = ArticleView._invalidate_all

        def counted_layout(self, *args, **kwargs):
            layouts.append(self)
            return refresh_layout(self, *args, **kwargs)

        def counted_lines(self, y: int, count: int = 1):
            lines.append(count)
            return refresh_lines(self, y, count)

        def counted_whole(self):
            whole_text.append(1)
            return invalidate_all(self)

        monkeypatch.setattr(Screen, "_refresh_layout", counted_layout)
        monkeypatch.setattr(ArticleView, "refresh_lines", counted_lines)
        monkeypatch.setattr(ArticleView, "_invalidate_all", counted_whole)
        view = view_of(app)
        top = view.scroll_offset.y
        for key in MOVES:
            before = view.cursor
            await press(pilot, key)
            assert view.cursor != before, f"{key} did not move"
        assert view.scroll_offset.y == top, "the moves left the page: pick shorter ones"
        assert layouts == [], f"{len(layouts)} screen layouts for {len(MOVES)} moves"
        assert whole_text == [], f"the whole text was repainted {len(whole_text)} times"
        assert sum(lines) <= 2 * len(MOVES), f"{sum(lines)} lines repainted for {len(MOVES)} moves"


PARAGRAPH = ("The harbour commission heard that 4,100 vehicles crossed the old swing bridge each day last year, "
             "up from 3,200 in 2019, according to the county council.")


async def test_a_scroll_by_a_line_draws_only_the_line_it_brings_in(make_app, tmp_path: Path, monkeypatch) -> None:
    """Textual marks every row of a scrolled view dirty; the rows already drawn move with the text instead,
    and the scrollbar, whose thumb on a long article moves an eighth of a cell every few lines, is drawn
    again only when it moves. What is on screen stays the text at every row."""
    from textual.geometry import Region
    from textual.scrollbar import ScrollBar

    path = tmp_path / "long.txt"
    path.write_text("Harbour traffic\n\n" + "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(600)), encoding="utf-8")
    app = make_app([path], model="no_such_pipeline")  # no analysis: only the view is under test
    async with app.run_test(size=(100, 30)) as pilot:
        view = view_of(app)
        await pilot.pause(0.3)
        view.move_to(view._lines[view.size.height - 1][0])  # the last row: every j scrolls
        await pilot.pause()
        drawn: list[int] = []
        bars: list[int] = []
        render_line = ArticleView.render_line
        bar_render = ScrollBar.render

        def counted_line(self, y: int):
            drawn.append(y)
            return render_line(self, y)

        def counted_bar(self):
            bars.append(1)
            return bar_render(self)

        monkeypatch.setattr(ArticleView, "render_line", counted_line)
        monkeypatch.setattr(ScrollBar, "render", counted_bar)
        scrolls = 40
        top = view.scroll_offset.y
        for _ in range(scrolls):
            await press(pilot, "j")
        assert view.scroll_offset.y == top + scrolls
        # Each scroll: the row brought in and the cursor's old and new rows.
        assert len(drawn) <= 3 * scrolls, f"{len(drawn)} rows drawn for {scrolls} one-line scrolls"
        assert len(bars) <= scrolls // 4, f"the scrollbar was drawn {len(bars)} times in {scrolls} scrolls"
        width = view.size.width
        for row in range(view.size.height):
            [strip] = view.render_lines(Region(0, row, width, 1))
            start, end = view._lines[int(view.scroll_offset.y) + row]
            assert view.text[start:end].strip() in strip.text, f"row {row} does not show its line of text"


def record_frames(monkeypatch) -> list[set[int]]:
    """The screen rows each frame from now on repaints."""
    from textual._compositor import Compositor

    frames: list[set[int]] = []
    render_update = Compositor.render_update

    def recorded(self, *args, **kwargs):
        frames.append({y for region in self._dirty_regions for y in region.line_range})
        return render_update(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", recorded)
    return frames


async def test_a_save_repaints_the_status_bar_not_the_screen(make_app, wait_for_entities, monkeypatch) -> None:
    """Session events go to the screens that handle them: Textual's default screen, under the reader,
    repainted the whole terminal each time one woke it (every cursor save: 10 KB at 100x30)."""
    app = make_app([SAMPLE])
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_entities(pilot)
        await pilot.pause(0.3)
        frames = record_frames(monkeypatch)
        for _ in range(3):
            await press(pilot, "w")
            app.session.remember_cursor()
            assert app.saves.flush(5)
            await pilot.pause(0.2)
        assert frames, "no frame drawn"
        assert max(map(len, frames)) <= 4, f"a frame repainted {max(map(len, frames))} rows"


async def test_the_first_move_after_the_view_is_resized_repaints_only_its_lines(make_app, wait_for_entities,
                                                                                monkeypatch) -> None:
    """A layout that resizes the view repaints it; Textual also keeps a repaint of the whole view owed,
    which the next move used to send (8 KB at 100x30 on the first key after the legend grew a row)."""
    app = make_app([SAMPLE])
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_entities(pilot)
        await pilot.pause(0.3)
        await pilot.resize_terminal(100, 26)  # the width stays: no new wrap, only a shorter view
        await pilot.pause(0.3)
        frames = record_frames(monkeypatch)
        await press(pilot, "l")
        assert frames and max(map(len, frames)) <= 4, f"the move repainted rows {sorted(max(frames, key=len))}"


async def test_a_page_key_finds_its_lines_drawn_ahead(make_app, tmp_path: Path, monkeypatch) -> None:
    """While the app is idle the lines of the pages above and below the screen are drawn ahead, so a
    page down or up draws few lines inside its frame."""
    from textual._compositor import Compositor

    path = tmp_path / "long.txt"
    path.write_text("Harbour traffic\n\n" + "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(600)), encoding="utf-8")
    app = make_app([path], model="no_such_pipeline")
    async with app.run_test(size=(100, 30)) as pilot:
        view = view_of(app)
        await pilot.pause(0.3)
        in_frame = [False]
        drawn_in_frames: list[int] = []
        render_text_line = ArticleView._render_text_line
        render_update = Compositor.render_update

        def counted_line(self, *args):
            if in_frame[0]:
                drawn_in_frames.append(1)
            return render_text_line(self, *args)

        def frame(self, *args, **kwargs):
            in_frame[0] = True
            try:
                return render_update(self, *args, **kwargs)
            finally:
                in_frame[0] = False

        monkeypatch.setattr(ArticleView, "_render_text_line", counted_line)
        monkeypatch.setattr(Compositor, "render_update", frame)
        keys = ["pagedown"] * 6 + ["pageup"] * 3
        for key in keys:
            await press(pilot, key)
            await pilot.pause(0.1)  # idle: the neighbouring pages are drawn
        assert view.scroll_offset.y > 0
        # The cursor's old and new lines are drawn again in each frame; the page's other lines were ready.
        assert len(drawn_in_frames) <= 3 * len(keys), f"{len(drawn_in_frames)} lines drawn in {len(keys)} page frames"
