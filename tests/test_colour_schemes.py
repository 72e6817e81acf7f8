"""Every mix of entity, annotation, suggestion, selection, find match and cursor stays readable and
tells apart on truecolor, 256 colours, 16 colours and no colour, with and without NO_COLOR.

Lines are drawn by the real ArticleView in a running app (so Textual's own filters, such as the
monochrome one NO_COLOR turns on, apply), and each cell's style is reduced to what a terminal of
that colour system shows: colours downgraded as Rich downgrades them on output, reverse applied.

Every cell with colours reads at 3:1 or more (the WCAG contrast ratio, with the RGB values Rich gives
the 256 and the 16 colours, as a terminal with Rich's palette shows them).

What must differ follows from what can be on screen together: the cursor is one cell, so it must
differ from every other cell, not from itself elsewhere. With colours every other mix differs, but
for 16 colours, which have no tint to spare for a find match in each kind of annotation: the match
takes over the tint there (the margin letter still names the kind).
Under mono, entity groups differ by text style, annotations, suggestions and matches by grey
levels, and the margin letter names the kind (Q, C, q, c, *); with no colour at all only text
styles are left, enough for entity groups, the selection and the cursor.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from rich._palettes import EIGHT_BIT_PALETTE, STANDARD_PALETTE
from rich.color import ColorSystem
from rich.color_triplet import ColorTriplet
from rich.style import Style
from textual import constants
from textual.app import App, ComposeResult
from textual.geometry import Region

from annotations.model import Entity
from tui.widgets.article_view import GUTTER, ArticleView, Mark

GROUPS = {"": None, "person": "PERSON", "group": "NORP", "org": "ORG", "place": "GPE", "date": "DATE",
          "number": "CARDINAL", "other": "EVENT"}
MARKS = {
    "none": [],
    "quote": [Mark(0, 0, "QUOTE")],
    "claim": [Mark(0, 0, "CLAIM")],
    "other label": [Mark(0, 0, "EVIDENCE")],
    "overlap": [Mark(0, 0, "QUOTE"), Mark(0, 0, "CLAIM")],
    "suggested quote": [Mark(0, 0, "QUOTE", suggestion=True)],
    "suggested claim": [Mark(0, 0, "CLAIM", suggestion=True)],
}
ACCEPTED = {"quote", "claim", "other label", "overlap"}
SYSTEMS = {"truecolor": ColorSystem.TRUECOLOR, "256": ColorSystem.EIGHT_BIT, "standard": ColorSystem.STANDARD,
           "no colour": None}
WORD = "abcd"

#: (entity group, annotation, find match); the selection and the cursor are added when drawing.
States = tuple[str, str, bool]


class Host(App):
    def compose(self) -> ComposeResult:
        yield ArticleView()


def article() -> tuple[str, list[Entity], list[Mark], list[tuple[int, int]], dict[States, int]]:
    """One word per mix of entity, annotation and match, eight words a line."""
    text, entities, marks, matches, where = "", [], [], [], {}
    for i, (group, annotation, match) in enumerate(itertools.product(GROUPS, MARKS, (False, True))):
        start, end = len(text), len(text) + len(WORD)
        text += WORD + ("\n" if i % 8 == 7 else " ")
        if group:
            entities.append(Entity(start, end, GROUPS[group], WORD))
        marks += [Mark(start, end, m.label, m.suggestion) for m in MARKS[annotation]]
        if match:
            matches.append((start, end))
        where[(group, annotation, match)] = start
    return text, entities, marks, matches, where


Look = tuple


def look(style: Style, system: ColorSystem | None) -> Look:
    """What the terminal shows for *style*: (text colour, background, text attributes)."""
    attributes = tuple(bool(getattr(style, name)) for name in ("bold", "italic", "underline", "strike", "blink"))
    if system is None:
        return (None, None, bool(style.reverse), *attributes)
    fg, bg = (c.downgrade(system) if c is not None else None for c in (style.color, style.bgcolor))
    if style.reverse:
        fg, bg = bg, fg
    shown = tuple(None if c is None else (c.number if c.number is not None else c.triplet) for c in (fg, bg))
    return (*shown, *attributes)


async def looks_of(system_name: str, no_color: bool, monkeypatch: pytest.MonkeyPatch):
    """{(states, selected, cursor): look} for every mix, drawn by the widget; and its scheme class."""
    monkeypatch.setattr(constants, "COLOR_SYSTEM", "truecolor" if system_name == "no colour" else system_name)
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = Host()
    if system_name == "no colour":
        app.console._color_system = None  # what Rich picks on a terminal without colour
    system = SYSTEMS[system_name]
    text, entities, marks, matches, where = article()
    result: dict[tuple[States, bool, bool], Look] = {}
    async with app.run_test(size=(80, 30)) as pilot:
        view = app.query_one(ArticleView)
        view.load(text)
        view.set_entities(entities)
        view.set_marks(marks)
        view.set_matches(matches)

        def cell(offset: int) -> Style:
            line = view.line_of(offset)
            x = view.styles.padding.left + GUTTER + offset - view._lines[line][0]
            [strip] = view.render_lines(Region(0, line, view.size.width, 1))
            for segment in strip:
                if x < len(segment.text):
                    return segment.style
                x -= len(segment.text)
            raise AssertionError(f"offset {offset} is not on screen")

        for selected in (False, True):
            if selected:
                view.select(0, len(text) - 1)  # the cursor rests on the last newline, outside every word
            else:
                view.clear_selection()
                view.move_to(len(text))
            await pilot.pause()
            for states, offset in where.items():
                result[(states, selected, False)] = look(cell(offset), system)
            for states, offset in where.items():
                view.move_to(offset)
                result[(states, selected, True)] = look(cell(offset), system)
        scheme = [c for c in ("-256-colours", "-few-colours", "-mono") if view.has_class(c)]
    return result, scheme


def relative_luminance(colour: ColorTriplet) -> float:
    """WCAG 2 relative luminance."""
    channels = [c / 255 for c in colour]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg, bg) -> float:
    """WCAG contrast of two shown colours (a look's triplet, or a colour number in Rich's palettes)."""
    def rgb(shown) -> ColorTriplet:
        if isinstance(shown, int):
            return STANDARD_PALETTE[shown] if shown < 16 else EIGHT_BIT_PALETTE[shown]
        return shown

    lighter, darker = sorted((relative_luminance(rgb(fg)), relative_luminance(rgb(bg))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def describe(key) -> str:
    (group, annotation, match), selected, cursor = key
    parts = [group or "plain", annotation] + ["match"] * match + ["selected"] * selected + ["cursor"] * cursor
    return "+".join(parts)


def assert_differ(looks, pairs, what: str) -> None:
    same = [(describe(a), describe(b)) for a, b in pairs if looks[a] == looks[b]]
    assert not same, f"{what}: {len(same)} pairs look the same, e.g. {same[:5]}"


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
@pytest.mark.parametrize("system_name", list(SYSTEMS))
async def test_every_mix_of_states_is_legible_and_distinct(system_name: str, no_color: bool, monkeypatch) -> None:
    looks, scheme = await looks_of(system_name, no_color, monkeypatch)
    mono = no_color or system_name == "no colour"
    unreadable = [describe(k) for k, (fg, bg, *_) in looks.items() if fg is not None and fg == bg]
    assert not unreadable, f"text colour equals background in {len(unreadable)} cells, e.g. {unreadable[:5]}"

    cells = [k for k in looks if not k[2]]
    cursors = [k for k in looks if k[2]]
    # The cursor is one cell: it must differ from every other cell that can be on screen with it.
    assert_differ(looks, [(c, k) for c in cursors for k in cells if k[1] == c[1] or not c[1]], "cursor")
    if not mono:
        pairs = itertools.combinations(cells, 2)
        if system_name == "standard":  # a match shows over any annotation alike
            pairs = [(a, b) for a, b in pairs if not (a[0][2] and b[0][2] and a[0][0] == b[0][0] and a[1] == b[1])]
        assert_differ(looks, pairs, "with colours, every mix")
        assert scheme == {"standard": ["-few-colours"], "256": ["-256-colours"]}.get(system_name, [])
        return
    assert scheme == ["-mono"]
    # Mono: the selection and the entity groups in every context; the rest needs at least greys.
    assert_differ(looks, [(k, (k[0], True, False)) for k in cells if not k[1]], "selected or not")
    assert_differ(looks, [(a, b) for a, b in itertools.combinations(cells, 2)
                          if a[0][1:] == b[0][1:] and a[1] == b[1]], "entity groups")
    if system_name == "no colour":
        return
    assert_differ(looks, [(k, ((k[0][0], k[0][1], True), k[1], False)) for k in cells if not k[0][2]], "match or not")

    def kind(annotation: str) -> str:
        return "accepted" if annotation in ACCEPTED else "suggested" if annotation.startswith("suggested") else "none"

    assert_differ(looks, [(a, b) for a, b in itertools.combinations(cells, 2)
                          if a[0][0] == b[0][0] and not a[0][2] and not b[0][2] and a[1] == b[1]
                          and kind(a[0][1]) != kind(b[0][1])], "annotation, suggestion or neither")


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
@pytest.mark.parametrize("system_name", ["truecolor", "256", "standard"])
async def test_every_cell_reads_at_3_to_1(system_name: str, no_color: bool, monkeypatch) -> None:
    """Every entity group, plain text too, inside every tint and outside, selected or not, in a find
    match or not, and under the cursor (without colour at all, the test above is what is left)."""
    looks, _ = await looks_of(system_name, no_color, monkeypatch)
    ratios = {describe(k): contrast_ratio(fg, bg) for k, (fg, bg, *_) in looks.items()}
    low = sorted((round(r, 2), cell) for cell, r in ratios.items() if r < 3)
    assert not low, f"{len(low)} of {len(ratios)} cells read below 3:1, e.g. {low[:6]}"


async def test_the_margin_names_the_kind_of_mark() -> None:
    """Where cells cannot tell the kind (mono), the margin letter does."""
    app = Host()
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(ArticleView)
        view.load("one\ntwo\nthree\nfour\nfive\nsix\n")
        lines = [(0, 3), (4, 7), (8, 13), (14, 18), (19, 23)]
        view.set_marks([Mark(*lines[0], "QUOTE"), Mark(*lines[1], "CLAIM"), Mark(*lines[2], "QUOTE", True),
                        Mark(*lines[3], "CLAIM", True), Mark(*lines[4], "QUOTE"), Mark(*lines[4], "CLAIM")])
        await pilot.pause()
        assert [view._gutter(*span).strip() for span in lines] == ["Q", "C", "q", "c", "*"]


async def test_on_16_colours_no_text_shares_the_hue_of_its_background(monkeypatch) -> None:
    """ANSI colour n and its bright form n + 8 are one hue (bright red numbers on a dark red claim read
    as red on red): text never takes the hue of the tint behind it."""
    looks, _ = await looks_of("standard", False, monkeypatch)
    same_hue = [describe(k) for k, (fg, bg, *_) in looks.items()
                if fg is not None and bg is not None and fg % 8 == bg % 8]
    assert not same_hue, f"text in the hue of its background in {len(same_hue)} cells, e.g. {same_hue[:5]}"


@pytest.mark.parametrize("system_name", list(SYSTEMS))
async def test_what_the_scheme_comment_says_of_italic_and_the_cursor(system_name: str, monkeypatch) -> None:
    """ArticleView's scheme comment: with colours only the cursor is italic; under mono the cursor
    blinks and adds no italic, which is left to the entity groups (a cursor on them shows theirs)."""
    looks, scheme = await looks_of(system_name, False, monkeypatch)
    italic = {key for key, shown in looks.items() if look_is(shown, "italic")}
    cursors = {key for key in looks if key[2]}
    if system_name != "standard" and scheme != ["-mono"]:
        assert italic == cursors, "with full colours, italic marks the cursor and nothing else"
        return
    italic_groups = ("place", "date", "number", "other")
    if system_name == "standard":  # inside a tint entities keep apart by mono's text styles
        tinted = {key for key in looks if key[0][1] and key[0][0] in italic_groups}
        assert italic <= cursors | tinted, "on 16 colours italic is only a text style of entities in tints"
        return
    assert all(look_is(looks[key], "blink") for key in cursors)
    assert italic == {key for key in looks if key[0][0] in italic_groups}


def look_is(shown: Look, attribute: str) -> bool:
    """Whether the cell *shown* has the text *attribute* (the last five fields of a look)."""
    return shown[-5:][("bold", "italic", "underline", "strike", "blink").index(attribute)]


@pytest.mark.parametrize(("env", "mono"), [
    ({"TERM": "xterm-mono"}, True),
    ({"TERM": "vt100"}, True),
    ({"TERM": "xterm"}, False),
    ({"TERM": "xterm-256color"}, False),
    ({"TERM": "screen"}, False),
    ({"TERM": "xterm-mono", "COLORTERM": "truecolor"}, False),
    ({"TERM": "vt100", "TEXTUAL_COLOR_SYSTEM": "standard"}, False),
    ({"TERM": "no-such-terminal"}, False),
])
def test_a_terminal_whose_terminfo_has_no_colours_is_drawn_as_for_no_color(env: dict[str, str], mono: bool) -> None:
    """Rich takes every TERM for at least 16 colours; terminfo knows which have none. One process per
    case, since curses sets a terminal up once per process."""
    import subprocess
    import sys

    code = "import os; from tui.terminal import lacks_colour; print(lacks_colour(os.environ))"
    clean = {k: v for k, v in os.environ.items() if k not in ("TERM", "COLORTERM", "TEXTUAL_COLOR_SYSTEM")}
    result = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                            timeout=60, cwd=Path(__file__).resolve().parent.parent)
    assert result.stdout.strip() == str(mono), result.stderr
