"""The cursor's position is saved rarely (each save rewrites the whole file), never when it did not move,
and what the status bar calls saved is what the file holds."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press, status_of, until, view_of

from annotations import store as store_module
from annotations.store import CURSORS
from tui.screens import reader as reader_module
from tui.screens.reader import ReaderScreen

EXAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"
BRIDGE = EXAMPLES / "harbour-bridge-vote.txt"
CLINIC = EXAMPLES / "clinic-funding-dispute.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
SIZE = (110, 32)


pytestmark = pytest.mark.usefixtures("no_analysis")  # the model plays no part here


@pytest.fixture
def ticks(monkeypatch: pytest.MonkeyPatch) -> list:
    """The reader's own interval timers as (interval, callback): they never fire by themselves, the test calls them."""
    made: list = []
    original = ReaderScreen.set_interval

    def driven(self, interval, callback, **kwargs):
        if getattr(callback, "__module__", None) != reader_module.__name__:
            return original(self, interval, callback, **kwargs)  # Textual's own timers run as usual
        made.append((interval, callback))
        return original(self, 24 * 3600, callback, **kwargs)

    monkeypatch.setattr(ReaderScreen, "set_interval", driven)
    return made


@pytest.fixture
def file_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every rewrite of a database file."""
    writes: list[str] = []
    original = store_module.write_atomically

    def counted(path, payload, like=None):
        writes.append(path)
        return original(path, payload, like)

    monkeypatch.setattr(store_module, "write_atomically", counted)
    return writes


def cursor_ops(app) -> list[tuple[str, int]]:
    """Record the cursor positions the app sends to the save queue, as (article id, offset)."""
    sent: list[tuple[str, int]] = []
    submit = app.saves.submit

    def recording(op):
        if op.table == CURSORS:
            sent.append((op.doc["article_id"], op.doc["offset"]))
        return submit(op)

    app.saves.submit = recording
    return sent



async def test_the_cursor_is_saved_at_most_once_a_tick_and_only_when_it_moved(make_app, ticks, file_writes) -> None:
    app = make_app([BRIDGE, CLINIC], annotator="alice")
    sent = cursor_ops(app)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        reader = app.screen
        first = reader.article.id
        assert [interval for interval, _ in ticks] == [5.0], "one cursor check every five seconds"
        (_, tick), = ticks
        assert app.saves.flush(5)
        file_writes.clear()

        await press(pilot, *["l"] * 40)  # holding a motion key: forty moves
        assert sent == [] and file_writes == [], "moving alone writes nothing"
        tick()
        assert sent == [(first, 40)]
        assert app.saves.flush(5) and len(file_writes) == 1, "forty moves, one rewrite"

        tick()
        await press(pilot, "l", "h")  # away and back: the position the file holds
        tick()
        assert sent == [(first, 40)], "no save when the cursor did not move"

        await press(pilot, "w")
        moved_to = view_of(app).cursor
        await press(pilot, "greater_than_sign")  # switching article saves at once, without a tick
        assert sent == [(first, 40), (first, moved_to)]
        await annotations_loaded(pilot)
        await press(pilot, "ctrl+q")  # nothing moved on the second article: quitting saves no cursor
    assert app.return_code == 0
    assert sent == [(first, 40), (first, moved_to)]
    cursors = json.loads(Path("annotations.json").read_text(encoding="utf-8"))["cursors"].values()
    assert [(c["article_id"], c["offset"]) for c in cursors] == [(first, moved_to)]


async def test_quitting_saves_a_cursor_that_moved_since_the_last_tick(make_app, ticks) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        await press(pilot, *["l"] * 7)
        await press(pilot, "ctrl+q")
    assert app.return_code == 0
    cursors = json.loads(Path("annotations.json").read_text(encoding="utf-8"))["cursors"].values()
    assert [c["offset"] for c in cursors] == [7]


async def test_after_the_file_is_replaced_by_an_older_copy_the_saved_count_comes_from_the_file(make_app, tmp_path) -> None:
    db = tmp_path / "annotations.json"
    older = tmp_path / "older-copy.json"
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(app).move_to(TEXT.index("Opponents dispute"))
        await press(pilot, "c")
        await until(pilot, lambda: status_of(app).saving == "1 annotation saved", "the first save")
        shutil.copy(db, older)
        view_of(app).move_to(TEXT.index("walk across"))
        await press(pilot, "q")
        await until(pilot, lambda: status_of(app).saving == "2 annotations saved", "the second save")

        os.replace(older, db)  # someone puts back yesterday's copy while the app runs
        view_of(app).move_to(TEXT.index("Saltmarsh Leisure Centre"))
        await press(pilot, "c")
        await until(pilot, lambda: app.saves.pending == 0 and "saved" in status_of(app).saving, "the third save")
        await pilot.pause(0.2)
        in_file = json.loads(db.read_text(encoding="utf-8"))["annotations"]
        assert len(in_file) == 2, "the older copy's one annotation and the new one"
        assert status_of(app).saving == "2 annotations saved", "not the three held in memory"
        await press(pilot, "ctrl+q")
