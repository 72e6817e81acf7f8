"""The corpus screen: every article of the folder, its counts and status, progress at the top.

Rows are drawn line by line (Textual's Line API, :class:`CorpusTable`), so ten thousand
articles cost ten thousand small tuples, not ten thousand widgets. A row's title and counts
are read when the row is first drawn, in a worker thread (the file is read then, and the
article put in the store's articles table); until then a row shows its file's name and
``…``. Sorting or filtering by title reads every title, also in the worker, and the rows
follow as they come.

Keys: up/down/pgup/pgdn/home/end move, enter opens, ``/`` filters by title text, ``f``
cycles the status filter, ``s`` the sort, ``a`` whose status is shown (and filtered), esc
goes back to the reader.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, ProgressBar, Static
from textual.worker import get_current_worker

from annotations.article import sanitise_line
from annotations.corpus import DONE, IN_PROGRESS, NEW, STATUSES, Corpus
from annotations.natural import natural_key

#: How each annotator's column shows a status.
MARKS = {DONE: "✓", IN_PROGRESS: "…", NEW: "·"}
SORTS = ("file order", "title", "status")
FILTERS = ("all", *STATUSES)
#: Rows read ahead of what is on screen, so scrolling a page finds them ready.
READ_AHEAD = 40


def fit(text: str, width: int) -> str:
    """*text* in exactly *width* cells, the last one blank: cut at its end with an ellipsis if need be."""
    if cell_len(text) > width - 1:
        text = set_cell_size(text, max(0, width - 2)) + "…"
    return set_cell_size(text, width)


def cut_left(text: str, width: int) -> str:
    """*text* in exactly *width* cells, cut at its start if need be: a path keeps its file name."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    tail = text[-width:]
    while cell_len(tail) > width - 1:
        tail = tail[1:]
    return set_cell_size("…" + tail, width)


class CorpusTable(ScrollView, can_focus=True):
    """The rows: indexes into the corpus, drawn one line at a time."""

    DEFAULT_CSS = """
    CorpusTable { height: 1fr; overflow-x: hidden; }
    CorpusTable > .corpus-table--cursor { background: $accent; color: $text; }
    CorpusTable > .corpus-table--done { color: $success; }
    CorpusTable > .corpus-table--dim { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"corpus-table--cursor", "corpus-table--done", "corpus-table--dim"}

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", id="corpus-up", show=False),
        Binding("down,j", "move(1)", "Down", id="corpus-down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="corpus-page-up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", id="corpus-page-down", show=False),
        Binding("home,g", "first", "First", id="corpus-first", show=False),
        Binding("end,G", "last", "Last", id="corpus-last", show=False),
        Binding("enter", "choose", "Open article", id="corpus-open"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Chosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Wanted(Message):
        """Rows on screen (and just below) whose titles or counts are not read yet."""

        def __init__(self, indexes: list[int]) -> None:
            super().__init__()
            self.indexes = indexes

    def __init__(self, corpus: Corpus, **kwargs) -> None:
        super().__init__(**kwargs)
        self.corpus = corpus
        self.rows: list[int] = []
        self.annotator = corpus.annotator
        self.columns: list[str] = []  # annotators with a column of their own
        self.counts: dict[int, tuple[str, str, str]] = {}  # index -> (quotes, claims, pending), once read
        self._wanted_sent: set[int] = set()
        #: Rows are read once the store has been read again (see CorpusScreen.refresh_from_store).
        self.reading = False

    def set_rows(self, rows: list[int]) -> None:
        keep = self.rows[self.cursor] if self.rows and self.cursor < len(self.rows) else None
        self.rows = rows
        self.virtual_size = Size(self.size.width, len(rows))
        self.cursor = rows.index(keep) if keep is not None and keep in rows else min(self.cursor, max(0, len(rows) - 1))
        self.refresh()

    def watch_cursor(self, cursor: int) -> None:
        top, height = self.scroll_offset.y, max(1, self.size.height)
        if cursor < top:
            self.scroll_to(y=cursor, animate=False)
        elif cursor >= top + height:
            self.scroll_to(y=cursor - height + 1, animate=False)
        self.refresh()

    def action_move(self, step: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + step))

    def action_page(self, step: int) -> None:
        self.action_move(step * max(1, self.size.height - 1))

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, len(self.rows) - 1)

    def action_choose(self) -> None:
        if self.rows:
            self.post_message(self.Chosen(self.rows[self.cursor]))

    # ---- drawing ------------------------------------------------------------------

    def widths(self) -> tuple[int, int, int]:
        """Cells for the title, the source and each annotator's column."""
        fixed = 13 + 3 * 7 + 4 * len(self.columns) + 2
        rest = max(10, self.size.width - fixed)
        title = max(6, rest * 3 // 5)
        return title, max(4, rest - title), 4

    def header(self) -> Text:
        title, source, mark = self.widths()
        cells = [set_cell_size(" status", 13), set_cell_size("title", title), set_cell_size(" source", source),
                 f"{'quotes':>7}", f"{'claims':>7}", f"{'pend.':>7}"]
        cells += [" " + set_cell_size(sanitise_line(name), mark - 1) for name in self.columns]
        return Text("".join(cells), no_wrap=True, overflow="crop", style="bold")

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.size.width
        if row >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        index = self.rows[row]
        ref = self.corpus.refs[index]
        if index not in self.counts and index not in self._wanted_sent:
            self._ask_for_visible()
        status = self.corpus.status(index, self.annotator)
        title, source, mark = self.widths()
        quotes, claims, pending = self.counts.get(index, ("…", "…", "…"))
        base = self.rich_style
        if row == self.cursor and self.has_focus:
            style = base + self.get_component_rich_style("corpus-table--cursor")
        elif row == self.cursor:
            style = base + Style(reverse=True)
        else:
            style = base
        status_style = style + self.get_component_rich_style("corpus-table--done") if status == DONE else style
        dim = style + self.get_component_rich_style("corpus-table--dim")
        segments = [
            Segment(set_cell_size(f" {status}", 13), status_style),
            Segment(fit(ref.shown_title, title), style),
            Segment(" " + cut_left(sanitise_line(ref.path), source - 1), dim),
            Segment(f"{quotes:>7}{claims:>7}{pending:>7}", style),
        ]
        for name in self.columns:
            segments.append(Segment(set_cell_size(f"   {MARKS[self.corpus.status(index, name)]}", mark), style))
        used = sum(cell_len(s.text) for s in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), style))
        return Strip(segments).crop(0, width)

    def _ask_for_visible(self) -> None:
        if not self.reading:
            return
        top = self.scroll_offset.y
        window = self.rows[top:top + self.size.height + READ_AHEAD]
        wanted = [i for i in window if i not in self.counts and i not in self._wanted_sent]
        if wanted:
            self._wanted_sent.update(wanted)
            self.post_message(self.Wanted(wanted))

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._ask_for_visible()


class CorpusScreen(Screen[int | None]):
    """Every article of the corpus; dismissed with the index of the article to open (None: stay)."""

    CSS_PATH = "corpus.tcss"

    BINDINGS = [
        Binding("escape,o", "close", "Back to the article", id="corpus-close"),
        Binding("slash", "find", "Filter by title", id="corpus-filter-title"),
        Binding("f", "cycle_filter", "Filter by status", id="corpus-filter-status"),
        Binding("s", "cycle_sort", "Sort", id="corpus-sort"),
        Binding("a", "cycle_annotator", "Whose status", id="corpus-annotator"),
    ]

    def __init__(self, corpus: Corpus, current: int) -> None:
        super().__init__()
        self.corpus = corpus
        self.current = current
        self.sort = SORTS[0]
        self.status_filter = FILTERS[0]
        self.text_filter = ""
        self._titles_read = 0
        self._all_titles = False
        #: From `/` until the rows have focus again: letters typed in the same burst as `/` reach the rows
        #: before Textual has moved focus to the filter (a step later), and are the filter's.
        self._filter_opening = False

    @property
    def table(self) -> CorpusTable:
        return self.query_one(CorpusTable)

    def compose(self) -> ComposeResult:
        with Horizontal(id="progress-line"):
            yield Static(id="done-count")
            yield ProgressBar(total=len(self.corpus), show_eta=False, id="progress")
        yield Static(id="settings")
        yield Input(placeholder="title contains… (enter opens the highlighted match, esc clears)", id="title-filter")
        yield Static(id="header")
        yield CorpusTable(self.corpus, id="rows")

    def on_mount(self) -> None:
        table = self.table
        table.columns = []  # filled once the progress is re-read
        self.apply()
        table.cursor = table.rows.index(self.current) if self.current in table.rows else 0
        table.focus()
        self.show_progress()
        self.refresh_from_store()

    # ---- progress and settings -------------------------------------------------------

    @work(thread=True, exclusive=True, group="corpus-refresh")
    def refresh_from_store(self) -> None:
        """Read colleagues' progress again, off the event loop; then the columns and the count."""
        self.corpus.refresh()
        annotators = self.corpus.annotators()
        self.app.call_from_thread(self._refreshed, annotators)

    def _refreshed(self, annotators: list[str]) -> None:
        if not self.is_attached:
            return
        table = self.table
        table.columns = annotators if len(annotators) > 1 else []
        table.reading = True
        self.show_progress()
        self.apply()
        table._ask_for_visible()

    def show_progress(self) -> None:
        table = self.table
        done = self.corpus.done_count(table.annotator)
        total = len(self.corpus)
        self.query_one("#done-count", Static).update(Text(f"{done:,} of {total:,} done ({table.annotator}) "))
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.show_settings()

    def show_settings(self) -> None:
        table = self.table
        parts = [f"{len(table.rows):,} shown", f"status: {self.status_filter} (f)", f"sort: {self.sort} (s)",
                 f"annotator: {table.annotator} (a)"]
        if self.text_filter:
            parts.append(f"title: {self.text_filter!r} (/)")
        if self._all_titles and self._titles_read < len(self.corpus):
            parts.append(f"reading titles {self._titles_read:,}/{len(self.corpus):,}")
        parts.append("/ title  enter opens  esc back")
        if table.columns:
            parts.append("✓ done  … in progress  · new")
        self.query_one("#settings", Static).update(Text("  ".join(parts)))
        self.query_one("#header", Static).update(table.header())

    def on_resize(self) -> None:
        self.query_one("#header", Static).update(self.table.header())

    # ---- sorting and filtering ----------------------------------------------------------

    def apply(self) -> None:
        """The rows for the current sort and filters."""
        corpus, table = self.corpus, self.table
        rows = range(len(corpus))
        if self.status_filter != "all":
            rows = [i for i in rows if corpus.status(i, table.annotator) == self.status_filter]
        if self.text_filter:
            needle = self.text_filter.casefold()
            rows = [i for i in rows
                    if needle in corpus.refs[i].shown_title.casefold() or needle in corpus.refs[i].path.casefold()]
        if self.sort == "title":
            rows = sorted(rows, key=lambda i: natural_key(corpus.refs[i].shown_title.casefold()))
        elif self.sort == "status":
            order = {DONE: 2, IN_PROGRESS: 0, NEW: 1}
            rows = sorted(rows, key=lambda i: order[corpus.status(i, table.annotator)])
        table.set_rows(list(rows))
        self.show_settings()
        if (self.sort == "title" or self.text_filter) and not self._all_titles:
            self._all_titles = True
            self.read_all_titles()

    def action_cycle_filter(self) -> None:
        self.status_filter = FILTERS[(FILTERS.index(self.status_filter) + 1) % len(FILTERS)]
        self.apply()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.apply()

    def action_cycle_annotator(self) -> None:
        names = self.corpus.annotators()
        table = self.table
        table.annotator = names[(names.index(table.annotator) + 1) % len(names)] if table.annotator in names else names[0]
        self.show_progress()
        self.apply()

    def action_find(self) -> None:
        field = self.query_one("#title-filter", Input)
        field.add_class("-shown")
        field.focus()
        self._filter_opening = True

    def on_key(self, event: events.Key) -> None:
        # The filter itself takes every printable key it gets; one reaching the screen while the filter
        # is open was routed to the rows before focus moved.
        if self._filter_opening and event.is_printable:
            self.query_one("#title-filter", Input).insert_text_at_cursor(event.character or "")
            event.stop()
            event.prevent_default()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is self.table:  # tab, enter or esc back to the rows: their keys are theirs again
            self._filter_opening = False

    @on(Input.Changed, "#title-filter")
    def title_filter_changed(self, event: Input.Changed) -> None:
        self.text_filter = event.value.strip()
        self.apply()

    @on(Input.Submitted, "#title-filter")
    def title_filter_done(self) -> None:
        """Enter opens the highlighted match (the first, unless the cursor was moved); with none, back to the rows."""
        table = self.table
        if table.rows:
            self.dismiss(table.rows[table.cursor])
        else:
            self._filter_opening = False
            table.focus()

    def action_close(self) -> None:
        field = self.query_one("#title-filter", Input)
        if field.has_focus:  # esc in the filter clears it first
            self._filter_opening = False
            field.value = ""
            field.remove_class("-shown")
            self.table.focus()
            return
        self.dismiss(None)

    @on(CorpusTable.Chosen)
    def chosen(self, event: CorpusTable.Chosen) -> None:
        self.dismiss(event.index)

    # ---- reading rows in the background ---------------------------------------------

    @on(CorpusTable.Wanted)
    def rows_wanted(self, event: CorpusTable.Wanted) -> None:
        self.read_rows(event.indexes)

    class RowsRead(Message):
        def __init__(self, counts: dict[int, tuple[str, str, str]]) -> None:
            super().__init__()
            self.counts = counts

    @work(thread=True, group="corpus-rows")
    def read_rows(self, indexes: list[int]) -> None:
        """Titles and counts of *indexes* (the top of the screen first), sent back a few rows at a time."""
        worker = get_current_worker()
        batch: dict[int, tuple[str, str, str]] = {}
        sent = time.monotonic()
        for index in indexes:
            if worker.is_cancelled:
                return
            try:
                counts = self.corpus.counts(index)
            except Exception as exc:  # one unreadable row must not stop the others
                counts = None
                self.corpus.refs[index].error = self.corpus.refs[index].error or f"{type(exc).__name__}: {exc}"
            batch[index] = ("-", "-", "-") if counts is None else (str(counts.quotes), str(counts.claims),
                                                                   counts.pending_text)
            if time.monotonic() - sent > 0.05:
                # post_message is safe from a thread and does not wait for the event loop.
                self.post_message(self.RowsRead(batch))
                batch, sent = {}, time.monotonic()
        if batch:
            self.post_message(self.RowsRead(batch))

    @on(RowsRead)
    def rows_read(self, message: RowsRead) -> None:
        self.table.counts.update(message.counts)
        self.table.refresh()

    @work(thread=True, exclusive=True, group="corpus-titles")
    def read_all_titles(self) -> None:
        worker = get_current_worker()
        last = time.monotonic()
        for index in range(len(self.corpus)):
            if worker.is_cancelled:
                return
            self.corpus.ref(index)
            self._titles_read = index + 1
            if time.monotonic() - last > 0.5:
                last = time.monotonic()
                self.app.call_from_thread(self._titles_came)
        self.app.call_from_thread(self._titles_came)

    def _titles_came(self) -> None:
        if self.is_attached:
            self.apply()


