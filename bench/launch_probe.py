"""annotty, or the bare baseline, started with a timestamp at each stage of its launch.

    python -m bench.launch_probe OUT.json annotty ARTICLE --db DB
    python -m bench.launch_probe OUT.json bare

Stamps are ``time.perf_counter()`` readings, the system's monotonic clock, so
the parent can set them against the moment it spawned this process. The app
follows the path of ``annotty`` (tui.main) step by step and leaves by itself
shortly after its first frame reaches the terminal; the stamps are written to
OUT.json then. The timings inside the launch (INSIDE) stop at that frame.
"""

import time

STAMPS: dict[str, float] = {"interpreter up": time.perf_counter()}

import functools  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

if sys.argv[2:3] == ["annotty"]:
    gc.disable()  # as tui.main does before it imports Textual; the app turns it on after the first paint
import textual.app  # noqa: E402, F401
import textual.widgets  # noqa: E402, F401

STAMPS["textual imported"] = time.perf_counter()

#: Seconds the app stays after its first frame, so the parent sees the text arrive.
LINGER_S = 0.4
#: Called with the app once it has lingered: writes the stamps and ends the process.
LEAVE: list = []
#: Set once the first frame is drawn: the timings inside the launch stop there.
FIRST_FRAME: list = []


def _frame_recorder(app_class: type) -> type:
    """*app_class*, recording when each frame is drawn and leaving soon after the first."""
    from textual._compositor import CompositorUpdate

    class Recorded(app_class):
        frames: list[tuple[float, float]] = []

        def _display(self, screen, renderable) -> None:
            began = time.perf_counter()
            dropped = self._batch_count > 0  # Textual puts out no frame during a batch of updates
            super()._display(screen, renderable)
            if isinstance(renderable, CompositorUpdate) and not dropped:
                if not self.frames:
                    FIRST_FRAME.append(began)
                    self.set_timer(LINGER_S, lambda: LEAVE[0](self))
                self.frames.append((began, time.perf_counter()))

    return Recorded


def _timed_compose(screen_class: type) -> None:
    compose = screen_class.compose

    def timed(self):
        STAMPS.setdefault("compose begins", time.perf_counter())
        yield from compose(self)
        STAMPS.setdefault("compose ends", time.perf_counter())

    screen_class.compose = timed


def _durations(owner, name: str, into: dict[str, float]) -> None:
    """Add the time spent in *owner.name* before the first frame to *into[name]* (a call within a call of it
    counted once)."""
    original = getattr(owner, name)
    depth = [0]

    @functools.wraps(original)  # keeps the signature, which Textual reads to call handlers
    def timed(*args, **kwargs):
        began = time.perf_counter()
        depth[0] += 1
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0] and not FIRST_FRAME:
                into[name] = into.get(name, 0.0) + time.perf_counter() - began

    setattr(owner, name, timed)


def _load_split(path: str) -> dict[str, float]:
    """Seconds for each step of loading *path*: read, decode, sanitise, hash (best of three)."""
    from annotations.article import article_id, decode, sanitise

    steps: dict[str, list[float]] = {"read": [], "decode": [], "sanitise": [], "sha256": []}
    for _ in range(3):
        t0 = time.perf_counter()
        raw = Path(path).read_bytes()
        t1 = time.perf_counter()
        text = decode(raw, path, None)
        t2 = time.perf_counter()
        clean = sanitise(text)
        t3 = time.perf_counter()
        article_id(clean)
        t4 = time.perf_counter()
        for step, seconds in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            steps[step].append(seconds)
    return {step: min(times) for step, times in steps.items()}


def INSIDE(reader: type, view: type) -> list[tuple[type, str]]:
    """What the probe times inside the launch, until the first frame."""
    from textual._compositor import Compositor
    from textual.app import App
    from textual.css.stylesheet import Stylesheet
    from textual.screen import Screen

    return [
        (reader, "on_mount"), (view, "_rewrap"), (App, "_register"),
        (Stylesheet, "parse"), (Stylesheet, "apply"), (Screen, "_refresh_layout"), (Compositor, "render_update"),
        (view, "render_line"),
    ]


def run_annotty(argv: list[str]):
    """The app, and what makes its result once it has run."""
    from annotations import cli
    from annotations.article import load

    import tui.widgets.article_view as article_view
    from tui import main as tui_main  # noqa: F401  (the entry point's own imports)
    from tui.app import AnnottyApp
    from tui.screens.reader import ReaderScreen

    STAMPS["project imported"] = time.perf_counter()
    args = cli.app_parser().parse_args(argv)
    first = load(args.paths[0], encoding=args.encoding, max_bytes=args.max_size)
    STAMPS["article loaded"] = time.perf_counter()

    inside: dict[str, float] = {}
    _timed_compose(ReaderScreen)
    for owner, name in INSIDE(ReaderScreen, article_view.ArticleView):
        _durations(owner, name, inside)
    app = _frame_recorder(AnnottyApp)(args.paths, args, first)
    STAMPS["app created"] = time.perf_counter()
    return app, lambda: {"stamps": STAMPS, "frames": app.frames, "inside": inside, "load": _load_split(args.paths[0])}


def run_bare():
    from .bare_app import BareApp

    _timed_compose(BareApp)
    app = _frame_recorder(BareApp)()
    STAMPS["app created"] = time.perf_counter()
    return app, lambda: {"stamps": STAMPS, "frames": app.frames, "inside": {}, "load": {}}


def main() -> None:
    out, which, *rest = sys.argv[1:]
    if which == "bare":
        app, result = run_bare()
    else:
        app, result = run_annotty(rest)

    def leave(app) -> None:
        # Straight out once the stamps are written: an app leaving the usual way waits for its
        # worker threads, and one still starting the analysis child could hold the run up.
        Path(out).write_text(json.dumps(result()), encoding="utf-8")
        os._exit(0)

    LEAVE.append(leave)
    app.run()


if __name__ == "__main__":
    main()
