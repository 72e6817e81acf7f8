"""The status bar: article, position, analysis state, what is under the cursor, saving."""

from __future__ import annotations

import os
import re

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

#: How the reader joins what is under the cursor.
PARTS = " | "
#: The keys to press at the end of a hint, like "(esc cancels)" or "(a/x)": never cut.
KEYS = re.compile(r"\([^()]*\)$")


def shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: width - 1] + "…" if width >= 4 else ""


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
    position: reactive[str] = reactive("")
    analysis: reactive[str] = reactive("")
    under_cursor: reactive[str] = reactive("")
    saving: reactive[str] = reactive("")
    database: reactive[str] = reactive("")

    def fields(self, width: int) -> dict[str, str]:
        """The right-hand fields, made to fit *width*: the database, then what is under the cursor
        (whole parts, from the end), then the analysis give way; a hint (a part ending in the keys to
        press) is never cut, only told more briefly, and the title gives it its room. The save state
        and the position never give way."""
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
        parts = [part for part in self.under_cursor.split(PARTS) if part]
        hints = [part for part in parts if KEYS.search(part)]
        info = [part for part in parts if not KEYS.search(part)]
        while overflow() > 0 and info and len(hints) + len(info) > 1:
            info.pop()
            fields["under_cursor"] = PARTS.join(part for part in parts if part in hints or part in info)
        if overflow() > 0:
            fields["analysis"] = ""
        if overflow() > 0 and info and not hints:
            fields["under_cursor"] = shorten(fields["under_cursor"], len(fields["under_cursor"]) - overflow())
        for hint in reversed(hints):
            for form in hint_forms(hint):
                if overflow(title_room=1) <= 0:
                    break
                fields["under_cursor"] = fields["under_cursor"].replace(hint, form)
                hint = form
        return fields

    def render(self) -> Text:
        # Built from plain strings: article titles and file names are never markup.
        fields = self.fields(self.size.width)
        styles = {
            "under_cursor": "italic",
            "analysis": "bold",
            "saving": "reverse" if "fail" in self.saving else "",
            "database": "dim",
            "position": "bold",
        }
        right = Text.assemble(*((f" {value} ", styles[name]) for name, value in fields.items() if value))
        room = max(0, self.size.width - right.cell_len - 1)
        left = Text(f" {self.title}", no_wrap=True)
        if room > 1:
            left.truncate(room, overflow="ellipsis", pad=True)
        else:  # Rich keeps the whole text for an ellipsis in no room at all
            left = Text(" " * room)
        return Text.assemble(left, right, no_wrap=True, overflow="crop")
