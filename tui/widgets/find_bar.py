"""The find bar: type text, enter finds it after the cursor; the bar stays to show which match of how
many the cursor is on, and whether n/N wrapped around, until esc closes it."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static
from textual.widgets.input import Selection

PLACEHOLDER = "type text, enter jumps to the next match, esc closes"


class TypedAhead:
    """The keys typed after `/` until the find input has focus: the bar is mounted just after the first
    paint and focus moves a step later, so a paste or a slow link sends text that would otherwise run as
    reader commands (`d` deleting an annotation). The reader hands them here; the input types them in order."""

    def __init__(self) -> None:
        self.keys: list[events.Key] = []
        self.input: Input | None = None  # once focused, the keys typed ahead are in it

    async def take(self, event: events.Key) -> bool:
        """Keep *event* for the query; False if it is not this one's to keep."""
        if self.input is None:
            self.keys.append(event)
            return True
        # A key reaching the reader while the input has focus, that the input never saw, was sent before
        # focus moved: it is still the query's.
        if self.input.has_focus and event is not self.input.last_key:
            await self.type(event, self.input)
            return True
        return False

    async def replay_into(self, query: FindInput) -> None:
        self.input = query
        keys, self.keys = self.keys, []
        for event in keys:
            if not await self.type(event, query):
                return

    @staticmethod
    async def type(event: events.Key, query: FindInput) -> bool:
        """What *event* does in the query; False once it ran or closed the find."""
        if event.is_printable:
            type_into(query, event.character or "")
        elif event.key == "backspace":
            query.action_delete_left()
        elif event.key in ("enter", "escape"):
            # Keys sent after this in that same instant are let go: the reader has not yet taken focus back.
            if event.key == "enter":
                await query.action_submit()
            else:
                query.parent.action_close()
            return False
        # Anything else (an arrow, a function key) means nothing to a query still being typed.
        return True


def type_into(query: Input, text: str) -> None:
    """What typing *text* does: it replaces the selection (all of the last query, just after focus)."""
    if query.selection.is_empty:
        query.insert_text_at_cursor(text)
    else:
        query.replace(text, *query.selection)


class FindInput(Input):
    """The query. It selects the last query on focus itself (Input's own handler, which runs after this
    one, would select what was typed ahead too, and the next key would replace it)."""

    typed_ahead: TypedAhead | None = None
    last_key: events.Key | None = None  # the last key sent to the input itself

    def __init__(self, **kwargs) -> None:
        super().__init__(select_on_focus=False, **kwargs)

    def on_key(self, event: events.Key) -> None:
        self.last_key = event

    async def _on_focus(self, event: events.Focus) -> None:
        if not event.from_app_focus:
            self.selection = Selection(0, len(self.value))  # so what is typed replaces the last query
        typed, self.typed_ahead = self.typed_ahead, None
        if typed is not None:
            await typed.replay_into(self)


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
        yield FindInput(placeholder=PLACEHOLDER, compact=True, id="find-query")
        yield Static("", id="find-count", markup=False)

    @property
    def query_input(self) -> FindInput:
        return self.query_one(FindInput)

    #: What the bar says of the matches, as shown.
    count_text = ""

    def open(self, typed_ahead: TypedAhead | None = None) -> None:
        self.add_class("-shown")
        self.query_input.typed_ahead = typed_ahead
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
