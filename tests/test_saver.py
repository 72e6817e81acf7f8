"""The save queue on a real file: batching, order, and surviving a disk that refuses writes."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time

import orjson

import annotations.store as store_module
from annotations.article import Article
from annotations.model import CLAIM, Annotation
from annotations.saver import SaveQueue, SaveResult, describe_error
from annotations.store import Op, open_db

ARTICLE = Article.from_text(
    "Ferry operator Kestrel Lines will cut its night crossings from April, a spokesman said.", "kestrel.txt",
)


def make(start: int = 0, end: int = 10) -> Annotation:
    return Annotation.create(
        article_id=ARTICLE.id, source=ARTICLE.source, article_text=ARTICLE.text,
        label=CLAIM, start=start, end=end, annotator="ines",
    )


class Results:
    """Collects what the writer thread reports."""

    def __init__(self) -> None:
        self.items: list[SaveResult] = []
        self.lock = threading.Lock()

    def __call__(self, result: SaveResult) -> None:
        with self.lock:
            self.items.append(result)


def file_ids(path) -> list[str]:
    with open(path, "rb") as handle:
        return [doc["id"] for doc in orjson.loads(handle.read())["annotations"].values()]


def failing_writes(monkeypatch, times: int, err: int) -> list[int]:
    """Make the next *times* durable writes fail with *err*; returns a list counting the attempts."""
    real = store_module.write_atomically
    attempts: list[int] = []

    def write(path, payload, mode=None):
        attempts.append(1)
        if len(attempts) <= times:
            raise OSError(err, os.strerror(err), path)
        return real(path, payload, mode)

    monkeypatch.setattr(store_module, "write_atomically", write)
    return attempts


def test_submitted_ops_reach_the_file_in_order(tmp_path):
    path = tmp_path / "annotations.json"
    store, results = open_db(path), Results()
    queue = SaveQueue(store, results)
    ann = make()
    tickets = [queue.submit(Op.put(ann))]
    edited = ann
    for status in ("true", "false", "misleading"):
        edited = edited.edited(annotator="ines", attrs={"status": status})
        tickets.append(queue.submit(Op.put(edited, base_rev=edited.rev - 1)))
    other = make(20, 30)
    tickets.append(queue.submit(Op.put(other)))
    tickets.append(queue.submit(Op.delete(other.id, base_rev=1, by="ines", article_id=other.article_id)))
    assert tickets == sorted(tickets) and len(set(tickets)) == 6
    assert queue.flush(10)
    assert queue.pending == 0
    assert open_db(path).get(ann.id).attrs == {"status": "misleading"}
    assert open_db(path).get(other.id) is None and [t.id for t in open_db(path).tombstones()] == [other.id]
    assert sorted(file_ids(path)) == sorted([ann.id, other.id])
    assert all(r.ok and r.error is None and r.outcome == "saved" for r in results.items)
    assert sorted(t for r in results.items for t in r.tickets) == tickets
    assert results.items[-1].pending == 0
    assert queue.close(5)


def test_disk_full_keeps_changes_in_memory_reports_and_retries(tmp_path, monkeypatch):
    path = tmp_path / "annotations.json"
    store, results = open_db(path), Results()
    saved_first = make(0, 5)
    store.add(saved_first)
    before = path.read_bytes()
    attempts = failing_writes(monkeypatch, 3, errno.ENOSPC)
    queue = SaveQueue(store, results, first_retry=0.05, max_retry=0.2)
    later = [make(i, i + 5) for i in range(1, 6)]
    for ann in later:
        queue.submit(Op.put(ann))

    assert queue.flush(10)

    failures = [r for r in results.items if not r.ok]
    assert len(failures) == 3 and len(attempts) >= 4
    assert all(r.error == f"disk full: {path}" for r in failures)
    assert all(r.pending > 0 for r in failures)
    assert results.items[-1].ok and results.items[-1].pending == 0
    assert set(file_ids(path)) == {saved_first.id, *(a.id for a in later)}
    assert path.read_bytes() != before
    queue.close(5)


def test_while_failing_pending_counts_unsaved_changes_and_flush_times_out(tmp_path, monkeypatch):
    path = tmp_path / "annotations.json"
    store, results = open_db(path), Results()
    kept = make(0, 5)
    store.add(kept)
    before = path.read_bytes()
    failing_writes(monkeypatch, 10**6, errno.EROFS)
    queue = SaveQueue(store, results, first_retry=0.05, max_retry=0.1)
    for i in range(4):
        queue.submit(Op.put(make(i + 1, i + 6)))
    assert not queue.flush(0.5)
    assert queue.pending == 4
    assert results.items and results.items[-1].error == f"read-only file system: {path}"
    assert path.read_bytes() == before  # what was saved before is untouched
    monkeypatch.undo()
    assert queue.flush(10)
    assert len(file_ids(path)) == 5
    queue.close(5)


def test_error_messages_are_one_line():
    assert describe_error(OSError(errno.ENOSPC, "No space left"), "/x/a.json") == "disk full: /x/a.json"
    assert describe_error(OSError(errno.EACCES, "Permission denied"), "/x/a.json") == "permission denied: /x/a.json"
    assert "\n" not in describe_error(ValueError("two\nlines"), "/x/a.json")


def test_close_keeps_to_its_timeout_while_another_process_holds_the_lock(tmp_path):
    """Quitting waits for the disk at most the time it was given, even with the writer stuck in a save."""
    path = tmp_path / "annotations.json"
    store = open_db(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time\n"
         "f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
         str(path) + ".lock"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        queue = SaveQueue(store, Results())
        queue.submit(Op.put(make()))
        started = time.monotonic()
        assert queue.close(1.0) is False
        took = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert took < 1.6, f"close(1.0) took {took:.2f}s: the flush and the wait for the writer each took the timeout"


def test_a_save_error_never_carries_a_control_character() -> None:
    from annotations.saver import describe_error

    path = "/team/\x1b]52;c;aGk=\x07db\n.json"
    for exc in (OSError(28, "No space left on device"), OSError(5, "Input/output \x1b[6n error"), ValueError("bad\x9b")):
        reason = describe_error(exc, path)
        assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in reason), reason
        assert "\n" not in reason
