"""Fixtures for the real-terminal tests: the installed ``annotty``, tmux panes and a throwaway sshd.

Every test under this folder is marked ``e2e`` so it can be selected (``-m e2e``)
or left out (``-m "not e2e"``).
"""

from __future__ import annotations

import getpass
import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from terminal_harness import E2E_DIR, REPO, Sshd, Tmux, installed_annotty, start_sshd


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Hooks in a conftest see every collected item, so mark only the ones in this folder.
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def annotty() -> Path:
    path = installed_annotty()
    if not path.exists():
        pytest.fail(f"{path} is missing: install the project first (make install)")
    return path


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """An environment with a throwaway home, so no user configuration or cache is used."""
    home = tmp_path / "home"
    for sub in ("config", "cache", "data"):
        (home / sub).mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TMUX", "TEXTUAL", "COLUMNS", "LINES"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    return env


@pytest.fixture
def tmux(app_env: dict[str, str]) -> Iterator[Callable[..., Tmux]]:
    """Start commands in fresh tmux servers: ``tmux([program, arg, ...])``; all are killed afterwards."""
    started: list[Tmux] = []

    def start(command: list[str], cwd: Path = REPO, env: dict[str, str] | None = None) -> Tmux:
        term = Tmux(env or app_env)
        started.append(term)
        return term.start(command, cwd)

    yield start
    for term in started:
        term.kill()


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    """A throwaway sshd on 127.0.0.1 that accepts a generated key for the current user."""
    server, info = start_sshd(tmp_path_factory.mktemp("sshd"), getpass.getuser())
    try:
        yield info
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
