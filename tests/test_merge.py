"""Merging databases written apart: order-independent, idempotent, nothing lost, deletions kept."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from annotations.article import Article
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import ANNOTATIONS, ARTICLES, Op, open_db
from annotations.team.merge import canonical, is_tombstone, merge

ANNOTTY = Path(sys.executable).parent / "annotty"
TEXT = "The harbour board met on Monday. It agreed to dredge the channel. Nobody objected.\n"
ARTICLE = Article.from_text(TEXT, "harbour.txt")


def _ann(n: int, label: str = CLAIM) -> dict:
    start = 4 * n % 60
    return Annotation.create(article_id=ARTICLE.id, source=ARTICLE.source, article_text=TEXT, label=label,
                             start=start, end=start + 8, annotator="ana").to_doc() | {"id": f"a{n}"}


def _history(base: list[dict], rng: random.Random, machine: str, steps: int) -> dict[str, list[dict]]:
    """*base* after random creates, edits and deletes made on one machine."""
    docs = {doc["id"]: dict(doc) for doc in base}
    for step in range(steps):
        live = [d for d in docs.values() if not is_tombstone(d)]
        choice = rng.random()
        if choice < 0.3 or not live:
            new = _ann(100 + rng.randrange(1000), QUOTE) | {"id": f"{machine}{step}", "annotator": machine}
            docs[new["id"]] = new
        elif choice < 0.8:
            doc = rng.choice(live)
            docs[doc["id"]] = doc | {"attrs": {"note": f"{machine} {step}"}, "rev": doc["rev"] + 1,
                                     "annotator": machine}
        else:
            doc = rng.choice(live)
            docs[doc["id"]] = {"id": doc["id"], "article_id": doc["article_id"], "deleted": True,
                               "deleted_by": machine, "deleted_at": f"t{step}", "rev": doc["rev"] + 1}
    return {ANNOTATIONS: list(docs.values()), ARTICLES: [{"id": ARTICLE.id, "source": ARTICLE.source,
                                                          "title": ARTICLE.title, "text": TEXT}]}


def _as_set(tables: dict[str, list[dict]]) -> dict[str, set[bytes]]:
    return {table: {canonical(doc) for doc in docs} for table, docs in tables.items()}


@pytest.mark.parametrize("seed", range(60))
def test_merge_is_order_independent_idempotent_and_loses_nothing(seed):
    rng = random.Random(seed)
    base = [_ann(n) for n in range(8)]
    a = _history(base, rng, "ana", rng.randrange(1, 15))
    b = _history(base, rng, "ben", rng.randrange(1, 15))
    ab, ba = merge([a, b]), merge([b, a])
    assert _as_set(ab.tables) == _as_set(ba.tables)
    assert _as_set(merge([a, a]).tables) == _as_set(a)
    assert _as_set(merge([ab.tables, b]).tables) == _as_set(ab.tables)
    assert _as_set(merge([ab.tables, a, b]).tables) == _as_set(ab.tables)

    result = {doc["id"]: doc for doc in ab.tables[ANNOTATIONS]}
    assert len(result) == len(ab.tables[ANNOTATIONS]), "one document per id"
    # A deletion on either machine is never undone by the other's older edits.
    for side in (a, b):
        for doc in side[ANNOTATIONS]:
            if is_tombstone(doc):
                assert is_tombstone(result[doc["id"]])
    # Every live version either is in the result, was seen by a later revision, or is kept as a copy.
    copies = {doc["attrs"]["conflict_of"]: [] for doc in result.values() if "conflict_of" in doc.get("attrs", {})}
    for doc in result.values():
        if "conflict_of" in doc.get("attrs", {}):
            copies[doc["attrs"]["conflict_of"]].append(doc)
    for side in (a, b):
        for doc in side[ANNOTATIONS]:
            if is_tombstone(doc):
                continue
            now = result[doc["id"]]
            kept = now == doc or now["rev"] > doc["rev"] or any(
                {k: v for k, v in c.items() if k not in ("id", "attrs")} == {k: v for k, v in doc.items() if k not in ("id", "attrs")}
                for c in copies.get(doc["id"], []))
            assert kept, f"lost {doc}"


def test_an_edit_the_deleter_never_saw_is_kept_as_a_conflict_copy():
    base = _ann(1)
    edited = base | {"rev": 2, "attrs": {"note": "checked"}}
    deleted = {"id": base["id"], "article_id": ARTICLE.id, "deleted": True, "deleted_by": "ben",
               "deleted_at": "t", "rev": 2}
    merged = merge([{ANNOTATIONS: [edited]}, {ANNOTATIONS: [deleted]}])
    by_id = {doc["id"]: doc for doc in merged.tables[ANNOTATIONS]}
    assert is_tombstone(by_id[base["id"]])
    [copy] = [doc for doc in by_id.values() if not is_tombstone(doc)]
    assert copy["attrs"] == {"note": "checked", "conflict_of": base["id"]}
    assert [c.kept_as for c in merged.conflicts] == [copy["id"]]


def test_the_higher_revision_wins_without_a_conflict():
    base = _ann(1)
    merged = merge([{ANNOTATIONS: [base]}, {ANNOTATIONS: [base | {"rev": 3, "label": QUOTE}]}])
    assert [doc["label"] for doc in merged.tables[ANNOTATIONS]] == [QUOTE]
    assert merged.conflicts == []


def _write_db(path: Path, annotator: str, notes: dict[str, str]) -> None:
    with open_db(path) as store:
        store.apply([Op.put_article(ARTICLE)])
        for n, note in notes.items():
            doc = _ann(int(n)) | {"annotator": annotator, "attrs": {"note": note}}
            store.apply([Op("put", ANNOTATIONS, doc)])


def test_annotty_merge_writes_a_database_that_opens_and_never_overwrites(tmp_path):
    laptop, server = tmp_path / "laptop.json", tmp_path / "server.json"
    _write_db(laptop, "ana", {"1": "from the laptop", "2": "shared"})
    _write_db(server, "ben", {"2": "shared", "3": "from the server"})
    before = laptop.read_bytes(), server.read_bytes()
    out, out2 = tmp_path / "merged.json", tmp_path / "merged2.json"
    run = subprocess.run([str(ANNOTTY), "merge", str(laptop), str(server), "-o", str(out)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    # a2 is rev 1 on both, written apart (another annotator, another time): both versions are kept.
    assert "4 annotation(s)" in run.stdout and "1 true conflict(s)" in run.stdout
    assert (laptop.read_bytes(), server.read_bytes()) == before
    with open_db(out) as store:
        notes = sorted(ann.attrs["note"] for ann in store.annotations())
        assert notes == ["from the laptop", "from the server", "shared", "shared"]
        assert store.article(ARTICLE.id).text == TEXT
    subprocess.run([str(ANNOTTY), "merge", str(server), str(laptop), "-o", str(out2)], check=True,
                   capture_output=True, timeout=60)
    docs = lambda p: sorted(canonical(d) for d in orjson.loads(p.read_bytes())[ANNOTATIONS].values())
    assert docs(out) == docs(out2)
    again = subprocess.run([str(ANNOTTY), "merge", str(laptop), "-o", str(out)], capture_output=True, text=True)
    assert again.returncode == 2 and "already exists" in again.stderr


@pytest.mark.parametrize("seed", range(8))
def test_histories_written_by_the_store_merge_the_same_either_way(tmp_path, seed):
    """Two copies of one database, changed apart through the store itself, then merged both ways."""
    import shutil

    from annotations.team.merge import read_tables

    rng = random.Random(seed)
    base = tmp_path / "base.json"
    with open_db(base) as store:
        store.apply([Op.put_article(ARTICLE)] + [Op.put(Annotation.from_doc(_ann(n))) for n in range(6)])
    copies = []
    for machine in ("ana", "ben"):
        path = tmp_path / f"{machine}.json"
        shutil.copy(base, path)
        with open_db(path) as store:
            for step in range(rng.randrange(3, 12)):
                live = store.annotations()
                ann = rng.choice(live) if live else None
                if ann is None or rng.random() < 0.3:
                    new = Annotation.from_doc(_ann(rng.randrange(20), QUOTE) | {"id": f"{machine}{step}"})
                    store.apply([Op.put(new)])
                elif rng.random() < 0.7:
                    store.apply([Op.put(ann.edited(annotator=machine, attrs={"note": f"{machine}{step}"}),
                                        base_rev=ann.rev)])
                else:
                    store.apply([Op.delete(ann.id, base_rev=ann.rev, by=machine, article_id=ann.article_id)])
        copies.append(read_tables(str(path))[0])
    ab, ba = merge(copies), merge(copies[::-1])
    assert _as_set(ab.tables) == _as_set(ba.tables)
    assert _as_set(merge([ab.tables, copies[0]]).tables) == _as_set(ab.tables)
    out = tmp_path / "merged.json"
    from annotations.team.merge import write_tables

    write_tables(str(out), ab.tables)
    with open_db(out) as merged:
        live_ids = {a.id for a in merged.annotations()}
        dead_ids = {t.id for t in merged.tombstones()}
    for tables in copies:
        for doc in tables[ANNOTATIONS]:
            if is_tombstone(doc):
                assert doc["id"] in dead_ids and doc["id"] not in live_ids
