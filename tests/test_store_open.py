"""Opening a big database: what the parse costs in garbage collections."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import orjson
import pytest

from annotations.article import Article
from annotations.model import QUOTE, Annotation
from annotations.store import DatabaseError, Op, open_db

TEXT = "The harbour board said on Monday that the night ferry would stop in March, and the council objected."
ARTICLE = Article.from_text(TEXT, "ferry.txt")


def write_big(path: Path, count: int) -> None:
    """A database of *count* annotations, each with the nested attributes the app writes."""
    doc = Annotation.create(article_id=ARTICLE.id, source=ARTICLE.source, article_text=TEXT, label=QUOTE,
                            start=0, end=20, annotator="ines",
                            attrs={"speaker": {"text": "the board", "start": 4, "end": 17}, "note": ""}).to_doc()
    annotations = {str(i + 1): dict(doc, id=f"ann-{i}") for i in range(count)}
    path.write_bytes(orjson.dumps({"meta": {"1": {"name": "schema_version", "value": 2}},
                                   "annotations": annotations}))


@pytest.fixture
def collections():
    """How many times the cyclic garbage collector runs while the test runs."""
    runs: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.callbacks.append(count)
    try:
        yield runs
    finally:
        gc.callbacks.remove(count)


def test_opening_a_big_file_runs_the_collector_a_few_times_not_once_per_few_hundred_documents(
        tmp_path: Path, collections: list[int]) -> None:
    db = tmp_path / "big.json"
    write_big(db, 20_000)  # some 100,000 dicts: a collector left on runs over a hundred times
    assert gc.isenabled()
    collections.clear()
    store = open_db(db)
    during_open = len(collections)
    try:
        assert len(store.annotations(ARTICLE.id)) == 20_000
    finally:
        store.close()
    assert gc.isenabled(), "the collector is on again after the parse"
    # Once it is on again it takes in what the parse made in one pass or so per generation.
    assert during_open <= 10, f"{during_open} collections while opening"


def test_a_damaged_file_leaves_the_collector_on(tmp_path: Path) -> None:
    db = tmp_path / "damaged.json"
    db.write_bytes(b'{"annotations": {"1": {"id": ')
    with pytest.raises(DatabaseError):
        open_db(db)
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(tmp_path: Path) -> None:
    db = tmp_path / "big.json"
    write_big(db, 10)
    gc.disable()
    try:
        open_db(db).close()
        assert not gc.isenabled()
    finally:
        gc.enable()


# ---- a store opened unread (the app reads it after its first paint) ----------------------------


def test_an_unread_store_refuses_at_once_what_needs_no_reading(tmp_path: Path) -> None:
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(DatabaseError, match="is a folder"):
        open_db(tmp_path / "folder.json", read=False)
    with pytest.raises(DatabaseError, match="does not exist"):
        open_db(tmp_path / "no" / "db.json", read=False)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(DatabaseError, match="named pipe"):
        open_db(fifo, read=False)
    cut = tmp_path / "cut.json"
    cut.write_bytes(b'{"annotations": {"1": {"id": "a", "label": "QUO')
    with pytest.raises(DatabaseError, match="damaged"):
        open_db(cut, read=False)
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.json"
        locked.write_bytes(b"{}")
        locked.chmod(0)
        with pytest.raises(DatabaseError, match="cannot read"):
            open_db(locked, read=False)


@pytest.mark.parametrize("content", [b"", b"  \n", b"{}", b'{"annotations": {}}\n'])
def test_an_unread_store_takes_what_any_database_may_end_with(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "db.json"
    db.write_bytes(content)
    with open_db(db, read=False) as store:
        store.read_file()
        assert store.annotations() == []


def test_an_unread_store_is_read_once_by_the_first_query_or_read_and_a_damaged_one_is_never_written(
        tmp_path: Path) -> None:
    db = tmp_path / "big.json"
    write_big(db, 3)
    store = open_db(db, read=False)
    assert not store.is_read
    assert len(store.annotations(ARTICLE.id)) == 3
    store.read_file()
    assert store.is_read
    store.close()

    damaged = b'{"annotations": {"1": {"id": "a" "label": 1}}}'
    db.write_bytes(damaged)
    store = open_db(db, read=False)  # its end looks like JSON: only reading it finds the damage
    with pytest.raises(DatabaseError, match="damaged"):
        store.read_file()
    with pytest.raises(DatabaseError, match="damaged"):
        store.apply([Op.cursor(ARTICLE.id, "ines", 3)])
    store.close()
    assert db.read_bytes() == damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.json"], "not even a lock file beside it"


def test_reads_held_back_wait_whichever_thread_asks_first(tmp_path: Path) -> None:
    import threading

    db = tmp_path / "big.json"
    write_big(db, 3)
    store = open_db(db, read=False)
    allow = store.hold_reading()
    found: list[int] = []
    asking = threading.Thread(target=lambda: found.append(len(store.annotations(ARTICLE.id))))
    asking.start()
    asking.join(0.3)
    assert asking.is_alive() and not found, "the query waits"
    allow()
    asking.join(5)
    assert found == [3]
    store.read_file()
    store.close()
