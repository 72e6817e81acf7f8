"""Shared fixtures: the real spaCy pipeline (loaded once), the app built as the command line builds it,
and a private cache and config dir for every test."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from annotations import analysis, cli
from annotations.article import load
from annotations.nlp import DEFAULT_MODEL, load_pipeline

#: The status bar's analysis field once the whole article has been analysed.
_ENTITIES_DONE = re.compile(r"^(\d+) entities$")


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point the XDG cache and config dirs at fresh folders so no test reads or writes the user's."""
    home = tmp_path_factory.mktemp("xdg")
    dirs = {"cache": home / "cache", "config": home / "config"}
    for path in dirs.values():
        path.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(dirs["cache"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(dirs["config"]))
    return dirs


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline(DEFAULT_MODEL)


@pytest.fixture
def shared_pipeline(nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the app's analyser reuse the pipeline loaded once for all tests instead of reading the model again."""
    monkeypatch.setattr(analysis, "load_pipeline", lambda name: nlp if name == DEFAULT_MODEL else load_pipeline(name))


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_pipeline: None) -> Callable[..., object]:
    """Build AnnottyApp as `annotty PATH... --db annotations.json [--option value...]` would.

    The working directory is the test's tmp_path, so the relative database path
    (shown in the status bar) is the same in every run.
    """
    from tui.app import AnnottyApp
    from annotations.article import article_paths

    monkeypatch.chdir(tmp_path)

    def build(paths: list[str | Path], **options: object) -> AnnottyApp:
        argv = [str(p) for p in paths] + ["--db", "annotations.json"]
        for name, value in options.items():
            flag = "--" + name.replace("_", "-")
            if value is True:
                argv.append(flag)
            else:
                argv += [flag, str(value)]
        args = cli.app_parser().parse_args(argv)
        expanded = article_paths(args.paths)
        first = load(expanded[0], encoding=args.encoding, max_bytes=args.max_size)
        return AnnottyApp(expanded, args, first)

    return build


@pytest.fixture
def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader analyses nothing: for tests the model plays no part in, which it would only slow down
    (a module asks with ``pytestmark = pytest.mark.usefixtures("no_analysis")``)."""
    from tui.screens.reader import ReaderScreen

    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)


@pytest.fixture
def two_apps(make_app, no_analysis: None):
    """Two apps on one database file, as two colleagues (or one annotator in two terminals), on the sample
    article, without the model (what they test is the file between them); each has read the file:

    >>> async with two_apps("alice", "bob") as ((alice, a), (bob, b)): ...
    """
    from contextlib import asynccontextmanager

    from app_helpers import annotations_loaded
    from tui.main import sample_path

    @asynccontextmanager
    async def started(first: str, second: str, size: tuple[int, int] = (100, 30)):
        one, other = make_app([sample_path()], annotator=first), make_app([sample_path()], annotator=second)
        async with one.run_test(size=size) as a, other.run_test(size=size) as b:
            await annotations_loaded(a)
            await annotations_loaded(b)
            yield (one, a), (other, b)

    return started


def analysis_state(app) -> str:
    from tui.widgets.status_bar import StatusBar

    return app.screen.query_one(StatusBar).analysis


async def _wait_for_entities(pilot, timeout: float = 30.0) -> int:
    """Wait until the reader shows the finished entity count; fail loudly if it never comes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        await pilot.pause(0.05)
        try:
            state = analysis_state(pilot.app)
        except Exception:  # the reader screen is not mounted yet
            continue
        match = _ENTITIES_DONE.match(state)
        if match:
            await pilot.pause()
            return int(match.group(1))
        if state in ("no model", "entities failed"):
            pytest.fail(f"entity recognition did not run: status bar says {state!r}")
    pytest.fail(f"entity recognition did not finish within {timeout}s (status bar: {analysis_state(pilot.app)!r})")


@pytest.fixture
def wait_for_entities() -> Callable[..., object]:
    """``await wait_for_entities(pilot)``: the finished entity count, once NER is done."""
    return _wait_for_entities
