"""Quitting warns about the changes a full disk kept from the file, and counts only the user's: where the
cursor is, which article is open and the article's own text are written again on the next opening, so
they are not changes to lose."""

from __future__ import annotations

import errno
import threading
from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press, record_notifications, status_of, until, view_of

from annotations import store as store_module
from tui import app as app_module
from tui.screens.reader import ReaderScreen

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
SIZE = (110, 32)


@pytest.fixture(autouse=True)
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every database write fails with 'no space left on device'; the model is held back."""
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    monkeypatch.setattr(app_module, "FLUSH_SECONDS", 0.5)

    def write(path, payload, mode=None):
        raise OSError(errno.ENOSPC, "No space left on device", path)

    monkeypatch.setattr(store_module, "write_atomically", write)


async def test_a_moved_cursor_alone_is_no_unsaved_change(make_app) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        messages = record_notifications(app)
        view_of(app).move_to(TEXT.index("Opponents dispute"))
        await until(pilot, lambda: "disk full" in status_of(app).saving, "the failed save showing")
        await press(pilot, "ctrl+q")
        await pilot.pause()
        assert not app.is_running, f"nothing the user made is unsaved: quit at once ({messages})"
    assert not any("ctrl+q again" in m for m in messages), messages
    assert app.return_code == 0
    assert app.shutdown(0.5), "nothing of the user's is lost, so main() reports no unsaved change"


async def test_the_warning_counts_the_tag_not_the_cursor_nor_the_article(make_app) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        messages = record_notifications(app)
        view_of(app).move_to(TEXT.index("Opponents dispute") + 2)
        await press(pilot, "c")
        view_of(app).move_to(TEXT.index("walk across"))
        await until(pilot, lambda: "disk full" in status_of(app).saving, "the failed save showing")
        await press(pilot, "ctrl+q")
        assert app.is_running, "the first ctrl+q with an unsaved tag only warns"
        (warning,) = [m for m in messages if "ctrl+q again" in m]
        assert warning.startswith("1 change(s) are not saved yet"), warning
        await press(pilot, "ctrl+q")
        await pilot.pause()
    assert not app.is_running
    assert app.shutdown(0.5) is False
    assert app.unsaved_message().startswith("1 change(s) could not be saved"), app.unsaved_message()


async def test_the_status_bar_counts_what_the_warning_counts(make_app) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        await until(pilot, lambda: "disk full" in status_of(app).saving, "the failed save showing")
        # The article's record is no change of the user's: nothing is counted, and it is no failure of theirs.
        assert status_of(app).saving.startswith("cannot save: disk full"), status_of(app).saving
        assert "unsaved" not in status_of(app).saving
        view_of(app).move_to(TEXT.index("Opponents dispute") + 2)
        await press(pilot, "c")
        view_of(app).move_to(TEXT.index("walk across"))
        await until(pilot, lambda: "(1 unsaved" in status_of(app).saving, "the tag counted, the cursor not")


@pytest.mark.parametrize("key", ["Q", "ctrl+q"])
async def test_the_warning_names_the_key_pressed_and_that_key_quits_anyway(make_app, key: str) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        messages = record_notifications(app)
        view_of(app).move_to(TEXT.index("Opponents dispute") + 2)
        await press(pilot, "c")
        await until(pilot, lambda: "disk full" in status_of(app).saving, "the failed save showing")
        await press(pilot, key)
        (warning,) = [m for m in messages if "not saved yet" in m]
        assert f"Press {key} again to quit anyway" in warning, warning
        assert app.is_running
        await press(pilot, key)
        await pilot.pause()
    assert not app.is_running
    assert app.return_code == 1


async def test_quitting_never_waits_for_the_saves_on_the_event_loop(make_app, monkeypatch) -> None:
    """The wait for the saves (up to FLUSH_SECONDS) runs on a thread: the screen keeps drawing and
    taking keys, and the warning shows at once."""
    from annotations.saver import SaveQueue

    monkeypatch.setattr(app_module, "FLUSH_SECONDS", 3.0)
    flushed_on: list[int] = []
    flush = SaveQueue.flush

    def recorded_flush(self, timeout=None):
        flushed_on.append(threading.get_ident())
        return flush(self, timeout)

    monkeypatch.setattr(SaveQueue, "flush", recorded_flush)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        messages = record_notifications(app)
        view_of(app).move_to(TEXT.index("Opponents dispute") + 2)
        await press(pilot, "c")
        await until(pilot, lambda: "disk full" in status_of(app).saving, "the failed save showing")
        loop_thread = threading.get_ident()
        flushed_on.clear()
        await press(pilot, "ctrl+q")
        assert any("not saved yet" in m for m in messages), messages
        await until(pilot, lambda: flushed_on, "the quit's wait for the saves")
        assert loop_thread not in flushed_on, "the event loop waited for the saves"
        await press(pilot, "ctrl+q")
