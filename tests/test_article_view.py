"""The article view: soft wrapping, redrawing only what changed, and text that looks like markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from tui.widgets.article_view import TAB, ArticleView, wrap
from tui.widgets.status_bar import StatusBar

EXAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"
BRIDGE = EXAMPLES / "harbour-bridge-vote.txt"

SAMPLES = {
    "news": BRIDGE.read_text(encoding="utf-8"),
    "long word": "The site " + "x" * 95 + " was registered in 2019 by a shell company.\n\nNext.",
    "cjk": "市议会周二投票批准了港口大桥的建设计划，反对者表示将提出上诉。\n"
    "Mixed 中文 and English words in one line that must still wrap at the width.",
    "tabs": "Name\tRole\tWard\nAled Hughes\tchair\tnorth\n\t\tindented twice by tabs, then a long tail of words here.",
    "blank lines": "\n\nA\n\n\n\nB\n",
    "spaces": "Words    with     wide     gaps     between     them     that     run     past     the     edge.",
}
WIDTHS = [10, 17, 33, 60, 98]


def cells(text: str) -> int:
    return cell_len(text.replace("\t", TAB))


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_offset_is_in_exactly_one_line_except_newlines(name: str, width: int) -> None:
    text = SAMPLES[name]
    lines = wrap(text, width)
    owner = [0] * len(text)
    for start, end in lines:
        assert 0 <= start <= end <= len(text)
        for i in range(start, end):
            owner[i] += 1
    for i, count in enumerate(owner):
        expected = 0 if text[i] == "\n" else 1
        assert count == expected, f"offset {i} ({text[i]!r}) is in {count} lines"


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("width", WIDTHS)
def test_lines_are_in_order_and_never_hold_a_newline(name: str, width: int) -> None:
    text = SAMPLES[name]
    lines = wrap(text, width)
    assert lines[0][0] == 0
    for (_, end), (start, _) in zip(lines, lines[1:]):
        assert start in (end, end + 1)
        if start == end + 1:
            assert text[end] == "\n"
    assert all("\n" not in text[s:e] for s, e in lines)
    assert len([1 for s, e in lines if e < len(text) and text[e] == "\n"]) == text.count("\n")


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_is_wider_than_the_width_without_its_trailing_spaces(name: str, width: int) -> None:
    text = SAMPLES[name]
    for start, end in wrap(text, width):
        shown = text[start:end].rstrip(" ")
        assert cells(shown) <= width, f"{shown!r} is {cells(shown)} cells at width {width}"


def test_words_are_not_broken_when_they_fit() -> None:
    text = SAMPLES["news"]
    for width in WIDTHS[1:]:
        for start, end in wrap(text, width):
            if end < len(text) and text[end] != "\n" and end > start:
                # A soft break falls at white space, unless a single word is wider than the line.
                word_is_too_long = " " not in text[start:end].strip()
                assert text[end - 1] == " " or text[end] == " " or word_is_too_long, text[start:end + 5]


def test_a_word_longer_than_the_line_is_cut_into_pieces_of_the_width() -> None:
    text = "y" * 25
    assert wrap(text, 10) == [(0, 10), (10, 20), (20, 25)]


def test_wide_characters_take_two_cells() -> None:
    text = "港" * 7
    lines = wrap(text, 10)
    assert [e - s for s, e in lines] == [5, 2]


def test_a_tab_counts_as_its_expanded_width() -> None:
    text = "\tabcdefg"
    assert wrap(text, len(TAB) + 7) == [(0, 8)]
    assert len(wrap(text, len(TAB) + 6)) == 2


def test_empty_text_is_one_empty_line() -> None:
    assert wrap("", 20) == [(0, 0)]


# ---- in the app ------------------------------------------------------------------


async def test_a_cursor_move_redraws_only_the_lines_it_touches(make_app, wait_for_entities) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_entities(pilot)
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        drawn: list[int] = []
        original = view._render_text_line

        def counting(line: int, width: int):
            drawn.append(line)
            return original(line, width)

        view._render_text_line = counting
        await pilot.press("l")
        await pilot.pause()
        assert view.cursor == 1
        assert drawn, "the moved cursor must be drawn"
        assert len(drawn) <= 3, f"one step right redrew {len(drawn)} lines: {drawn}"
        drawn.clear()
        await pilot.press("j")
        await pilot.pause()
        assert 1 <= len(drawn) <= 3, f"one line down redrew {len(drawn)} lines: {drawn}"


HOSTILE = ["[bold]x[/]", "[/]", "[link=http://x]y[/link]", "[@click=app.quit]z[/]"]


async def test_markup_in_title_and_body_is_shown_literally(make_app, tmp_path: Path) -> None:
    title = "Council " + " ".join(HOSTILE)
    body = "\n\n".join(f"Paragraph {n} quotes {h} in the middle of a sentence." for n, h in enumerate(HOSTILE))
    path = tmp_path / "hostile.txt"
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    app = make_app([path])
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        status = app.screen.query_one(StatusBar)
        view = app.screen.query_one(ArticleView)
        await pilot.press("w", "w", "G", "g")
        await pilot.pause()
        assert app.is_running
        status_line = status.render_line(0).text
        assert status.title == title
        assert title[:60] in status_line
        shown = "\n".join(view.render_line(y).text for y in range(view.line_count))
        for h in HOSTILE:
            assert f"quotes {h} in the middle" in shown, h
        await pilot.press("slash", *"[/]", "enter")
        await pilot.pause()
        assert view.cursor == view.text.index("[/]")
        assert app.is_running
