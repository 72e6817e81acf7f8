"""AnnottyApp: opens the database, builds the session of the run and passes its events to the screens as Messages."""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.markup import escape
from textual.message_pump import MessagePump
from textual.screen import Screen

from annotations.analysis import Analyser
from annotations.article import Article, ArticleError, load, sanitise_line
from annotations.saver import SaveQueue
from annotations.corpus import Corpus
from annotations.session import Conflict, Event, ExternalUpdate, SaveFailed, Saved, Session
from annotations.store import DatabaseError, Store, open_db

from .ending import DaemonWorkers, Ending
from .key_order import KeysInOrder
from .keymap import KeymapError, describe_keys, load_config
from .messages import SessionEvent, message_for
from .palette import ArticlesProvider, TitleIndex, article_index
from .terminal import TerminalDriver
from .widgets.status_bar import StatusBar

#: How long the count of invalid documents waits for the article's own record to be saved.
PROBLEMS_WAIT_SECONDS = 5.0
#: How long quitting waits for pending saves before it warns.
FLUSH_SECONDS = 3.0
#: After a warning about unsaved changes, how long a second quit key quits anyway.
QUIT_AGAIN_SECONDS = 10.0
#: The quit keys by binding id (a key file may change them).
QUIT_KEYS = {"quit": "ctrl+q", "quit-browser": "Q"}
#: How often the file is checked for colleagues' changes.
POLL_SECONDS = 1.0
#: The status bar's saving field while the database is read after the first paint.
READING = "reading the database…"


class OpenError(Exception):
    """The app cannot start (bad database, bad key file); the message is one line."""


class AnnottyApp(KeysInOrder, App[int]):
    TITLE = "annotty"
    # No animations: they cost bytes on slow links and distract from reading.
    ANIMATION_LEVEL = "none"

    # The articles are a provider of their own, which indexes their titles once (tui/palette.py).
    COMMANDS = App.COMMANDS | {ArticlesProvider}

    BINDINGS = [
        # Not a priority binding: those run as the app receives the key, before the keys typed just
        # before it have reached the screen, so a tag typed in the same burst would be lost. No
        # widget of the app takes ctrl+q, so it still quits from every screen.
        Binding(QUIT_KEYS["quit"], "quit('quit')", "Quit", id="quit"),
        # A web browser keeps ctrl+q (and often ctrl+p) for itself: these reach the app there. Not
        # priority bindings, so a text field still takes the letter.
        Binding(QUIT_KEYS["quit-browser"], "quit('quit-browser')", "Quit (browser-safe key)", id="quit-browser",
                show=False),
        Binding("colon", "command_palette", "Commands (browser-safe key)", id="palette-browser", show=False),
        Binding("ctrl+p", "command_palette", "Commands", id="palette", show=False, priority=True),
        Binding("question_mark", "help", "Keys", id="help"),
    ]

    def __init__(self, paths: list[str], options: argparse.Namespace, first: Article) -> None:
        # Under `annotty serve` textual-serve names its web driver in TEXTUAL_DRIVER; Textual then uses it.
        super().__init__(driver_class=None if os.environ.get("TEXTUAL_DRIVER") else TerminalDriver)
        self.paths = paths
        self.options = options
        self.annotator: str = options.annotator
        self.analyser = Analyser(options.model)
        try:
            self.user_keys, self.user_labels = load_config()
        except KeymapError as exc:
            raise OpenError(str(exc)) from None
        # One article opens with the database unread: a big file would hold up the first paint, so it is
        # read just after it (_read_store). A corpus needs its progress first, to know where to resume,
        # and adjudication its counts.
        #: While True the database is being read; the keys that depend on what it holds wait for it.
        self.store_opening = len(paths) == 1 and not getattr(options, "adjudicator", None)
        #: Why the database cannot be used, when that is found once the screen shows (the app then ends).
        self.open_error: str | None = None
        try:
            # The checks that need no reading (the folder, a regular file, readable) are made here.
            store = open_db(options.db, read=not self.store_opening)
        except DatabaseError as exc:
            raise OpenError(str(exc)) from None
        self._allow_reading = store.hold_reading() if self.store_opening else None
        blind = getattr(options, "blind", False)  # adjudication has no --blind
        # The articles, and their titles, counts and each annotator's status, read as they are needed.
        self.corpus = Corpus(paths, store, self.annotator, first=first, cached_analysis=self.analyser.cached,
                             loader=partial(load, encoding=options.encoding, max_bytes=options.max_size),
                             threshold=options.threshold, read_progress=not self.store_opening,
                             blind=blind)
        self.session = Session(store, self.corpus, annotator=self.annotator, threshold=options.threshold,
                               blind=blind)
        self.corpus.save = self.session.saves.submit  # the articles it reads are written in turn with the rest
        self.session.subscribe(self._session_event)
        self._quit_armed_at = 0.0
        self._quit_flush: threading.Thread | None = None  # waits for the saves once quit is asked
        self._last_error: str | None = None
        self._problems_reported = False
        self._title_index: TitleIndex | None = None  # built the first time the palette lists articles
        self._event_loop: asyncio.AbstractEventLoop | None = None
        #: The bounded ending on a hang-up or SIGTERM; main() arms it for a real terminal.
        self.ending = Ending(self)
        #: What waits for the first frame on the terminal (see after_first_paint); None once it is there.
        self._after_first_paint: list[tuple[MessagePump, Callable[[], object]]] | None = []
        #: Frames drawn during Textual's start-up batch, put out once it ends (_draw_the_dropped_frame).
        self._dropped_frames: list[tuple[Screen, object]] = []

    def on_mount(self) -> None:
        if self.user_keys:
            self.set_keymap(self.user_keys)
        # For the ending, which asks the loop to leave from its own thread.
        self._event_loop = asyncio.get_running_loop()
        self._event_loop.set_default_executor(DaemonWorkers())  # a worker in the model never holds up the end
        if self.ending.signum is not None:  # it began before there was a loop to ask
            self.exit(return_code=128 + self.ending.signum)
            return
        # Textual draws the first screen inside its start-up batch, which drops frames: it is put out as
        # soon as the batch is over (this app's own queue is read only then).
        self.call_later(self._draw_the_dropped_frame)
        if self.store_opening:
            self.after_first_paint(self, self._read_store_after_first_paint)
        else:
            # Colleagues' changes to the file show within two seconds (one stat a second while none come).
            self.session.start_polling(POLL_SECONDS)
        if getattr(self.options, "adjudicator", None):
            from .screens.adjudication import AdjudicationScreen

            self.push_screen(AdjudicationScreen(annotators=self.options.compare,
                                                adjudicator=self.options.adjudicator, submit=self.saves.submit))
            return
        from .screens.reader import ReaderScreen

        names = getattr(self.options, "annotators", None)
        if names is None:
            self.push_screen(ReaderScreen())
            return
        from .screens.annotator import AnnotatorScreen

        self.push_screen(AnnotatorScreen(names), self._annotator_chosen)

    def _annotator_chosen(self, name: str | None) -> None:
        from .screens.reader import ReaderScreen

        if name:
            # Chosen before anything is read or changed: every record from now on carries it.
            self.annotator = self.session.annotator = self.session.history._annotator = name
            self.corpus.annotator = name
        self.push_screen(ReaderScreen())
        self.call_after_refresh(self._show_reading)

    # ---- the first paint ------------------------------------------------------------------

    def after_first_paint(self, node: MessagePump, callback: Callable[..., object], *args: object) -> None:
        """Have *node* call *callback* once the first frame is out (after the next refresh, if it is out
        already); a node gone by then calls nothing, as with call_after_refresh.

        Work that the first screen does not show waits for it, so the text appears as soon as it can;
        Textual's call_after_refresh comes sooner, after a frame it draws at start-up and drops.
        """
        if self._after_first_paint is None:
            node.call_after_refresh(callback, *args)
        else:
            self._after_first_paint.append((node, partial(callback, *args)))

    def _draw_the_dropped_frame(self) -> None:
        """Put out the frames Textual drew during its start-up batch, which it would drop: the first
        screen, composed and drawn inside that batch, then waited for something to draw it again."""
        frames, self._dropped_frames = self._dropped_frames, []
        if self._batch_count or any(screen is not self.screen for screen, _ in frames):
            self.screen.refresh()  # drawn whole again as soon as it can be
            return
        for screen, update in frames:
            self._display(screen, update)

    def _display(self, screen: Screen, renderable) -> None:
        if renderable is None:
            return
        if self._batch_count:
            if self._after_first_paint is not None:
                self._dropped_frames.append((screen, renderable))
            return
        super()._display(screen, renderable)
        if self._after_first_paint is not None:
            waiting, self._after_first_paint = self._after_first_paint, None
            self.start_up_done()
            for node, callback in waiting:
                node.call_later(callback)

    @staticmethod
    def start_up_done() -> None:
        """Turn the collector back on if main() turned it off for the start-up, leaving the objects made so
        far (nearly all of them for good) out of its passes: a full pass then takes a fraction of the time."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    # ---- reading the database after the first paint ------------------------------------

    def _read_store_after_first_paint(self) -> None:
        threading.Thread(target=self._read_store, name="annotty-open", daemon=True).start()
        self._show_reading()

    def _show_reading(self) -> None:
        """Say in the status bar that the database is being read, while it is."""
        if self.store_opening:
            for bar in self.screen.query(StatusBar):
                if not bar.saving:  # a save's outcome, shown already, is newer news
                    bar.saving = READING

    def _read_store(self) -> None:
        """Read and check the database (on a thread of its own: the article, the cursor and the keys
        work meanwhile). Changes made meanwhile wait in the save queue: the writer waits for the read
        (the store's lock), and the reader merges the stored annotations under those made since."""
        try:
            self._wait_for_the_first_frame()
        finally:
            if self._allow_reading is not None:
                self._allow_reading()
        try:
            self.store.read_file()
            self.corpus.reload_progress()
        except Exception as exc:  # a damaged, foreign or newer file: never written, the app ends
            error = str(exc) if isinstance(exc, DatabaseError) else f"cannot read {self.options.db}: {exc}"
            self._call_soon(self._store_refused, sanitise_line(error))
            return
        self._call_soon(self._store_read)

    def _wait_for_the_first_frame(self, timeout: float = 1.0) -> None:
        """Until the driver's writer thread has put the first frame on the terminal: a parse holds the
        interpreter in one call, so that thread could not write until it ends."""
        queue = getattr(getattr(self._driver, "_writer_thread", None), "_queue", None)  # none when headless
        if queue is None:
            return
        deadline = time.monotonic() + timeout
        while queue.qsize() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.02)  # and for the write it has taken from the queue

    def _call_soon(self, callback: Callable[..., object], *args: object) -> None:
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:
            pass  # the app has ended meanwhile

    def _store_read(self) -> None:
        self.store_opening = False
        self.session.start_polling(POLL_SECONDS)
        for screen in self.screen_stack:
            for bar in screen.query(StatusBar):
                if bar.saving == READING:
                    bar.saving = ""
            corpus_keys = getattr(screen, "corpus_keys", None)  # the reader's
            if corpus_keys is not None:
                corpus_keys.show_position()  # done or not: the progress has just been read

    def _store_refused(self, error: str) -> None:
        self.open_error = error
        self.notify(error, title="Database", severity="error", markup=False)
        self.exit(return_code=2)

    def refuse_while_opening(self, what: str) -> bool:
        """Say that *what* waits for the database to be read, if it is still being read (then True)."""
        if not self.store_opening:
            return False
        self.notify(f"the database is still being read: {what} works once it is", markup=False)
        return True

    @property
    def store(self) -> Store:
        return self.session.store

    @property
    def saves(self) -> SaveQueue:
        return self.session.saves

    # ---- the session's events -------------------------------------------------------

    def _session_event(self, event: Event) -> None:
        if isinstance(event, (Saved, SaveFailed)):
            self._last_error = event.result.error
        if threading.get_ident() == self._thread_id:
            self._forward(event)  # a command of the event loop's own: straight to the screens, in order
        else:  # the writer thread: posting a message is thread-safe, the screen stack is the loop's
            self.post_message(SessionEvent(event))

    def on_session_event(self, message: SessionEvent) -> None:
        self._forward(message.event)

    def _forward(self, event: Event) -> None:
        """Hand *event* to every screen of the stack, each its own message; those without a handler ignore it."""
        if isinstance(event, ExternalUpdate):
            self.session.take_in(event)  # on the loop, like every command; it publishes what changed
            return
        if isinstance(event, Conflict):
            for choice in event.choices:
                self._ask_about(choice)
            return
        for screen in self.screen_stack:
            if type(screen) is Screen:
                # Textual's default screen, under every other, handles none of them; and a screen
                # below the top one that wakes repaints the whole terminal in Textual 8 (10 KB
                # at 100x30, on every save).
                continue
            forwarded = message_for(event)
            if forwarded is not None:
                screen.post_message(forwarded)

    def report_database_problems(self) -> None:
        """Say once a run how many documents of the database are skipped as invalid (call off the event loop)."""
        if self._problems_reported:
            return
        self._problems_reported = True
        # The open article's record is among the pending saves, and an annotation's end is checked against
        # its article's length: counted before that record is on disk, the count hung on the writer's timing.
        self.saves.flush(PROBLEMS_WAIT_SECONDS)
        count = len(self.store.problems())
        if count:
            noun = "document" if count == 1 else "documents"
            self.call_from_thread(
                self.notify,
                f"{count} invalid {noun} in DB skipped (kept in the file as they are); 'annotty recover' lists them",
                title="Database", severity="warning", timeout=15, markup=False,
            )

    def shutdown(self, timeout: float | None = None) -> bool:
        """Write what is pending and stop the writer; False if a change of the user's is still unsaved.

        After a hang-up only what is left of the ending's time for saves is waited for.
        """
        if self.open_error is not None:
            timeout = 0.0  # nothing may be written to that file: waiting could not help
        if timeout is None:
            timeout = self.ending.time_left()
        saved = self.session.close(FLUSH_SECONDS if timeout is None else timeout)
        return saved or self.session.unsaved_changes() == 0

    def _ask_about(self, choice) -> None:
        from .screens.conflict import ConflictScreen

        def settle(mine: bool | None) -> None:
            dropped = self.session.resolve(choice, mine=bool(mine))
            say = getattr(self.screen, "say", None)  # the reader's status bar
            if dropped is not None and say is not None:
                say(f"kept theirs: your {dropped.summary} is dropped from undo and redo")

        self.push_screen(ConflictScreen(choice), settle)

    def open_article(self, index: int) -> None:
        """Open the article at *index* of the paths (the screens follow the session's event); an unreadable one is named."""
        try:
            self.session.open(index)
        except ArticleError as exc:
            self.notify(str(exc), title="Cannot open article", severity="error", markup=False)

    def unsaved_message(self) -> str:
        return f"{self.session.unsaved_changes()} change(s) could not be saved to {self.options.db}"

    def action_quit(self, binding_id: str | None = None) -> None:
        """Quit once the user's changes are saved; warn, naming the key pressed, if they cannot be.

        The saves are waited for on a thread: the event loop keeps drawing and taking keys meanwhile.
        The cursor and the article records are no change of the user's (see Session.unsaved_changes):
        they never hold quitting up, and shutdown() still writes them after the app has ended.
        """
        self.session.remember_cursor()
        if self._allow_reading is not None:
            self._allow_reading()  # a quit before the read began: the writer may read the file now
        unsaved = self.session.unsaved_changes()
        if unsaved == 0:
            self.exit(0)
            return
        key = self._quit_key(binding_id)
        if time.monotonic() - self._quit_armed_at < QUIT_AGAIN_SECONDS:
            self.exit(return_code=1)
            return
        if self._last_error is not None:
            # The saves are failing now: say so at once rather than after waiting for them.
            self._warn_unsaved(unsaved, key)
        elif self._quit_flush is not None:
            # A wait for the saves is under way (it quits, or warns if they fail): say so, not nothing.
            self.notify(f"still saving {unsaved} change(s): annotty closes when they are on disk",
                        title="Quitting", timeout=FLUSH_SECONDS, markup=False)
            return
        else:
            self.notify(f"saving {unsaved} change(s) before quitting…", title="Quitting", timeout=FLUSH_SECONDS,
                        markup=False)
        if self._quit_flush is None:
            self._quit_flush = threading.Thread(target=self._flush_then_quit, args=(key,), name="annotty-quit",
                                                daemon=True)
            self._quit_flush.start()

    def _quit_key(self, binding_id: str | None) -> str:
        """The key of *binding_id* as the user types it (a key file may have changed it); both without one (the palette)."""
        ids = [binding_id] if binding_id in QUIT_KEYS else list(QUIT_KEYS)
        return " or ".join(describe_keys(self.user_keys.get(each, QUIT_KEYS[each])) for each in ids)

    def _flush_then_quit(self, key: str) -> None:
        # On its own thread: flush() blocks until the writer has saved everything, or the time is up.
        saved = self.saves.flush(FLUSH_SECONDS)
        loop = self._event_loop
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(self._after_quit_flush, saved, key)
        except RuntimeError:
            pass  # the loop has already closed: the app ended meanwhile (a hang-up, a second quit)

    def _after_quit_flush(self, saved: bool, key: str) -> None:
        self._quit_flush = None
        if not self.is_running:
            return  # it ended meanwhile
        unsaved = self.session.unsaved_changes()
        if saved or unsaved == 0:
            self.exit(0)
        elif not self._quit_armed_at or time.monotonic() - self._quit_armed_at >= QUIT_AGAIN_SECONDS:
            self._warn_unsaved(unsaved, key)

    def _warn_unsaved(self, unsaved: int, key: str) -> None:
        self._quit_armed_at = time.monotonic()
        self.notify(
            f"{unsaved} change(s) are not saved yet ({self._last_error or 'still writing'}). "
            f"Press {key} again to quit anyway and lose them.",
            title="Unsaved changes",
            severity="error",
            timeout=QUIT_AGAIN_SECONDS,
            markup=False,
        )

    # ---- ending on a hang-up or SIGTERM (see tui/ending.py) ---------------------------

    def terminal_lost(self) -> None:
        """The driver found the terminal gone (any thread): end as on SIGHUP."""
        self.ending.begin(signal.SIGHUP)

    def leave_from_thread(self, status: int) -> None:
        """Ask the event loop to save the cursor and exit with *status*; the ending's thread waits for the saves."""
        loop = self._event_loop
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(self._leave, status)
        except RuntimeError:
            pass  # the loop has already closed: main() is finishing

    def _leave(self, status: int) -> None:
        keep = getattr(self.screen, "keep_on_hang_up", None)  # the editor: what was typed in it is kept
        if keep is not None:
            keep()
        self.session.remember_cursor()
        self.exit(return_code=status)

    def restore_terminal_now(self) -> None:
        """Put the terminal back without the event loop (the process is about to be ended)."""
        if isinstance(self._driver, TerminalDriver):
            self._driver.restore_now()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key of the screen is a command in the palette too, with its key in the help line."""
        yield from super().get_system_commands(screen)
        from .screens.help import describe_key

        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                key = describe_key(self.user_keys.get(binding.id, binding.key))
                yield SystemCommand(
                    binding.description,
                    f"key: {key}   id: {binding.id}",
                    partial(self.run_action, binding.action, screen),
                    discover=binding.show,
                )

    def palette_articles(self) -> tuple[TitleIndex, Callable[[int], object]] | None:
        """The palette's index of the articles and what opens one by its number; None for one article."""
        if self.session.article is None or len(self.paths) < 2:
            return None
        if self._title_index is None:
            # The palette reads titles as markup; a file name must stay text, on one line, with no controls.
            self._title_index = article_index(self.paths, lambda path: escape(sanitise_line(path)))
        return self._title_index, self.open_article

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))
