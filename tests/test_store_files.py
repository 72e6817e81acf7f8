"""What the store does with the file system around the database: permissions, groups, symbolic links,
files that are not regular files, a planted lock, a replaced folder, and a file set read-only."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest

from annotations.article import Article
from annotations.model import CLAIM, Annotation
from annotations.saver import SaveQueue
from annotations.store import DatabaseError, FolderChanged, Op, open_db

TEXT = "The harbour board said on Monday that the night ferry would stop in March, and the council objected."
ARTICLE = Article.from_text(TEXT, "ferry.txt")
EXAMPLE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
ANNOTTY = Path(sys.executable).parent / "annotty"


def make(start: int = 0, end: int = 20) -> Annotation:
    return Annotation.create(article_id=ARTICLE.id, source=ARTICLE.source, article_text=TEXT,
                             label=CLAIM, start=start, end=end, annotator="ines")


def ids_in(path: Path) -> set[str]:
    return {doc["id"] for doc in orjson.loads(path.read_bytes()).get("annotations", {}).values()}


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test (and put the old one back)."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


# ---- permissions and group ---------------------------------------------------------------------


@pytest.mark.parametrize("mask, expected", [(0o002, 0o664), (0o027, 0o640), (0o077, 0o600)])
def test_a_new_database_and_its_lock_honour_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    db = tmp_path / "team.json"
    with open_db(db) as store:
        store.add(make())
    assert mode_of(db) == expected
    assert mode_of(Path(f"{db}.lock")) == expected


def test_a_rewrite_keeps_the_files_mode_and_group(tmp_path, umask):
    others = [g for g in os.getgroups() if g != os.getegid()]
    if os.geteuid() != 0 and not others:
        pytest.skip("needs root, or a second group of this user, to give the file another group")
    group = 65534 if os.geteuid() == 0 else others[0]  # root: nogroup, which root is not a member of
    db = tmp_path / "team.json"
    with open_db(db) as store:
        store.add(make())
    os.chown(db, -1, group)
    os.chmod(db, 0o660)
    umask(0o077)  # the writer's umask does not matter for a file that exists
    with open_db(db) as store:
        store.add(make(3, 30))
    assert (mode_of(db), os.stat(db).st_gid) == (0o660, group)
    assert len(ids_in(db)) == 2


# ---- symbolic links, and what is not a regular file -------------------------------------------


def test_a_symlinked_database_is_written_through_to_its_target(tmp_path):
    real = tmp_path / "shared" / "team.json"
    real.parent.mkdir()
    with open_db(real) as store:
        store.add(make())
    os.chmod(real, 0o640)
    link = tmp_path / "mine.json"
    link.symlink_to(real)
    with open_db(link) as store:
        store.add(make(3, 30))
        assert store.path == str(real)
    assert link.is_symlink() and os.readlink(link) == str(real), "the link stays a link"
    assert len(ids_in(real)) == 2, "the target holds both annotations"
    assert mode_of(real) == 0o640, "the target keeps its permissions"
    assert not (tmp_path / "mine.json.lock").exists(), "the lock is taken beside the target, where every link leads"


def test_a_planted_lock_symlink_is_refused_and_nothing_is_created_elsewhere(tmp_path):
    db = tmp_path / "team.json"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"
    victim.write_bytes(b"not the database's\n")
    for target in (elsewhere / "created.txt", victim):
        lock = Path(f"{db}.lock")
        lock.unlink(missing_ok=True)
        lock.symlink_to(target)
        with open_db(db) as store:
            with pytest.raises(DatabaseError) as refused:
                store.add(make())
        message = str(refused.value)
        assert "\n" not in message and "symbolic link" in message and str(lock) in message
        assert not db.exists()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["victim.txt"], "nothing was created through the link"
    assert victim.read_bytes() == b"not the database's\n", "nor truncated"


@contextmanager
def unblocked_after(fifo: Path, seconds: float):
    """If something waits to read *fifo* after *seconds*, open and close its other end so the test fails, not hangs."""
    stop = threading.Event()

    def release() -> None:
        while not stop.wait(seconds):
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass  # no reader is waiting

    watchdog = threading.Thread(target=release, daemon=True)
    watchdog.start()
    try:
        yield
    finally:
        stop.set()
        watchdog.join()


def test_fifos_devices_and_sockets_are_refused_with_one_line(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock.json"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for path, kind in ((fifo, "named pipe"), (Path("/dev/zero"), "character device"), (sock_path, "socket")):
            with unblocked_after(fifo, 3), pytest.raises(DatabaseError) as refused:
                open_db(path)
            message = str(refused.value)
            assert message == f"{path} is a {kind}{' (FIFO)' if kind == 'named pipe' else ''}, not a database file"
    finally:
        server.close()
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.json", "sock.json"], "no lock or temp file made"


def test_a_fifo_as_db_does_not_hang_the_command(tmp_path):
    fifo = tmp_path / "team.json"
    os.mkfifo(fifo)
    started = time.monotonic()
    done = subprocess.run([str(ANNOTTY), "--db", str(fifo), str(EXAMPLE)], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL, cwd=tmp_path)
    assert done.returncode == 2, done
    assert done.stderr == f"annotty: {fifo} is a named pipe (FIFO), not a database file\n"
    assert time.monotonic() - started < 60


# ---- a folder replaced while the database is open -----------------------------------------------


def replace_folder(folder: Path) -> Path:
    """Move *folder* away and put a new one, holding a database of its own, at the same path."""
    moved = folder.with_name(folder.name + ".old")
    folder.rename(moved)
    folder.mkdir()
    other = Annotation.create(article_id="other", source="other.txt", article_text="Other text here.",
                              label=CLAIM, start=0, end=5, annotator="tomas")
    with open_db(folder / "team.json") as store:
        store.add(other)
    return moved


def test_a_replaced_folder_is_never_written(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    db = folder / "team.json"
    store = open_db(db)
    store.add(make())
    moved = replace_folder(folder)
    new_before = sorted((p.name, p.read_bytes()) for p in folder.iterdir())
    old_before = (moved / "team.json").read_bytes()
    with pytest.raises(FolderChanged) as refused:
        store.add(make(3, 30))
    message = str(refused.value)
    assert "\n" not in message and str(db) in message and "folder was replaced" in message
    assert sorted((p.name, p.read_bytes()) for p in folder.iterdir()) == new_before, "the new folder is untouched"
    assert (moved / "team.json").read_bytes() == old_before
    store.close()


def test_the_save_queue_reports_a_replaced_folder_once_instead_of_retrying(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    store = open_db(folder / "team.json")
    store.add(make())
    replace_folder(folder)
    results = []
    queue = SaveQueue(store, results.append, first_retry=0.01, max_retry=0.01)
    queue.submit(Op.put(make(3, 30)))
    deadline = time.monotonic() + 10
    while not results and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # a queue that retries on its timer would have tried about thirty times by now
    assert len(results) == 1, results
    (result,) = results
    assert not result.ok and not result.retrying and result.pending == 1 and "folder was replaced" in result.error
    assert queue.flush(0.3) is False, "quitting tries once more, and is refused again"
    assert len(results) == 2 and not results[1].ok
    assert len(ids_in(folder / "team.json")) == 1, "only the new folder's own annotation"
    queue.close(0.1)
    store.close()


# ---- a database set read-only --------------------------------------------------------------------


def test_a_read_only_database_is_opened_read_only_and_never_rewritten(tmp_path):
    db = tmp_path / "team.json"
    with open_db(db) as store:
        store.add(make())
        assert store.read_only is None
    os.chmod(db, 0o444)
    before = os.stat(db)
    with open_db(db) as store:
        assert store.read_only == f"read-only database {db} (chmod u+w to save)"
        assert [a.id for a in store.annotations()] == list(ids_in(db)), "it can still be read"
        with pytest.raises(DatabaseError) as refused:
            store.add(make(3, 30))
        assert str(refused.value) == store.read_only
        after = os.stat(db)
        assert (after.st_ino, after.st_mtime_ns, mode_of(db)) == (before.st_ino, before.st_mtime_ns, 0o444)
        os.chmod(db, 0o644)  # the owner makes it writable again: the next save goes through
        store.add(make(3, 30))
        assert store.read_only is None
    assert len(ids_in(db)) == 2
