"""The status bar: article, its place in the corpus, position, analysis state, what is under the cursor, saving."""

from __future__ import annotations

import os
import re

from rich.segment import Segment
from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

#: How the reader joins what is under the cursor.
PARTS = " | "
#: The keys to press at the end of a hint, like "(esc cancels)" or "(a/x)": never cut.
KEYS = re.compile(r"\([^()]*\)$")


def shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: width - 1] + "…" if width >= 4 else ""


def shorten_keeping_tail(text: str, width: int) -> str:
    """*text* cut to *width* in its middle, keeping its first clause ("save failed:") and its closing
    parenthesis ("(3 unsaved, retrying)") whole: a save error's file name gives way first."""
    tail = KEYS.search(text)
    if len(text) <= width or tail is None:
        return shorten(text, width)
    head = text[: tail.start()].rstrip()
    first = head.split(": ", 1)[0] + ":"
    return shorten(head, max(width - len(tail.group()) - 1, len(first) + 1)) + " " + tail.group()


def hint_forms(hint: str) -> list[str]:
    """Shorter and shorter forms of *hint*, each keeping its last clause ("press @ (esc cancels)"),
    or just its keys, whole: the words before that give way from the end."""
    clauses = re.split(r"(?<=[:,]) ", hint)
    if len(clauses) > 1:
        head, tail = " ".join(clauses[:-1]), clauses[-1]
    else:
        keys = KEYS.search(hint)
        head, tail = hint[: keys.start()].rstrip(), keys.group() if keys else ""
    words = head.split()
    forms = [" ".join(words[:n]).rstrip(",:") + "… " + tail for n in range(len(words) - 1, 0, -1)]
    return forms + [tail]


class StatusBar(Widget):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    title: reactive[str] = reactive("")
    #: Where the article is in the corpus and its status ("3/120 done"): right after the title, never cut.
    corpus: reactive[str] = reactive("")
    position: reactive[str] = reactive("")
    analysis: reactive[str] = reactive("")
    under_cursor: reactive[str] = reactive("")
    saving: reactive[str] = reactive("")
    database: reactive[str] = reactive("")

    def fields(self, width: int) -> dict[str, str]:
        """The right-hand fields, made to fit *width*: the database, then the analysis (an entity count,
        the least use while annotating), then what is under the cursor (whole parts, from the end) give
        way; a hint (a part ending in the keys to press) is never cut, only told more briefly, and the
        title gives it its room. The position never gives way, nor does the save state but for the
        middle of a failure's reason (the file name), last of all."""
        fields = {
            "under_cursor": self.under_cursor,
            "analysis": self.analysis,
            "saving": self.saving,
            "database": self.database,
            "position": self.position,
        }

        def overflow(title_room: int = 12) -> int:  # keep a little of the title in sight where possible
            return sum(len(v) + 2 for v in fields.values() if v) - (width - title_room)

        if overflow() > 0:
            fields["database"] = os.path.basename(self.database)
        if overflow() > 0:
            fields["database"] = ""
        if overflow() > 0:
            fields["analysis"] = ""
        # What is under the cursor comes most important first: a hint, the annotations, a suggestion,
        # then the entities; parts give way from the end.
        parts = [part for part in self.under_cursor.split(PARTS) if part]
        forms = {part: hint_forms(part) for part in parts if KEYS.search(part)}

        def show(parts: list[str]) -> None:
            fields["under_cursor"] = PARTS.join(parts)

        while overflow() > 0 and len(parts) > 1 and parts[-1] not in forms:
            parts.pop()
            show(parts)
        while parts and overflow(title_room=1) > 0:
            last = parts[-1]
            if forms.get(last):  # a hint is told more briefly, never cut
                parts[-1] = forms[last].pop(0)
                forms[parts[-1]] = forms.pop(last)
            elif len(parts) > 1:
                parts.pop()
            else:
                if last not in forms:  # information, not a hint: cut at the end
                    parts[-1] = shorten(last, len(last) - overflow(title_room=1))
                    show(parts)
                break  # what is left is as short as it gets (even a hint's briefest form stays whole)
            show(parts)
        if self.saving and overflow(title_room=1) > 0:
            # A save error naming a long path: the path gives way, so that the count of unsaved changes
            # and the position stay in sight.
            fields["saving"] = shorten_keeping_tail(self.saving, len(self.saving) - overflow(title_room=1))
        return fields

    def render(self) -> Text:
        # Built from plain strings: article titles and file names are never markup.
        corpus = Text(f" [{self.corpus}]", style="bold", no_wrap=True) if self.corpus else Text("")
        fields = self.fields(max(0, self.size.width - corpus.cell_len))
        styles = {
            "under_cursor": "italic",
            "analysis": "bold",
            "saving": "reverse" if "fail" in self.saving else "",
            "database": "dim",
            "position": "bold",
        }
        right = Text.assemble(*((f" {value} ", styles[name]) for name, value in fields.items() if value))
        room = max(0, self.size.width - right.cell_len - corpus.cell_len - 1)
        left = Text(f" {self.title}", no_wrap=True)
        if room > 1:
            left.truncate(room, overflow="ellipsis", pad=True)
        else:  # Rich keeps the whole text for an ellipsis in no room at all
            left = Text(" " * room)
        if room > 1 and corpus:  # the position follows the title, which alone gives way
            left.rstrip()
            left.append_text(corpus)
            left.pad_right(room + corpus.cell_len - left.cell_len)
            return Text.assemble(left, right, no_wrap=True, overflow="crop")
        return Text.assemble(left, corpus, right, no_wrap=True, overflow="crop")

    def render_line(self, y: int) -> Strip:
        """The bar's one line, drawn by Rich straight from render()'s Text. It changes on nearly
        every cursor move, and Textual's general path for a widget's content took a millisecond
        of each frame for it, more than the lines of article text the move drew."""
        base, width = self.rich_style, self.size.width
        if y:
            return Strip.blank(width, base)
        segments = Segment.apply_style(self.render().render(self.app.console, end=""), base)
        return Strip(segments).adjust_cell_length(width, base)
