"""Several processes on one database file, and processes killed in the middle of writing."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time

import orjson

from annotations.article import Article
from annotations.model import CLAIM, Annotation
from annotations.store import Op, open_db, temp_paths

ARTICLE = Article.from_text(
    "Residents of Tarn Hollow packed the school hall to hear the mine's owners defend the new tailings dam. "
    "\"It is safer than the old one,\" engineer Petra Vale said, to jeers from the back rows.",
    "tarn-hollow.txt",
)
FORK = multiprocessing.get_context("fork")


def make(start: int, annotator: str) -> Annotation:
    return Annotation.create(
        article_id=ARTICLE.id, source=ARTICLE.source, article_text=ARTICLE.text,
        label=CLAIM, start=start, end=start + 12, annotator=annotator,
    )


def write_until_killed(path: str, report_fd: int) -> None:
    """Add annotations forever, writing each id to *report_fd* once its add has returned."""
    store = open_db(path)
    while True:
        ann = make(random.randrange(0, 100), "child")
        store.add(ann)
        os.write(report_fd, ann.id.encode() + b"\n")


def test_killing_a_writer_at_random_moments_never_loses_a_saved_annotation(tmp_path):
    path = str(tmp_path / "annotations.json")
    with open_db(path) as store:
        # a few hundred kilobytes, so a kill often lands during serialising or writing
        store.apply([Op.put(make(i % 100, "seed")) for i in range(600)])
    reported: set[str] = set()
    rng = random.Random(7)
    leftovers = 0
    for _ in range(100):
        read_fd, write_fd = os.pipe()
        child = FORK.Process(target=write_until_killed, args=(path, write_fd))
        child.start()
        os.close(write_fd)
        # The kill is timed from the child's first finished add, not from the fork: starting a
        # child of a big process on a loaded machine can take longer than the whole window.
        first = b""
        while not first.endswith(b"\n"):
            byte = os.read(read_fd, 1)
            if not byte:
                break
            first += byte
        time.sleep(rng.uniform(0.005, 0.06))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        with os.fdopen(read_fd, "rb") as pipe:
            lines = (first + pipe.read()).split(b"\n")
        reported.update(line.decode() for line in lines[:-1])  # the last piece may be a cut-off id
        leftovers += bool(temp_paths(path))  # this kill landed in the middle of a write

        with open(path, "rb") as handle:
            docs = orjson.loads(handle.read())["annotations"].values()  # always whole, valid JSON
        ids = [doc["id"] for doc in docs]
        assert reported <= set(ids)
        assert len(ids) == len(set(ids))
    assert len(reported) > 100  # the children did get work done between kills
    with open_db(path) as store:  # and leftovers of killed writes are cleaned away
        assert len(store.annotations()) >= 600 + len(reported)
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
    assert leftovers >= 10  # many kills really did cut a write short (each child first clears old leftovers)


def add_and_edit(path: str, annotator: str, count: int, seed: int) -> None:
    """Add *count* annotations, then edit each one twice, in a shuffled interleaving."""
    rng = random.Random(seed)
    store = open_db(path)
    mine: list[Annotation] = []
    steps = ["add"] * count + ["edit"] * (2 * count)
    rng.shuffle(steps)
    edits_due = 0
    for step in steps:
        if step == "add":
            ann = make(rng.randrange(0, 100), annotator)
            store.add(ann)
            mine.append(ann)
        else:
            edits_due += 1
        while edits_due and mine:
            # edit the annotation with the fewest revisions that still needs one
            i = min(range(len(mine)), key=lambda k: mine[k].rev)
            if mine[i].rev >= 3:
                break
            edited = mine[i].edited(annotator=annotator, attrs={"note": f"{annotator} rev {mine[i].rev + 1}"})
            store.update(edited)
            mine[i] = edited
            edits_due -= 1
    store.close()


def test_several_processes_adding_and_editing_lose_nothing(tmp_path):
    path = str(tmp_path / "annotations.json")
    writers = [FORK.Process(target=add_and_edit, args=(path, f"writer{n}", 25, n)) for n in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
        assert writer.exitcode == 0

    with open(path, "rb") as handle:
        docs = list(orjson.loads(handle.read())["annotations"].values())
    assert len(docs) == 100
    assert len({doc["id"] for doc in docs}) == 100
    for n in range(4):
        theirs = [doc for doc in docs if doc["annotator"] == f"writer{n}"]
        assert len(theirs) == 25
        assert all(doc["rev"] == 3 and doc["attrs"] == {"note": f"writer{n} rev 3"} for doc in theirs)
