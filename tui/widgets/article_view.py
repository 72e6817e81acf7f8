"""The article view: a Line-API widget that wraps the text and draws spans over it.

Each visual line is a (start, end) range of the text, so drawing a line costs
its own width, never the article's length. Rendered lines are cached and a
cursor move invalidates only the lines it touches. The wrap table keeps only
where each line starts, and the tables of the last few widths are kept, so
opening and closing a side panel on an article of millions of lines is quick.
"""

from __future__ import annotations

import bisect
import heapq
import re
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from math import ceil

from rich.cells import cell_len
from rich._palettes import STANDARD_PALETTE  # the RGB Rich downgrades to and matches the 16 colours by
from rich.color import ColorSystem
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from annotations.model import Entity

TAB = "    "
GUTTER = 2
#: Characters wrapped before the first paint; the rest is wrapped just after it.
WRAP_FIRST = 20_000
#: Drawn lines kept, least recently shown dropped first.
KEPT_STRIPS = 2048
#: Lines drawn ahead at a time, while idle, on the pages above and below the screen.
PREFETCH_LINES = 6
#: Wrap tables kept for widths other than the current one (a panel shown and hidden switches between two).
KEPT_WIDTHS = 3
_TOKEN = re.compile(r"\S+\s*|\s+")

#: Entity labels grouped into the styles the view draws them with.
LABEL_GROUPS = {
    "PERSON": "person",
    "NORP": "group",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "DATE": "date",
    "TIME": "date",
    "CARDINAL": "number",
    "ORDINAL": "number",
    "MONEY": "number",
    "PERCENT": "number",
    "QUANTITY": "number",
}


def entity_group(label: str) -> str:
    return LABEL_GROUPS.get(label, "other")


def entity_class(label: str) -> str:
    return f"article-view--{entity_group(label)}"


#: How each entity group differs from the others where colour cannot tell them: under mono, and
#: inside a tint on 16 colours, where all text takes the one colour that reads on the tint.
GROUP_TEXT_STYLES = {
    "person": "bold",
    "org": "underline",
    "place": "italic",
    "group": "bold underline",
    "date": "italic underline",
    "number": "bold italic",
    "other": "bold italic underline",
}

#: 16 colours, as ANSI numbers (the view's own background is black, 0). Text outside tints: each
#: colour reads at 3:1 or more on black (bright blue 4.1:1, dark magenta 3.3:1 the lowest), and
#: none is a light tint, since the selection (reverse) turns text colour into background.
FEW_COLOURS_TEXT = {"plain": 7, "person": 14, "org": 3, "place": 10, "group": 13, "date": 12, "number": 9,
                    "other": 5}
#: Tints, one ANSI colour each. The find match takes over the tint under it (there are not colours
#: enough for a match of each kind), as under mono; the margin letter still names the line's kind.
FEW_COLOURS_TINTS = {"quote": 2, "claim": 1, "entity-mark": 4, "overlap": 3, "quote-suggestion": 6,
                     "claim-suggestion": 5, "match": 11}
#: The cursor is the only cell on bright white, never reversed, so it differs from every other.
FEW_COLOURS_CURSOR = 15


def ansi_hex(number: int) -> str:
    """The value Rich gives ANSI colour *number*; it downgrades back to exactly that number."""
    return STANDARD_PALETTE[number].hex


def _few_colours_rules() -> str:
    indent = " " * 12
    rules = [f"color: {ansi_hex(FEW_COLOURS_TEXT['plain'])};",
             f"& > .article-view--cursor {{ background: {ansi_hex(FEW_COLOURS_CURSOR)}; }}"]
    rules += [f"& > .article-view--{group} {{ color: {ansi_hex(number)}; }}"
              for group, number in FEW_COLOURS_TEXT.items() if group != "plain"]
    rules += [f"& > .article-view--{tint} {{ background: {ansi_hex(number)}; }}"
              for tint, number in FEW_COLOURS_TINTS.items()]
    return "\n".join(indent + rule for rule in rules)


def _mono_group_rules() -> str:
    return "\n".join(f"            & > .article-view--{group} {{ color: $foreground; text-style: {style}; }}"
                     for group, style in GROUP_TEXT_STYLES.items())


@dataclass(frozen=True)
class Mark:
    """An annotation or suggestion drawn over the text."""

    start: int
    end: int
    label: str
    suggestion: bool = False
    dim: bool = False  # a rejected suggestion, shown when all are asked for
    whose: str = ""  # the annotator's margin letter, when everyone's annotations show


class ArticleView(ScrollView, can_focus=True, inherit_bindings=False):
    """Soft-wrapped article text with a cursor, a selection, entities and marks."""

    COMPONENT_CLASSES = {
        "article-view--cursor",
        "article-view--selection",
        "article-view--match",
        "article-view--person",
        "article-view--group",
        "article-view--org",
        "article-view--place",
        "article-view--date",
        "article-view--number",
        "article-view--other",
        "article-view--quote",
        "article-view--claim",
        "article-view--entity-mark",
        "article-view--overlap",
        "article-view--quote-suggestion",
        "article-view--claim-suggestion",
        "article-view--gutter",
    }

    # Three schemes, picked on mount from what the terminal can show (colour_scheme()).
    # Each state changes the cell in its own way, so any mix of them stays readable and
    # tells apart. With full colours: entities set the text colour, annotations the
    # background, the selection reverses both, a find match adds bold underline, and only
    # the cursor is italic. On 16 colours (see FEW_COLOURS_*) text inside a tint takes the
    # one text colour that reads on that tint, entities there keep apart by a text style
    # instead, and the cursor is the only bright white cell. Under mono italic is one of the entity groups' text
    # styles, a find match is a grey background, and the cursor blinks instead (reverse
    # bold blink, no italic). tests/test_colour_schemes.py checks every mix for 3:1
    # contrast and for what must tell apart.
    DEFAULT_CSS = """
    ArticleView {
        background: $surface;
        color: $foreground;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        /* The scrollbar's column is kept whether it shows or not, so the wrap width never
           changes under the text when a long article gets a scrollbar. */
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .article-view--cursor { text-style: reverse bold italic underline; }
        & > .article-view--selection { text-style: reverse; }
        & > .article-view--match { text-style: bold underline; }
        /* Given as values, not ANSI names: terminal themes give two names one colour. */
        & > .article-view--person { color: #58d1eb; }
        & > .article-view--org { color: #e0d561; }
        & > .article-view--place { color: #98e024; }
        & > .article-view--group { color: #ff87ff; }
        & > .article-view--date { color: #9d8cff; }
        & > .article-view--number { color: #ff5f5f; }
        & > .article-view--other { color: #ffaf5f; }
        /* Dark tints, each on its own colour of the 256-colour cube so they stay apart
           there too; suggestions take the neighbouring hue of what they suggest. */
        & > .article-view--quote { background: #1d4a2c; }
        & > .article-view--claim { background: #55212d; }
        & > .article-view--entity-mark { background: #1e2352; }
        & > .article-view--overlap { background: #4d4516; }
        & > .article-view--quote-suggestion { background: #123a3a; }
        & > .article-view--claim-suggestion { background: #3f1a3d; }
        & > .article-view--gutter { color: $text-muted; text-style: bold; }

        /* 256 colours: the tints become the cube's lightest dark colours (#005f00 for the
           quote, #5f5f00 for the overlap), where numbers and dates read below 3:1 (2.3:1
           for numbers in an overlap); they take lighter shades of their hue there. */
        &.-256-colours {
            & > .article-view--date { color: #afafff; }
            & > .article-view--number { color: #ffafaf; }
        }

        /* 16 colours (the tables FEW_COLOURS_*): entities set the text colour outside tints;
           inside one, legible_on_tint draws all text in black or bright white and tells the
           groups by text style. Given as the values the downgrade maps exactly. */
        &.-few-colours {
""" + _few_colours_rules() + """
        }

        /* Mono (NO_COLOR, or a terminal without colour): entity groups differ by text
           style; annotations, suggestions and matches by grey levels that stay apart
           even on four greys; the margin letter (Q, C, q, c, *) names the kind. */
        &.-mono {
            & > .article-view--cursor { text-style: reverse bold blink; }
            & > .article-view--match { color: #b2b2b2; background: #444444; text-style: none; }
""" + _mono_group_rules() + """
            & > .article-view--quote, & > .article-view--claim,
            & > .article-view--entity-mark, & > .article-view--overlap { color: #121212; background: #a8a8a8; }
            & > .article-view--quote-suggestion, & > .article-view--claim-suggestion { background: #6c6c6c; }
        }
    }
    """

    class CursorMoved(Message):
        """The cursor or the selection changed."""

        def __init__(self, view: "ArticleView", offset: int) -> None:
            super().__init__()
            self.view = view
            self.offset = offset

        @property
        def control(self) -> "ArticleView":
            return self.view

    show_entities: reactive[bool] = reactive(True, init=False)

    def __init__(self, text: str = "", *, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self._text = text
        self._cursor = 0
        self._anchor: int | None = None
        self._goal_column: int | None = None
        self._wrapped = WrapTable.empty(text)
        self._unwrapped_from: int | None = None  # where the text still waits to be wrapped
        self._wrap_width = 0
        self._kept_tables: dict[int, WrapTable] = {}  # complete tables of other widths, oldest first
        self._odd_line_starts: array | None = None  # found on the first wrap that needs them
        self._entities: list[Entity] = []
        self._entity_starts: list[int] = []
        self._longest_entity = 0
        self._marks: list[Mark] = []
        self._gutter_width = GUTTER  # one column more while marks name whose they are
        self._mark_starts: list[int] = []
        self._longest_mark = 0
        self._matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self._longest_match = 0
        self.hidden_labels: set[str] = set()
        self._strips: OrderedDict[int, Strip] = OrderedDict()
        self._styles: dict[str, Style] = {}
        self._few_colours = False  # set on mount: the 16-colour scheme
        self._prefetching = False  # lines of the neighbouring pages are being drawn ahead

    # ---- state read by others -------------------------------------------------

    @property
    def text(self) -> str:
        return self._text

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected span (end exclusive), or None."""
        if self._anchor is None:
            return None
        start, end = sorted((self._anchor, self._cursor))
        return (start, min(end + 1, len(self._text)))

    @property
    def line_count(self) -> int:
        return len(self._lines)

    @property
    def entity_starts(self) -> list[int]:
        return self._entity_starts

    def entities_at(self, offset: int) -> list[Entity]:
        """Entities covering *offset*, found by bisection (entities are short)."""
        low = bisect.bisect_left(self._entity_starts, offset - self._longest_entity)
        high = bisect.bisect_right(self._entity_starts, offset)
        return [e for e in self._entities[low:high] if e.start <= offset < e.end]

    def line_of(self, offset: int) -> int:
        if self._unwrapped_from is not None and offset >= self._unwrapped_from:
            self._finish_wrap()
        return max(0, bisect.bisect_right(self._wrapped.starts, offset) - 1)

    def visible_offsets(self) -> tuple[int, int]:
        """The text range on screen."""
        top = int(self.scroll_offset.y)
        bottom = min(len(self._lines) - 1, top + max(1, self.size.height) - 1)
        return self._lines[top][0], self._lines[bottom][1]

    # ---- content ----------------------------------------------------------------

    def load(self, text: str, cursor: int = 0) -> None:
        self._text = text
        self._entities = []
        self._entity_starts = []
        self._longest_entity = 0
        self._marks = []
        self.set_matches([])
        self._anchor = None
        self._cursor = max(0, min(cursor, len(text)))
        self._wrapped, self._unwrapped_from = WrapTable.empty(text), None
        self._kept_tables.clear()
        self._odd_line_starts = None
        self._wrap_width = 0  # wrap again, at once if laid out already, else on the first resize
        self._rewrap()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.call_after_refresh(self.scroll_cursor_visible)
        self._moved()

    def set_entities(self, entities: list[Entity]) -> None:
        """Show *entities*, which must be sorted by (start, end)."""
        self._entities = list(entities)  # a copy: update_entities changes it in place
        self._entity_starts = [e.start for e in self._entities]
        self._longest_entity = max((e.end - e.start for e in self._entities), default=0)
        self._invalidate_all()

    def update_entities(self, start: int, end: int, entities: list[Entity]) -> None:
        """Show *entities* (sorted, each starting in [start, end)) in place of those starting there.

        Made for the chunks of a long analysis: the work is in proportion to the
        entities that changed, and only the lines on screen that hold one of them
        are drawn again.
        """
        low = bisect.bisect_left(self._entity_starts, start)
        high = bisect.bisect_left(self._entity_starts, end)
        changed = set(self._entities[low:high]).symmetric_difference(entities)
        self._entities[low:high] = entities
        self._entity_starts[low:high] = [e.start for e in entities]
        # Only a bound for the bisection in _spans_on: one too large (after a removal) costs nothing.
        self._longest_entity = max(self._longest_entity, max((e.end - e.start for e in entities), default=0))
        self._refresh_spans((e.start, e.end) for e in changed)

    def _refresh_spans(self, spans: Iterable[tuple[int, int]]) -> None:
        """Draw again the lines holding any of *spans*; only those on screen are repainted now."""
        lines: set[int] = set()
        for span_start, span_end in spans:
            lines.update(range(self.line_of(span_start), self.line_of(max(span_start, span_end - 1)) + 1))
        top = int(self.scroll_offset.y)
        bottom = top + self.size.height
        for line in lines:
            self._strips.pop(line, None)
            if top <= line < bottom:
                self.refresh_lines(line)

    def set_marks(self, marks: Iterable[Mark], changed: Iterable[tuple[int, int]] | None = None) -> None:
        """Draw *marks*; when only the *changed* spans differ from before, only their lines are drawn again."""
        self._marks = sorted(marks, key=lambda m: (m.start, m.end))
        self._mark_starts = [m.start for m in self._marks]
        self._longest_mark = max((m.end - m.start for m in self._marks), default=0)
        # Everyone's annotations name whose they are in one more margin column: the text re-wraps.
        gutter = GUTTER + (1 if any(m.whose for m in self._marks) else 0)
        if gutter != self._gutter_width:
            self._gutter_width = gutter
            self._rewrap()
            self._invalidate_all()
        elif changed is None:
            self._invalidate_all()
        else:
            self._refresh_spans(changed)

    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        self._matches = matches
        self._match_starts = [s for s, _ in matches]
        self._longest_match = max((e - s for s, e in matches), default=0)
        self._invalidate_all()

    def watch_show_entities(self) -> None:
        self._invalidate_all()

    def set_hidden_labels(self, labels: set[str]) -> None:
        self.hidden_labels = set(labels)
        self._invalidate_all()

    # ---- cursor and selection ---------------------------------------------------

    def move_to(self, offset: int, *, keep_column: bool = False) -> None:
        offset = max(0, min(offset, len(self._text)))
        if not keep_column:
            self._goal_column = None
        if offset == self._cursor:
            self.scroll_cursor_visible()
            return
        old = self._cursor
        self._cursor = offset
        if self._anchor is None:
            self._refresh_offsets(old, old)
            self._refresh_offsets(offset, offset)
        else:
            self._refresh_offsets(min(old, offset), max(old, offset))
        self.scroll_cursor_visible()
        self._moved()

    def start_selection(self) -> None:
        self._anchor = self._cursor
        self._refresh_offsets(self._cursor, self._cursor)
        self._moved()

    def select(self, start: int, end: int) -> None:
        """Select [start, end) and put the cursor on its last character."""
        self.clear_selection()
        self._anchor = start
        self.move_to(max(start, end - 1))
        self._refresh_offsets(start, end)

    def clear_selection(self) -> None:
        if self._anchor is not None:
            span = self.selection
            self._anchor = None
            if span:
                self._refresh_offsets(*span)
            self._moved()

    def move_vertical(self, lines: int) -> None:
        line = self.line_of(self._cursor)
        start, _ = self._lines[line]
        if self._goal_column is None:
            self._goal_column = self._column_of(line, self._cursor)
        target = max(0, min(len(self._lines) - 1, line + lines))
        if target == line:
            self.move_to(start if lines < 0 else self._lines[line][1], keep_column=True)
            return
        self.move_to(self._offset_at_column(target, self._goal_column), keep_column=True)

    def page(self, direction: int) -> None:
        self.move_vertical(direction * max(1, self.size.height - 1))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the character under the pointer."""
        line = int(self.scroll_offset.y) + event.y
        if 0 <= line < len(self._lines):
            column = max(0, event.x - self.styles.padding.left - self._gutter_width)
            self.move_to(self._offset_at_column(line, column))

    def scroll_cursor_visible(self) -> None:
        line = self.line_of(self._cursor)
        top = int(self.scroll_offset.y)
        height = max(1, self.size.height)
        if line < top:
            self.scroll_to(y=line, animate=False, immediate=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True)

    def _moved(self) -> None:
        self.post_message(self.CursorMoved(self, self._cursor))

    # ---- scrolling ---------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Scroll without drawing again what is still on screen.

        Textual's ScrollView marks every line dirty on a scroll, so a one-line scroll drew all
        of them again (background, padding and line filters each) and redrew the scrollbar,
        whose thumb on a long article moves a cell only every few hundred lines. Here the
        lines drawn already move with the text, only those it brings in are drawn, and the
        scrollbar is drawn again only when its thumb moves. The terminal still gets the whole
        view: Textual repaints a region, it does not scroll one.
        """
        if self.show_vertical_scrollbar:
            self._move_scrollbar(new_value)
        shift = round(new_value) - round(old_value)
        if shift:
            self._scroll_drawn_lines(shift)
            self._schedule_prefetch()

    def _schedule_prefetch(self) -> None:
        if not self._prefetching:
            self._prefetching = True
            self._after_paint(self._prefetch)

    def _after_paint(self, callback) -> None:
        """Call *callback* after the next refresh; while the reader's app starts, after its first frame is
        out (AnnottyApp.after_first_paint): work the first screen does not show waits for it."""
        after_first_paint = getattr(self.app, "after_first_paint", None)
        if after_first_paint is None:
            self.call_after_refresh(callback)
        else:
            after_first_paint(self, callback)

    def _prefetch(self) -> None:
        """Draw a few lines of the pages above and below the screen that are not drawn yet, then
        let other work (a key) in before the next few: a page key then finds most of its lines
        drawn, which took about a third of its frame."""
        self._prefetching = False
        height = self.size.height
        top = int(self.scroll_offset.y)
        width = self.scrollable_content_region.width
        below = range(top + height, min(len(self._wrapped), top + 2 * height))
        above = range(max(0, top - height), top)
        missing = [line for line in (*below, *reversed(above)) if line not in self._strips]
        for line in missing[:PREFETCH_LINES]:
            self._keep_strip(line, self._render_text_line(line, width))
        if len(missing) > PREFETCH_LINES:
            self._prefetching = True
            self.call_later(self._prefetch)

    def _move_scrollbar(self, position: float) -> None:
        scrollbar = self.vertical_scrollbar
        position = scrollbar.validate_position(position)
        if thumb_cells(scrollbar, scrollbar.position) == thumb_cells(scrollbar, position):
            # The same drawing: the position is kept (a drag starts from it) without a repaint.
            scrollbar.set_reactive(ScrollBar.position, position)
        else:
            scrollbar.position = position

    def _scroll_drawn_lines(self, shift: int) -> None:
        """Move the lines Textual's styles cache holds (keyed by row) by *shift* rows, keep the
        rows already marked dirty dirty where they move to, and repaint the whole view."""
        cache = self._styles_cache  # Textual's own: rows of the widget, drawn with its styles
        gutter = self.styles.gutter
        if gutter.top or gutter.bottom:  # rows are not lines of text then: draw them all again
            self.refresh()
            return
        height = self.size.height
        drawn = {row - shift: strip for row, strip in cache._cache.items() if 0 <= row - shift < height}
        dirty = {row - shift for row in cache._dirty_lines}
        self.refresh(self.size.region)  # the compositor repaints the view; this marks every row dirty
        cache._cache = drawn
        cache._dirty_lines = dirty

    # ---- wrapping ----------------------------------------------------------------

    def _content_width(self) -> int:
        return max(10, self.scrollable_content_region.width - self._gutter_width)

    def on_resize(self) -> None:
        # Textual marks a resized view dirty for a repaint it sends only with the view's next
        # refresh, usually the next cursor move (8 KB on one key), although the layout that
        # resized it has repainted it already: that owed repaint is dropped.
        self._exchange_repaint_regions()
        self._rewrap()
        # A legend that grows a line, or a terminal made shorter, must not push the cursor off screen.
        self.scroll_cursor_visible()

    @property
    def _lines(self) -> WrapTable:
        """The wrap table, completed first if only its head was wrapped so far."""
        if self._unwrapped_from is not None:
            self._finish_wrap()
        return self._wrapped

    def _rewrap(self) -> None:
        if self.scrollable_content_region.width <= 0:
            return  # not laid out yet (or hidden): wrapping now would be thrown away
        width = self._content_width()
        if width == self._wrap_width:
            return
        # The text at the top of the screen stays there, whatever the new width does to the lines above it.
        top = int(self.scroll_offset.y)
        top_offset = self._wrapped[top][0] if self._wrap_width and top < len(self._wrapped) else None
        if self._wrap_width and self._unwrapped_from is None:
            self._keep(self._wrap_width, self._wrapped)
        old_width, self._wrap_width = self._wrap_width, width
        kept = self._kept_tables.pop(width, None)
        if kept is not None:
            self._wrapped, self._unwrapped_from = kept, None
        elif old_width and self._unwrapped_from is None:
            self._wrapped = self._wrapped.rewrapped(old_width, width, self._odd_lines)
        else:
            # Wrap what the first screens need now and the rest right after the frame is out,
            # so a long article paints at once.
            head_end = self._text.find("\n", WRAP_FIRST)
            if head_end == -1:
                self._wrapped, self._unwrapped_from = WrapTable.of(self._text, width), None
            else:
                self._wrapped = WrapTable.of(self._text, width, end=head_end)
                self._unwrapped_from = head_end + 1
                # A key that needs the rest before it is wrapped wraps it first (_lines, line_of).
                self._after_paint(self._finish_wrap)
        self._wrap_done()
        if top_offset is not None:
            self.scroll_to(y=self.line_of(top_offset), animate=False, immediate=True)
        self.scroll_cursor_visible()

    @property
    def _odd_lines(self) -> array:
        """Where the hard lines holding a wide, combining or tab character start: one search of
        the whole text, made once, that every later wrap of it reuses."""
        if self._odd_line_starts is None:
            self._odd_line_starts = odd_line_starts(self._text)
        return self._odd_line_starts

    def _keep(self, width: int, table: WrapTable) -> None:
        self._kept_tables[width] = table
        while len(self._kept_tables) > KEPT_WIDTHS:
            del self._kept_tables[next(iter(self._kept_tables))]

    def _finish_wrap(self) -> None:
        if self._unwrapped_from is None:
            return
        start, self._unwrapped_from = self._unwrapped_from, None
        # Straight into the head's table: a copy would double the memory of millions of lines for a moment.
        line_starts(self._text, self._wrap_width, start, len(self._text), self._odd_lines, into=self._wrapped.starts)
        self._wrapped.end = len(self._text)
        self._wrap_done()

    def _wrap_done(self) -> None:
        self.virtual_size = Size(self._wrap_width + GUTTER, len(self._wrapped))
        self._invalidate_all()

    def _column_of(self, line: int, offset: int) -> int:
        start, _ = self._lines[line]
        return cell_len(self._text[start:offset].replace("\t", TAB))

    def _offset_at_column(self, line: int, column: int) -> int:
        start, end = self._lines[line]
        x = 0
        for i in range(start, end):
            ch = self._text[i]
            w = len(TAB) if ch == "\t" else cell_len(ch)
            if x + w > column:
                return i
            x += w
        return end

    # ---- drawing -----------------------------------------------------------------

    def on_mount(self) -> None:
        scheme = colour_scheme(self.app.no_color, self.app.console.color_system)
        self._few_colours = scheme == "few-colours"
        for name in ("256-colours", "few-colours", "mono"):
            self.set_class(scheme == name, f"-{name}")

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._invalidate_all()

    @property
    def _base_style(self) -> Style:
        """The view's own text style. Textual works it out from every ancestor on each call (about
        half of drawing a line of text); it changes only when styles do (notify_style_update)."""
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"article-view--{name}", partial=True)
        return style

    def _invalidate_all(self) -> None:
        self._strips.clear()
        self.refresh()
        self._schedule_prefetch()

    def _refresh_offsets(self, start: int, end: int) -> None:
        first, last = self.line_of(start), self.line_of(end)
        for line in range(first, last + 1):
            self._strips.pop(line, None)
        self.refresh_lines(first, last - first + 1)

    def render_line(self, y: int) -> Strip:
        line = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if line >= len(self._wrapped):
            return Strip.blank(width, self._base_style)
        strip = self._strips.get(line)
        if strip is None:
            strip = self._render_text_line(line, width)
            self._keep_strip(line, strip)
        else:
            self._strips.move_to_end(line)
        return strip

    def _keep_strip(self, line: int, strip: Strip) -> None:
        self._strips[line] = strip
        if len(self._strips) > KEPT_STRIPS:
            self._strips.popitem(last=False)

    def _spans_on(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Every styled span that touches [start, end], clipped to it, lowest layer first."""
        spans: list[tuple[int, int, Style]] = []
        if self.show_entities and self._entities:
            i = bisect.bisect_left(self._entity_starts, start - self._longest_entity)
            while i < len(self._entities) and self._entities[i].start < end:
                e = self._entities[i]
                if e.end > start and e.label not in self.hidden_labels:
                    spans.append((e.start, e.end, self._style(entity_group(e.label))))
                i += 1
        marks = self._marks_touching(start, end)
        for mark in marks:
            spans.append((mark.start, mark.end, self._mark_style(mark)))
        if len(marks) > 1:
            overlap = self._style("overlap")
            spans.extend((s, e, overlap) for s, e in overlaps(marks))
        if self._matches:
            i = bisect.bisect_left(self._match_starts, start - self._longest_match)
            while i < len(self._matches) and self._matches[i][0] < end:
                s, e = self._matches[i]
                if e > start:
                    spans.append((s, e, self._style("match")))
                i += 1
        selection = self.selection
        if selection and selection[0] < end and selection[1] > start:
            spans.append((selection[0], selection[1], self._style("selection")))
        spans.append((self._cursor, self._cursor + 1, self._style("cursor")))
        return spans

    def _mark_style(self, mark: Mark) -> Style:
        name = {"QUOTE": "quote", "CLAIM": "claim"}.get(mark.label, "entity-mark")
        if mark.suggestion and name != "entity-mark":
            name += "-suggestion"
        return self._style(name) + Style(dim=True) if mark.dim else self._style(name)

    def _marks_touching(self, start: int, end: int) -> list[Mark]:
        """Marks overlapping [start, end), found by bisection on their starts."""
        low = bisect.bisect_left(self._mark_starts, start - self._longest_mark)
        high = bisect.bisect_left(self._mark_starts, end)
        return [m for m in self._marks[low:high] if m.end > start]

    def _gutter(self, start: int, end: int) -> str:
        touching = self._marks_touching(start, end + 1)
        labels = {m.label[0] if not m.suggestion else m.label[0].lower() for m in touching}
        if not labels:
            return " " * self._gutter_width
        kind = "*" if len(labels) > 1 else labels.pop()
        whose = {m.whose for m in touching if m.whose}
        return (kind + ("+" if len(whose) > 1 else whose.pop() if whose else "")).ljust(self._gutter_width)

    def _render_text_line(self, line: int, width: int) -> Strip:
        start, end = self._wrapped[line]
        base = self._base_style
        # The cursor may sit just past the line's text, on a newline or at the very end;
        # at a soft wrap that offset belongs to the next line instead.
        at_hard_end = end == len(self._text) or self._text[end] == "\n"
        shown_end = end + 1 if self._cursor == end and at_hard_end else end
        spans = self._spans_on(start, shown_end)
        cuts = {start, shown_end}
        for s, e, _ in spans:
            cuts.add(max(start, min(s, shown_end)))
            cuts.add(max(start, min(e, shown_end)))
        points = sorted(cuts)
        segments = [Segment(self._gutter(start, end), base + self._style("gutter"))]
        for a, b in zip(points, points[1:]):
            if a >= b:
                continue
            style = base
            for s, e, span_style in spans:
                if s < b and e > a:
                    style = style + span_style
            if self._few_colours:
                style = legible_on_tint(style)
            chunk = self._text[a:min(b, end)].replace("\t", TAB)
            if b > end:  # the cell after the text, where the cursor can rest
                chunk += " "
            segments.append(Segment(chunk, style))
        return Strip(segments).adjust_cell_length(width, base)


def thumb_cells(scrollbar: ScrollBar, position: float) -> tuple[int, int] | None:
    """Where *scrollbar* draws its thumb at *position*, in eighths of a cell (as Textual's
    ScrollBarRender.render_bar computes it); None when it draws no thumb."""
    size = scrollbar.size.height
    virtual_size, window_size = ceil(scrollbar.window_virtual_size), ceil(scrollbar.window_size)
    if window_size >= virtual_size or not (window_size and size and virtual_size) or size == virtual_size:
        return None
    thumb_size = max(1, window_size / (virtual_size / size))
    start = int((size - thumb_size) * (position / (virtual_size - window_size)) * 8)
    return start, start + ceil(thumb_size * 8)


def colour_scheme(no_color: bool, color_system: str | None) -> str:
    """The style scheme for what the terminal shows: "full" (truecolor), "256-colours",
    "few-colours" (the 16 ANSI colours) or "mono" (NO_COLOR, or no colour at all)."""
    if no_color or color_system is None:
        return "mono"
    if color_system in ("standard", "windows"):
        return "few-colours"
    return "256-colours" if color_system == "256" else "full"


def contrast(a: ColorTriplet, b: ColorTriplet) -> float:
    """The WCAG contrast ratio of two colours: 1 (the same) to 21 (black and white)."""

    def luminance(colour: ColorTriplet) -> float:
        linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in colour.normalized]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(tint: int) -> int:
    """Black (0) or bright white (15), whichever reads better on ANSI colour *tint*."""
    return max((0, 15), key=lambda text: contrast(STANDARD_PALETTE[text], STANDARD_PALETTE[tint]))


_TINTED = {*FEW_COLOURS_TINTS.values(), FEW_COLOURS_CURSOR}
_GROUP_OF_TEXT = {number: group for group, number in FEW_COLOURS_TEXT.items()}


@lru_cache(maxsize=512)
def legible_on_tint(style: Style) -> Style:
    """*style*, as the 16-colour scheme draws it.

    No text colour reads on every tint there (bright red numbers on a green quote are 1.01:1), so
    text inside a tint (annotation, suggestion, find match, cursor) takes black or bright white,
    whichever reads better on it, and its entity group shows by text style as under mono. The
    cursor is never reversed: inside the selection too it stays the one cell on bright white.
    """
    fg, bg = style.color, style.bgcolor
    if fg is None or bg is None:
        return style
    tint = bg.downgrade(ColorSystem.STANDARD).number
    if tint not in _TINTED:
        return style
    group = _GROUP_OF_TEXT.get(fg.downgrade(ColorSystem.STANDARD).number, "plain")
    text_style = GROUP_TEXT_STYLES.get(group, "").split()
    return style + Style(color=ansi_hex(text_on(tint)), bold="bold" in text_style, italic="italic" in text_style,
                         underline="underline" in text_style, reverse=False if tint == FEW_COLOURS_CURSOR else None)


def overlaps(marks: list[Mark]) -> list[tuple[int, int]]:
    """The ranges covered by two marks or more, in order (marks are few per line)."""
    edges = sorted([(m.start, 1) for m in marks] + [(m.end, -1) for m in marks])
    ranges: list[tuple[int, int]] = []
    depth, since = 0, 0
    for offset, step in edges:
        if depth < 2 <= depth + step:
            since = offset
        elif depth >= 2 > depth + step and offset > since:
            ranges.append((since, offset))
        depth += step
    return ranges


class WrapTable(Sequence[tuple[int, int]]):
    """Visual lines as (start, end) ranges of the text, newlines excluded, stored as their starts only:
    8 bytes a line, where a list of tuples takes about 100. A line ends where the next one starts,
    less the newline between them; the last one ends at *end*."""

    __slots__ = ("_text", "starts", "end")

    def __init__(self, text: str, starts: array, end: int) -> None:
        self._text = text
        self.starts = starts
        self.end = end

    @classmethod
    def empty(cls, text: str) -> WrapTable:
        return cls(text, array("q", [0]), 0)

    @classmethod
    def of(
        cls, text: str, width: int, start: int = 0, end: int | None = None, odd_lines: Sequence[int] | None = None
    ) -> WrapTable:
        end = len(text) if end is None else end
        return cls(text, line_starts(text, width, start, end, odd_lines), end)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, line):  # an int gives (start, end); a slice, a list of them
        if isinstance(line, slice):
            return [self[i] for i in range(*line.indices(len(self.starts)))]
        starts = self.starts
        start = starts[line]
        following = (line if line >= 0 else line + len(starts)) + 1
        if following >= len(starts):
            return start, self.end
        after = starts[following]
        return start, after - 1 if self._text[after - 1] == "\n" else after

    def __eq__(self, other: object) -> bool:
        if isinstance(other, WrapTable):
            return self.starts == other.starts and self.end == other.end
        return NotImplemented

    def rewrapped(self, old_width: int, width: int, odd_lines: Sequence[int]) -> WrapTable:
        """The whole text, which this table wraps to *old_width*, wrapped to *width*; *odd_lines*
        are the starts of the hard lines holding a character that is not one cell wide.

        A hard line of single-cell characters no longer than either width is one visual line at
        both, so its start is copied; only the other hard lines are wrapped again. Short
        paragraphs by the million then cost one scan for long lines, not a loop over them.
        """
        text, old = self._text, self.starts
        starts = array("q")
        done = 0  # the text before this is in *starts*
        for line_start in heapq.merge(_long_line_starts(text, min(old_width, width)), odd_lines):
            if line_start < done:
                continue  # a line both long and odd, already wrapped
            line_end = text.find("\n", line_start)
            line_end = len(text) if line_end == -1 else line_end
            starts.extend(old[bisect.bisect_left(old, done):bisect.bisect_left(old, line_start)])
            starts.extend(line_starts(text, width, line_start, line_end))
            done = line_end + 1
        starts.extend(old[bisect.bisect_left(old, done):])
        return WrapTable(text, starts, len(text))


def wrap(text: str, width: int, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Soft-wrap *text* (or the lines from *start* to *end*) to *width* cells: a list of
    (start, end) ranges, newlines excluded.

    A line ends after the last word that fits, keeping the white space after it;
    a word longer than a line is cut.
    """
    return list(WrapTable.of(text, width, start, end))


def line_starts(
    text: str, width: int, start: int, end: int, odd_lines: Sequence[int] | None = None, into: array | None = None
) -> array:
    """Where each visual line of text[start:end] starts, wrapped to *width* cells (added to *into*, if given).

    Hard lines of single-cell characters (nearly all news text) are wrapped many at a time by
    one regular expression, so a million short paragraphs cost one pass of it; only a line
    holding a wide, combining or tab character is wrapped on its own. *odd_lines*, where known,
    are the starts of those lines (see odd_line_starts), which spares a search for them.
    """
    starts = array("q") if into is None else into
    fast = _line_pattern(width)
    pos = start
    while True:
        line_start = _next_odd_line(text, pos, end, odd_lines)
        if line_start is None:
            starts.extend(map(_match_start, fast.finditer(text, pos, end)))
            return starts
        if line_start > pos:  # the single-cell lines before it, without the newline that ends them
            starts.extend(map(_match_start, fast.finditer(text, pos, line_start - 1)))
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end == -1 else line_end
        pieces: list[tuple[int, int]] = []
        _wrap_line(text, line_start, line_end, width, pieces)
        starts.extend(piece_start for piece_start, _ in pieces)
        if line_end == end:
            return starts
        pos = line_end + 1


def odd_line_starts(text: str) -> array:
    """The start of every hard line that holds a character not one cell wide, in one pass."""
    found = array("q")
    pos = 0
    while (line_start := _next_odd_line(text, pos, len(text), None)) is not None:
        found.append(line_start)
        line_end = text.find("\n", line_start)
        if line_end == -1:
            break
        pos = line_end + 1
    return found


def _next_odd_line(text: str, pos: int, end: int, odd_lines: Sequence[int] | None) -> int | None:
    """The start of the first hard line in text[pos:end] (pos starts a line) holding an odd character."""
    if odd_lines is not None:
        i = bisect.bisect_left(odd_lines, pos)
        return odd_lines[i] if i < len(odd_lines) and odd_lines[i] < end else None
    odd = _NOT_SINGLE_CELL.search(text, pos, end)
    if odd is None:
        return None
    newline = text.rfind("\n", pos, odd.start())
    return pos if newline == -1 else newline + 1


def _long_line_starts(text: str, width: int) -> Iterable[int]:
    """The start of every hard line longer than *width* characters, in order."""
    first_end = text.find("\n")
    if (len(text) if first_end == -1 else first_end) > width:
        yield 0
    # A newline first lets the search skip from one newline to the next, many times faster than ^.
    for line in re.finditer(rf"\n[^\n]{{{width + 1}}}", text):
        yield line.start() + 1


_match_start = re.Match.start


# Tabs, combining marks, zero-width and wide characters: anything not one cell wide.
_NOT_SINGLE_CELL = re.compile(
    "[\t\u0300-\u036f\u1100-\u115f\u200b-\u200f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
    "\ufe00-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0001faff\U00020000-\U0003fffd]"
)


@lru_cache(maxsize=8)
def _line_pattern(width: int) -> re.Pattern[str]:
    # As many characters as fit that end a word, else a cut of a too-long word; then the spaces
    # after. An empty line is an empty match at its start.
    return re.compile(rf"(?:[^\n]{{1,{width}}}(?=\s|\Z)|[^\n]{{1,{width}}})[^\S\n]*|^(?=\n|\Z)", re.MULTILINE)


def _width(chunk: str) -> int:
    if chunk.isascii():
        return len(chunk) + chunk.count("\t") * (len(TAB) - 1)
    return cell_len(chunk.replace("\t", TAB))


#: Cell widths of the characters met in words too long for a line, measured once each.
_CHAR_WIDTHS: dict[str, int] = {}


def _wrap_line(text: str, start: int, end: int, width: int, lines: list[tuple[int, int]]) -> None:
    """Wrap one hard line that holds characters other than single-cell ones.

    Every character is measured a bounded number of times, so the time is linear in the
    line's length however long its words are."""
    if _width(text[start:end]) <= width:
        lines.append((start, end))
        return
    line_start, x = start, 0
    for m in _TOKEN.finditer(text, start, end):
        token_start, token_end = m.span()
        word_end = token_start + len(m.group().rstrip())
        word = _width(text[token_start:word_end])
        if x and x + word > width:
            lines.append((line_start, token_start))
            line_start, x = token_start, 0
        if word > width:  # a word longer than a line: cut it into pieces that fit
            line_start, word = _cut(text, line_start, word_end, width, lines)
        x += word + _width(text[word_end:token_end])
    lines.append((line_start, end))


def _cut(text: str, start: int, end: int, width: int, lines: list[tuple[int, int]]) -> tuple[int, int]:
    """Append the full-width pieces of the too-long word text[start:end]; return where the
    last piece starts and its width (the piece stays open for what follows the word)."""
    widths = _CHAR_WIDTHS
    piece_start, taken = start, 0
    for i, ch in enumerate(text[start:end], start):
        w = widths.get(ch)
        if w is None:
            w = widths[ch] = cell_len(ch)
        # A zero-width character (a combining mark, a joiner) stays with the one before it.
        if w and taken + w > width and i > piece_start:
            lines.append((piece_start, i))
            piece_start, taken = i, 0
        taken += w
    return piece_start, taken
