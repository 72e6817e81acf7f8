"""What the reader benchmarks share: a throwaway home per run, and the real app timed in process.

The in-process half opens :class:`tui.app.AnnottyApp` under Textual's test
harness and times each key from the moment its event is handed to the
driver, as a terminal's key would be, until a frame showing its effect has
been turned into terminal output.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from .report import Figure, percentile, show

COLUMNS, ROWS = 100, 30
FRAME_GOAL_MS = 16.0
#: Between presses, like a held key repeating at about 30 per second.
KEY_REPEAT_S = 0.03
#: The status bar's analysis field once everything is found (it reads "entities: N so far" before).
ALL_ENTITIES = re.compile(r"\b(\d+) entities\b")


def terminal_env(home: Path) -> dict[str, str]:
    """A terminal's environment with a throwaway home: its own analysis cache, no user keys."""
    for sub in ("cache", "config"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "COLUMNS", "LINES", "TMUX"))}
    env.update(
        HOME=str(home), XDG_CACHE_HOME=str(home / "cache"), XDG_CONFIG_HOME=str(home / "config"),
        TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
        PYTHONPATH=str(Path(__file__).resolve().parent.parent),
    )
    return env


def compile_project() -> None:
    """Write the bytecode of the project's own modules, as installing it does.

    An environment with PYTHONDONTWRITEBYTECODE set (the benchmarks inherit it) never keeps
    it, so every launch compiled annotty's sources again (some 60 ms of the first paint, more
    under load) while Textual and spaCy, installed with their bytecode, paid nothing.
    """
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("annotations", "tui", "bench"):
        compileall.compile_dir(root / package, quiet=1)


def annotty_command(article: Path, db: Path) -> list[str]:
    """The installed ``annotty`` script, as a user would start it."""
    return [str(Path(sys.executable).parent / "annotty"), str(article), "--db", str(db)]


def cache_dir(home: Path) -> Path:
    """Where the app keeps its analysis cache under a throwaway home (platformdirs' XDG layout)."""
    return home / "cache" / "annotty" / "analysis"


def _timed_app_class():
    from textual._compositor import CompositorUpdate

    from tui.app import AnnottyApp

    class TimedApp(AnnottyApp):
        """The real app, telling a listener each time a frame is finished."""

        frame_listener: Callable[[], None] | None = None

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                # Headless, Textual stops short of turning the frame into terminal
                # bytes; a real terminal pays for that, so it is paid here too.
                renderable.render_segments(self.console)
                if self.frame_listener is not None:
                    self.frame_listener()

    return TimedApp


@asynccontextmanager
async def running_app(article: Path, home: Path, db: Path) -> AsyncIterator:
    """The real app on *article*, with *home*'s cache and config and the database *db*, mounted."""
    from annotations.article import load
    from annotations.cli import app_parser

    # The app reads the same variables in process as installed: they pick the cache it sees.
    os.environ.update({k: v for k, v in terminal_env(home).items() if k.startswith("XDG_")})
    args = app_parser().parse_args([str(article), "--db", str(db), "--annotator", "bench"])
    app = _timed_app_class()([str(article)], args, load(article))
    async with app.run_test(size=(COLUMNS, ROWS)) as pilot:
        await pilot.pause()
        yield app


def analysis_finished(app) -> bool:
    return ALL_ENTITIES.fullmatch(app.screen.status.analysis) is not None


async def press_timed(app, key: str, char: str | None) -> tuple[float, float, float] | None:
    """Send *key*; when it moved the cursor, (sent at, move handled at, frame done at) in perf_counter seconds.

    The frame counted is the first one finished after the cursor (or the
    scroll position) changed: what a reader waits for. The time move_to
    returned splits the wait into handling the key and drawing the frame.
    None when the key moved nothing (at the end of the text), as no frame is
    owed then. Pilot.press is not used: it waits for the whole process to go
    idle, which never happens while the model runs in its thread.
    """
    from textual import events

    view = app.screen.view
    before = (view.cursor, view.scroll_offset.y)
    shown: list[float] = []
    frame_done = asyncio.Event()

    def on_frame() -> None:
        if not shown and (view.cursor, view.scroll_offset.y) != before:
            shown.append(time.perf_counter())
            frame_done.set()

    moved: list[float] = []
    move_to = view.move_to

    def timed_move_to(*args, **kwargs) -> None:
        move_to(*args, **kwargs)
        moved.append(time.perf_counter())

    app.frame_listener = on_frame
    view.move_to = timed_move_to
    sent = time.perf_counter()
    app._driver.send_message(events.Key(key, char))
    try:
        await asyncio.wait_for(frame_done.wait(), timeout=2.0)
    except TimeoutError:
        pass
    app.frame_listener = None
    del view.move_to
    await asyncio.sleep(KEY_REPEAT_S)
    if not shown:
        return None
    return sent, (moved[0] if moved else shown[0]), shown[0]


def send_key(app, key: str, char: str | None) -> None:
    """Hand *key* to the app's driver without waiting for anything."""
    from textual import events

    app._driver.send_message(events.Key(key, char))


def latency_figures(phase: str, frame_ms: list[float], handled_ms: list[float]) -> list[Figure]:
    """p50 and p95 keypress-to-frame figures for *phase*, with a line on handling time."""
    print(f"  {phase}: {len(frame_ms)} keys, max {max(frame_ms):.1f} ms; key handled (move_to returned) "
          f"p50 {percentile(handled_ms, 0.5):.1f} ms, p95 {percentile(handled_ms, 0.95):.1f} ms")
    return [
        show(Figure(f"keypress to frame p50, {phase}", percentile(frame_ms, 0.50), "ms", FRAME_GOAL_MS)),
        show(Figure(f"keypress to frame p95, {phase}", percentile(frame_ms, 0.95), "ms", FRAME_GOAL_MS)),
    ]
