"""The wrap table of a long article: a few bytes a line, and a new width re-wraps only the lines it changes.

An article of a million tiny paragraphs took 930 MB and seconds per panel key, because every visual
line was a pair of Python ints in a tuple and showing a panel wrapped the whole text again.
"""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

from app_helpers import press, view_of
from textual.app import App, ComposeResult

import tui.widgets.article_view as article_view
from tui.widgets.article_view import ArticleView, WrapTable, odd_line_starts, wrap

PIECES = ["word", "a", " ", "  ", "\n", "\n\n", "\t", "港", "港口", "x" * 30, "e\u0301", "\U0001f600", "longer", ".", "  \n"]


def tiny_paragraphs(count: int) -> str:
    return "\n\n".join(f"Note {n}." for n in range(count))


def by_hard_line(text: str, width: int) -> list[tuple[int, int]]:
    """The wrap of each hard line on its own, in text offsets."""
    lines, offset = [], 0
    for hard in text.split("\n"):
        lines += [(offset + s, offset + e) for s, e in wrap(hard, width)]
        offset += len(hard) + 1
    return lines


def test_wrapping_many_lines_at_once_gives_what_wrapping_each_alone_gives() -> None:
    rnd = random.Random(7)
    for _ in range(400):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 60)))
        for width in (10, 17, 40):
            assert wrap(text, width) == by_hard_line(text, width), (text, width)


def test_a_new_width_gives_the_table_a_fresh_wrap_would() -> None:
    rnd = random.Random(8)
    for _ in range(400):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 60)))
        odd = odd_line_starts(text)
        for old, new in ((10, 17), (40, 10), (17, 18)):
            assert WrapTable.of(text, old).rewrapped(old, new, odd) == WrapTable.of(text, new), (text, old, new)


def test_a_new_width_rewraps_only_the_lines_longer_than_the_narrower_width(monkeypatch) -> None:
    long_paragraph = "The council met again on Tuesday and the vote was put off for a further week. " * 3
    text = tiny_paragraphs(5_000) + "\n\n" + long_paragraph + "\n\n" + "港口 " * 30 + "\n\n" + tiny_paragraphs(5_000)
    table = WrapTable.of(text, 96)
    wrapped: list[int] = []
    real = article_view.line_starts

    def counted(text, width, start, end, *args, **kwargs):
        wrapped.append(end - start)
        return real(text, width, start, end, *args, **kwargs)

    monkeypatch.setattr(article_view, "line_starts", counted)
    assert table.rewrapped(96, 60, odd_line_starts(text)) == WrapTable.of(text, 60)
    assert sum(wrapped[:-1]) == len(long_paragraph) + len("港口 " * 30), "the tiny paragraphs were copied, not wrapped"


class ViewApp(App):
    def compose(self) -> ComposeResult:
        yield ArticleView()


async def test_the_wrap_table_takes_a_few_bytes_a_line() -> None:
    text = tiny_paragraphs(100_000)
    app = ViewApp()
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(ArticleView)
        tracemalloc.start()
        try:
            view.load(text)
            await pilot.pause()
            lines = view.line_count
            held, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert lines == 199_999
    # A list of (start, end) tuples took about 130 bytes a line; the table keeps one 8-byte start.
    assert held / lines < 24, f"{held / lines:.0f} bytes a line"


async def test_showing_and_hiding_a_panel_again_wraps_nothing(make_app, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text(tiny_paragraphs(50_000) + "\n\n" + "A longer closing paragraph that runs past the width. " * 5, encoding="utf-8")
    app = make_app([path], model="no_such_pipeline")
    wrapped: list[int] = []
    real = article_view.line_starts

    def counted(text, width, start, end, *args, **kwargs):
        wrapped.append(end - start)
        return real(text, width, start, end, *args, **kwargs)

    monkeypatch.setattr(article_view, "line_starts", counted)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = view_of(app)
        assert view.line_count > 100_000  # the whole text is wrapped once
        wrapped.clear()
        await press(pilot, "p")
        first_open = sum(wrapped)
        assert first_open < 1_000, f"the first panel wrapped {first_open:,} characters again, not only the long paragraph"
        wrapped.clear()
        await press(pilot, "p", "A", "A", "S", "S")
        assert sum(wrapped) == 0, "the tables of both widths were kept"
        assert list(view._wrapped) == wrap(view.text, view._wrap_width)
