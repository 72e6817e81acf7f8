"""The terminal driver: Textual's Linux driver, made to survive a terminal that goes away.

Why the app hung after a lost terminal (Textual 8, ``textual/drivers``): the
driver writes through a ``WriterThread`` that takes strings from a queue of at
most 30 and writes them to the terminal. On a hung-up terminal the write raises
``OSError`` (EIO), which ends that thread; from then on every write of the event
loop goes into a queue nobody empties, and the 31st blocks the loop for good,
at the latest when the driver's ``close()`` queues its stop marker. The kernel
makes that likely: with the SIGHUP of a hang-up it sends SIGCONT, and the
driver's SIGCONT handler, which does not check that the app was ever suspended,
"resumes" application mode: a second writer thread starts, writes a dozen set-up
sequences to the dead terminal and dies at once, leaving its queue half full
before the app has even begun to close. The help screen's first paint, a save
status update or the closing sequences then fill it.

Here the writer thread cannot die: a write the terminal refuses marks the
terminal lost, sends all later output nowhere and tells the app, which ends
(see :mod:`tui.ending`). SIGCONT resumes only what SIGTSTP suspended.
"""

from __future__ import annotations

import os
import termios
from collections.abc import Callable
from typing import IO

from textual.drivers.linux_driver import LinuxDriver

#: What puts the terminal back as it was: keyboard protocol, alternate screen, cursor, focus and mouse
#: reports, bracketed paste, line wrap. Used only when the process must end without the event loop.
RESET_SEQUENCES = (
    "\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?7h"
)


class TerminalOutput:
    """The file the driver's writer thread writes to; a refused write loses the terminal, not the thread."""

    def __init__(self, file: IO[str], on_lost: Callable[[], None]) -> None:
        self._file = file
        self._on_lost = on_lost
        self.lost = False

    def write(self, text: str) -> None:
        if not self.lost:
            try:
                self._file.write(text)
            except OSError:
                self._lose()

    def flush(self) -> None:
        if not self.lost:
            try:
                self._file.flush()
            except OSError:
                self._lose()

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return True

    def _lose(self) -> None:
        self.lost = True
        # Whatever else writes to standard output or error from now on (the closing
        # message of main(), the interpreter's last flush) goes nowhere instead of
        # raising on the dead terminal.
        null = os.open(os.devnull, os.O_WRONLY)
        for fd in (1, 2):
            try:
                os.dup2(null, fd)
            except OSError:
                pass
        os.close(null)
        self._on_lost()


class TerminalDriver(LinuxDriver):
    """LinuxDriver whose output survives a lost terminal and which resumes only after a suspend."""

    def __init__(self, app, **kwargs) -> None:
        super().__init__(app, **kwargs)
        self.output = TerminalOutput(self._file, self._terminal_lost)
        self._file = self.output  # what start_application_mode hands to its WriterThread
        self._suspended = False

    def _terminal_lost(self) -> None:
        lost = getattr(self._app, "terminal_lost", None)
        if lost is not None:
            lost()

    def _sigtstp_application(self, *args) -> None:
        self._suspended = True
        super()._sigtstp_application(*args)

    def _sigcont_application(self, *args) -> None:
        # A hang-up brings SIGCONT with its SIGHUP: restarting application mode then
        # would start a second writer thread against the dead terminal.
        if self._suspended and not self.output.lost:
            self._suspended = False
            super()._sigcont_application(*args)

    def restore_now(self) -> None:
        """Put the terminal back from any thread, never blocking: for an exit that cannot wait for the loop."""
        if self.output.lost:
            return
        if self.attrs_before is not None:
            try:
                termios.tcsetattr(self.fileno, termios.TCSANOW, self.attrs_before)
            except termios.error:
                pass
        write_now(self.output.fileno(), RESET_SEQUENCES.encode())


def write_now(fd: int, data: bytes) -> None:
    """Write what the terminal takes at once, never waiting: a stalled terminal must not keep the process alive."""
    try:
        os.set_blocking(fd, False)
        try:
            os.write(fd, data)
        finally:
            # The flag belongs to the terminal's open file, shared with the shell we return to.
            os.set_blocking(fd, True)
    except OSError:
        pass


def lacks_colour(environ: dict[str, str] | os._Environ) -> bool:
    """Whether the terminal named by TERM shows no colour at all (``xterm-mono``, ``vt100``), by its
    terminfo entry. Rich takes any such TERM for a 16-colour terminal, so annotations drawn as tints
    would not show there; the app then draws as for NO_COLOR (text styles and grey levels, which a
    monochrome terminal renders as attributes). An explicit colour setting wins. Asked once per process:
    curses sets a terminal up only once."""
    term = environ.get("TERM", "")
    if not term or environ.get("COLORTERM") or environ.get("TEXTUAL_COLOR_SYSTEM") or "color" in term:
        return False  # the common case decides without reading terminfo
    import curses

    try:
        with open(os.devnull, "w") as devnull:
            curses.setupterm(term, devnull.fileno())
        return curses.tigetnum("colors") < 0
    except curses.error:
        return False  # a terminal terminfo does not know: leave it to Rich
