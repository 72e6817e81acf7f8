"""The find bar: type text, enter finds it after the cursor."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FindBar(Input):
    DEFAULT_CSS = """
    FindBar {
        display: none;
        border: none;
        height: 1;
        padding: 0 1;
        &.-shown { display: block; }
    }
    """

    BINDINGS = [Binding("escape", "close", "Close find", id="find-close")]

    class Find(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Closed(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="find: type text, enter jumps to the next match, esc closes", id=id)

    def open(self) -> None:
        self.add_class("-shown")
        self.focus()

    def action_close(self) -> None:
        self.remove_class("-shown")
        self.post_message(self.Closed())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.remove_class("-shown")
        self.post_message(self.Find(event.value))
