"""The statistics screen (`%` in the reader): what `annotty stats` prints, for the app's database."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotations.stats import rich_tables, summarise, tables


class StatsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    StatsScreen { align: center middle; }
    StatsScreen > VerticalScroll {
        width: 100;
        max-width: 100%;
        height: 100%;
        max-height: 40;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape,q,percent_sign", "dismiss", "Close", id="stats-close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "statistics: yours only (blind)" if self.app.session.blind else "statistics"
            scroll.border_subtitle = "esc closes"
            yield Static(Text("counting…"), id="stats-body")

    def __init__(self) -> None:
        super().__init__()
        self.shown: list = []  # the tables on screen, once counted

    def on_mount(self) -> None:
        self.count()

    @work(thread=True, exclusive=True)
    def count(self) -> None:
        app = self.app
        # What is still being written counts too: the file is read once the queue is empty (or after a while).
        app.saves.flush(2)
        # Blind double annotation: the others' counts would tell what they tagged, so only one's own show.
        only = app.session.annotator if app.session.blind else None
        summary = summarise(app.store, app.analyser.cached, app.options.threshold, only=only)
        app.call_from_thread(self._show, tables(summary))

    def _show(self, found) -> None:
        from rich.console import Group

        self.shown = found
        self.query_one("#stats-body", Static).update(Group(*rich_tables(found)))
