"""Keypress to frame while the save queue writes: moving must stay as quick as when nothing is saved.

The database starts with 10,000 annotations spread over 100 other articles, so
every save rewrites megabytes in the writer thread. In one run of the real
app (in process, analysis cached):

1. ``)`` (next sentence) in pairs: once with the writer idle, the no-save
   baseline, and once sent as soon as the writer has begun saving a claim on
   the sentence under the cursor (handed to the app's save queue just as
   ``c`` hands it over, without the screen's redraw of the tag): the save
   queue's own effect on a motion key;
2. ``c`` then ``)`` as a reader types them, timing ``c`` to its frame and
   checking the status bar's "N annotations saved" and the file afterwards.

Run through ``python -m bench.bench_reader``, which fills the analysis cache first.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from annotations.article import Article
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import Op, open_db

from .generate import SEED, article_text
from .report import Figure, median, percentile, show
from .app_run import FRAME_GOAL_MS, analysis_finished, latency_figures, press_timed, running_app, send_key

#: Annotations already in the database, and the articles they are spread over.
EXISTING = 10_000
OTHER_ARTICLES = 100
OTHER_ARTICLE_BYTES = 8_000
#: Rounds of one ``)`` with the writer idle and one while it saves.
ROUNDS = 150
#: ``c`` presses timed as a reader makes them, each followed by ``)``.
TAG_ROUNDS = 15
#: Saving may make the frame this much slower than not saving, at p50 and at p95.
RATIO_GOAL = 1.25
NEXT_SENTENCE = ("right_parenthesis", ")")
TAG_CLAIM = ("c", "c")


def fill_database(path: Path) -> int:
    """Write EXISTING annotations on OTHER_ARTICLES invented articles to *path* in one batch; its size in bytes."""
    ops: list[Op] = []
    per_article = EXISTING // OTHER_ARTICLES
    for n in range(OTHER_ARTICLES):
        article = Article.from_text(article_text(OTHER_ARTICLE_BYTES, seed=SEED + 1 + n), f"other-{n}.txt")
        ops.append(Op.put_article(article))
        room = len(article.text) - 200
        for i in range(per_article):
            start = (i * 97) % room
            ops.append(Op.put(Annotation.create(
                article_id=article.id, source=article.source, article_text=article.text,
                label=QUOTE if i % 2 else CLAIM, start=start, end=start + 150, annotator="desk",
                attrs={"note": "", "status": "unchecked"},
            )))
    with open_db(path) as store:
        store.apply(ops)
    return path.stat().st_size


class WriteLog:
    """Wraps the app's Store.apply to record when each write (in the writer thread) ran."""

    def __init__(self, store) -> None:
        self.spans: list[tuple[float, float]] = []
        self.started = 0
        self.busy = threading.Event()
        self._apply = store.apply
        store.apply = self._timed_apply

    def _timed_apply(self, ops: list[Op]) -> None:
        began = time.perf_counter()
        self.started += 1
        self.busy.set()
        try:
            self._apply(ops)
        finally:
            self.spans.append((began, time.perf_counter()))
            self.busy.clear()

    def overlapped(self, sent: float, frame: float) -> bool:
        """Whether any write ran at some point between *sent* and *frame*."""
        return any(began < frame and ended > sent for began, ended in self.spans)


async def _until(condition, timeout: float, what: str) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        await asyncio.sleep(0.0005)


async def _tag_timed(app) -> float:
    """Press ``c`` and return the ms until a frame showing the new claim is finished."""
    screen = app.screen
    before = len(screen.annotations)
    drawn = asyncio.Event()

    def on_frame() -> None:
        if len(screen.annotations) > before:
            drawn.set()

    app.frame_listener = on_frame
    sent = time.perf_counter()
    send_key(app, *TAG_CLAIM)
    try:
        await asyncio.wait_for(drawn.wait(), 5.0)
    finally:
        app.frame_listener = None
    return (time.perf_counter() - sent) * 1000


def _claim(app, offset: int) -> Op:
    """The save a ``c`` at *offset* would ask for, made without the screen's work."""
    screen = app.screen
    start, end = screen.segments.sentence_at(offset) or (offset, offset + 1)
    return Op.put(Annotation.create(
        article_id=screen.article.id, source=screen.article.source, article_text=screen.view.text,
        label=CLAIM, start=start, end=end, annotator="bench",
    ))


async def _run(article: Path, home: Path, db: Path) -> dict:
    async with running_app(article, home, db) as app:
        if not analysis_finished(app):
            raise RuntimeError(f"the cached analysis was not used: status {app.screen.status.analysis!r}")
        await asyncio.to_thread(app.saves.flush, 30)  # the article itself, stored on open
        writes = WriteLog(app.store)

        # Interleaved, so both kinds of press see the same background load from the machine.
        baseline, saving = [], []
        for _ in range(ROUNDS):
            await _until(lambda: app.saves.pending == 0 and not writes.busy.is_set(), 5, "the writer to go idle")
            if (timed := await press_timed(app, *NEXT_SENTENCE)) is not None:
                baseline.append(timed)
            before = writes.started
            app.saves.submit(_claim(app, app.screen.view.cursor))
            await _until(lambda: writes.started > before, 5, "the save")
            if (timed := await press_timed(app, *NEXT_SENTENCE)) is not None:
                saving.append(timed)
        await asyncio.to_thread(app.saves.flush, 30)
        write_ms = [(e - b) * 1000 for b, e in writes.spans]
        saved_directly = len(app.store.annotations(app.screen.article.id))

        # As a reader does it: c tags the sentence (drawn, then saved), ) goes on to the next one.
        tag_ms = []
        for _ in range(TAG_ROUNDS):
            tag_ms.append(await _tag_timed(app))
            await press_timed(app, *NEXT_SENTENCE)
        await asyncio.to_thread(app.saves.flush, 30)
        # The status bar counts what the file holds: the claims saved directly above and the tagged ones.
        expected = f"{saved_directly + TAG_ROUNDS} annotations saved"
        await _until(lambda: app.screen.status.saving == expected, 10, f"status {expected!r}")
        on_disk = len(app.store.annotations(app.screen.article.id)) - saved_directly
        if on_disk != TAG_ROUNDS:
            raise RuntimeError(f"{TAG_ROUNDS} claims tagged but {on_disk} more in the database")
        return {
            "baseline": baseline,
            "saving": saving,
            "baseline_overlaps": sum(writes.overlapped(s, f) for s, _, f in baseline),
            "saving_overlaps": sum(writes.overlapped(s, f) for s, _, f in saving),
            "write_ms": write_ms,
            "tag_ms": tag_ms,
            "suggestions": len(app.screen.suggestions),
        }


def bench_keys_while_saving(article: Path, warm_home: Path, no_saves: list[Figure]) -> list[Figure]:
    """The figures; *no_saves* are the reader's own keypress figures after the analysis, for comparison."""
    db = warm_home / "db-saves.json"
    began = time.perf_counter()
    size = fill_database(db)
    print(f"  database of {EXISTING:,} annotations on {OTHER_ARTICLES} articles: {size / 1e6:.1f} MB,"
          f" written in {time.perf_counter() - began:.1f} s")
    result = asyncio.run(_run(article, warm_home, db))
    baseline_ms = [(f - s) * 1000 for s, _, f in result["baseline"]]
    saving_ms = [(f - s) * 1000 for s, _, f in result["saving"]]
    writes = result["write_ms"]
    print(f"  {len(writes)} saves behind the ')' presses: p50 {median(writes):.1f} ms, p95 {percentile(writes, 0.95):.1f} ms;"
          f" {result['saving_overlaps']} of {len(saving_ms)} timed ')' overlapped a save"
          f" ({result['baseline_overlaps']} of {len(baseline_ms)} in the baseline)")
    print(f"  ')' without saves, same run: p50 {percentile(baseline_ms, 0.5):.1f} ms,"
          f" p95 {percentile(baseline_ms, 0.95):.1f} ms")
    figures = latency_figures("while saving", saving_ms, [(h - s) * 1000 for s, h, _ in result["saving"]])
    p50, p95 = figures[0].value, figures[1].value
    reader = {f.name.split(",")[0]: f.value for f in no_saves if f.name.endswith("after NER")}
    if reader:
        print(f"  against the reader's mixed motions after NER: p50 {p50 / reader['keypress to frame p50']:.2f}x,"
              f" p95 {p95 / reader['keypress to frame p95']:.2f}x")
    tags = result["tag_ms"]
    print(f"  c (tag claim) to frame with {result['suggestions']:,} suggestions shown: "
          + " ".join(f"{ms:.0f}" for ms in tags) + " ms")
    return figures + [
        show(Figure("frame while saving / without, p50 (same key, same run)",
                    p50 / percentile(baseline_ms, 0.5), "x", RATIO_GOAL)),
        show(Figure("frame while saving / without, p95 (same key, same run)",
                    p95 / percentile(baseline_ms, 0.95), "x", RATIO_GOAL)),
        show(Figure(f"one save in the app, {EXISTING:,} annotations in the database (p50)", median(writes), "ms")),
        show(Figure(f"c (tag claim) to frame p50, 1 MB article (median of {len(tags)})", median(tags), "ms", FRAME_GOAL_MS)),
    ]
