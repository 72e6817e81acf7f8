"""Saving as the user sees it: the status bar's save field, the cursor kept per annotator, a disk that
refuses writes (shown, kept in memory, retried, and quitting warns first), and databases annotty must not touch."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press, record_notifications, status_of, until, view_of

from annotations import store as store_module
from annotations.model import CLAIM
from tui import app as app_module
from tui.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"
BRIDGE = EXAMPLES / "harbour-bridge-vote.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
SIZE = (110, 32)


pytestmark = pytest.mark.usefixtures("no_analysis")  # the model plays no part here



def stored(db: Path) -> dict:
    return json.loads(db.read_text(encoding="utf-8"))


def span_of(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


class RefusingDisk:
    """Makes every database write fail with 'no space left on device' until it is fixed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = True
        original = store_module.write_atomically

        def write(path, payload, mode=None):
            if self.full:
                raise OSError(errno.ENOSPC, "No space left on device", path)
            return original(path, payload, mode)

        monkeypatch.setattr(store_module, "write_atomically", write)


async def test_the_save_field_counts_saved_annotations(make_app, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(app).move_to(TEXT.index("Opponents dispute"))
        await press(pilot, "c")
        await until(pilot, lambda: status_of(app).saving == "1 annotation saved", "the first save")
        view_of(app).move_to(TEXT.index("walk across"))
        await press(pilot, "q")
        await until(pilot, lambda: status_of(app).saving == "2 annotations saved", "the second save")
        assert app.saves.pending == 0
    docs = sorted(stored(db)["annotations"].values(), key=lambda d: d["start"])
    assert [(d["label"], d["text"]) for d in docs] == [
        (CLAIM, "Opponents dispute those figures."),
        ("QUOTE", "I will believe it when I can walk across it,"),
    ]


async def test_the_cursor_comes_back_for_the_same_annotator_only(make_app, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    spot = TEXT.index("Saltmarsh Leisure Centre")
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(app).move_to(spot)
        await press(pilot, "ctrl+q")
    assert app.return_code == 0
    cursors = list(stored(db)["cursors"].values())
    assert [(c["annotator"], c["offset"]) for c in cursors] == [("alice", spot)]

    again = make_app([BRIDGE], annotator="alice")
    async with again.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        assert view_of(again).cursor == spot
        top, bottom = view_of(again).visible_offsets()
        assert top <= spot <= bottom, "the restored cursor is scrolled into view"
        await press(pilot, "ctrl+q")
    other = make_app([BRIDGE], annotator="bob")
    async with other.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        assert view_of(other).cursor == 0, "bob has no saved position"
        await press(pilot, "ctrl+q")
    cursors = {c["annotator"]: c["offset"] for c in stored(db)["cursors"].values()}
    assert cursors == {"alice": spot}, "bob never moved: there was no position to save for him"


async def test_a_full_disk_is_shown_kept_in_memory_and_quitting_warns_first(make_app, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(app_module, "FLUSH_SECONDS", 0.5)  # quitting waits this long for the disk
    disk = RefusingDisk(monkeypatch)
    db = tmp_path / "annotations.json"
    claim = span_of("Opponents dispute those figures.")
    app = make_app([BRIDGE], annotator="alice")
    # From the start: the first refused write (storing the article) already notifies, and the
    # same reason is not notified again on every retry.
    messages = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(app).move_to(claim[0] + 2)
        await press(pilot, "c")
        await until(pilot, lambda: "disk full" in status_of(app).saving, "the failed save showing")
        assert "save failed" in status_of(app).saving and "unsaved" in status_of(app).saving
        assert sum("disk full" in m for m in messages) == 1, messages
        assert [(a.label, a.start, a.end) for a in app.screen.annotations] == [(CLAIM, *claim)]
        assert not db.exists() or not stored(db).get("annotations")

        await press(pilot, "ctrl+q")
        assert app.is_running, "the first ctrl+q with unsaved changes only warns"
        assert any("ctrl+q again" in m for m in messages), messages
        await press(pilot, "ctrl+q")
        await pilot.pause()
    assert not app.is_running
    # What main() does after the app ends: the unsaved change is reported and the exit status is 2.
    assert app.shutdown(0.5) is False and app.saves.pending >= 1
    assert disk.full and not db.exists(), "nothing reached the disk"


async def test_a_change_while_saves_fail_says_so_at_once(make_app, monkeypatch, tmp_path: Path) -> None:
    """The next retry is seconds away: a change made meanwhile is shown as not saved, never as "saving"."""
    RefusingDisk(monkeypatch)
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(app).move_to(TEXT.index("Opponents dispute") + 2)
        await press(pilot, "c")
        await until(pilot, lambda: "(1 unsaved, retrying)" in status_of(app).saving, "the failed save showing")
        view_of(app).move_to(TEXT.index("walk across"))
        await press(pilot, "q")
        assert status_of(app).saving.startswith("save failed: ")
        assert status_of(app).saving.endswith("(2 unsaved, retrying)"), status_of(app).saving
        await press(pilot, "u")
        assert status_of(app).saving.startswith("save failed: "), "an undo is a change too"
        assert status_of(app).saving.endswith(" unsaved, retrying)")
        app.exit()


async def test_the_retry_saves_once_the_disk_works_again(make_app, monkeypatch, tmp_path: Path) -> None:
    disk = RefusingDisk(monkeypatch)
    db = tmp_path / "annotations.json"
    claim = span_of("Opponents dispute those figures.")
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(app).move_to(claim[0] + 2)
        await press(pilot, "c")
        await until(pilot, lambda: "disk full" in status_of(app).saving, "the failed save showing")
        disk.full = False
        await until(pilot, lambda: status_of(app).saving == "1 annotation saved", "the retry")
        assert app.saves.pending == 0
        await press(pilot, "ctrl+q")
    assert app.return_code == 0
    data = stored(db)
    docs = list(data["annotations"].values())
    assert [(d["label"], d["start"], d["end"], d["text"]) for d in docs] == [(CLAIM, *claim, TEXT[slice(*claim)])]
    assert len(data["articles"]) == 1


def one_line_error(capsys) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("annotty: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_a_damaged_database_is_refused_and_left_as_it_was(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "team.json"
    damaged = b'{"annotations": {"1": {"id": "a", "label": "QUO'
    db.write_bytes(damaged)
    assert main([str(BRIDGE), "--db", str(db)]) == 2
    err = one_line_error(capsys)
    assert f"annotty recover {db}" in err
    assert db.read_bytes() == damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.json"], "no temporary or lock file left behind"


# A newer annotty's file is found once the screen shows: tests/test_store_after_paint.py and
# tests/e2e/test_hostile_db_pty.py (one line on stderr, status 2, the file as it was).


async def test_a_read_only_database_is_shown_as_such_and_left_as_it_was(make_app, tmp_path: Path) -> None:
    db = tmp_path / "annotations.json"
    first = make_app([BRIDGE], annotator="alice")
    async with first.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(first).move_to(TEXT.index("Opponents dispute"))
        await press(pilot, "c")
        await until(pilot, lambda: status_of(first).saving == "1 annotation saved", "the first save")
        await press(pilot, "ctrl+q")
    db.chmod(0o444)
    before = db.read_bytes()
    app = make_app([BRIDGE], annotator="alice")
    assert app.store.read_only == f"read-only database {db} (chmod u+w to save)"
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        # Opening writes where the cursor is, which fails here; but nothing of the reader's is unsaved yet.
        await until(pilot, lambda: "read-only" in status_of(app).saving, "the opening's refusal showing")
        assert status_of(app).saving == f"cannot save: read-only database {db} (chmod u+w to save)"
        view_of(app).move_to(TEXT.index("walk across"))
        await press(pilot, "q")
        await until(pilot, lambda: "read-only" in status_of(app).saving, "the refusal showing")
        assert status_of(app).saving.startswith(f"save failed: read-only database {db} (chmod u+w to save) (")
        assert len(app.screen.annotations) == 2, "the new tag is kept in memory"
    assert db.read_bytes() == before and db.stat().st_mode & 0o777 == 0o444
