"""The harness itself, checked against small known programs so a failing app test is never a harness bug."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from terminal_harness import HEIGHT, WIDTH, Sshd, server_side, wait_until_gone

# Prints its terminal size, echoes one typed line back, then exits with status 3.
ECHO_PROGRAM = (
    "import os; c, r = os.get_terminal_size(); print(f'size {c}x{r} term', os.environ['TERM']);"
    "line = input('type: '); print('got', line[::-1]); raise SystemExit(3)"
)


def test_tmux_pane_size_keys_capture_and_exit_status(tmux) -> None:
    term = tmux([sys.executable, "-c", ECHO_PROGRAM])
    term.wait_for(f"size {WIDTH}x{HEIGHT} term xterm-256color", timeout=10)
    term.wait_for("type:", timeout=10)
    term.send_keys("a", "b", "c", "Enter")
    term.wait_for("got cba", timeout=10)
    assert term.wait_exit(timeout=10) == 3


def test_wait_for_fails_with_the_last_screen(tmux) -> None:
    term = tmux([sys.executable, "-c", "print('only this'); input()"])
    term.wait_for("only this", timeout=10)
    with pytest.raises(pytest.fail.Exception, match="(?s)waiting for 'never shown'.*only this"):
        term.wait_for("never shown", timeout=1)


def test_ssh_login_runs_remote_command_in_a_terminal(sshd: Sshd) -> None:
    result = subprocess.run(
        sshd.command("test -t 0 && echo remote-tty-ok"),
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )
    assert "remote-tty-ok" in result.stdout, f"{result.stdout}{result.stderr}\n{sshd.log.read_text()}"


def test_killed_ssh_client_hangs_up_the_remote_program(tmux, sshd: Sshd, tmp_path) -> None:
    marker = f"hangup-marker-{tmp_path.name}"
    term = tmux(sshd.command(f"exec {sys.executable} -c 'input(\"ready\")' {marker}"))
    term.wait_for("ready", timeout=20)
    assert server_side(marker), "the remote program is not running"
    os.kill(term.pane_pid(), signal.SIGKILL)
    assert wait_until_gone(marker, timeout=10) == {}
