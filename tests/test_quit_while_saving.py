"""Quit pressed again while the saves it waits for are still being written says what is happening, and
what to do if the disk then fails; nothing is lost on the way."""

from __future__ import annotations

import errno
import threading
from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press, record_notifications, status_of, until, view_of

from annotations import store as store_module
from annotations.store import open_db
from tui.screens.reader import ReaderScreen

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
SIZE = (110, 32)


class SlowDisk:
    """Database writes wait at a gate while it is shut; once opened they are written, or fail as a full disk."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open = threading.Event()
        self.open.set()
        self.full = False
        write = store_module.write_atomically

        def gated(path, payload, like=None):
            self.open.wait(20)
            if self.full:
                raise OSError(errno.ENOSPC, "No space left on device", path)
            return write(path, payload, like)

        monkeypatch.setattr(store_module, "write_atomically", gated)


@pytest.fixture
def slow_disk(monkeypatch: pytest.MonkeyPatch) -> SlowDisk:
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    return SlowDisk(monkeypatch)


async def tag_a_claim_on_a_slow_disk(pilot, slow_disk: SlowDisk) -> None:
    await annotations_loaded(pilot)
    await until(pilot, lambda: not pilot.app.session.saves.pending, "the opening's own writes")
    slow_disk.open.clear()
    view_of(pilot.app).move_to(TEXT.index("Opponents dispute") + 2)
    await press(pilot, "c")


async def test_quit_again_while_saving_says_the_app_closes_once_they_are_on_disk(make_app, slow_disk, tmp_path) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        messages = record_notifications(app)
        await tag_a_claim_on_a_slow_disk(pilot, slow_disk)
        await press(pilot, "ctrl+q")
        assert app.is_running and any("saving 1 change(s) before quitting" in m for m in messages), messages
        await press(pilot, "ctrl+q")
        assert app.is_running, "a second quit while the save is under way does not lose it"
        assert any(m.startswith("still saving 1 change(s): annotty closes when they are on disk") for m in messages), messages
        slow_disk.open.set()
        await until(pilot, lambda: not app.is_running, "the quit once the save is on disk")
    assert app.return_code == 0
    with open_db(tmp_path / "annotations.json") as store:
        assert [a.label for a in store.annotations()] == ["CLAIM"]


async def test_quit_again_after_the_disk_failed_meanwhile_warns_what_is_unsaved(make_app, slow_disk) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        messages = record_notifications(app)
        await tag_a_claim_on_a_slow_disk(pilot, slow_disk)
        await press(pilot, "ctrl+q")
        slow_disk.full = True
        slow_disk.open.set()
        await until(pilot, lambda: "disk full" in status_of(app).saving, "the failed save showing")
        await press(pilot, "ctrl+q")
        assert app.is_running
        assert any("1 change(s) are not saved yet" in m and "Press ctrl+q again to quit anyway" in m
                   for m in messages), messages
        assert not any(m.startswith("still saving") for m in messages), "a failing disk is said as such"
        await press(pilot, "ctrl+q")
        await pilot.pause()
    assert not app.is_running and app.return_code == 1
