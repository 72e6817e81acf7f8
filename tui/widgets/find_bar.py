"""The find bar: type text, enter finds it after the cursor; the bar stays to show which match of how
many the cursor is on, and whether n/N wrapped around, until esc closes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

PLACEHOLDER = "type text, enter jumps to the next match, esc closes"


class FindBar(Horizontal):
    # One line whether focused or not: Input's focus border would take both of them.
    DEFAULT_CSS = """
    FindBar {
        display: none;
        height: 1;
        padding: 0 1;
        background: $panel;
        &.-shown { display: block; }
        & > #find-label { width: auto; text-style: bold; padding-right: 1; }
        & > Input, & > Input:focus { width: 1fr; height: 1; border: none; padding: 0; }
        & > #find-count { width: auto; padding-left: 1; }
    }
    """

    BINDINGS = [Binding("escape", "close", "Close find", id="find-close")]

    class Find(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        yield Static("find", id="find-label")
        yield Input(placeholder=PLACEHOLDER, compact=True, id="find-query")
        yield Static("", id="find-count", markup=False)

    @property
    def query_input(self) -> Input:
        return self.query_one(Input)

    #: What the bar says of the matches, as shown.
    count_text = ""

    def open(self) -> None:
        self.add_class("-shown")
        self.query_input.focus()  # which selects what is there, so typing replaces it

    def show_count(self, index: int | None, total: int, wrapped: str = "") -> None:
        """Show that the cursor is on match *index* (from 0) of *total*, and where the search wrapped to."""
        if total == 0:
            text = "no matches"
        elif index is None:
            text = f"{total} matches"
        else:
            text = f"{index + 1}/{total}"
        self.count_text = f"{text}  wrapped to the {wrapped}" if wrapped else text
        self.query_one("#find-count", Static).update(self.count_text)

    def action_close(self) -> None:
        self.remove_class("-shown")
        self.count_text = ""
        self.query_one("#find-count", Static).update("")
        self.post_message(self.Closed())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Find(event.value))
