"""Wrapping takes time in proportion to the text, however long its words and whatever their characters."""

from __future__ import annotations

import time

import pytest
from rich.cells import cell_len

from tui.widgets.article_view import wrap

#: One unit of a word with no white space in it, by the kind of character that takes the slow path.
UNITS = {
    "wide": "港",
    "combining": "e\u0301",
    "emoji": "\U0001f600",
    "wide and narrow": "港a",
}
WIDTH = 78


def cpu_seconds(text: str) -> float:
    """The least CPU time of three wraps: the other runs on a shared machine only ever add to it."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        wrap(text, WIDTH)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("kind", UNITS)
def test_sixteen_times_the_word_takes_far_less_than_sixteen_squared_times_the_time(kind: str) -> None:
    unit = UNITS[kind]
    small, large = unit * (2_000 // len(unit)), unit * (32_000 // len(unit))
    wrap(small, WIDTH)  # warm the width caches
    ratio = cpu_seconds(large) / max(cpu_seconds(small), 1e-4)
    # Linear is 16x; quadratic, as it was, is over 100x.
    assert ratio < 40, f"wrapping a {len(large):,}-character word took {ratio:.0f}x the time of one 16x shorter"


@pytest.mark.parametrize("kind", UNITS)
def test_a_long_word_is_cut_into_full_pieces_without_losing_a_character(kind: str) -> None:
    text = "Before " + UNITS[kind] * 500 + " after."
    lines = wrap(text, WIDTH)
    assert "".join(text[s:e] for s, e in lines) == text
    for start, end in lines[1:-1]:
        assert WIDTH - 1 <= cell_len(text[start:end].rstrip(" ")) <= WIDTH, text[start:end]


def test_a_combining_mark_stays_with_its_letter_at_a_cut() -> None:
    text = "e\u0301" * 30
    for start, end in wrap(text, 7):
        assert text[start] == "e", f"a line starts with {text[start]!r}"
        assert cell_len(text[start:end]) == min(7, len(text[start:]) // 2)
