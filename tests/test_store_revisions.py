"""Revisions, conflicts, tombstones and polling: two stores on one real file, as two colleagues' apps."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import orjson
import pytest

from annotations import store as store_module
from annotations.article import Article
from annotations.formats import ExportContext, export
from annotations.model import CLAIM, QUOTE, Annotation, Tombstone
from annotations.saver import SaveQueue
from annotations.store import Conflict, DatabaseError, Op, open_db

TEXT = (
    "Councillor Maren Lisk said on Tuesday that the Eastgate ferry would run all winter. "
    "\"We have the boats and the crews,\" she told reporters outside the harbour office. "
    "The transport board has not confirmed the timetable."
)
ARTICLE = Article.from_text(TEXT, "eastgate.txt")


def make(start: int = 0, end: int = 40, annotator: str = "ines", label: str = CLAIM) -> Annotation:
    return Annotation.create(article_id=ARTICLE.id, source=ARTICLE.source, article_text=ARTICLE.text,
                             label=label, start=start, end=end, annotator=annotator)


@pytest.fixture
def two(tmp_path):
    """Ines's and Omar's stores on one file, which holds the article and one claim of Ines's at rev 1."""
    path = tmp_path / "team.json"
    ines, omar = open_db(path), open_db(path)
    claim = make()
    ines.apply([Op.put_article(ARTICLE), Op.put(claim)])
    yield ines, omar, claim
    ines.close()
    omar.close()


def raw_docs(store) -> list[dict]:
    return list(orjson.loads(Path(store.path).read_bytes())["annotations"].values())


def test_a_stale_edit_is_refused_and_says_what_the_colleague_saved(two):
    ines, omar, claim = two
    theirs = claim.edited(annotator="omar", attrs={"status": "false"})
    omar.apply([Op.put(theirs, base_rev=1)])
    mine = claim.edited(annotator="ines", attrs={"status": "true"})  # Ines still holds rev 1
    with pytest.raises(Conflict) as refused:
        ines.apply([Op.put(mine, base_rev=1)])
    [item] = refused.value.items
    assert item.op.doc["attrs"] == {"status": "true"}
    assert item.theirs == theirs
    assert isinstance(refused.value, DatabaseError) and "\n" not in str(refused.value)
    assert ines.get(claim.id) == theirs
    # Applying hers on top of theirs is an edit of the revision she has now seen.
    assert ines.apply([Op.put(replace_rev(mine, 3), base_rev=theirs.rev)]) == {claim.id: 3}
    assert omar.get(claim.id).attrs == {"status": "true"}


def replace_rev(ann: Annotation, rev: int) -> Annotation:
    from dataclasses import replace
    return replace(ann, rev=rev)


def test_a_conflict_writes_nothing_of_its_call(two):
    ines, omar, claim = two
    omar.apply([Op.put(claim.edited(annotator="omar", label=QUOTE), base_rev=1)])
    before = Path(ines.path).read_bytes()
    new = make(41, 83)
    with pytest.raises(Conflict) as refused:
        ines.apply([Op.put(new), Op.cursor(ARTICLE.id, "ines", 7),
                    Op.put(claim.edited(annotator="ines", attrs={"note": "mine"}), base_rev=1)])
    assert [item.op.doc["id"] for item in refused.value.items] == [claim.id]
    assert Path(ines.path).read_bytes() == before
    assert ines.get(new.id) is None and ines.cursor(ARTICLE.id, "ines") is None


def test_an_edit_after_a_delete_is_refused_and_nothing_comes_back(two):
    ines, omar, claim = two
    omar.apply([Op.delete(claim.id, base_rev=1, by="omar")])
    with pytest.raises(Conflict) as refused:
        ines.apply([Op.put(claim.edited(annotator="ines", attrs={"note": "late"}), base_rev=1)])
    [item] = refused.value.items
    assert isinstance(item.theirs, Tombstone)
    assert (item.theirs.deleted_by, item.theirs.rev, item.theirs.article_id) == ("omar", 2, ARTICLE.id)
    # A create of the same id is refused too: a tombstone keeps its id taken.
    with pytest.raises(Conflict):
        ines.apply([Op.put(claim)])
    assert ines.get(claim.id) is None and ines.annotations() == []
    [doc] = raw_docs(ines)
    assert doc["deleted"] is True and doc["deleted_by"] == "omar" and doc["rev"] == 2 and doc["deleted_at"]


def test_a_delete_of_a_stale_revision_is_refused(two):
    ines, omar, claim = two
    theirs = claim.edited(annotator="omar", attrs={"note": "keep this"})
    omar.apply([Op.put(theirs, base_rev=1)])
    with pytest.raises(Conflict) as refused:
        ines.apply([Op.delete(claim.id, base_rev=1, by="ines")])
    assert refused.value.items[0].theirs == theirs
    assert omar.get(claim.id) == theirs and omar.tombstones() == []


def test_an_undo_of_a_delete_restores_over_its_own_tombstone_only(two):
    ines, omar, claim = two
    ines.apply([Op.delete(claim.id, base_rev=1, by="ines")])
    ines.apply([Op.restore(replace_rev(claim, 3), base_rev=2)])
    assert omar.get(claim.id).rev == 3 and omar.tombstones() == []
    omar.apply([Op.delete(claim.id, base_rev=3, by="omar")])
    with pytest.raises(Conflict):  # Ines's tombstone is gone: a restore based on it is stale
        ines.apply([Op.restore(replace_rev(claim, 5), base_rev=2)])


def test_created_by_and_created_survive_edits(two):
    ines, omar, claim = two
    edited = claim.edited(annotator="omar", attrs={"status": "true"})
    assert (edited.created_by, edited.created, edited.modified_by) == ("ines", claim.created, "omar")
    with pytest.raises(ValueError):
        claim.edited(annotator="omar", created_by="omar")
    # Even a change that says otherwise cannot rewrite who created it.
    from dataclasses import replace
    omar.apply([Op.put(replace(edited, created_by="omar", created="2000-01-01"), base_rev=1)])
    stored = ines.get(claim.id)
    assert (stored.created_by, stored.created, stored.annotator, stored.rev) == ("ines", claim.created, "omar", 2)


def test_tombstones_are_hidden_from_queries_counts_and_exports(two, tmp_path):
    ines, omar, claim = two
    kept = make(41, 83, label=QUOTE)
    ines.apply([Op.put(kept), Op.delete(claim.id, base_rev=1, by="ines")])
    assert omar.annotations() == [kept] == omar.annotations(ARTICLE.id)
    assert omar.get(claim.id) is None
    assert omar.problems() == []  # a tombstone is not an odd document
    assert [t.id for t in omar.tombstones()] == [claim.id] == [t.id for t in omar.tombstones(ARTICLE.id)]
    assert omar.tombstones("another article") == []
    out = tmp_path / "out.csv"
    export(omar, "csv", out, context=ExportContext())
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [row["id"] for row in rows] == [kept.id]


def test_a_save_retried_after_it_reached_the_disk_is_not_a_conflict(two):
    ines, _, claim = two
    edit = Op.put(claim.edited(annotator="ines", attrs={"note": "once"}), base_rev=1)
    delete = Op.delete(claim.id, base_rev=2, by="ines")
    assert ines.apply([edit]) == {claim.id: 2}
    assert ines.apply([edit]) == {claim.id: 2}
    ines.apply([delete])
    ines.apply([delete])
    assert len(raw_docs(ines)) == 1


def test_coalescing_keeps_the_first_base():
    ann = make()
    first = ann.edited(annotator="ines", label=QUOTE)
    second = first.edited(annotator="ines", attrs={"note": "n"})
    [create] = store_module.coalesce([Op.put(ann), Op.put(first, base_rev=1), Op.put(second, base_rev=2)])
    assert create.base_rev is None and create.doc["attrs"] == {"note": "n"} and create.rev == 3
    [edit] = store_module.coalesce([Op.put(first, base_rev=1), Op.delete(ann.id, base_rev=2, by="ines")])
    assert (edit.kind, edit.base_rev, edit.rev) == ("delete", 1, 3)


def test_the_save_queue_reports_a_conflict_as_its_own_outcome_and_saves_the_rest(two):
    ines, omar, claim = two
    omar.apply([Op.put(claim.edited(annotator="omar", attrs={"status": "false"}), base_rev=1)])
    results, done = [], threading.Event()
    queue = SaveQueue(ines, lambda r: (results.append(r), done.set()))
    try:
        new = make(41, 83)
        queue.submit(Op.put(new))
        queue.submit(Op.put(claim.edited(annotator="ines", attrs={"status": "true"}), base_rev=1))
        queue.submit(Op.cursor(ARTICLE.id, "ines", 5))
        assert queue.flush(10)
    finally:
        queue.close(5)
    assert [r.outcome for r in results] == ["conflict"]
    [result] = results
    assert result.ok and result.error is None and result.pending == 0
    assert [(item.op.doc["id"], item.theirs.attrs) for item in result.conflicts] == [(claim.id, {"status": "false"})]
    assert result.revs == {new.id: 1}
    assert omar.get(new.id) == new and omar.cursor(ARTICLE.id, "ines") == 5
    assert omar.get(claim.id).attrs == {"status": "false"}


# ---- polling ------------------------------------------------------------------------------

@pytest.fixture
def parses(monkeypatch) -> list[int]:
    """Counts every parse of a database file's bytes."""
    count: list[int] = []
    real = store_module.parse

    def counted(raw, path):
        count.append(1)
        return real(raw, path)

    monkeypatch.setattr(store_module, "parse", counted)
    return count


def test_poll_with_nothing_changed_reads_nothing(two, parses, monkeypatch):
    ines, omar, claim = two
    assert omar.poll() is not None  # Ines's first write, made after Omar opened the file
    stats = []
    real_stat = store_module.os.stat
    monkeypatch.setattr(store_module.os, "stat", lambda *a, **k: (stats.append(a[0]), real_stat(*a, **k))[1])
    parses.clear()
    for _ in range(50):
        assert omar.poll() is None
    assert parses == [] and len(stats) == 50


def test_poll_reports_a_colleagues_add_edit_and_delete(two):
    ines, omar, claim = two
    omar.poll()
    new = make(41, 83, annotator="ines")
    ines.apply([Op.put(new)])
    change = omar.poll()
    assert change.added == {ARTICLE.id: frozenset({new.id})} and not change.changed and not change.deleted
    assert omar.poll() is None, "a change is reported once"
    ines.apply([Op.put(new.edited(annotator="ines", label=QUOTE), base_rev=1)])
    assert omar.poll().changed == {ARTICLE.id: frozenset({new.id})}
    ines.apply([Op.delete(claim.id, base_rev=1, by="ines")])
    change = omar.poll()
    assert change.deleted == {ARTICLE.id: frozenset({claim.id})} and not change.added
    assert change.article_ids == {ARTICLE.id}
    ines.apply([Op.rejection(ARTICLE.id, "ines", QUOTE, 85, 118), Op.cursor(ARTICLE.id, "ines", 4)])
    change = omar.poll()
    assert change.rejections and change.cursors and not change.article_ids


def test_poll_never_reports_own_writes_even_after_reading_a_colleagues(two):
    ines, omar, claim = two
    omar.poll()
    mine = make(41, 83, annotator="omar")
    omar.apply([Op.put(mine), Op.cursor(ARTICLE.id, "omar", 3)])
    assert omar.poll() is None
    theirs = make(85, 118, annotator="ines")
    ines.apply([Op.put(theirs)])
    # Omar's next write reads Ines's change first; the poll after it reports hers, never his.
    omar.apply([Op.put(mine.edited(annotator="omar", label=QUOTE), base_rev=1)])
    change = omar.poll()
    assert change.added == {ARTICLE.id: frozenset({theirs.id})} and not change.changed and not change.cursors
    assert omar.poll() is None
