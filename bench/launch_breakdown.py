"""Where annotty's launch time goes, stage by stage, next to the bare Textual app.

Both start in a pty under :mod:`bench.launch_probe`, which stamps each stage;
the medians of RUNS launches each are set side by side.

Run through ``python -m bench.bench_reader``.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from .bare_app import GREETING
from .pty_term import PtyProcess
from .report import Figure, show
from .app_run import COLUMNS, ROWS, terminal_env

RUNS = 5

#: (stage, stamp it starts at, stamp it ends at); a stamp the bare app has no use for takes the one before.
STAGES = (
    ("Python starts", "spawn", "interpreter up"),
    ("import Textual", "interpreter up", "textual imported"),
    ("import annotty's own modules", "textual imported", "project imported"),
    ("options and article load (read, decode, sanitise, sha256)", "project imported", "article loaded"),
    ("create the app (key file, database, save thread)", "article loaded", "app created"),
    ("Textual start-up until the screen composes", "app created", "compose begins"),
    ("compose the screen", "compose begins", "compose ends"),
    ("mount, lay out, render (reader on_mount, wrap)", "compose ends", "frame begins"),
    ("write the first frame to the terminal", "frame begins", "frame ends"),
    ("frame to text seen in the terminal", "frame ends", "seen"),
)
#: Time spent in these until the first frame, summed, as the probe records it (see launch_probe.INSIDE).
INSIDE = ("on_mount", "_rewrap", "_register", "parse", "apply", "_refresh_layout", "render_update",
          "render_line")
_ORDER = [stamp for _, stamp, _ in STAGES] + ["seen"]


def probe_command(out: Path, which: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "bench.launch_probe", str(out), which, *args]


def launch_once(argv: list[str], out: Path, home: Path, phrase: str) -> dict:
    """One probed launch: its stamps (seconds since spawn) and the timings inside it."""
    with PtyProcess(argv, terminal_env(home), COLUMNS, ROWS) as term:
        seen = term.wait_for(lambda screen: phrase in " ".join(screen.split()), timeout=60)
        status = term.wait_exit()
    if status != 0:
        raise RuntimeError(f"{' '.join(argv[2:4])}: exit status {status}")
    result = json.loads(out.read_text(encoding="utf-8"))
    stamps = {name: at - term.started for name, at in result["stamps"].items()}
    stamps["spawn"], stamps["seen"] = 0.0, seen
    # The frame that put the text on screen: the last one finished before it was seen.
    began, ended = max((f for f in result["frames"] if f[1] - term.started <= seen), key=lambda f: f[1])
    stamps["frame begins"], stamps["frame ends"] = began - term.started, ended - term.started
    for previous, stamp in zip(_ORDER, _ORDER[1:]):
        stamps.setdefault(stamp, stamps[previous])
    return {"stamps": stamps, "inside": result["inside"], "load": result["load"]}


def stage_ms(runs: list[dict]) -> dict[str, float]:
    """The median of each stage over *runs*, in ms."""
    return {
        stage: statistics.median((r["stamps"][end] - r["stamps"][start]) * 1000 for r in runs)
        for stage, start, end in STAGES
    }


def _median_ms(runs: list[dict], part: str, name: str) -> float:
    return statistics.median(r[part].get(name, 0.0) * 1000 for r in runs)


def bench_breakdown(article: Path, phrase: str, work: Path) -> list[Figure]:
    kinds = {
        "bare": lambda out: probe_command(out, "bare"),
        "annotty": lambda out: probe_command(out, "annotty", str(article), "--db", str(out.with_suffix(".db"))),
    }
    runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for run in range(RUNS):  # interleaved, so all kinds see the same background load
        for kind, command in kinds.items():
            home = work / f"probe-{kind}-{run}"
            out = home / "stamps.json"
            home.mkdir(parents=True)
            runs[kind].append(launch_once(command(out), out, home, GREETING[:30] if kind == "bare" else phrase))

    ours, bare = (stage_ms(runs[kind]) for kind in ("annotty", "bare"))
    print(f"  launch stages, median of {RUNS} probed launches (ms):")
    print(f"    {'stage':<60} {'annotty':>8} {'bare':>8} {'extra':>8}")
    for stage in ours:
        print(f"    {stage:<60} {ours[stage]:8.1f} {bare[stage]:8.1f} {ours[stage] - bare[stage]:8.1f}")
    inside = ", ".join(f"{name} {_median_ms(runs['annotty'], 'inside', name):.1f}" for name in INSIDE)
    print(f"    inside annotty until its first frame: {inside}")
    load = {name: _median_ms(runs["annotty"], "load", name) for name in ("read", "decode", "sanitise", "sha256")}
    print("    article load: " + ", ".join(f"{name} {ms:.1f}" for name, ms in load.items()))
    seen = {kind: statistics.median(r["stamps"]["seen"] for r in kind_runs) * 1000 for kind, kind_runs in runs.items()}
    print(f"    first paint, probed: annotty {seen['annotty']:.0f}, bare {seen['bare']:.0f}")
    figures = [show(Figure(f"launch, extra over bare: {stage}", ours[stage] - bare[stage], "ms")) for stage in ours]
    return figures + [
        show(Figure("launch ratio, probed annotty / bare", seen["annotty"] / seen["bare"], "x")),
    ]
