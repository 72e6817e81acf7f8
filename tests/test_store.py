"""The store on real files: API, refusals of files it must not touch, atomic writes, recovery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from annotations.article import Article
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.recover import recover
from annotations.store import DatabaseError, Op, open_db, temp_paths

EXAMPLE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"

TEXT = (
    "Councillor Maren Lisk said on Tuesday that the Eastgate ferry would run all winter. "
    "\"We have the boats and the crews,\" she told reporters outside the harbour office. "
    "The transport board has not confirmed the timetable."
)
ARTICLE = Article.from_text(TEXT, "eastgate.txt")


def make(label: str = CLAIM, start: int = 0, end: int = 40, annotator: str = "ines") -> Annotation:
    return Annotation.create(
        article_id=ARTICLE.id, source=ARTICLE.source, article_text=ARTICLE.text,
        label=label, start=start, end=end, annotator=annotator,
    )


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "annotations.json")


def raw_tables(path: str) -> dict:
    with open(path, "rb") as handle:
        return orjson.loads(handle.read())


def test_annotations_round_trip_through_the_file(db_path):
    claim, quote = make(CLAIM, 0, 80), make(QUOTE, 85, 122)
    with open_db(db_path) as store:
        store.add(quote)
        store.add(claim)
    with open_db(db_path) as store:
        assert store.annotations(ARTICLE.id) == [claim, quote]  # sorted by start
        assert store.get(claim.id) == claim
        assert store.annotations("some other article") == []
    docs = list(raw_tables(db_path)["annotations"].values())
    assert sorted(docs, key=lambda d: d["start"]) == [claim.to_doc(), quote.to_doc()]


def test_update_replaces_by_id_and_delete_removes(db_path):
    ann = make()
    with open_db(db_path) as store:
        store.add(ann)
        edited = ann.edited(annotator="ines", attrs={"status": "false", "note": "ferry runs only to March"})
        store.update(edited)
        assert store.get(ann.id) == edited
        assert len(store.annotations()) == 1
        delete = Op.delete(ann.id, base_rev=edited.rev, by="ines")
        store.apply([delete])
        assert store.get(ann.id) is None
        assert store.annotations() == []
        store.apply([delete])  # deleting twice is harmless: a retried save may do it
    [tomb] = raw_tables(db_path)["annotations"].values()
    assert tomb["deleted"] is True and tomb["rev"] == 3 and tomb["deleted_by"] == "ines"


def test_articles_cursors_and_rejections(db_path):
    with open_db(db_path) as store:
        store.put_article(ARTICLE)
        store.put_article(ARTICLE)
        store.set_cursor(ARTICLE.id, "ines", 12)
        store.set_cursor(ARTICLE.id, "ines", 57)
        store.set_cursor(ARTICLE.id, "tomas", 3)
        store.add_rejection(ARTICLE.id, "ines", "PERSON", 0, 10)
        store.add_rejection(ARTICLE.id, "ines", "PERSON", 0, 10)
    with open_db(db_path) as store:
        assert store.article(ARTICLE.id) == ARTICLE
        assert store.article("missing") is None
        assert store.cursor(ARTICLE.id, "ines") == 57
        assert store.cursor(ARTICLE.id, "tomas") == 3
        assert store.cursor(ARTICLE.id, "nobody") is None
        assert store.rejections(ARTICLE.id, "ines") == {("PERSON", 0, 10)}
        assert store.rejections(ARTICLE.id, "tomas") == set()
        assert store.schema_version() == 2
    tables = raw_tables(db_path)
    assert len(tables["articles"]) == 1 and len(tables["cursors"]) == 2 and len(tables["rejections"]) == 1
    assert list(tables["meta"].values()) == [{"name": "schema_version", "value": 2}]


def test_apply_writes_a_batch_once_and_in_order(db_path, monkeypatch):
    ann = make()
    with open_db(db_path) as store:
        writes = []
        real_replace = os.replace
        monkeypatch.setattr(os, "replace", lambda a, b: (writes.append(b), real_replace(a, b)))
        store.apply([Op.put(ann), Op.put(ann.edited(annotator="ines", label=QUOTE), base_rev=1), Op.cursor(ARTICLE.id, "ines", 9)])
        assert writes == [db_path]
        assert store.get(ann.id).label == QUOTE


def test_two_stores_on_one_file_merge_instead_of_overwriting(db_path):
    first, second = open_db(db_path), open_db(db_path)
    added = []
    for i in range(10):
        store = first if i % 2 else second
        ann = make(start=i, end=i + 20)
        store.add(ann)
        added.append(ann)
    # each store edits an annotation the other one wrote
    edit_a = added[0].edited(annotator="ines", attrs={"status": "true"})
    edit_b = added[1].edited(annotator="tomas", attrs={"status": "misleading"})
    first.update(edit_a)
    second.update(edit_b)
    first.delete(added[2].id, base_rev=1, by="ines")
    for store in (first, second):
        got = {a.id: a for a in store.annotations()}
        assert set(got) == {a.id for a in added} - {added[2].id}
        assert got[edit_a.id] == edit_a and got[edit_b.id] == edit_b
    docs = raw_tables(db_path)["annotations"]
    assert len({doc["id"] for doc in docs.values()}) == len(docs) == 10  # the deleted one as a tombstone
    assert [doc["id"] for doc in docs.values() if doc.get("deleted")] == [added[2].id]
    first.close()
    second.close()


def test_missing_and_empty_files_are_new_databases(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    for path in (tmp_path / "missing.json", empty):
        with open_db(path) as store:
            assert store.annotations() == []
            store.add(make())
        assert len(raw_tables(str(path))["annotations"]) == 1


@pytest.mark.parametrize(
    "content, words",
    [
        (b'{"annotations": {"1": {"id": "x", "start": 0', "annotty recover"),
        (b"not json at all", "annotty recover"),
        (b"[1, 2, 3]", "not an annotty database"),
        (b'{"annotations": [1, 2]}', "not an annotty database"),
        (b'{"annotations": {"1": "text"}}', "not an annotty database"),
        (b'{"meta": {"1": {"name": "schema_version", "value": 3}}, "annotations": {}}', "newer annotty"),
    ],
)
def test_files_it_must_not_touch_are_refused_and_left_as_they_are(db_path, content, words):
    with open(db_path, "wb") as handle:
        handle.write(content)
    before = os.stat(db_path)
    with pytest.raises(DatabaseError) as raised:
        open_db(db_path)
    message = str(raised.value)
    assert words in message and db_path in message and "\n" not in message
    after = os.stat(db_path)
    with open(db_path, "rb") as handle:
        assert handle.read() == content
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_file_damaged_while_open_is_not_overwritten(db_path):
    store = open_db(db_path)
    store.add(make())
    damaged = b'{"annotations": {"1": {"id"'
    with open(db_path, "wb") as handle:
        handle.write(damaged)
    with pytest.raises(DatabaseError):
        store.add(make())
    with open(db_path, "rb") as handle:
        assert handle.read() == damaged
    store.close()


def test_a_failed_rename_leaves_the_old_file_whole(db_path, monkeypatch):
    kept = make()
    with open_db(db_path) as store:
        store.add(kept)
        before = open(db_path, "rb").read()

        def refuse(src, dst):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "replace", refuse)
        with pytest.raises(OSError):
            store.add(make(start=5, end=30))
        monkeypatch.undo()
        assert open(db_path, "rb").read() == before
        assert temp_paths(db_path) == []
        # memory was not left ahead of the file: the store still shows what is on disk
        assert store.annotations() == [kept]
        store.add(make(start=6, end=31))
        assert len(store.annotations()) == 2


def test_stale_temp_files_are_removed_on_open(db_path):
    with open_db(db_path) as store:
        store.add(make())
    stale = db_path + ".deadbeef0000.tmp"
    with open(stale, "wb") as handle:
        handle.write(b'{"annotations": {"1": {"id": "half wri')
    unrelated = os.path.join(os.path.dirname(db_path), "notes.tmp")
    open(unrelated, "w").close()
    with open_db(db_path) as store:
        assert len(store.annotations()) == 1
    assert not os.path.exists(stale)
    assert os.path.exists(unrelated)


def test_the_file_keeps_its_permissions(db_path):
    with open_db(db_path) as store:
        store.add(make())
        os.chmod(db_path, 0o600)
        store.add(make(start=3, end=9))
    assert os.stat(db_path).st_mode & 0o777 == 0o600


def test_recover_keeps_what_a_truncated_file_still_holds(db_path):
    anns = [make(start=i, end=i + 30) for i in range(8)]
    with open_db(db_path) as store:
        store.put_article(ARTICLE)
        store.apply([Op.put(a) for a in anns])
    whole = open(db_path, "rb").read()
    cut = whole.index(anns[6].id.encode()) + 10  # in the middle of the seventh annotation
    with open(db_path, "wb") as handle:
        handle.write(whole[:cut])
    with pytest.raises(DatabaseError, match="annotty recover"):
        open_db(db_path)

    out, kept, lost = recover(db_path)

    assert out == db_path + ".recovered.json"
    assert open(db_path, "rb").read() == whole[:cut]
    with open_db(out) as store:
        salvaged = store.annotations()
    assert {a.id for a in salvaged} <= {a.id for a in anns}
    assert kept == len(salvaged) >= 6 and lost == 1
    for ann in salvaged:
        assert ann == next(a for a in anns if a.id == ann.id)


def test_recover_prefers_a_complete_newer_temp_file(db_path):
    anns = [make(start=i, end=i + 30) for i in range(5)]
    with open_db(db_path) as store:
        store.apply([Op.put(a) for a in anns])
    whole = open(db_path, "rb").read()
    with open(db_path + ".0123456789ab.tmp", "wb") as handle:
        handle.write(whole)
    with open(db_path, "wb") as handle:
        handle.write(whole[: len(whole) // 3])
    os.utime(db_path + ".0123456789ab.tmp")  # written after the damaged file

    out, kept, lost = recover(db_path)

    assert (kept, lost) == (5, 0)
    with open_db(out) as store:
        assert sorted(a.id for a in store.annotations()) == sorted(a.id for a in anns)


def test_recover_command_prints_one_line(db_path):
    first, second = make(start=0, end=10), make(start=20, end=30)
    with open_db(db_path) as store:
        store.apply([Op.put(first), Op.put(second)])
    whole = open(db_path, "rb").read()
    with open(db_path, "wb") as handle:
        handle.write(whole[: whole.index(second.id.encode())])
    done = subprocess.run(
        [sys.executable, "-m", "annotations.recover", db_path], capture_output=True, text=True, check=True,
    )
    assert done.stdout.count("\n") == 1 and "1 annotations kept, 1 lost" in done.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "annotations.recover", db_path + ".nope"], capture_output=True, text=True,
    )
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


def test_a_folder_or_a_missing_folder_is_refused_with_one_line(tmp_path, capsys):
    from tui.main import main

    assert main([str(EXAMPLE), "--db", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"annotty: {tmp_path} is a folder, not a database file"
    missing = tmp_path / "no-such-folder" / "a.json"
    assert main([str(EXAMPLE), "--db", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err and not missing.parent.exists()
