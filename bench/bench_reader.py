"""The reader's benchmarks, on a generated 1 MB article with about 20,000 entities.

1. launch to first paint of the real ``annotty`` in a pty, next to a bare Textual app;
2. keypress to finished frame, in process, while the model runs and after it finished;
3. bytes written to the terminal per cursor move;
4. time until the first entities are on screen, with an empty cache.

Run ``python -m bench.bench_reader [--profile]``; ``--profile`` adds a cProfile
of the main thread while the keys are pressed.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .bare_app import GREETING
from .generate import first_words, write_article
from .pty_term import PtyProcess
from .report import Figure, median, percentile, show

COLUMNS, ROWS = 100, 30
LAUNCH_RUNS = 5
LAUNCH_RATIO_GOAL = 1.5
FRAME_GOAL_MS = 16.0
BYTES_PER_MOVE_GOAL = 2048
FIRST_ENTITIES_GOAL_S = 2.0
#: Keys timed in each phase (while the model runs, then after).
KEYS_PER_PHASE = 300
#: Motion keys pressed in turn: Textual's key name and the character typed, if any.
MOTIONS = (
    ("j", "j"), ("w", "w"), ("w", "w"), ("l", "l"), ("right_parenthesis", ")"), ("j", "j"), ("e", "e"),
    ("right_curly_bracket", "}"), ("w", "w"), ("k", "k"), ("b", "b"), ("pagedown", None),
)
#: Between presses, like a held key repeating at about 30 per second.
KEY_REPEAT_S = 0.03
#: Sent one at a time in the terminal to count bytes per move.
BYTE_MOVES = (b"l", b"w") * 25

_SOME_ENTITIES = re.compile(r"entities: \d+ so far|\b\d+ entities\b")
_ALL_ENTITIES = re.compile(r"\b(\d+) entities\b")


def body_words(text: str) -> str:
    """The opening words of the first paragraph under the headline: only the article view shows them."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return first_words(paragraphs[1] if len(paragraphs) > 1 else paragraphs[0])


def collapsed(text: str) -> str:
    return " ".join(text.split())


def annotty_command(article: Path, db: Path) -> list[str]:
    """The installed ``annotty`` script, as a user would start it."""
    return [str(Path(sys.executable).parent / "annotty"), str(article), "--db", str(db)]


def bare_command() -> list[str]:
    return [sys.executable, "-m", "bench.bare_app"]


def terminal_env(home: Path) -> dict[str, str]:
    """A terminal's environment with a throwaway home: empty analysis cache, no user keys."""
    for sub in ("cache", "config"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "COLUMNS", "LINES", "TMUX"))}
    env.update(
        HOME=str(home), XDG_CACHE_HOME=str(home / "cache"), XDG_CONFIG_HOME=str(home / "config"),
        TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8",
        PYTHONPATH=str(Path(__file__).resolve().parent.parent),
    )
    return env


def time_to_text(argv: list[str], env: dict[str, str], phrase: str) -> float:
    with PtyProcess(argv, env, COLUMNS, ROWS) as term:
        return term.wait_for(lambda screen: phrase in collapsed(screen), timeout=60)


# ---- 1. launch to first paint -------------------------------------------------------


def bench_launch(article: Path, text: str, work: Path) -> list[Figure]:
    phrase = body_words(text)
    annotty_s: list[float] = []
    bare_s: list[float] = []
    # Interleaved, so both see the same background load from the machine.
    for run in range(LAUNCH_RUNS):
        bare_s.append(time_to_text(bare_command(), terminal_env(work / f"bare-{run}"), GREETING[:30]))
        home = work / f"launch-{run}"
        annotty_s.append(time_to_text(annotty_command(article, home / "db.json"), terminal_env(home), phrase))
    print(f"  annotty first paint (s): {' '.join(f'{s:.2f}' for s in annotty_s)}")
    print(f"  bare app first paint (s): {' '.join(f'{s:.2f}' for s in bare_s)}")
    annotty, bare = median(annotty_s), median(bare_s)
    return [
        show(Figure("launch to first paint, annotty (median of 5)", annotty * 1000, "ms")),
        show(Figure("launch to first paint, bare Textual app (median of 5)", bare * 1000, "ms")),
        show(Figure("launch ratio annotty / bare app", annotty / bare, "x", LAUNCH_RATIO_GOAL)),
    ]


# ---- the analysis, computed once ----------------------------------------------------


def cache_dir(home: Path) -> Path:
    """Where the app keeps its analysis cache under the throwaway home (platformdirs' XDG layout)."""
    return home / "cache" / "annotty" / "analysis"


def warm_cache(article: Path, homes: list[Path]) -> tuple[list[Figure], int]:
    """Run the model over the whole article once and store its entities in each home's cache.

    The app only writes its cache after the quote and claim suggestions, and
    those take far too long on a megabyte (see the report), so the state
    "every entity found" is made here: the same chunks, the same cache key.
    """
    from annotations.analysis import Analyser, Analysis
    from annotations.article import load
    from annotations.cache import AnalysisCache
    from annotations.nlp import DEFAULT_MODEL, analyse_nearest_first

    loaded = load(article)
    analyser = Analyser(DEFAULT_MODEL, AnalysisCache(cache_dir(homes[0])))
    started = time.perf_counter()
    nlp = analyser.pipeline()
    loaded_s = time.perf_counter() - started
    result = Analysis()
    chunk_s: list[float] = []
    mark = time.perf_counter()
    for chunk, _ in analyse_nearest_first(nlp, loaded.text, 0):
        result.entities.extend(chunk.entities)
        result.sentences.extend(chunk.sentences)
        chunk_s.append(time.perf_counter() - mark)
        mark = time.perf_counter()
    result.entities.sort(key=lambda e: (e.start, e.end))
    result.sentences.sort()
    print(f"  spaCy import and model load: {loaded_s:.2f} s; first chunk {chunk_s[0]:.2f} s; "
          f"all {len(chunk_s)} chunks {sum(chunk_s):.1f} s")
    key = analyser._key(loaded, analyser._installed_version())
    for home in homes:
        AnalysisCache(cache_dir(home)).put(result.to_json(), *key)
    figures = [
        show(Figure("entities the model finds in the generated article", len(result.entities), "entities")),
        show(Figure("model run over the whole article, in process", sum(chunk_s), "s")),
    ]
    return figures, len(result.entities)


# ---- 4. first entities in the terminal ----------------------------------------------


def bench_first_entities(article: Path, work: Path) -> list[Figure]:
    home = work / "first-entities"
    with PtyProcess(annotty_command(article, home / "db.json"), terminal_env(home), COLUMNS, ROWS) as term:
        first = term.wait_for(lambda screen: _SOME_ENTITIES.search(screen) is not None, timeout=60)
    return [show(Figure("first entities on screen, empty cache", first, "s", FIRST_ENTITIES_GOAL_S))]


# ---- 3. bytes per move, every entity shown -------------------------------------------


def bench_bytes(article: Path, home: Path) -> list[Figure]:
    with PtyProcess(annotty_command(article, home / "db.json"), terminal_env(home), COLUMNS, ROWS) as term:
        term.wait_for(lambda screen: _ALL_ENTITIES.search(screen) is not None, timeout=60)
        term.settle()
        moves = [term.bytes_for(key) for key in BYTE_MOVES]
        pages = [term.bytes_for(b"\x1b[6~") for _ in range(10)]
    print(f"  bytes per move (l, w): min {min(moves)}, median {median(moves):.0f}")
    return [
        show(Figure("bytes to the terminal per cursor move (mean of 50)", sum(moves) / len(moves), "B", BYTES_PER_MOVE_GOAL)),
        show(Figure("bytes to the terminal per cursor move (max of 50)", max(moves), "B", BYTES_PER_MOVE_GOAL)),
        show(Figure("bytes to the terminal per page down (mean of 10)", sum(pages) / len(pages), "B")),
    ]


# ---- 2. keypress to frame, in process ----------------------------------------------


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


async def _press_timed(app, key: str, char: str | None) -> tuple[float, float] | None:
    """Seconds from sending *key* to the end of the first frame that shows its move.

    The clock starts just before the key event is handed to the app's driver,
    as a real terminal's key would be, and stops when a frame rendered after
    the cursor (or the scroll position) changed has been turned into terminal
    output: what a reader waits for. Also returned: seconds until the view's
    move_to returned, which splits the time into handling the key and waiting
    for and drawing the frame. None when the key moved nothing (at the end of
    the text), as no frame is owed then. Pilot.press is not used: it
    waits for the whole process to go idle, which never happens while the
    model runs in its thread.
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
    start = time.perf_counter()
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
    return shown[0] - start, (moved[0] if moved else shown[0]) - start


def _all_entities_shown(app) -> bool:
    return _ALL_ENTITIES.fullmatch(app.screen.status.analysis) is not None


async def _press_many(app, keep_going: Callable[[], bool], profile: cProfile.Profile | None) -> list[tuple[float, float]]:
    samples: list[tuple[float, float]] = []
    index = 0
    if profile is not None:
        profile.enable()
    while len(samples) < KEYS_PER_PHASE and keep_going():
        elapsed = await _press_timed(app, *MOTIONS[index % len(MOTIONS)])
        index += 1
        if elapsed is not None:
            samples.append(elapsed)
    if profile is not None:
        profile.disable()
    return samples


def _latency_figures(phase: str, samples: list[tuple[float, float]]) -> list[Figure]:
    ms = [frame * 1000 for frame, _ in samples]
    handled = [moved * 1000 for _, moved in samples]
    print(f"  {phase}: {len(ms)} keys, max {max(ms):.1f} ms; key handled (move_to returned) "
          f"p50 {percentile(handled, 0.5):.1f} ms, p95 {percentile(handled, 0.95):.1f} ms")
    return [
        show(Figure(f"keypress to frame p50, {phase}", percentile(ms, 0.50), "ms", FRAME_GOAL_MS)),
        show(Figure(f"keypress to frame p95, {phase}", percentile(ms, 0.95), "ms", FRAME_GOAL_MS)),
    ]


async def _timed_session(
    article: Path, home: Path, phase: str, total: int, profile: cProfile.Profile | None
) -> list[tuple[float, float]]:
    """Open the real app on *article* in process with *home*'s cache and time the motion keys."""
    from annotations.article import load
    from annotations.cli import app_parser

    # The app reads the same variables in process as installed: they pick the cache it sees.
    os.environ.update({k: v for k, v in terminal_env(home).items() if k.startswith("XDG_")})
    args = app_parser().parse_args([str(article), "--db", str(home / "db.json")])
    app = _timed_app_class()([str(article)], args, load(article))
    async with app.run_test(size=(COLUMNS, ROWS)) as pilot:
        await pilot.pause()
        if phase == "after NER":
            if not _all_entities_shown(app):
                raise RuntimeError(f"the cached analysis was not used: status {app.screen.status.analysis!r}")
            return await _press_many(app, lambda: True, profile)
        # Stop well before the last chunk: leaving the app then cancels the
        # worker at its next chunk, where a finished model would go on to the
        # suggestions, which do not look at the cancel flag.
        view = app.screen.view
        samples = await _press_many(app, lambda: len(view._entities) < 0.8 * total, profile)
        print(f"  {len(view._entities):,} of {total:,} entities found when the 'during NER' keys ended")
        return samples


def bench_keypress(article: Path, work: Path, total: int, warm_home: Path, profile: bool = False) -> list[Figure]:
    figures: list[Figure] = []
    for phase, home in (("during NER", work / "pilot-cold"), ("after NER", warm_home)):
        profiler = cProfile.Profile() if profile else None
        samples = asyncio.run(_timed_session(article, home, phase, total, profiler))
        figures += _latency_figures(phase, samples)
        if profiler is not None:
            print_profile(phase, pstats.Stats(profiler))
    return figures


def print_profile(phase: str, stats: pstats.Stats, lines: int = 25) -> None:
    print(f"\n---- cProfile of the main thread, {phase}, by cumulative time ----")
    stats.stream = sys.stdout
    stats.sort_stats("cumulative").print_stats(lines)
    print(f"---- the same, the project's own code by its own time ----")
    stats.sort_stats("tottime").print_stats(r"annotations|tui", lines // 2)


# ---- all of them -------------------------------------------------------------------


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_reader", description=__doc__.split("\n")[0])
    parser.add_argument("--profile", action="store_true", help="cProfile the main thread while keys are pressed")
    options = parser.parse_args(argv if argv is not None else [])
    with tempfile.TemporaryDirectory(prefix="annotty-bench-") as tmp:
        work = Path(tmp)
        article = write_article(work)
        text = article.read_text(encoding="utf-8")
        print(f"reader benchmarks on a generated article of {len(text.encode()):,} bytes, at {COLUMNS}x{ROWS}")
        warm = [work / "bytes", work / "pilot-warm"]
        figures = bench_launch(article, text, work)
        figures += bench_first_entities(article, work)
        found, total = warm_cache(article, warm)
        figures += found
        figures += bench_bytes(article, warm[0])
        figures += bench_keypress(article, work, total, warm[1], options.profile)
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
