"""Durable save latency of the annotation store, against stock TinyDB.

Run: python -m bench.bench_store
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from annotations.article import Article
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import Op, open_db

from .report import Figure, show

ARTICLE = Article.from_text(
    "The Varrow county council approved a plan on Monday to close two rural bus routes, "
    "saying the savings would keep the night service running. \"Nobody on the council rides "
    "these buses,\" said Ada Kemp, who has organised a petition in the village of Sallow End. "
    "The council's transport lead, Rufus Orme, said fewer than forty people used each route a day.",
    "varrow-buses.txt",
)
SAVES = 100
POLLS = 10_000
IDLE_SECONDS = 5
#: Polling once a second while nothing changes may cost at most this share of one core.
POLL_GOAL_PERCENT = 1.0


def make(i: int) -> Annotation:
    start = i % 200
    return Annotation.create(
        article_id=ARTICLE.id, source=ARTICLE.source, article_text=ARTICLE.text,
        label=QUOTE if i % 2 else CLAIM, start=start, end=start + 60, annotator="bench",
        attrs={"speaker": {"text": "Ada Kemp", "start": 176, "end": 184}, "note": "", "status": "unchecked"},
    )


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(round(0.95 * (len(ordered) - 1)))]


def bench_store(existing: int, folder: Path) -> tuple[float, float, float]:
    path = folder / f"store-{existing}.json"
    with open_db(path) as store:
        store.apply([Op.put(make(i)) for i in range(existing)])
    samples = []
    with open_db(path) as store:
        first = time.perf_counter()
        store.apply([Op.put(make(0))])  # the first save after opening encodes every document once
        first = (time.perf_counter() - first) * 1000
        for i in range(SAVES):
            ann = make(i)
            began = time.perf_counter()
            store.apply([Op.put(ann)])
            samples.append((time.perf_counter() - began) * 1000)
    return (*percentiles(samples), first)


def bench_poll(existing: int, folder: Path) -> tuple[float, float, float]:
    """Store.poll() on a file of *existing* annotations: CPU per idle poll (µs), the CPU share of
    polling once a second while idle (%, measured over real seconds), and one poll after a
    colleague's save (ms, which re-reads the file)."""
    path = folder / f"store-{existing}.json"  # written by bench_store
    with open_db(path) as store, open_db(path) as colleague:
        store.poll()
        began = time.process_time()
        for _ in range(POLLS):
            if store.poll() is not None:
                raise RuntimeError("an idle poll reported a change")
        per_poll = (time.process_time() - began) / POLLS * 1e6
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(IDLE_SECONDS):
            store.poll()
            time.sleep(1.0)
        share = (time.process_time() - cpu) / (time.perf_counter() - wall) * 100
        colleague.apply([Op.put(make(1))])
        began = time.perf_counter()
        if store.poll() is None:
            raise RuntimeError("a colleague's save was not reported")
        changed = (time.perf_counter() - began) * 1000
    return per_poll, share, changed


def bench_tinydb(existing: int, folder: Path) -> tuple[float, float]:
    path = folder / f"tinydb-{existing}.json"
    with TinyDB(path, storage=JSONStorage) as db:
        db.table("annotations").insert_multiple(make(i).to_doc() for i in range(existing))
    samples = []
    with TinyDB(path, storage=JSONStorage) as db:
        table = db.table("annotations")
        for i in range(SAVES):
            doc = make(i).to_doc()
            began = time.perf_counter()
            table.insert(doc)
            samples.append((time.perf_counter() - began) * 1000)
    return percentiles(samples)


def main() -> list[Figure]:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(dir=".") as tmp:
        folder = Path(tmp)
        print(f"durable save latency, one annotation per Store.apply, {SAVES} saves each (ms)")
        ours: dict[int, float] = {}
        for existing in (1_000, 10_000, 50_000):
            p50, p95, first = bench_store(existing, folder)
            ours[existing] = p50
            print(f"  store   {existing:>6} existing: p50 {p50:6.1f}  p95 {p95:6.1f}  (first save after open {first:.1f})")
            figures += [
                Figure(f"store save p50, {existing:,} annotations in the file", p50, "ms"),
                Figure(f"store save p95, {existing:,} annotations in the file", p95, "ms"),
            ]
        per_poll, share, changed = bench_poll(10_000, folder)
        print(f"  poll, 10000 existing: idle {per_poll:.1f} µs CPU a poll; once a second for {IDLE_SECONDS} s:"
              f" {share:.3f}% CPU; after a colleague's save {changed:.1f} ms")
        figures += [
            Figure("idle Store.poll(), 10,000 annotations (CPU a poll)", per_poll, "µs"),
            show(Figure("polling once a second while idle, CPU", share, "%", POLL_GOAL_PERCENT)),
            Figure("Store.poll() after a colleague's save, 10,000 annotations", changed, "ms"),
        ]
        for existing in (1_000, 10_000):
            p50, p95 = bench_tinydb(existing, folder)
            print(
                f"  tinydb  {existing:>6} existing: p50 {p50:6.1f}  p95 {p95:6.1f}"
                f"  (JSONStorage; store is {p50 / ours[existing]:.1f}x faster at p50)"
            )
            figures.append(Figure(f"stock TinyDB save p50, {existing:,} annotations in the file", p50, "ms"))
    return figures


if __name__ == "__main__":
    main()
