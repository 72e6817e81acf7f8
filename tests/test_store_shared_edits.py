"""Four processes create, edit and delete one shared set of annotations in one real file.

Each works from what it last read (re-read every few operations, so it often acts on a
revision a colleague has already replaced). Every operation must come back either
applied, with the rev it produced, or refused as a conflict; replaying the applied ones
in rev order per annotation must give exactly the final file.
"""

from __future__ import annotations

import json
import multiprocessing
import random
from pathlib import Path

import orjson

from annotations.article import Article
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import Conflict, Op, open_db

TEXT = (
    "The Northfield library will open on Sundays from March, the city said. "
    "\"Families asked for it every week,\" said head librarian Tomas Ruel. "
    "Opening hours on weekdays stay as they are, and the reading room will stay open until nine."
)
ARTICLE = Article.from_text(TEXT, "northfield-library.txt")
PROCESSES = 4
OPERATIONS = 200
REREAD_EVERY = 4  # operations between two reads of the file: the rest act on what was read before


def work(path: str, name: str, seed: int, log_path: str, start) -> None:
    """One colleague: OPERATIONS random creates, edits and deletes; logs each one's outcome as a JSON line."""
    rng = random.Random(seed)
    store = open_db(path)
    start.wait(30)
    known: dict[str, Annotation] = {}
    with open(log_path, "w", encoding="utf-8") as log:
        for i in range(OPERATIONS):
            if i % REREAD_EVERY == 0:
                known = {ann.id: ann for ann in store.annotations(ARTICLE.id)}
            token = f"{name}-{i}"
            choice = rng.random()
            if not known or choice < 0.3:
                begin = rng.randrange(0, len(TEXT) - 20)
                ann = Annotation.create(
                    article_id=ARTICLE.id, source=ARTICLE.source, article_text=TEXT, label=CLAIM,
                    start=begin, end=begin + rng.randrange(1, 20), annotator=name, attrs={"note": token})
                kind, op, base = "create", Op.put(ann), None
            else:
                target = known[rng.choice(sorted(known))]  # anyone's, as last read
                base = target.rev
                if choice < 0.8:
                    ann = target.edited(annotator=name, label=rng.choice([CLAIM, QUOTE]), attrs={"note": token})
                    kind, op = "edit", Op.put(ann, base_rev=base)
                else:
                    ann = target
                    kind, op = "delete", Op.delete(target.id, base_rev=base, by=name)
            entry = {"token": token, "kind": kind, "id": ann.id, "base": base, "by": name}
            try:
                revs = store.apply([op])
            except Conflict as conflict:
                entry["outcome"] = "conflict"
                theirs = conflict.items[0].theirs
                entry["theirs_rev"] = None if theirs is None else theirs.rev
                known.pop(ann.id, None)
            else:
                entry["outcome"] = "applied"
                entry["rev"] = revs[ann.id]
                if kind == "delete":
                    known.pop(ann.id, None)
                else:
                    known[ann.id] = Annotation.from_doc({**ann.to_doc(), "rev": revs[ann.id]})
            log.write(json.dumps(entry) + "\n")
    store.close()


def test_shared_annotations_edited_by_four_processes_replay_to_the_final_file(tmp_path: Path):
    path = tmp_path / "team.json"
    with open_db(path) as store:
        store.put_article(ARTICLE)
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Event()
    logs = [tmp_path / f"log{n}.jsonl" for n in range(PROCESSES)]
    workers = [spawn.Process(target=work, args=(str(path), f"p{n}", 1000 + n, str(logs[n]), start))
               for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0

    entries = [json.loads(line) for log in logs for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(entries) == PROCESSES * OPERATIONS, "every operation came back applied or refused"
    assert len({e["token"] for e in entries}) == len(entries), "no operation came back twice"
    applied = [e for e in entries if e["outcome"] == "applied"]
    refused = [e for e in entries if e["outcome"] == "conflict"]
    assert {e["kind"] for e in applied} == {"create", "edit", "delete"}
    assert {e["kind"] for e in refused} >= {"edit", "delete"}, "the test must make colleagues collide"

    # Per annotation, the applied operations form one chain: each based on the rev the one before produced.
    chains: dict[str, list[dict]] = {}
    for e in sorted(applied, key=lambda e: e["rev"]):
        chains.setdefault(e["id"], []).append(e)
    for ident, chain in chains.items():
        assert chain[0]["kind"] == "create" and chain[0]["base"] is None and chain[0]["rev"] == 1
        for before, after in zip(chain, chain[1:]):
            assert after["base"] == before["rev"] and after["rev"] > before["rev"], f"{ident}: a lost update"
            assert before["kind"] != "delete", f"{ident}: changed after it was deleted"
    # A refusal is genuine: someone else moved the annotation on from the rev it was based on.
    for e in refused:
        moved_on = any(a["base"] == e["base"] for a in chains.get(e["id"], []))
        assert moved_on, f"{e['token']} refused though rev {e['base']} was the newest"

    docs = list(orjson.loads(path.read_bytes())["annotations"].values())
    assert len({d["id"] for d in docs}) == len(docs), "no duplicate ids"
    final = {d["id"]: d for d in docs}
    assert set(final) == set(chains)
    creators = {ident: chain[0]["by"] for ident, chain in chains.items()}
    for ident, chain in chains.items():
        last, doc = chain[-1], final[ident]
        assert doc["rev"] == last["rev"]
        if last["kind"] == "delete":
            assert doc["deleted"] is True and doc["deleted_by"] == last["by"]
        else:
            # (a claim is created with the status "unchecked"; an edit here replaces the attrs with a note alone)
            attrs = doc["attrs"] if last["kind"] != "create" else {k: v for k, v in doc["attrs"].items() if k != "status"}
            assert not doc.get("deleted") and attrs == {"note": last["token"]}
            assert doc["annotator"] == last["by"] and doc["created_by"] == creators[ident]
    refused_tokens = {e["token"] for e in refused}
    assert not refused_tokens & {d.get("attrs", {}).get("note") for d in docs}, "a refused change reached the file"
    with open_db(path) as store:
        live = {a.id for a in store.annotations()}
        assert live == {i for i, chain in chains.items() if chain[-1]["kind"] != "delete"}
        assert store.problems() == []
