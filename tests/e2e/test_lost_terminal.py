"""A lost terminal or SIGTERM ends annotty within a bound, in any screen and whatever the event loop is doing.

The terminal is lost the way a dropped ssh link loses it: annotty runs in a new
session whose controlling terminal is a pty, as sshd and tmux start it, and the
master side of the pty is closed (what sshd does when the connection goes). The
kernel then hangs the terminal up: SIGHUP and SIGCONT, reads at end of file,
writes failing with EIO. One test loses a tmux pane the same way, by killing
the tmux server.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from terminal_harness import EXAMPLES, REPO, wait_until_gone

ARTICLE = EXAMPLES / "harbour-bridge-vote.txt"
TITLE = ARTICLE.read_text(encoding="utf-8").split("\n", 1)[0].split()[:4]
#: The orphan must be gone this long after its terminal (or SIGTERM asks it to end).
GONE_WITHIN = 10.0
TRIES = 8
CTRL_Q, CTRL_P, ENTER = b"\x11", b"\x10", b"\r"


#: Run by the session's first process: take the pty as controlling terminal, as a login does, then become annotty.
OWN_TERMINAL = """
import fcntl, os, resource, sys, termios
owner, limit = sys.argv[1] == "owner", int(sys.argv[2])
if owner:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
if limit:  # growing any file past this fails in the kernel (EFBIG) as on a full disk, even for root
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
os.execv(sys.argv[3], sys.argv[3:])
"""


class Session:
    """annotty in a new session whose controlling terminal is a 100x30 pty; its output is collected."""

    def __init__(self, args: list[str], env: dict[str, str], file_size_limit: int = 0, owner: bool = True) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-c", OWN_TERMINAL, "owner" if owner else "-", str(file_size_limit), *args],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO, start_new_session=True,
        )
        os.close(slave)
        self.output = bytearray()
        self.open = True

    def read(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.open and (left := deadline - time.monotonic()) > 0:
            if not select.select([self.master], [], [], left)[0]:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the app has closed its side
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, needle: bytes, since: int = 0, timeout: float = 60) -> int:
        """Read until *needle* shows after *since*; the offset just past it."""
        deadline = time.monotonic() + timeout
        while (found := self.output.find(needle, since)) < 0:
            if time.monotonic() > deadline or self.process.poll() is not None:
                pytest.fail(f"{needle!r} never showed (exit {self.process.poll()}); last output "
                            f"{bytes(self.output[-600:])!r}")
            self.read(0.05)
        return found + len(needle)

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def hang_up(self) -> float:
        """Close the terminal as a dropped link does; the time it happened."""
        os.close(self.master)
        self.open = False
        return time.monotonic()

    def gone_after(self, since: float, timeout: float = GONE_WITHIN) -> float | None:
        """Seconds from *since* until the process ended, or None if it is still running after *timeout*."""
        try:
            self.process.wait(timeout=max(0.0, since + timeout - time.monotonic()))
        except subprocess.TimeoutExpired:
            return None
        return time.monotonic() - since

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.open:
            os.close(self.master)
            self.open = False


def start(annotty: Path, env: dict[str, str], db: Path, *articles: Path, file_size_limit: int = 0) -> Session:
    session = Session([str(annotty), *map(str, articles or [ARTICLE]), "--db", str(db)], env, file_size_limit)
    # The article's first two words: drawn as one run whether or not they are an entity yet, and shown
    # even when a save error leaves the status bar no room for the title.
    session.wait_for(" ".join(TITLE[:2]).encode())
    return session


def annotations_in(db: Path) -> list[dict]:
    tables = json.loads(db.read_text(encoding="utf-8"))
    return list(tables.get("annotations", {}).values())


def in_parallel(attempt, count: int) -> list:
    """*attempt(i)* for i in range(count), a few at a time: several sessions also load the machine as a
    shared server is loaded."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(attempt, range(count)))


def test_quit_with_failing_saves_then_a_lost_terminal_always_ends(annotty: Path, app_env: dict[str, str],
                                                                   tmp_path: Path) -> None:
    """ctrl+q warns that a change cannot be saved; the terminal then goes: the app ends, status 2, every time."""

    def attempt(index: int) -> tuple[float | None, int | None]:
        session = start(annotty, app_env, tmp_path / f"refused-{index}.json", file_size_limit=1)
        try:
            session.send(b")c")
            after_tag = session.wait_for(b"File too large")
            session.send(CTRL_Q)
            session.wait_for(b"Unsaved changes", since=after_tag)
            return session.gone_after(session.hang_up()), session.process.poll()
        finally:
            session.kill()

    results = in_parallel(attempt, TRIES)
    print(f"gone after (s), status: {results}")
    assert all(gone is not None for gone, _ in results), f"still running {GONE_WITHIN}s after the terminal went: {results}"
    assert [status for _, status in results] == [2] * TRIES, f"a lost change must end with status 2: {results}"


SCREENS = {"help": b"?", "palette": CTRL_P, "label picker": b"t", "editor": b")c" + ENTER}


def test_a_terminal_lost_as_a_screen_opens_ends_the_app(annotty: Path, app_env: dict[str, str], tmp_path: Path) -> None:
    """The terminal goes within 0.1 s of opening a screen, while it is being drawn: the app still ends."""
    runs = [name for name in SCREENS for _ in range(2)]

    def attempt(index: int) -> tuple[str, float | None, int | None]:
        session = start(annotty, app_env, tmp_path / f"screen-{index}.json")
        try:
            session.read(0.5)
            session.send(SCREENS[runs[index]])
            session.read(0.05)
            return runs[index], session.gone_after(session.hang_up()), session.process.poll()
        finally:
            session.kill()

    results = in_parallel(attempt, len(runs))
    print(f"screen, gone after (s), status: {results}")
    assert all(gone is not None for _, gone, _ in results), f"still running {GONE_WITHIN}s after the terminal went: {results}"
    assert all(status == 128 + signal.SIGHUP for _, _, status in results), results


def test_a_terminal_lost_without_a_hang_up_signal_ends_the_app(annotty: Path, app_env: dict[str, str],
                                                                tmp_path: Path) -> None:
    """The pty is not the app's controlling terminal, so closing it sends no SIGHUP and the idle app
    writes nothing: it still notices, and ends."""
    db = tmp_path / "no-signal.json"
    session = Session([str(annotty), str(ARTICLE), "--db", str(db)], app_env, owner=False)
    try:
        session.wait_for(" ".join(TITLE).encode())
        session.read(1.0)
        gone = session.gone_after(session.hang_up())
        print(f"gone {gone} s after the terminal closed")
        assert gone is not None, f"still running {GONE_WITHIN}s after the terminal went"
        assert session.process.returncode == 128 + signal.SIGHUP
    finally:
        session.kill()


def test_killing_the_tmux_server_right_after_help_opens_ends_the_app(tmux, annotty: Path, tmp_path: Path) -> None:
    db = tmp_path / "tmux-help.json"
    term = tmux([str(annotty), str(ARTICLE), "--db", str(db)])
    term.wait_for(" ".join(TITLE), timeout=60)
    term.send_keys("?")
    time.sleep(0.05)
    term.kill()
    left = wait_until_gone(str(db), timeout=GONE_WITHIN)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running {GONE_WITHIN}s after the tmux server was killed: {left}"


def long_word_article(path: Path, chars: int) -> Path:
    """An article whose second paragraph is one word of *chars* CJK characters, two cells wide each:
    laying it out keeps the event loop busy."""
    path.write_text("A long word\n\nIt starts here: " + "漢" * chars + "\n", encoding="utf-8")
    return path


def test_sigterm_ends_the_app_while_the_event_loop_is_busy(annotty: Path, app_env: dict[str, str],
                                                           tmp_path: Path) -> None:
    """A claim is saved, then the next article takes the loop for a long time: SIGTERM still ends the app
    within the bound, the claim is in the file and the terminal is put back."""
    db = tmp_path / "busy.json"
    blob = long_word_article(tmp_path / "blob.txt", 60_000)
    session = start(annotty, app_env, db, ARTICLE, blob)
    try:
        session.send(b")c")
        session.wait_for(b"1 annotation saved")
        session.send(b">")
        session.read(1.0)
        assert session.process.poll() is None, "the app ended before SIGTERM"
        mark = len(session.output)
        session.process.send_signal(signal.SIGTERM)
        gone = session.gone_after(time.monotonic())
        print(f"gone {gone} s after SIGTERM")
        assert gone is not None, f"still running {GONE_WITHIN}s after SIGTERM"
        session.read(0.5)
        assert session.process.returncode == 128 + signal.SIGTERM
        assert b"\x1b[?1049l" in session.output[mark:], "the terminal was left on the alternate screen"
    finally:
        session.kill()
    claims = [a for a in annotations_in(db) if a["label"] == "CLAIM"]
    assert len(claims) == 1, claims


def one_paragraph_article(path: Path, chars: int) -> Path:
    """An article whose body is one paragraph of *chars* characters (a long transcript): the model reads it in
    one call of tens of seconds on the analysis thread."""
    sentences = " ".join(ARTICLE.read_text(encoding="utf-8").split())
    body = (sentences + " ") * (chars // len(sentences) + 1)
    path.write_text("A long transcript\n\n" + body[:chars] + "\n", encoding="utf-8")
    return path


def test_sigterm_ends_the_app_while_the_model_reads_a_long_paragraph(annotty: Path, app_env: dict[str, str],
                                                                     tmp_path: Path) -> None:
    db = tmp_path / "model.json"
    transcript = one_paragraph_article(tmp_path / "transcript.txt", 200_000)
    session = Session([str(annotty), str(transcript), "--db", str(db)], app_env)
    try:
        session.wait_for(b"A long transcript")
        session.send(b"c")
        session.wait_for(b"1 annotation saved")
        session.read(4.0)  # the model is loading or reading the paragraph
        assert b"entities: loading" in session.output and session.process.poll() is None
        session.process.send_signal(signal.SIGTERM)
        gone = session.gone_after(time.monotonic())
        print(f"gone {gone} s after SIGTERM")
        assert gone is not None, f"still running {GONE_WITHIN}s after SIGTERM"
        assert session.process.returncode == 128 + signal.SIGTERM
    finally:
        session.kill()
    assert [a["label"] for a in annotations_in(db)] == ["CLAIM"]


def test_a_note_typed_in_the_open_editor_is_kept_when_the_terminal_goes(annotty: Path, app_env: dict[str, str],
                                                                       tmp_path: Path) -> None:
    """A dropped link is not esc: the claim's note typed in the editor is on disk after the hang-up."""
    db = tmp_path / "editor-note.json"
    session = start(annotty, app_env, db)
    try:
        session.send(b")c")
        after_tag = session.wait_for(b"annotation saved")
        session.send(ENTER)
        after_open = session.wait_for(b"ctrl+s saves", since=after_tag)
        session.send(b"\t\t\tkept after the link dropped")
        session.wait_for(b"kept after the link dropped", since=after_open)
        gone = session.gone_after(session.hang_up())
        assert gone is not None, f"still running {GONE_WITHIN}s after the terminal went"
        assert session.process.returncode == 128 + signal.SIGHUP
    finally:
        session.kill()
    [claim] = annotations_in(db)
    assert claim["label"] == "CLAIM"
    assert claim["attrs"].get("note") == "kept after the link dropped", claim


def test_sigterm_while_the_model_loads_ends_the_app_at_once_with_the_claim_saved(annotty: Path, app_env: dict[str, str],
                                                                                 tmp_path: Path) -> None:
    """The reader looks idle, but its worker is loading the model (no cache yet), which nothing cancels:
    the ending no longer waits for that worker (it took until the forced end, 5.1 s after the signal)."""
    db = tmp_path / "loading.json"
    session = start(annotty, app_env, db)
    try:
        session.send(b")c")
        session.wait_for(b"1 annotation saved")
        assert session.process.poll() is None
        session.process.send_signal(signal.SIGTERM)
        gone = session.gone_after(time.monotonic())
        print(f"gone {gone} s after SIGTERM")
        assert gone is not None, f"still running {GONE_WITHIN}s after SIGTERM"
        assert session.process.returncode == 128 + signal.SIGTERM
        assert gone < 3.0, f"{gone:.1f} s: the ending waited for the worker loading the model"
    finally:
        session.kill()
    assert b"entities: loading" in session.output, "the model was still loading when the signal came"
    assert [a["label"] for a in annotations_in(db)] == ["CLAIM"]
