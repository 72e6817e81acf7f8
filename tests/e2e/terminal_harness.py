"""Drive real terminals for the end-to-end tests: tmux panes, process lookups and a throwaway sshd."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
REPO = E2E_DIR.parents[1]
EXAMPLES = REPO / "tui" / "sample"
WIDTH, HEIGHT = 100, 30
SSHD = Path("/usr/sbin/sshd")


def installed_annotty() -> Path:
    """The ``annotty`` script installed in the same environment as the running Python."""
    return Path(sys.executable).parent / "annotty"


def collapse(screen: str) -> str:
    """The screen as one line with white space runs as single spaces, so wrapped phrases still match."""
    return " ".join(screen.split())



class Tmux:
    """One detached tmux server on its own socket, with one 100x30 pane running a command."""

    SESSION = "e2e"

    def __init__(self, env: dict[str, str]) -> None:
        if shutil.which("tmux") is None:
            pytest.fail("tmux is not installed; .ci/run installs it (apt-get install tmux)")
        self.socket = f"annotty-e2e-{uuid.uuid4().hex[:12]}"
        self.env = env
        self.started = False

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            env=self.env, capture_output=True, text=True, check=check, timeout=20,
        )

    def start(self, command: list[str], cwd: Path = REPO) -> "Tmux":
        # The pane first runs a placeholder so the server options are in place
        # (no status line, keep dead panes, accept clipboard escapes so a leak
        # would be visible as a paste buffer) before the real command starts.
        self.tmux("new-session", "-d", "-s", self.SESSION, "-x", str(WIDTH), "-y", str(HEIGHT), "sleep 600")
        self.started = True
        for option, value in (("status", "off"), ("remain-on-exit", "on"), ("set-clipboard", "on")):
            self.tmux("set-option", "-g", option, value)
        # exec: the pane's process is the command itself, so its pid and exit status are the command's.
        line = "exec env TERM=xterm-256color " + shlex.join(command)
        self.tmux("respawn-pane", "-k", "-t", self.SESSION, "-c", str(cwd), line)
        return self

    def send_keys(self, *keys: str) -> None:
        """Key names as tmux spells them: ``"j"``, ``"?"``, ``"Escape"``, ``"C-q"``."""
        for key in keys:
            self.tmux("send-keys", "-t", self.SESSION, key)

    def capture(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.SESSION).stdout

    def pane(self, fmt: str) -> str:
        return self.tmux("display-message", "-p", "-t", self.SESSION, fmt).stdout.strip()

    def pane_pid(self) -> int:
        return int(self.pane("#{pane_pid}"))

    def is_dead(self) -> bool:
        return self.pane("#{pane_dead}") == "1"

    def exit_status(self) -> int | None:
        """The exit status of a dead pane's process; minus the signal number if a signal ended it."""
        status, _, killed_by = self.pane("#{pane_dead_status}:#{pane_dead_signal}").partition(":")
        if status:
            return int(status)
        return -int(killed_by) if killed_by else None

    def buffers(self) -> list[str]:
        return [b for b in self.tmux("list-buffers").stdout.splitlines() if b.strip()]

    def wait_for(self, expected: str | re.Pattern[str] | Callable[[str], bool], timeout: float = 30) -> str:
        """Poll the screen until *expected* shows; a string or pattern may wrap across lines.

        On timeout the test fails with the last screen in the message.
        """
        if isinstance(expected, str):
            def found(screen: str) -> bool:
                return expected in screen or collapse(expected) in collapse(screen)
            what = repr(expected)
        elif isinstance(expected, re.Pattern):
            def found(screen: str) -> bool:
                return bool(expected.search(screen) or expected.search(collapse(screen)))
            what = f"/{expected.pattern}/"
        else:
            found = expected
            what = getattr(expected, "__name__", "condition")
        deadline = time.monotonic() + timeout
        while True:
            screen = self.capture()
            if found(screen):
                return screen
            if time.monotonic() > deadline:
                dead = " (the pane's process has exited)" if self.is_dead() else ""
                pytest.fail(f"timed out after {timeout}s waiting for {what}{dead}; last screen:\n{screen}")
            time.sleep(0.2)

    def wait_exit(self, timeout: float = 15) -> int:
        """Wait for the pane's process to exit and return :meth:`exit_status`."""
        deadline = time.monotonic() + timeout
        nudged = False
        while (status := self.exit_status()) is None:
            if time.monotonic() > deadline:
                pytest.fail(f"the pane's process did not exit within {timeout}s; last screen:\n{self.capture()}")
            if self.is_dead() and not nudged:
                # tmux can miss the exit signal of a pane whose terminal closed
                # just before it exited, leaving it unreaped; a SIGCHLD makes
                # the server collect it and record its status.
                time.sleep(0.5)
                os.kill(int(self.pane("#{pid}")), signal.SIGCHLD)
                nudged = True
            time.sleep(0.2)
        return status

    def kill(self) -> None:
        if self.started:
            self.tmux("kill-server", check=False)
            self.started = False


# --------------------------------------------------------------------------- processes


def processes_with(needle: str) -> dict[int, str]:
    """Running processes whose command line contains *needle*, as pid -> command line."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\x00", b" ").decode(errors="replace").strip()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # exited while we looked
            continue
        if needle in cmdline and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def server_side(needle: str) -> dict[int, str]:
    """Like :func:`processes_with`, leaving out ssh clients (whose command line holds the remote command)."""
    return {pid: cmd for pid, cmd in processes_with(needle).items() if Path(cmd.split(" ", 1)[0]).name != "ssh"}


def wait_until_gone(needle: str, timeout: float) -> dict[int, str]:
    """Wait for every process matching *needle* to end; returns those still running at the deadline."""
    deadline = time.monotonic() + timeout
    while (left := processes_with(needle)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


# --------------------------------------------------------------------------- sshd


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Sshd:
    """A running throwaway sshd on 127.0.0.1 and the client key that logs in to it."""

    port: int
    key: Path
    user: str
    log: Path

    def command(self, remote: str) -> list[str]:
        return [
            "ssh", "-tt", "-F", "/dev/null", "-i", str(self.key), "-p", str(self.port),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
            f"{self.user}@127.0.0.1", remote,
        ]




def sshd_config(base: Path, port: int, host_key: Path, authorized: Path) -> str:
    return "\n".join([
        "ListenAddress 127.0.0.1",
        f"Port {port}",
        f"HostKey {host_key}",
        f"AuthorizedKeysFile {authorized}",
        f"PidFile {base / 'sshd.pid'}",
        "PermitRootLogin yes",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        "PrintMotd no",
        "PrintLastLog no",
        "",
    ])


def start_sshd(base: Path, user: str) -> tuple[subprocess.Popen[bytes], Sshd]:
    """Generate keys and a config under *base*, start sshd in the foreground and wait for its port."""
    if not SSHD.exists():
        pytest.fail(f"{SSHD} is missing: the ssh tests need OpenSSH's server; .ci/run installs openssh-server")
    if shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
        pytest.fail("ssh or ssh-keygen is missing; .ci/run installs openssh-client")
    host_key, client_key = base / "host_key", base / "client_key"
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    authorized = base / "authorized_keys"
    authorized.write_text(client_key.with_suffix(".pub").read_text())
    authorized.chmod(0o600)
    port = free_port()
    config = base / "sshd_config"
    config.write_text(sshd_config(base, port, host_key, authorized))
    # sshd refuses to start without its privilege-separation directory.
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    log = base / "sshd.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)], stdout=log_file, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while True:
        if server.poll() is not None:
            pytest.fail(f"sshd exited with status {server.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, Sshd(port=port, key=client_key, user=user, log=log)
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"sshd did not accept connections on port {port}:\n{log.read_text()}")
            time.sleep(0.1)
