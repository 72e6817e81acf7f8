"""No mouse is needed, but a click puts the cursor where it points."""

from __future__ import annotations

from pathlib import Path

from tui.widgets.article_view import GUTTER, ArticleView

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"


async def test_a_click_moves_the_cursor_to_the_character_under_it(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.view
        second_paragraph = view.text.index("\n\n") + 2
        line = view.line_of(second_paragraph)
        left = view.styles.padding.left + GUTTER
        await pilot.click(ArticleView, offset=(left + 5, line))
        assert view.cursor == second_paragraph + 5


async def test_the_cursor_is_drawn_once_at_a_soft_wrap(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        view = app.screen.view
        lines = view._lines
        # A wrapped line with room after it, where a stray cursor cell would show.
        wrapped = next(
            i for i in range(len(lines) - 1)
            if lines[i][1] == lines[i + 1][0] and lines[i][1] - lines[i][0] < view.size.width - 8
        )
        view.move_to(lines[wrapped + 1][0])
        # Draw every line afresh, not from the cache of lines drawn before the move.
        view.show_entities = False
        view.show_entities = True
        await pilot.pause()
        cursor_style = view.get_component_rich_style("article-view--cursor")
        top = int(view.scroll_offset.y)

        def is_cursor(style) -> bool:
            # Reversed and bold with full colours; on 16 colours the only bright white cell.
            if cursor_style.bgcolor is not None:
                return style.bgcolor == cursor_style.bgcolor
            return bool(style.reverse and style.bold)

        drawn = [
            top + y for y in range(view.size.height)
            if any(seg.style and is_cursor(seg.style) for seg in view.render_line(y))
        ]
        assert drawn == [wrapped + 1], f"the cursor shows on lines {drawn}"
