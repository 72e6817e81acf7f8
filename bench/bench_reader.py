"""The reader's benchmarks, on a generated 1 MB article with about 20,000 entities.

1. launch to first paint of the real ``annotty`` in a pty, next to a bare Textual app,
   and where annotty's extra launch time goes (see launch_breakdown);
2. keypress to finished frame, in process, while the model runs, after it finished,
   and while the save queue writes to a database of 10,000 annotations (see bench_saves);
   and through a real pty, while the model runs and after, as a terminal sees it;
3. bytes written to the terminal per cursor move;
4. time until the first entities are on screen with an empty cache, and until the
   app's whole analysis is done and cached;
5. the app's whole analysis against plain nlp.pipe over the same paragraphs, in one process
   and in two (see analysis_run).

Run ``python -m bench.bench_reader [--profile]``; ``--profile`` adds a cProfile
of the main thread while the keys are pressed.
"""

from __future__ import annotations

import tui  # noqa: F401  (first, as the `annotty` script imports it: it sets the app's frame rate before Textual loads)

import argparse
import asyncio
import cProfile
import pstats
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from . import bench_saves, launch_breakdown
from .bare_app import GREETING
from .generate import first_words, write_article
from .pty_term import CURSOR_DRAWN, OVERLAP, PtyProcess, rows_written, visible_text
from .report import Figure, median, percentile, show
from .app_run import (
    ALL_ENTITIES, COLUMNS, FRAME_GOAL_MS, KEY_REPEAT_S, ROWS, analysis_finished, annotty_command, cache_dir,
    compile_project, latency_figures, press_timed, running_app, terminal_env,
)

LAUNCH_RUNS = 10
LAUNCH_RATIO_GOAL = 1.5
BYTES_PER_MOVE_GOAL = 2048
FIRST_ENTITIES_GOAL_S = 2.0
#: The whole analysis of a megabyte takes about half a minute on two cores; a loaded machine gets room.
ANALYSIS_TIMEOUT_S = 300
#: The app's whole analysis within this of plain nlp.pipe over the paragraphs in one process.
ANALYSIS_RATIO_GOAL = 1.1
#: Rounds of (nlp.pipe, the app's analysis, nlp.pipe in 2 processes); each is about a minute on 2 quiet cores.
ANALYSIS_ROUNDS = 1
#: Seconds the output is watched, with no key pressed, while the first chunks arrive.
CHUNK_WATCH_S = 5.0
#: Keys timed in each phase (while the model runs, then after).
KEYS_PER_PHASE = 300
#: Motion keys pressed in turn: Textual's key name and the character typed, if any.
MOTIONS = (
    ("j", "j"), ("w", "w"), ("w", "w"), ("l", "l"), ("right_parenthesis", ")"), ("j", "j"), ("e", "e"),
    ("right_curly_bracket", "}"), ("w", "w"), ("k", "k"), ("b", "b"), ("pagedown", None),
)
#: Sent one at a time in the terminal to count bytes per move: in-page motions from the top of the
#: article (characters, words, lines, entities, both ways), which stay on the first screen.
IN_PAGE_MOVES = (b"l", b"w", b"j", b"e", b"b", b"k", b"h", b"w") * 6
#: Then the cursor goes down line by line to the bottom row and on: the last of these scroll.
LINE_MOVES = 40
#: A reply writing this many rows or more repainted the page (the view is 27 rows at 100x30).
PAGE_ROWS = 20
#: In-page motions typed into the pty in turn, and how many are timed per phase.
PTY_MOTIONS = (b"l", b"w", b"j", b"e", b")", b"w", b"l", b"b", b"k", b"h")
PTY_KEYS = 300
PTY_FRAME_GOAL_MS = 50.0

_SOME_ENTITIES = re.compile(r"entities: \d+ so far|\b\d+ entities\b")


def body_words(text: str) -> str:
    """The opening words of the first paragraph under the headline: only the article view shows them."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return first_words(paragraphs[1] if len(paragraphs) > 1 else paragraphs[0])


def collapsed(text: str) -> str:
    return " ".join(text.split())


def bare_command() -> list[str]:
    return [sys.executable, "-m", "bench.bare_app"]


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
        show(Figure(f"launch to first paint, annotty (median of {LAUNCH_RUNS})", annotty * 1000, "ms")),
        show(Figure(f"launch to first paint, bare Textual app (median of {LAUNCH_RUNS})", bare * 1000, "ms")),
        show(Figure("launch ratio annotty / bare app", annotty / bare, "x", LAUNCH_RATIO_GOAL)),
    ]


# ---- 4. the analysis in the terminal: first entities, then all of it ---------------


def bench_analysis(article: Path, home: Path) -> list[Figure]:
    """Start annotty on an empty cache and wait until its whole analysis is done and cached.

    The first entities show while the model is on its first chunk; the whole
    analysis (every chunk, the sentences, the quote and claim suggestions)
    ends with the status bar's "N entities" and an entry in *home*'s cache,
    which the later benchmarks start from.
    """
    with PtyProcess(annotty_command(article, home / "db.json"), terminal_env(home), COLUMNS, ROWS) as term:
        first = term.wait_for(lambda screen: _SOME_ENTITIES.search(screen) is not None, timeout=60)
        chunk_bytes = _burst_sizes(term, CHUNK_WATCH_S)
        done = term.wait_for(lambda screen: ALL_ENTITIES.search(screen) is not None, timeout=ANALYSIS_TIMEOUT_S)
        found = ALL_ENTITIES.search(visible_text(bytes(term.output[-OVERLAP:])))
    cached = list(cache_dir(home).glob("*.json"))
    if found is None or len(cached) != 1:
        raise RuntimeError(f"the analysis ended without one cache entry ({len(cached)} found)")
    print(f"  analysis cached in {cached[0].stat().st_size:,} bytes; {len(chunk_bytes)} repaints while"
          f" chunks arrived, bytes each: {' '.join(map(str, chunk_bytes[:20]))}")
    return [
        show(Figure("first entities on screen, empty cache", first, "s", FIRST_ENTITIES_GOAL_S)),
        show(Figure("bytes to the terminal per repaint while chunks arrive (median, no keys)",
                    median(chunk_bytes) if chunk_bytes else 0, "B")),
        show(Figure("bytes to the terminal per repaint while chunks arrive (max, no keys)",
                    max(chunk_bytes, default=0), "B")),
        show(Figure("whole analysis done and cached (entities, sentences, suggestions)", done, "s")),
        show(Figure("entities the model finds in the generated article", int(found.group(1)), "entities")),
    ]


def _burst_sizes(term: PtyProcess, seconds: float) -> list[int]:
    """For *seconds*, the size of each burst of output (bursts apart by 20 ms of quiet)."""
    sizes: list[int] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        before = len(term.output)
        if term._read(min(1.0, max(0.0, deadline - time.perf_counter()))):
            while term._read(0.02):
                pass
            sizes.append(len(term.output) - before)
    return sizes


# ---- 5. the app's whole analysis against plain nlp.pipe -------------------------------------


def _timed_analysis(argv: list[str], work: Path) -> tuple[float, float]:
    import subprocess

    done = subprocess.run([sys.executable, "-m", "bench.analysis_run", *argv], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, env=terminal_env(work), timeout=ANALYSIS_TIMEOUT_S * 2)
    if done.returncode != 0:
        raise RuntimeError(f"analysis_run {argv[0]} failed: {done.stderr.strip()[-300:]}")
    wall, cpu = map(float, done.stdout.split()[-2:])
    return wall, cpu


def bench_analysis_speed(article: Path, work: Path) -> list[Figure]:
    """The app's whole analysis of the article (its Analyser, the model in a child process, suggestions and
    the cache included) against plain nlp.pipe over the same paragraphs in one process, and in two,
    each in a fresh process, alternating; the model's load counted on every side."""
    import os

    runs: dict[str, list[tuple[float, float]]] = {"app": [], "pipe": [], "two": []}
    print(f"  load average at the start: {os.getloadavg()[0]:.1f}")
    for run in range(ANALYSIS_ROUNDS):
        runs["pipe"].append(_timed_analysis(["pipe", str(article), "1"], work))
        runs["app"].append(_timed_analysis(["app", str(article), str(work / f"analysis-cache-{run}")], work))
        runs["two"].append(_timed_analysis(["pipe", str(article), "2"], work))
    print("  wall / CPU seconds: " + "; ".join(
        f"{name} {' '.join(f'{w:.1f}/{c:.1f}' for w, c in found)}" for name, found in runs.items())
        + f"; load average at the end: {os.getloadavg()[0]:.1f}")
    (app, app_cpu), (pipe, pipe_cpu), (two, _) = (
        (median([w for w, _ in found]), median([c for _, c in found])) for found in runs.values())
    return [
        show(Figure("whole analysis in the app (model in a child process)", app, "s")),
        show(Figure("plain nlp.pipe over the paragraphs, 1 process", pipe, "s")),
        show(Figure("plain nlp.pipe over the paragraphs, n_process=2", two, "s")),
        show(Figure("app's analysis / plain nlp.pipe in 1 process", app / pipe, "x", ANALYSIS_RATIO_GOAL)),
        show(Figure("app's analysis / plain nlp.pipe in 1 process, CPU time", app_cpu / pipe_cpu, "x")),
        show(Figure("app's analysis / plain nlp.pipe in 2 processes", app / two, "x")),
    ]


# ---- 3. bytes per move, every entity shown -------------------------------------------


def bench_bytes(article: Path, home: Path) -> list[Figure]:
    """Bytes written to the terminal per key, after the analysis (no chunk arrives): in-page moves, which
    must stay small, apart from one-line scrolls and page downs, which repaint the page."""
    with PtyProcess(annotty_command(article, home / "db-bytes.json"), terminal_env(home), COLUMNS, ROWS) as term:
        term.wait_for(lambda screen: ALL_ENTITIES.search(screen) is not None, timeout=60)
        term.settle()
        in_page = [term.reply_to(key) for key in IN_PAGE_MOVES]
        lines = [term.reply_to(b"j") for _ in range(LINE_MOVES)]
        pages = [len(term.reply_to(b"\x1b[6~")) for _ in range(10)]
    repainted = [reply for reply in in_page if len(rows_written(reply)) >= PAGE_ROWS]
    if repainted:
        print(f"  ({len(repainted)} of {len(in_page)} in-page moves repainted the page: "
              f"rows {sorted(rows_written(repainted[0]))[:5]}...)")
    moves = [len(reply) for reply in in_page]
    scrolls = [len(reply) for reply in lines if len(rows_written(reply)) >= PAGE_ROWS]
    steps = [len(reply) for reply in lines if len(rows_written(reply)) < PAGE_ROWS]
    print(f"  bytes per in-page move: min {min(moves)}, median {median(moves):.0f}, max {max(moves)};"
          f" j within the page: median {median(steps):.0f}; j scrolling a line: {len(scrolls)} of {LINE_MOVES}")
    figures = [
        show(Figure(f"bytes to the terminal per in-page cursor move (mean of {len(moves)})", sum(moves) / len(moves),
                    "B", BYTES_PER_MOVE_GOAL)),
        show(Figure(f"bytes to the terminal per in-page cursor move (max of {len(moves)})", max(moves), "B",
                    BYTES_PER_MOVE_GOAL)),
    ]
    if scrolls:
        figures.append(show(Figure("bytes to the terminal per one-line scroll (median)", median(scrolls), "B")))
    figures.append(show(Figure("bytes to the terminal per page down (mean of 10)", sum(pages) / len(pages), "B")))
    return figures


# ---- 2. keypress to frame, through a pty ---------------------------------------------


def _pty_samples(term: PtyProcess, keep_going: Callable[[], bool]) -> dict[bytes, list[float]]:
    """Motion keys in turn; ms from each key's write until a frame with the cursor in it arrives."""
    samples: dict[bytes, list[float]] = {key: [] for key in PTY_MOTIONS}
    index = missed = 0
    while sum(map(len, samples.values())) < PTY_KEYS and keep_going():
        key = PTY_MOTIONS[index % len(PTY_MOTIONS)]
        index += 1
        replied = term.reply_time(key, lambda out: CURSOR_DRAWN.search(out) is not None)
        if replied is None:
            missed += 1
        else:
            samples[key].append(replied * 1000)
        term.settle(quiet=KEY_REPEAT_S, timeout=1.0)
    if missed:
        print(f"  ({missed} keys drew no cursor within 2 s)")
    return samples


def bench_pty_keys(article: Path, work: Path, warm_home: Path) -> list[Figure]:
    """Key to frame as the terminal sees it: from writing the key to the pty until the frame that
    redraws the cursor arrives, while the model runs (empty cache) and after (cached analysis).

    A chunk's repaint can arrive first and be taken for the key's frame when it draws the cursor
    line; chunks repaint only lines whose entities changed, so that is rare.
    """
    figures: list[Figure] = []
    phrase = body_words(article.read_text(encoding="utf-8"))
    for phase, home in (("during NER", work / "pty-cold"), ("after NER", warm_home)):
        with PtyProcess(annotty_command(article, home / "db-pty.json"), terminal_env(home), COLUMNS, ROWS) as term:
            term.wait_for(lambda screen: phrase in collapsed(screen), timeout=60)
            if phase == "after NER":
                term.wait_for(lambda screen: ALL_ENTITIES.search(screen) is not None, timeout=60)
            term.settle()
            finished = [False]

            def analysing() -> bool:
                recent = visible_text(bytes(term.output[-OVERLAP:]))
                finished[0] = finished[0] or ALL_ENTITIES.search(recent) is not None
                return phase == "after NER" or not finished[0]

            began = time.perf_counter()
            samples = _pty_samples(term, analysing)
        every = [ms for key_samples in samples.values() for ms in key_samples]
        per_key = "  ".join(f"{k.decode()} {median(v):.1f}" for k, v in samples.items() if v)
        print(f"  pty {phase}: {len(every)} keys in {time.perf_counter() - began:.1f} s, max {max(every):.1f} ms;"
              f" p50 by key (ms): {per_key}")
        figures += [
            show(Figure(f"pty keypress to frame p50, {phase}", percentile(every, 0.50), "ms", PTY_FRAME_GOAL_MS)),
            show(Figure(f"pty keypress to frame p95, {phase}", percentile(every, 0.95), "ms", PTY_FRAME_GOAL_MS)),
        ]
    return figures


# ---- 2. keypress to frame, in process ----------------------------------------------


async def _press_many(app, keep_going: Callable[[], bool], profile: cProfile.Profile | None) -> list[tuple[float, float]]:
    """Motion keys in turn until KEYS_PER_PHASE moved or *keep_going* says stop; (frame, handled) ms each."""
    samples: list[tuple[float, float]] = []
    index = 0
    if profile is not None:
        profile.enable()
    while len(samples) < KEYS_PER_PHASE and keep_going():
        timed = await press_timed(app, *MOTIONS[index % len(MOTIONS)])
        index += 1
        if timed is not None:
            sent, handled, frame = timed
            samples.append(((frame - sent) * 1000, (handled - sent) * 1000))
    if profile is not None:
        profile.disable()
    return samples


async def _timed_run(article: Path, home: Path, phase: str, profile: cProfile.Profile | None) -> list[tuple[float, float]]:
    """Open the real app on *article* in process with *home*'s cache and time the motion keys."""
    async with running_app(article, home, home / f"db-{phase.replace(' ', '-')}.json") as app:
        if phase == "after NER":
            # The cache is read in a thread after the first paint: a loaded machine takes a while.
            for _ in range(100):
                if analysis_finished(app):
                    break
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError(f"the cached analysis was not used: status {app.screen.status.analysis!r}")
            return await _press_many(app, lambda: True, profile)
        samples = await _press_many(app, lambda: not analysis_finished(app), profile)
        print(f"  {len(app.screen.view._entities):,} entities found when the 'during NER' keys ended"
              f" ({app.screen.status.analysis})")
        return samples


def bench_keypress(article: Path, work: Path, warm_home: Path, profile: bool = False) -> list[Figure]:
    figures: list[Figure] = []
    for phase, home in (("during NER", work / "pilot-cold"), ("after NER", warm_home)):
        profiler = cProfile.Profile() if profile else None
        samples = asyncio.run(_timed_run(article, home, phase, profiler))
        if phase == "during NER" and len(samples) < KEYS_PER_PHASE:
            print(f"  (the analysis finished after {len(samples)} keys)")
        figures += latency_figures(phase, [frame for frame, _ in samples], [handled for _, handled in samples])
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
    parser.add_argument("--only", type=lambda v: set(v.split(",")), default=None, metavar="GROUPS",
                        help="only these groups, comma-separated: launch, analysis, bytes, pty, keys, saves"
                             " (all but launch first fill a cache)")
    options = parser.parse_args(argv if argv is not None else [])
    compile_project()
    with tempfile.TemporaryDirectory(prefix="annotty-bench-") as tmp:
        work = Path(tmp)
        article = write_article(work)
        text = article.read_text(encoding="utf-8")
        print(f"reader benchmarks on a generated article of {len(text.encode()):,} bytes, at {COLUMNS}x{ROWS}")
        groups = options.only or {"launch", "analysis", "bytes", "pty", "keys", "saves"}
        figures: list[Figure] = []
        if "launch" in groups:
            figures += bench_launch(article, text, work)
            figures += launch_breakdown.bench_breakdown(article, body_words(text), work)
        if "analysis" in groups:
            figures += bench_analysis_speed(article, work / "analysis")
        if not groups - {"launch", "analysis"}:
            return figures
        # One home whose cache the app itself fills; every later run starts from it.
        warm = work / "warm"
        figures += bench_analysis(article, warm)
        if "bytes" in groups:
            figures += bench_bytes(article, warm)
        if "pty" in groups:
            figures += bench_pty_keys(article, work, warm)
        if groups & {"keys", "saves"}:
            after = bench_keypress(article, work, warm, options.profile)
            figures += after
        if "saves" in groups:
            figures += bench_saves.bench_keys_while_saving(article, warm, no_saves=after)
    return figures


if __name__ == "__main__":
    main(sys.argv[1:])
