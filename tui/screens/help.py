"""The help screen: the keys of the screen underneath, as currently bound, in groups, and what
the margin letters and the tints of the article mean."""

from __future__ import annotations

import re

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..keymap import config_path, describe_keys

#: Kept for the command palette, which shows keys the same way.
describe_key = describe_keys

#: The groups of the help, in order, with the ids of the bindings in each; a binding not
#: named here (another screen's, or a new one) is listed under "Other keys".
GROUPS: dict[str, tuple[str, ...]] = {
    "Move": (
        "cursor-left", "cursor-right", "cursor-up", "cursor-down", "next-word", "previous-word",
        "next-sentence", "previous-sentence", "next-paragraph", "previous-paragraph", "start", "end",
        "page-down", "page-up", "next-entity", "previous-entity", "next-annotation", "previous-annotation",
        "find", "next-match", "previous-match",
    ),
    "Select and tag": (
        "select", "extend-left", "extend-right", "extend-up", "extend-down", "clear-selection",
        "select-sentence", "select-quotation", "tag-quote", "tag-claim", "tag-label", "link-speaker",
        "edit", "delete", "undo", "redo",
    ),
    "Suggestions": ("accept", "reject", "accept-all", "toggle-all-suggestions", "toggle-suggestion-panel"),
    "View": ("toggle-highlighting", "toggle-label", "toggle-entity-panel", "toggle-annotation-panel", "cycle-layer"),
    "Articles": ("next-article", "previous-article", "open-corpus", "toggle-done", "next-not-done", "show-stats"),
    "App": ("help", "quit", "quit-browser", "palette", "palette-browser"),
}

#: What a web browser (`annotty serve`) keeps for itself, and the keys to use there instead.
BROWSER_KEYS = ("In a web browser, which keeps ctrl+w, ctrl+t, ctrl+n, ctrl+q and often ctrl+r and ctrl+p "
                "for itself: Q quits, U redoes, : opens the commands; in a text field alt+backspace "
                "deletes a word.")

#: A few words more than the binding's description, where the key does more than its name says.
HINTS = {
    "cycle-layer": "mine, everyone's, each annotator, gold",
    "tag-quote": "selection or quotation",
    "tag-claim": "selection or sentence",
    "link-speaker": "quote, then name",
    "edit": "label, speaker, note, status",
    "delete": "or a wrong entity",
    "open-corpus": "status, counts, progress; enter opens",
    "next-not-done": "for you, going round",
    "palette": "every key by name",
    "reject": "again: un-reject",
}

#: The nine "toggle label N" bindings are one row.
_TOGGLE_LABEL = re.compile(r"toggle-label-\d+$")


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 76;
        max-width: 100%;
        height: 100%;
        max-height: 40;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen .group { text-style: bold; color: $accent; margin-top: 1; }
    HelpScreen .group:first-child { margin-top: 0; }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help-close"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self._under = under

    def compose(self) -> ComposeResult:
        rows = self._rows()
        with VerticalScroll() as scroll:
            scroll.border_title = "annotty keys"
            scroll.border_subtitle = "esc closes"
            for group in [*GROUPS, "Other keys"]:
                if rows.get(group):
                    yield Static(Text(group), classes="group")
                    yield Static(_table(rows[group]))
            yield Static(Text("The margin and the tints"), classes="group")
            yield Static(self._marks_explained())
            footer = Text.assemble(
                "\nIds (dim, after each key) name keys in ", (str(config_path()), "bold"),
                ': [keys] binding-id = "key". ctrl+p finds any command by name.', style="dim",
            )
            yield Static(footer)
            yield Static(Text(BROWSER_KEYS, style="dim"), id="help-browser-keys")

    def _rows(self) -> dict[str, list[tuple[str, str, str, str]]]:
        """{group: [(keys, description, hint, id)]} for every binding, as currently bound."""
        keymap = getattr(self.app, "user_keys", {})
        group_of = {binding_id: group for group, ids in GROUPS.items() for binding_id in ids}
        rows: dict[str, list[tuple[str, str, str, str]]] = {}
        toggles: list[str] = []
        for binding in [*self._under.BINDINGS, *self.app.BINDINGS]:
            if not isinstance(binding, Binding):
                continue
            keys = describe_keys(keymap.get(binding.id, binding.key) if binding.id else binding.key)
            if binding.id and _TOGGLE_LABEL.match(binding.id):
                if not toggles:
                    rows.setdefault(group_of["toggle-label"], []).append(("", "Hide / show a legend label",
                                                                         "", ""))
                toggles.append(keys)
                continue
            group = group_of.get(binding.id or "", "Other keys")
            rows.setdefault(group, []).append((keys, binding.description, HINTS.get(binding.id or "", ""),
                                               binding.id or ""))
        if toggles:
            view = rows[group_of["toggle-label"]]
            at = next(i for i, row in enumerate(view) if row[1] == "Hide / show a legend label")
            digits = [str(n) for n in range(1, len(toggles) + 1)]
            keys = f"1..{len(toggles)}" if toggles == digits else " ".join(toggles)
            view[at] = (keys, view[at][1], view[at][2], f"toggle-label-1..{len(toggles)}")
        return rows

    def _marks_explained(self) -> Table:
        """Margin letters, and a sample of each tint drawn in the article's own styles."""
        from ..widgets.article_view import ArticleView

        views = self._under.query(ArticleView)
        view = views.first() if views else None

        def sample(word: str, name: str) -> Text:
            if view is None:
                return Text(word)
            return Text(f" {word} ", style=view.rich_style + view.get_component_rich_style(f"article-view--{name}"))

        table = _table([
            ("Q  C", "a quote, a claim on the line; other labels: first letter", "", ""),
            ("q  c", "a suggested quote, claim: a accepts, x rejects", "", ""),
            ("*", "several on the line; S and A list them", "", ""),
        ])
        accepted = Text(" ").join([sample("quote", "quote"), sample("claim", "claim"),
                                   sample("other label", "entity-mark"), sample("several", "overlap")])
        suggested = Text(" ").join([sample("quote", "quote-suggestion"), sample("claim", "claim-suggestion")])
        states = Text(" ").join([sample("selection", "selection"), sample("find match", "match"),
                                 sample("cursor", "cursor")])
        table.add_row(Text("tints"), accepted)
        table.add_row(Text("suggested"), suggested)
        table.add_row(Text(""), states)
        table.add_row(Text("entities"), Text("coloured as in the legend below the text"))
        return table


def _table(rows: list[tuple[str, str, str, str]]) -> Table:
    """Keys on the left; the description, a hint and the binding id (dim) on the right."""
    table = Table(box=None, show_header=False, expand=True, padding=(0, 1, 0, 0))
    table.add_column("Key", no_wrap=True, width=14, style="bold")
    table.add_column("Does", ratio=1)
    for keys, description, hint, binding_id in rows:
        does = Text(description)
        if hint:
            does.append(f" ({hint})", Style(italic=True))
        if binding_id:
            does.append(f"  {binding_id}", Style(dim=True))
        table.add_row(Text(keys), does)
    return table
