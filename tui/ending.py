"""How the app ends when its terminal goes away or SIGTERM asks: within a bound, whatever the event loop is doing.

A hang-up (SIGHUP, a write the terminal refuses, or a terminal that no longer
answers) and SIGTERM all start the same ending. The signal handlers are plain
``signal.signal`` handlers, not the event loop's: those only run when the loop
gets round to them, and a loop stuck in a long computation never does. The
handler only records the signal; a watchdog thread then asks the loop to leave
(saving the cursor, exit status 128 + signal), gives pending saves
:data:`FLUSH_SECONDS` to reach the disk, and if the process is still there
:data:`GRACE_SECONDS` later it puts the terminal back and ends the process with
the status main() would have given: 2 if changes were lost, else 128 + signal.
Saves are atomic renames, so ending the process at any moment keeps the file whole.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import termios
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from annotations.article import sanitise_line
from annotations.cli import PROG

from .terminal import write_now

#: How long pending saves may take once the ending has begun.
FLUSH_SECONDS = 3.0
#: After that, how long the event loop and main() get to finish before the process is ended.
GRACE_SECONDS = 2.0
#: How often the watchdog checks that the terminal still answers (a hang-up without SIGHUP).
PROBE_SECONDS = 1.0

SIGNALS = (signal.SIGHUP, signal.SIGTERM)


def terminal_answers(fd: int) -> bool:
    """False once *fd*'s terminal has hung up: every terminal request then fails."""
    try:
        termios.tcgetattr(fd)
    except termios.error:
        return False
    return True


#: The name of the threads DaemonWorkers starts.
WORKER_THREAD = "annotty-worker"


def workers_running() -> bool:
    return any(thread.name == WORKER_THREAD and thread.is_alive() for thread in threading.enumerate())


def flush_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a lost terminal, a closed stream: nothing more can be said there
            pass


class DaemonWorkers(ThreadPoolExecutor):  # asyncio takes no other kind as its default
    """The event loop's default executor, where Textual runs thread workers: each on a daemon thread of
    its own, and shutting down waits for none of them.

    A worker may be deep in the model, loading it or reading a long paragraph, which no cancel stops:
    the loop's exit and the interpreter's waited for it, so an ending took until the watchdog's forced
    end (FLUSH_SECONDS + GRACE_SECONDS). No worker holds the user's changes (the save queue has its own
    thread, flushed before main() returns), and what workers write (a cache entry, a carried-over
    annotation) is written atomically and written again by the next run if it was cut short. The pool's
    own threads are never started: ThreadPoolExecutor's are joined when the interpreter exits. Nor is
    the interpreter left to exit around a worker still running (Ending.settle).
    """

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # handed to whoever awaits the future, as ThreadPoolExecutor does
                future.set_exception(exc)
            else:
                future.set_result(result)

        threading.Thread(target=run, name=WORKER_THREAD, daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Wait for nothing: see the class's docstring."""


class Ending:
    """The bounded ending of one app; :meth:`install` arms it for a real terminal."""

    def __init__(self, app, *, flush_seconds: float = FLUSH_SECONDS, grace_seconds: float = GRACE_SECONDS) -> None:
        self._app = app
        self._flush_seconds = flush_seconds
        self._grace_seconds = grace_seconds
        self._begun = threading.Event()
        self.signum: int | None = None
        self._saves_until = 0.0
        #: main()'s exit status once it has one; the status a forced end uses then.
        self.status: int | None = None
        self._installed = False  # the program's own ending (main() on a real terminal), not a test's app

    def install(self) -> None:
        """Handle SIGHUP and SIGTERM and start the watchdog (main thread, before the app runs)."""
        self._installed = True
        for signum in SIGNALS:
            signal.signal(signum, self._on_signal)
        threading.Thread(target=self._watch, name="annotty-ending", daemon=True).start()

    def _on_signal(self, signum: int, _frame) -> None:
        # Runs on the main thread between two bytecodes, wherever it is: record and return.
        self.begin(signum)

    def begin(self, signum: int) -> None:
        """Start ending, once; safe from a signal handler and from any thread."""
        if self.signum is None:
            self.signum = signum
            self._saves_until = time.monotonic() + self._flush_seconds
            self._begun.set()

    @property
    def begun(self) -> bool:
        return self._begun.is_set()

    def time_left(self) -> float | None:
        """Seconds pending saves may still take, or None while no ending has begun."""
        if not self.begun:
            return None
        return max(0.0, self._saves_until - time.monotonic())

    def settle(self, status: int) -> None:
        """main()'s exit *status*, once the app has closed and its changes are saved (or said lost).

        A worker still in the model (loading it, reading a long paragraph) would hold the interpreter's
        exit up, or, a daemon thread, abort in the model's maths library as the interpreter tears down
        what it is using: with nothing left to do, the process of a real terminal ends here instead."""
        self.status = status
        if not self._installed:
            return
        if workers_running():
            flush_output()
            os._exit(status)
        # The interpreter's last collection would walk all the model made (a second on a busy machine)
        # for memory the process is about to give back.
        gc.freeze()

    def _watch(self) -> None:
        probe = os.isatty(0)
        while not self._begun.wait(PROBE_SECONDS):
            if probe and not terminal_answers(0):
                self.begin(signal.SIGHUP)
        assert self.signum is not None
        self._app.leave_from_thread(128 + self.signum)
        self._app.saves.flush(self.time_left())
        time.sleep(max(0.0, self._saves_until + self._grace_seconds - time.monotonic()))
        self._force_exit()

    def _force_exit(self) -> None:
        """The event loop or the interpreter did not finish in time: end the process now."""
        assert self.signum is not None
        status = self.status
        if status is None:
            status = 2 if self._app.saves.pending else 128 + self.signum
        self._app.restore_terminal_now()
        if self._app.saves.pending:
            write_now(2, f"{PROG}: {sanitise_line(self._app.unsaved_message())}\n".encode())
        os._exit(status)
