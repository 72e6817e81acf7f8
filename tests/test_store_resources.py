"""The store holds a bounded number of descriptors and disk blocks, however many saves a long day brings."""

from __future__ import annotations

import os
from pathlib import Path

from annotations.article import Article
from annotations.model import CLAIM, Annotation
from annotations.store import open_db

TEXT = "The council said the ferry would run all winter, and the board agreed on Tuesday. " * 20
ARTICLE = Article.from_text(TEXT, "ferry.txt")


def open_descriptors() -> list[str]:
    fds = []
    for name in os.listdir("/proc/self/fd"):
        try:
            fds.append(os.readlink(f"/proc/self/fd/{name}"))
        except OSError:
            pass  # the descriptor listdir itself used, closed by now
    return fds


def deleted_bytes_held(folder: Path) -> int:
    """Disk bytes of deleted files in *folder* that this process still keeps alive through an open descriptor.
    (Only *folder*: other tests in the same process may hold files of their own.)"""
    held = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
            if target.startswith(str(folder)) and target.endswith("(deleted)"):
                held += os.fstat(int(name)).st_blocks * 512
        except OSError:
            pass
    return held


def test_descriptors_and_disk_stay_flat_over_2000_saves(tmp_path: Path):
    db = tmp_path / "annotations.json"
    with open_db(db) as store:
        store.put_article(ARTICLE)
        for _ in range(20):  # warm up: the lock file and the pinned copy are opened once
            store.add(Annotation.create(article_id=ARTICLE.id, source=ARTICLE.source, article_text=TEXT,
                                        label=CLAIM, start=0, end=10, annotator="ines"))
        before = len(open_descriptors())
        ann = Annotation.create(article_id=ARTICLE.id, source=ARTICLE.source, article_text=TEXT,
                                label=CLAIM, start=0, end=20, annotator="ines")
        store.add(ann)
        for n in range(2000):
            ann = ann.edited(annotator="ines", attrs={"note": f"revision {n}"})
            store.update(ann)
            store.annotations(ARTICLE.id)  # a read between saves, as the reader does
            if n % 500 == 0:
                assert len(open_descriptors()) <= before, open_descriptors()
        after = len(open_descriptors())
        held = deleted_bytes_held(tmp_path)
        size = db.stat().st_blocks * 512
    assert after <= before
    # At most the one copy the store pins (the file it last saw) may be a deleted one.
    assert held <= size
