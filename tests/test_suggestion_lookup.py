"""The suggestion under the cursor, asked on every move, is found without reading every suggestion."""

from __future__ import annotations

import random

from annotations.suggest import Suggestion
from annotations.targets import Marks


class Counted(Suggestion):
    """A suggestion that counts how often its start is read."""

    reads = 0

    def __getattribute__(self, name):
        if name == "start":
            Counted.reads += 1
        return super().__getattribute__(name)


def suggestion(label: str, start: int, end: int) -> Counted:
    return Counted(label, start, end, "x", None, None, None, 0.9, (), "suggest:test")


class Screen:
    """The reader's part in it: its suggestions, and one Marks (no `]` / `[` has picked one of several marks yet)."""

    def __init__(self, suggestions) -> None:
        self.suggestions = suggestions
        self.marks = Marks()

    def suggestion_at(self, offset):
        return self.marks.suggestion_at(self.suggestions, offset)


def slow_lookup(suggestions, offset):
    found = [s for s in suggestions if s.start <= offset < s.end]
    return min(found, key=lambda s: s.end - s.start) if found else None


def test_the_innermost_suggestion_under_an_offset_is_found_by_bisection() -> None:
    rng = random.Random(7)
    suggestions = []
    for n in range(3_000):
        start = n * 50 + rng.randint(0, 20)
        suggestions.append(suggestion("CLAIM", start, start + rng.randint(5, 400)))
        if n % 7 == 0:  # a quote inside the claim, over part of it
            suggestions.append(suggestion("QUOTE", start + 2, start + 30))
    screen = Screen(suggestions)
    offsets = [rng.randint(0, 3_000 * 50) for _ in range(100)]
    for offset in offsets:
        assert screen.suggestion_at(offset) == slow_lookup(suggestions, offset)
    Counted.reads = 0
    for offset in offsets:
        screen.suggestion_at(offset)
    assert Counted.reads < 100 * 100, f"{Counted.reads} reads for 100 lookups among {len(suggestions)} suggestions"


def test_a_new_list_of_suggestions_is_indexed_again() -> None:
    screen = Screen([suggestion("QUOTE", 10, 20)])
    assert screen.suggestion_at(15).start == 10
    screen.suggestions = [suggestion("CLAIM", 100, 120)]
    assert screen.suggestion_at(15) is None
    assert screen.suggestion_at(110).label == "CLAIM"


def test_the_status_bar_counts_the_suggestions_under_the_cursor_without_reading_them_all() -> None:
    """"+N more (])" is said on every move that lands on a suggestion: it counts those at the cursor only."""
    from types import SimpleNamespace

    from annotations.team.layers import MINE
    from tui.screens.reader import ReaderScreen

    class Described(Screen):
        session = SimpleNamespace(layer=SimpleNamespace(kind=MINE), is_rejected=lambda s: False)
        _note = None
        tagging = SimpleNamespace(linking=None)
        describe = ReaderScreen.describe

        def annotations_at(self, offset):
            return []

        def entities_at(self, offset):
            return []

    suggestions = [suggestion("CLAIM", n * 50, n * 50 + 40) for n in range(3_000)]
    suggestions.insert(11, suggestion("QUOTE", 500, 520))  # a second one over the claim at 500
    screen = Described(suggestions)
    assert "+1 more" in screen.describe(505)
    Counted.reads = 0
    for offset in range(5, 100 * 50, 50):
        screen.describe(offset)
    assert Counted.reads < 100 * 100, f"{Counted.reads} reads for 100 moves among {len(suggestions)} suggestions"
