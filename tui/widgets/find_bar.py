"""The find bar: type text, enter finds it after the cursor; the bar stays to show which match of how
many the cursor is on, and whether n/N wrapped around, until esc closes it."""

from __future__ import annotations

from textual import _time, events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static
from textual.widgets.input import Selection

PLACEHOLDER = "type text, enter jumps to the next match, esc closes"


class TypedAhead:
    """The keys of one find, typed faster than focus moves. Those after `/` until the find input has focus:
    the bar is mounted just after the first paint and focus moves a step later, so a paste or a slow link
    sends text that would otherwise run as reader commands (`d` deleting an annotation). The reader hands
    them here; the input types them in order. And those after the enter or esc that ends the find, until the
    reader has focus back: they are the reader's, so they are held and sent again once it has (`/stopped`,
    enter, `q` in one write tags the quotation found), in the order typed, each once."""

    def __init__(self) -> None:
        self.keys: list[events.Key] = []
        self.input: Input | None = None  # once focused, the keys typed ahead are in it
        self.after: list[events.Key] | None = None  # once enter or esc ended the find: the keys typed after it
        self.sent_at: float | None = None  # when the keys after were sent again, to the reader
        self._sent: list[events.Key] = []  # those sent again, to let them act when they come back
        self._app = None

    async def take(self, event: events.Key) -> bool:
        """Keep *event* for the query, or for the reader once it has focus; False if it is not this one's
        to keep."""
        if self.input is not None and event is self.input.last_key:
            return False  # the input had it
        if self.after is not None:
            return self.hold(event)
        if self.input is None:
            self.keys.append(event)
            return True
        # A key reaching the reader while the input has focus, that the input never saw, was sent before
        # focus moved: it is still the query's.
        if self.input.has_focus:
            await self.type(event, self.input, [])
            return True
        return False

    def hold(self, event: events.Key) -> bool:
        """After the find ended: keep *event* until the reader has focus, or, when it was in flight as the
        held keys were sent again, send it after them; False for a key the reader should act on now."""
        if any(event is sent for sent in self._sent):
            self._sent = [sent for sent in self._sent if sent is not event]
            return False
        if self.sent_at is None:
            self.after.append(event)
            return True
        if event.time < self.sent_at:  # typed before the held keys were sent: it goes behind them
            self._send(event)
            return True
        return False

    def end(self, rest: list[events.Key]) -> None:
        """The find ended (enter or esc); *rest* were typed after that and are the reader's."""
        if self.after is None:
            self.after = list(rest)

    def give_back(self, app) -> None:
        """The reader has focus again (asked for: Textual moves it after this): send it the held keys."""
        if self.after is None or self.sent_at is not None:
            return
        self._app, self.sent_at = app, _time.get_time()  # the clock that stamps Textual's events
        for event in self.after:
            self._send(event)
        self.after = []

    def _send(self, event: events.Key) -> None:
        def send() -> None:
            # Made in the app's own callback, as the driver makes keys: a key made by the reader would stop
            # bubbling at the reader, as sent by it, and never reach the bindings.
            again = events.Key(event.key, event.character)
            self._sent.append(again)
            self._app.post_message(again)  # through the app, as typed: to the focused widget, then the bindings

        self._app.call_later(send)

    async def replay_into(self, query: FindInput) -> None:
        self.input = query
        keys, self.keys = self.keys, []
        for index, event in enumerate(keys):
            if not await self.type(event, query, keys[index + 1 :]):
                return

    async def type(self, event: events.Key, query: FindInput, rest: list[events.Key]) -> bool:
        """What *event* does in the query (*rest* typed after it); False once it ran or closed the find."""
        if event.is_printable:
            type_into(query, event.character or "")
        elif event.key == "backspace":
            query.action_delete_left()
        elif event.key in ("enter", "escape"):
            self.end(rest)  # before the find runs: what is typed after it waits for the reader
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

    typed_ahead: TypedAhead | None = None  # the keys to type on focus
    find_keys: TypedAhead | None = None  # those of this find, for what is typed after its enter or esc
    last_key: events.Key | None = None  # the last key sent to the input itself

    def __init__(self, **kwargs) -> None:
        super().__init__(select_on_focus=False, **kwargs)

    def on_key(self, event: events.Key) -> None:
        find_keys = self.find_keys
        if find_keys is not None and find_keys.after is not None and find_keys.hold(event):
            # Sent before the reader took focus back from the ended find: the reader's, not the query's.
            event.stop()
            event.prevent_default()
            return
        self.last_key = event
        if find_keys is not None and event.key in ("enter", "escape"):
            find_keys.end([])

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
        self.query_input.typed_ahead = self.query_input.find_keys = typed_ahead
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
