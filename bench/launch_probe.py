"""annotty, or the bare baseline, started with a timestamp at each stage of its launch.

    python -m bench.launch_probe OUT.json annotty ARTICLE --db DB [--defer-analysis]
    python -m bench.launch_probe OUT.json bare

Stamps are ``time.perf_counter()`` readings, the system's monotonic clock, so
the parent can set them against the moment it spawned this process. The app
follows the path of ``annotty`` (tui.main) step by step and leaves by itself
shortly after its first frames; the stamps are written to OUT.json then.
``--defer-analysis`` starts the model's worker only after the first frame: a
what-if for the launch ratio.
"""

import time

STAMPS: dict[str, float] = {"interpreter up": time.perf_counter()}

import functools  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import textual.app  # noqa: E402, F401
import textual.widgets  # noqa: E402, F401

STAMPS["textual imported"] = time.perf_counter()

#: Seconds the app stays after its first frame, so the parent sees the text arrive.
LINGER_S = 0.4
#: Work held back until the first frame is drawn (with --defer-analysis).
AFTER_FIRST_FRAME: list = []


def _frame_recorder(app_class: type) -> type:
    """*app_class*, recording when each frame is drawn and leaving soon after the first."""
    from textual._compositor import CompositorUpdate

    class Recorded(app_class):
        frames: list[tuple[float, float]] = []

        def _display(self, screen, renderable) -> None:
            began = time.perf_counter()
            super()._display(screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                if not self.frames:
                    self.set_timer(LINGER_S, self.exit)
                    for start in AFTER_FIRST_FRAME:
                        self.call_later(start)
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
    """Add the time spent in *owner.name* to *into[name]*."""
    original = getattr(owner, name)

    @functools.wraps(original)  # keeps the signature, which Textual reads to call handlers
    def timed(*args, **kwargs):
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
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


def run_annotty(argv: list[str], defer_analysis: bool) -> dict:
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

    from textual._compositor import Compositor
    from textual.screen import Screen

    inside: dict[str, float] = {}
    _timed_compose(ReaderScreen)
    _durations(article_view, "wrap", inside)
    _durations(ReaderScreen, "on_mount", inside)
    _durations(Screen, "_refresh_layout", inside)
    _durations(Compositor, "render_update", inside)
    _durations(article_view.ArticleView, "render_line", inside)
    if defer_analysis:
        analyse = ReaderScreen.analyse
        ReaderScreen.analyse = lambda self, article: AFTER_FIRST_FRAME.append(lambda: analyse(self, article))
    app = _frame_recorder(AnnottyApp)(args.paths, args, first)
    STAMPS["app created"] = time.perf_counter()
    try:
        app.run(mouse=not args.no_mouse)
    finally:
        app.shutdown()
    return {"stamps": STAMPS, "frames": app.frames, "inside": inside, "load": _load_split(args.paths[0])}


def run_bare() -> dict:
    from .bare_app import BareApp

    _timed_compose(BareApp)
    app = _frame_recorder(BareApp)()
    STAMPS["app created"] = time.perf_counter()
    app.run()
    return {"stamps": STAMPS, "frames": app.frames, "inside": {}, "load": {}}


def main() -> None:
    out, which, *rest = sys.argv[1:]
    if which == "bare":
        result = run_bare()
    else:
        defer = "--defer-analysis" in rest
        result = run_annotty([a for a in rest if a != "--defer-analysis"], defer)
    Path(out).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
