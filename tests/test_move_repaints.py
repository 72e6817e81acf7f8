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
