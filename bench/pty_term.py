"""Run a program in a pseudo-terminal and watch the bytes it writes.

There is no terminal emulator here on purpose: the benchmarks time how long
until some text reaches the terminal, and count the bytes a move costs, so
the raw output with its escape sequences stripped is all they need.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable

# CSI sequences, OSC strings (ended by BEL or ST), and two-byte escapes.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")

#: Bytes of earlier output searched again with new output.
OVERLAP = 8192

#: The reader draws its cursor in reverse video: an SGR sequence with the parameter 7.
CURSOR_DRAWN = re.compile(rb"\x1b\[(?:[0-9]*;)*7(?:;[0-9]*)*m")


_CURSOR_TO_ROW = re.compile(rb"\x1b\[(\d+);\d+H")


def rows_written(output: bytes) -> set[int]:
    """The terminal rows (from 1) that *output* moves the cursor to, which is where Textual writes."""
    return {int(m.group(1)) for m in _CURSOR_TO_ROW.finditer(output)}


def visible_text(output: bytes) -> str:
    """The printable text in terminal *output*, escape sequences removed."""
    return _ESCAPES.sub(b"", output).decode("utf-8", "replace")


class PtyProcess:
    """One program on the slave side of a fresh pty of *columns* x *rows*."""

    def __init__(self, argv: list[str], env: dict[str, str], columns: int = 100, rows: int = 30) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env,
            start_new_session=True, close_fds=True,
        )
        os.close(slave)
        self.output = bytearray()

    def _read(self, timeout: float) -> int:
        """Read what is waiting (up to *timeout* s for the first byte); the number of bytes read."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return 0
        try:
            data = os.read(self.master, 65536)
        except OSError:  # the slave side closed: the program exited
            return 0
        self.output.extend(data)
        return len(data)

    def wait_for(self, found: Callable[[str], bool], timeout: float) -> float:
        """Seconds from spawn until *found* accepts the visible text so far.

        Raises TimeoutError, with the tail of the screen text, if it never does.
        """
        deadline = time.perf_counter() + timeout
        checked = 0
        while True:
            # Only the newest output is searched (with some overlap, for text cut
            # between reads), so a long run does not rescan megabytes every time.
            if found(visible_text(bytes(self.output[max(0, checked - OVERLAP):]))):
                return time.perf_counter() - self.started
            checked = len(self.output)
            left = deadline - time.perf_counter()
            if left <= 0 or (self._read(min(left, 0.05)) == 0 and self.process.poll() is not None):
                tail = " ".join(visible_text(bytes(self.output[-3000:])).split())[-300:]
                raise TimeoutError(f"{self.process.args[0]}: not seen within {timeout:.0f} s; last text: {tail!r}")

    def settle(self, quiet: float = 0.5, timeout: float = 10.0) -> None:
        """Read until the program has written nothing for *quiet* seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and self._read(quiet):
            pass

    def wait_exit(self, timeout: float = 30.0) -> int:
        """Keep reading until the program exits by itself; its exit status."""
        deadline = time.perf_counter() + timeout
        while self.process.poll() is None and time.perf_counter() < deadline:
            self._read(0.05)
        return self.process.wait(timeout=max(0.0, deadline - time.perf_counter()))

    def bytes_for(self, keys: bytes, quiet: float = 0.15, first_byte_timeout: float = 2.0) -> int:
        """Send *keys* and count the bytes written in reply, until *quiet* seconds pass without output."""
        before = len(self.output)
        os.write(self.master, keys)
        if self._read(first_byte_timeout):
            while self._read(quiet):
                pass
        return len(self.output) - before

    def reply_to(self, keys: bytes, quiet: float = 0.15, first_byte_timeout: float = 2.0) -> bytes:
        """Send *keys* and return what is written in reply, until *quiet* seconds pass without output."""
        before = len(self.output)
        self.bytes_for(keys, quiet, first_byte_timeout)
        return bytes(self.output[before:])

    def reply_time(self, keys: bytes, shown: Callable[[bytes], bool], timeout: float = 2.0) -> float | None:
        """Seconds from writing *keys* until the output written since passes *shown*; None if it never does."""
        before = len(self.output)
        sent = time.perf_counter()
        os.write(self.master, keys)
        deadline = sent + timeout
        while (left := deadline - time.perf_counter()) > 0:
            if self._read(left) and shown(bytes(self.output[before:])):
                return time.perf_counter() - sent
        return None

    def close(self) -> None:
        """Stop the program (its own process group, started here) and free the pty."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.master)

    def __enter__(self) -> "PtyProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
