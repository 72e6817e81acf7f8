"""The baseline for launch time: a bare Textual app that shows one line of text."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

#: What the launch benchmark waits for on screen.
GREETING = "Bare Textual baseline: nothing here but this line."


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(GREETING)


if __name__ == "__main__":
    BareApp().run()
