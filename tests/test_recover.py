"""`annotty recover` on hostile and odd input: no hang, no traceback, no lost or replaced text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations import jsoncodec
from annotations.article import Article
from annotations.model import CLAIM, Annotation
from annotations.store import open_db

TEXT = (
    "The harbour board voted on Monday to close the north pier for repairs. "
    "\"The timber is rotten through,\" the board's engineer told the meeting. "
    "Fishing crews will use the south pier until the spring."
)
ARTICLE = Article.from_text(TEXT, "pier.txt")


def make(start: int, end: int, **changes) -> dict:
    doc = Annotation.create(
        article_id=ARTICLE.id, source=ARTICLE.source, article_text=ARTICLE.text,
        label=CLAIM, start=start, end=end, annotator="ines",
    ).to_doc()
    doc.update(changes)
    return doc


def write_db(path: Path, annotations: list[dict], version: int = 1, articles: bool = True) -> bytes:
    data = {
        "meta": {"1": {"name": "schema_version", "value": version}},
        "annotations": {str(n): doc for n, doc in enumerate(annotations, start=1)},
    }
    if articles:
        data["articles"] = {"1": {"id": ARTICLE.id, "source": ARTICLE.source, "title": ARTICLE.title, "text": ARTICLE.text}}
    raw = jsoncodec.dumps(data)
    path.write_bytes(raw)
    return raw


def run_recover(db: Path, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotations.recover", str(db)],
                          capture_output=True, text=True, timeout=timeout)


def recovered(db: Path) -> dict:
    return jsoncodec.loads(Path(str(db) + ".recovered.json").read_bytes())


def test_a_fifo_left_as_a_temp_file_does_not_hang_recover(tmp_path):
    db = tmp_path / "team.json"
    write_db(db, [make(0, 20)])
    os.mkfifo(str(db) + ".0123456789ab.tmp")  # nobody will ever write into it
    done = run_recover(db, timeout=30)  # before: blocked forever opening the FIFO
    assert done.returncode == 0, done.stderr
    assert "1 annotations kept" in done.stdout


def test_a_fifo_as_the_database_is_refused_with_one_line(tmp_path):
    db = tmp_path / "team.json"
    os.mkfifo(db)
    done = run_recover(db, timeout=30)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "not a regular file" in done.stderr


@pytest.mark.parametrize("name", ["missing.json", "folder"])
def test_a_missing_database_or_a_folder_is_bad_input_exit_2_with_one_line(tmp_path, name):
    (tmp_path / "folder").mkdir()
    done = subprocess.run([str(Path(sys.executable).parent / "annotty"), "recover", str(tmp_path / name)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("annotty: ") and "Traceback" not in done.stderr
    assert done.stdout == "" and sorted(p.name for p in tmp_path.iterdir()) == ["folder"], "nothing is written"


def test_deep_nesting_and_list_ids_are_listed_and_kept_without_a_traceback(tmp_path):
    db = tmp_path / "odd.json"
    deep: dict = {"leaf": 1}
    for _ in range(400):
        deep = {"next": deep}
    good = make(0, 20)
    write_db(db, [good, make(21, 40, attrs=deep), make(41, 60, id=["x"]), make(61, 70, id=int("9" * 30))])
    done = run_recover(db)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    lines = done.stdout.splitlines()
    assert "3 documents do not fit the schema" in lines[1]
    listed = lines[2:]
    assert len(listed) == 3 and all(line.startswith("  annotations") for line in listed), done.stdout
    assert "#2" in listed[0] and "nested more than" in listed[0]
    assert "#3" in listed[1] and "id is a list" in listed[1]
    assert "#4" in listed[2] and "number too large" in listed[2]
    out = recovered(db)
    kept = list(out["annotations"].values())
    assert kept[0] == good and kept[1]["attrs"] == deep
    assert kept[2]["id"] == ["x"] and kept[3]["id"] == jsoncodec.RawNumber("9" * 30)


def test_a_damaged_file_nested_too_deep_to_read_is_salvaged_without_a_traceback(tmp_path):
    db = tmp_path / "deep.json"
    good = make(0, 20)
    db.write_bytes(b'{"meta":{"1":{"name":"schema_version","value":1}},"annotations":{"1":' + jsoncodec.dumps(good)
                   + b',"2":{"id":"deep","attrs":' + b"[" * 5000 + b"]" * 5000 + b'},"3":{"id":"cut sh')
    done = run_recover(db)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "1 annotations kept" in done.stdout
    assert list(recovered(db)["annotations"].values()) == [good]


def test_an_earlier_copy_or_a_folder_at_the_output_path_is_never_overwritten(tmp_path):
    db = tmp_path / "team.json"
    write_db(db, [make(0, 20)])
    (tmp_path / "team.json.recovered.json").mkdir()
    (tmp_path / "team.json.recovered-2.json").write_text("an earlier copy")
    done = run_recover(db)
    assert done.returncode == 0, done
    assert (tmp_path / "team.json.recovered-2.json").read_text() == "an earlier copy"
    assert "team.json.recovered-3.json" in done.stdout
    assert "1 annotations kept" in done.stdout
    assert (tmp_path / "team.json.recovered.json").is_dir()


@pytest.mark.parametrize("damaged", [False, True], ids=["whole", "cut short"])
def test_a_newer_schema_is_refused_and_no_copy_is_written(tmp_path, damaged):
    db = tmp_path / "new.json"
    raw = write_db(db, [make(0, 20), make(21, 40)], version=3)
    if damaged:
        db.write_bytes(raw[: len(raw) - 30])
    done = run_recover(db)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "newer annotty" in done.stderr, done
    assert not Path(str(db) + ".recovered.json").exists()


def test_a_stray_temp_file_with_a_higher_rev_cannot_replace_the_real_text(tmp_path):
    db = tmp_path / "team.json"
    real = make(4, 21)  # "harbour board vot"
    other = make(72, 100)
    write_db(db, [real, other])
    forged = {**real, "rev": 9, "text": "the mayor took br"}  # same span, other words: not the article's
    moved = {**other, "rev": 2, "start": 73, "end": 100, "text": TEXT[73:100]}  # a real later edit: still the article
    lying_article = {"id": ARTICLE.id, "source": "x", "title": "x", "text": "x" * len(TEXT)}  # id is not its sha256
    stray = {"annotations": {"1": forged, "2": moved}, "articles": {"1": lying_article},
             "meta": {"1": {"name": "schema_version", "value": 1}}}
    tmp = Path(str(db) + ".00aa11bb22cc.tmp")
    tmp.write_bytes(jsoncodec.dumps(stray))
    os.utime(tmp, ns=(os.stat(db).st_mtime_ns + 10**9,) * 2)

    done = run_recover(db)
    assert done.returncode == 0, done.stderr
    by_id = {doc["id"]: doc for doc in recovered(db)["annotations"].values()}
    assert by_id[real["id"]] == real, "a stray temp file replaced the annotation's real text"
    assert by_id[other["id"]] == moved, "a later revision that matches the article was not taken"


def test_without_stored_article_text_a_temp_file_may_only_keep_the_span_and_text(tmp_path):
    db = tmp_path / "team.json"
    real, noted = make(4, 21), make(72, 100)
    write_db(db, [real, noted], articles=False)
    stray = {"annotations": {"1": {**real, "rev": 5, "text": "X" * 17},
                             "2": {**noted, "rev": 3, "attrs": {"note": "checked with the board"}}}}
    tmp = Path(str(db) + ".00aa11bb22cc.tmp")
    tmp.write_bytes(jsoncodec.dumps(stray))
    os.utime(tmp, ns=(os.stat(db).st_mtime_ns + 10**9,) * 2)
    assert run_recover(db).returncode == 0
    by_id = {doc["id"]: doc for doc in recovered(db)["annotations"].values()}
    assert by_id[real["id"]] == real
    assert by_id[noted["id"]]["attrs"] == {"note": "checked with the board"}


def test_a_recovered_copy_opens_and_holds_the_good_annotations(tmp_path):
    db = tmp_path / "team.json"
    good = make(0, 20)
    write_db(db, [good, make(21, 40, label=7)])
    assert run_recover(db).returncode == 0
    with open_db(str(db) + ".recovered.json") as store:
        assert [a.id for a in store.annotations()] == [good["id"]]
        assert len(store.problems()) == 1


def test_tombstones_are_kept_and_an_older_copy_in_a_temp_file_cannot_bring_one_back(tmp_path):
    db = tmp_path / "team.json"
    deleted, later = make(4, 21), make(72, 100)
    tomb = {"id": deleted["id"], "article_id": ARTICLE.id, "deleted": True, "deleted_by": "omar",
            "deleted_at": "2026-12-01T10:00:00.000+00:00", "rev": 2}
    write_db(db, [tomb, later], version=2)
    # A temp file left by an earlier write: the annotation before it was deleted, and one deleted since.
    stray = {"annotations": {"1": deleted, "2": later}, "meta": {"1": {"name": "schema_version", "value": 2}}}
    Path(str(db) + ".00aa11bb22cd.tmp").write_bytes(jsoncodec.dumps(stray))
    later_tomb = {**tomb, "id": later["id"], "rev": 2}
    Path(str(db) + ".00aa11bb22ce.tmp").write_bytes(jsoncodec.dumps(
        {"annotations": {"1": later_tomb}, "meta": {"1": {"name": "schema_version", "value": 2}}}))

    done = run_recover(db)
    assert done.returncode == 0, done.stderr
    by_id = {doc["id"]: doc for doc in recovered(db)["annotations"].values()}
    assert by_id[deleted["id"]] == tomb, "an older live copy replaced a tombstone"
    assert by_id[later["id"]] == later_tomb, "a later delete in a temp file was not taken"
    from annotations.store import open_db
    with open_db(Path(str(db) + ".recovered.json")) as store:
        assert store.annotations() == [] and {t.id for t in store.tombstones()} == {deleted["id"], later["id"]}
