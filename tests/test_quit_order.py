"""Keys run in the order typed: a tag typed in the same burst as ctrl+q is saved before the app quits,
and with a disk that refuses writes it is warned about, not dropped."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from app_helpers import annotations_loaded, record_notifications
from textual import events

from annotations import store as store_module
from tui import app as app_module
from tui.screens.reader import ReaderScreen

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
SIZE = (110, 32)


@pytest.fixture(autouse=True)
def no_entities(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    monkeypatch.setattr(app_module, "FLUSH_SECONDS", 0.5)


def burst(app, *keys: tuple[str, str | None]) -> None:
    """Hand the app several keys at once, as a terminal delivers a fast typist's (or a paste's) keys:
    none is handled before the next arrives."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


NEXT_SENTENCE_CLAIM_QUIT = (("right_parenthesis", ")"), ("c", "c"), ("ctrl+q", None))


def claims(db: Path) -> list[dict]:
    data = json.loads(db.read_text(encoding="utf-8"))
    return [d for d in data.get("annotations", {}).values() if d.get("label") == "CLAIM" and not d.get("deleted")]


async def test_a_claim_typed_in_the_same_burst_as_ctrl_q_is_saved(make_app, tmp_path: Path) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        burst(app, *NEXT_SENTENCE_CLAIM_QUIT)
        for _ in range(100):
            if not app.is_running:
                break
            await pilot.pause(0.02)
    assert app.return_code == 0
    assert app.shutdown(1.0)
    assert len(claims(tmp_path / "annotations.json")) == 1, "the claim typed before ctrl+q is in the file"


async def test_with_a_full_disk_a_claim_typed_just_before_ctrl_q_is_warned_about(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write(path, payload, mode=None):
        raise OSError(errno.ENOSPC, "No space left on device", path)

    monkeypatch.setattr(store_module, "write_atomically", write)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        messages = record_notifications(app)
        burst(app, *NEXT_SENTENCE_CLAIM_QUIT)
        for _ in range(100):
            if any("not saved yet" in m for m in messages) or not app.is_running:
                break
            await pilot.pause(0.02)
        assert app.is_running, "quitting with the claim unsaved only warns"
        (warning,) = [m for m in messages if "not saved yet" in m]
        assert warning.startswith("1 change(s) are not saved yet"), warning
