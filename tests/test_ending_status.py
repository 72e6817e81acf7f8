"""The exit status after SIGTERM or a hang-up is the ending's, whatever fails while the app closes.

Closing takes seconds when a worker is busy (the model loading), and a worker that fails in that
time made Textual end with status 1: the end-to-end SIGTERM test saw 1 instead of 143 under load.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from pathlib import Path

from textual.worker import WorkerState

from tui import app as app_module
from tui import main
from tui.main import sample_path


def test_a_worker_failing_while_sigterm_ends_the_app_keeps_the_status_of_sigterm(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    # No signal handlers or watchdog in the test's process: the ending is begun as the handler begins it.
    monkeypatch.setattr(app_module.Ending, "install", lambda self: None)
    workers, apps = [], []

    async def fail() -> None:
        raise RuntimeError("a worker's callback found the screen gone")

    def run(self, mouse: bool = True) -> None:
        apps.append(self)

        async def headless() -> None:
            async def signalled() -> None:
                await asyncio.sleep(0.3)
                self.ending.begin(signal.SIGTERM)  # what the SIGTERM handler does
                # A worker then fails, as one did while the app closed (which took seconds on a busy
                # machine). Failing at once, in the loop, it does so before any exit, on a machine of any
                # speed: timing a thread's failure into the closing either missed it or never ended.
                workers.append(self.run_worker(fail()))

            self.call_later(lambda: asyncio.ensure_future(signalled()))
            await self.run_async(headless=True, size=(100, 30))

        asyncio.run(headless())

    monkeypatch.setattr(app_module.AnnottyApp, "run", run)
    status = main.run_app([str(sample_path()), "--db", "annotations.json", "--model", "none"])
    assert workers and workers[0].state == WorkerState.ERROR, "the worker did not fail"
    assert apps[0].return_code == 1, "the failure made Textual's status 1"
    assert status == 128 + signal.SIGTERM


def test_the_loop_never_waits_for_a_thread_worker_still_running() -> None:
    """A worker in the model cannot be cancelled: the loop's default executor gives each worker a daemon
    thread and its shutdown (what asyncio.run does as the app ends) waits for none."""
    from tui.ending import WORKER_THREAD, DaemonWorkers, workers_running

    release, threads = threading.Event(), []

    def in_the_model() -> str:
        threads.append(threading.current_thread())
        release.wait(30)
        return "done"

    workers = DaemonWorkers()
    future = workers.submit(in_the_model)
    try:
        workers.shutdown(wait=True)  # returns at once
        assert not future.done() and workers_running()
        assert threads and threads[0].daemon and threads[0].name == WORKER_THREAD
    finally:
        release.set()
    assert future.result(5) == "done"
