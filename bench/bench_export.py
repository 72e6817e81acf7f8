"""Exports of 50,000 annotations over 1,000 articles, per format: time and peak memory.

Each export runs in a process of its own, so its peak resident memory is its own. The
baseline, measured in the same run, is a process that opens the database and walks
every article with its annotations without writing anything: the ratios say what each
format adds to reading the database. ``spacy`` and ``xmi`` run the entity recogniser
over every article the reader has not analysed (none here), which dominates their time,
so they are measured on the first 100 articles (5,000 annotations) and reported per
article as well.

Run: python -m bench.bench_export
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .generate import article_text
from .report import Figure, show

ARTICLES = 1_000
PER_ARTICLE = 50
ARTICLE_BYTES = 3_000

CHILD = """
import json, resource, sys, time
from pathlib import Path
from annotations.formats import FORMATS, ExportContext, export, export_docs
from annotations.store import open_db
fmt, db, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
context = ExportContext()
if fmt in ("spacy", "xmi", "jsonl"):
    context.pipeline()  # the model load is the same for every run: leave it out of the time
started = time.perf_counter()
with open_db(db) as store:
    if fmt == "read":
        count = sum(len(doc.annotations) for doc in export_docs(store))
    else:
        count = export(store, fmt, out, context=context)
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "count": count}))
"""


#: Formats that run the model over each article, measured on fewer articles.
MODEL_FORMATS = {"spacy": 100, "xmi": 100}


def build(folder: Path, articles: int = ARTICLES) -> Path:
    from annotations.article import Article
    from annotations.model import CLAIM, QUOTE, Annotation
    from annotations.store import Op, open_db

    rng = random.Random(7)
    db = folder / f"corpus-{articles}.json"
    ops: list[Op] = []
    for n in range(articles):
        article = Article.from_text(article_text(ARTICLE_BYTES, seed=n), f"corpus/article-{n:04}.txt")
        ops.append(Op.put_article(article))
        for i in range(PER_ARTICLE):
            start = rng.randrange(0, len(article.text) - 80)
            label = QUOTE if i % 3 == 0 else CLAIM
            attrs = {"status": "unchecked", "note": "checked against the minutes"} if label == CLAIM else {
                "speaker": {"text": "a spokeswoman", "start": start, "end": start + 13}}
            ops.append(Op.put(Annotation.create(
                article_id=article.id, source=article.source, article_text=article.text, label=label,
                start=start, end=start + rng.randint(20, 80), annotator=f"annotator{i % 3}", attrs=attrs)))
    with open_db(db) as store:
        store.apply(ops)
    return db


def run(fmt: str, db: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, fmt, str(db), str(out)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> list[Figure]:
    from annotations.formats import FORMATS

    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        db = build(folder)
        print(f"built {ARTICLES:,} articles with {ARTICLES * PER_ARTICLE:,} annotations "
              f"({db.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s")
        base = run("read", db, folder / "none")
        figures.append(show(Figure("export baseline: open the database and read every article", base["seconds"], "s")))
        figures.append(show(Figure("export baseline: peak memory", base["peak_mb"], "MB")))
        small = {n: build(folder, n) for n in set(MODEL_FORMATS.values())}
        small_base = {n: run("read", db_n, folder / "none") for n, db_n in small.items()}
        for fmt, module in FORMATS.items():
            articles = MODEL_FORMATS.get(fmt, ARTICLES)
            this_db, this_base = (small[articles], small_base[articles]) if fmt in MODEL_FORMATS else (db, base)
            result = run(fmt, this_db, folder / f"out-{fmt}{module.SUFFIX}")
            what = f"{articles * PER_ARTICLE:,} annotations / {articles:,} articles"
            figures.append(show(Figure(f"export {fmt}, {what}", result["seconds"], "s")))
            print(f"  {fmt}: {result['seconds'] / this_base['seconds']:.1f}x the baseline's time on the same database, "
                  f"{1000 * result['seconds'] / articles:.0f} ms per article, peak {result['peak_mb']:.0f} MB "
                  f"({result['peak_mb'] / this_base['peak_mb']:.2f}x the baseline's)")
            figures.append(show(Figure(f"export {fmt}: peak memory", result["peak_mb"], "MB")))
    return figures


if __name__ == "__main__":
    main()
