"""An article full of terminal escapes, control characters and markup cannot reach or steer the terminal."""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from pathlib import Path

import pytest

from terminal_harness import HEIGHT, WIDTH, collapse

TITLE = "Lighthouse trust accounts questioned"
MARKUP = ("[bold]x[/]", "[/]", "[link=http://x]y[/link]", "[@click=app.quit]z[/]")

# The loader refuses a file with a NUL in its first 8 KiB as binary, so the NUL
# comes after enough ordinary paragraphs to be read as text.
FILLER = "\n\n".join(
    f"Item {n} of the minutes records that the trust's accounts for the quarter were noted without comment."
    for n in range(1, 100)
)

HOSTILE_ARTICLE = "\n\n".join([
    TITLE,
    "The harbour trust said on Friday that its annual accounts would be published next month.",
    "Window title: \x1b]0;pwned\x07 end of window title.",
    "Clipboard: \x1b]52;c;cHduZWQ=\x07 end of clipboard.",
    "Clear screen: \x1b[2J after the clear.",
    "Control introducer: \u009b31m and reversed: \u202eevitceted end of controls.",
    f"Markup: {MARKUP[0]} and a lone {MARKUP[1]} closing tag.",
    f"Link: {MARKUP[2]} and action {MARKUP[3]} end of markup.",
    FILLER,
    "Null: \x00 after the null.",
    "",
])

# Any OSC sequence (ESC ] ... BEL or ESC \) the program wrote.
OSC = re.compile(rb"\x1b\](.*?)(?:\x07|\x1b\\)", re.DOTALL)


@pytest.fixture
def hostile_article(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE_ARTICLE, encoding="utf-8")
    assert HOSTILE_ARTICLE.index("\x00") > 8192
    return path


class PtyProgram:
    """A program on the child side of a fresh pseudo-terminal; every byte it writes is kept."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: size its terminal, then become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
                os.chdir(cwd)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.output = bytearray()
        self.status: int | None = None

    def read_for(self, seconds: float, until: bytes | None = None) -> None:
        """Collect output for *seconds*, or until *until* has been seen, or until the program closes the pty."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if until is not None and until in self.output:
                return
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.1))
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError as exc:  # EIO: the child side is closed
                if exc.errno != errno.EIO:
                    raise
                return
            if not chunk:
                return
            self.output += chunk

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def running(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is None

    def wait(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while self.running() and time.monotonic() < deadline:
            self.read_for(0.1)
        return None if self.status is None else os.waitstatus_to_exitcode(self.status)

    def close(self) -> None:
        if self.running():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def test_hostile_bytes_never_reach_the_terminal(annotty: Path, app_env: dict[str, str], hostile_article: Path, tmp_path: Path) -> None:
    program = PtyProgram([str(annotty), str(hostile_article), "--db", str(tmp_path / "h.json")], app_env, tmp_path)
    try:
        program.read_for(60, until=b"introducer")
        assert b"introducer" in program.output, f"the article never showed:\n{bytes(program.output)[-2000:]!r}"
        for key in (b"j", b"w", b"j"):
            program.send(key)
            program.read_for(1)
        assert program.running(), "annotty exited after a few motion keys on the hostile article"

        program.send(b"\x11")  # ctrl+q
        status = program.wait(timeout=15)
        program.read_for(1)
        raw = bytes(program.output)
        assert status == 0, f"annotty did not quit cleanly on ctrl+q (status {status})"
    finally:
        program.close()

    for payload in (b"\x1b]0;pwned", b"\x1b]52;", b"\xc2\x9b", b"\xe2\x80\xae", b"\x1b]8;;http://x"):
        assert payload not in raw, f"{payload!r} reached the terminal"
    # The text around the escapes is shown (harmlessly, as text), but no control
    # sequence the program wrote may carry a payload from the article.
    for osc in OSC.findall(raw):
        for payload in (b"pwned", b"cHduZWQ=", b"http://x", b"app.quit"):
            assert payload not in osc, f"an OSC sequence carried {payload!r}: {osc!r}"
        assert not osc.startswith(b"52;"), f"the program wrote to the clipboard: {osc!r}"


def test_hostile_text_shows_literally_and_sets_nothing(tmux, annotty: Path, hostile_article: Path, tmp_path: Path) -> None:
    term = tmux([str(annotty), str(hostile_article), "--db", str(tmp_path / "h.json")])
    screen = term.wait_for("end of markup", timeout=60)
    flat = collapse(screen)
    for markup in MARKUP:
        assert markup in flat, f"{markup!r} is not shown literally:\n{screen}"
    # Had the clear-screen escape run, the lines above it would be gone.
    assert "would be published next month" in flat and "after the clear" in flat, screen
    assert "pwned" not in term.pane("#{pane_title}"), "the article set the window title"
    assert term.buffers() == [], "the article wrote to the clipboard"

    term.send_keys("j", "w")
    time.sleep(1)
    assert not term.is_dead(), f"annotty exited after motion keys:\n{term.capture()}"
    term.send_keys("C-q")
    assert term.wait_exit(timeout=15) == 0, term.capture()
