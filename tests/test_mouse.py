"""No mouse is needed, but a click puts the cursor where it points."""

from __future__ import annotations

from pathlib import Path

from tui.widgets.article_view import GUTTER, ArticleView

BRIDGE = Path(__file__).resolve().parent.parent / "examples" / "harbour-bridge-vote.txt"


async def test_a_click_moves_the_cursor_to_the_character_under_it(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.reader.view
        second_paragraph = view.text.index("\n\n") + 2
        line = view.line_of(second_paragraph)
        left = view.styles.padding.left + GUTTER
        await pilot.click(ArticleView, offset=(left + 5, line))
        assert view.cursor == second_paragraph + 5
