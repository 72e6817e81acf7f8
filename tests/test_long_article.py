"""A long article paints before all of it is wrapped, and then behaves as if it had been wrapped at once."""

from __future__ import annotations

from pathlib import Path

from tui.widgets.article_view import WRAP_FIRST, wrap

PARAGRAPH = (
    "The harbour commission met on Tuesday and heard that 4,100 vehicles crossed the old swing bridge "
    "each day last year, up from 3,200 in 2019, according to figures from the county council."
)


async def test_the_rest_of_a_long_article_is_wrapped_after_the_first_paint(make_app, tmp_path: Path) -> None:
    text = "Harbour traffic rises again\n\n" + "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(400))
    assert len(text) > 3 * WRAP_FIRST
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    app = make_app([path], model="no_such_pipeline")  # no analysis: only the view is under test
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.view
        await pilot.pause()
        expected = wrap(view.text, view._wrap_width)
        assert list(view._wrapped) == expected, "the rest was wrapped right after the first frame"
        assert view.virtual_size.height == len(expected)
        await pilot.press("G")
        assert view.cursor == len(view.text)
        assert view.line_of(view.cursor) == len(expected) - 1
        assert int(view.scroll_offset.y) == len(expected) - view.size.height
