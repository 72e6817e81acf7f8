"""Undo and redo of creating, editing and deleting annotations, in memory and on disk."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotations.article import Article
from annotations.history import AnnotationSet, Batch, Create, Delete, Edit, History, Reject
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import Op, open_db

TEXT = (
    "The Northbrook water board voted to raise fees by nine percent. "
    "Board chair Odile Ferrant said the rise \"pays for pipes, not salaries\"."
)
OTHER = Article.from_text("A second story about the Lowmere library closing early on Sundays.", "lowmere.txt")
ARTICLE = Article.from_text(TEXT, "northbrook.txt")


def make(article: Article = ARTICLE, start: int = 0, end: int = 20, label: str = CLAIM) -> Annotation:
    return Annotation.create(
        article_id=article.id, source=article.source, article_text=article.text,
        label=label, start=start, end=end, annotator="ines",
    )


@pytest.fixture
def sent() -> list[Op]:
    return []


@pytest.fixture
def history(sent) -> History:
    return History(sent.append)


def test_nothing_to_undo_or_redo_at_first(history):
    assert not history.can_undo and not history.can_redo
    assert history.undo() is None and history.redo() is None


def same_content(a, b) -> bool:
    """Equal but for the revision stamp (rev, modified)."""
    return replace(a, rev=0, modified="") == replace(b, rev=0, modified="")


def test_create_undo_redo(history, sent):
    ann = make()
    history.apply(Create(ann))
    assert history.annotations.for_article(ARTICLE.id) == [ann]
    assert history.undo() == Create(ann)
    assert history.annotations.for_article(ARTICLE.id) == [] and ann.id not in history.annotations
    assert history.redo() == Create(ann)
    redone = history.annotations.get(ann.id)
    # the undo left a tombstone at rev 2, so the redo brings it back at rev 3
    assert same_content(redone, ann) and redone.rev == ann.rev + 2, "every write of an id has a higher rev"
    assert [(op.kind, op.doc["id"]) for op in sent] == [("put", ann.id), ("delete", ann.id), ("put", ann.id)]


def test_undoing_an_edit_restores_the_old_content_as_a_newer_revision(history, sent):
    ann = make()
    history.apply(Create(ann))
    after = ann.edited(annotator="ines", label=QUOTE, attrs={"note": "said at the meeting"})
    history.apply(Edit(ann, after))
    assert history.annotations.get(ann.id) == after

    history.undo()
    restored = history.annotations.get(ann.id)
    assert (restored.label, restored.attrs) == (ann.label, ann.attrs)
    assert restored.rev == after.rev + 1
    assert sent[-1] == Op.put(restored, base_rev=after.rev)

    history.redo()
    again = history.annotations.get(ann.id)
    assert (again.label, again.attrs) == (QUOTE, {"note": "said at the meeting"})
    assert again.rev == restored.rev + 1


def test_delete_undo_brings_back_the_same_annotation(history, sent):
    ann = make()
    history.apply(Create(ann))
    history.apply(Delete(ann))
    assert ann.id not in history.annotations
    assert (sent[-1].kind, sent[-1].doc["id"], sent[-1].base_rev, sent[-1].doc["rev"]) == ("delete", ann.id, 1, 2)
    history.undo()
    assert sent[-1].base_deleted and sent[-1].base_rev == 2, "the undo restores over its own tombstone"
    back = history.annotations.get(ann.id)
    assert same_content(back, ann) and back.rev > ann.rev
    history.redo()
    assert ann.id not in history.annotations


def test_a_new_change_clears_redo(history):
    first, second = make(start=0, end=5), make(start=10, end=15)
    history.apply(Create(first))
    history.undo()
    assert history.can_redo
    history.apply(Create(second))
    assert not history.can_redo and history.redo() is None
    assert history.annotations.for_article(ARTICLE.id) == [second]


def test_a_long_sequence_across_articles_undoes_to_nothing_and_redoes_to_the_end(history):
    here, there = make(start=0, end=9), make(OTHER, start=2, end=9)
    edited = here.edited(annotator="ines", attrs={"status": "true"})
    steps = [Create(here), Create(there), Edit(here, edited), Delete(there)]
    for step in steps:
        history.apply(step)
    final = {a.id: (a.label, a.attrs) for a in history.annotations.for_article(ARTICLE.id)}
    assert history.annotations.for_article(OTHER.id) == []

    undone = [history.undo() for _ in steps]
    assert undone == steps[::-1]
    assert len(history.annotations) == 0 and not history.can_undo

    redone = [history.redo() for _ in steps]
    assert redone == steps
    assert {a.id: (a.label, a.attrs) for a in history.annotations.for_article(ARTICLE.id)} == final
    assert history.annotations.for_article(OTHER.id) == []


def test_annotation_set_load_replaces_one_article_only():
    keep, old, new = make(OTHER, 0, 5), make(start=0, end=5), make(start=3, end=8)
    annotations = AnnotationSet([keep, old])
    annotations.load(ARTICLE.id, [new])
    assert annotations.for_article(ARTICLE.id) == [new]
    assert annotations.for_article(OTHER.id) == [keep]
    assert old.id not in annotations


def test_history_through_the_store_leaves_the_file_matching_memory(tmp_path):
    store = open_db(tmp_path / "annotations.json")
    history = History(lambda op: store.apply([op]))
    a, b = make(start=0, end=10), make(start=20, end=40)
    history.apply(Create(a))
    history.apply(Create(b))
    history.apply(Edit(a, a.edited(annotator="ines", label=QUOTE)))
    history.apply(Delete(b))
    history.undo()  # b comes back
    history.undo()  # a's label goes back to CLAIM
    assert store.annotations(ARTICLE.id) == history.annotations.for_article(ARTICLE.id)
    assert [x.label for x in store.annotations(ARTICLE.id)] == [CLAIM, CLAIM]
    assert store.get(a.id).rev == 3
    store.close()


def test_revisions_only_go_up_through_any_undo_and_redo(history, sent):
    ann = make()
    history.apply(Create(ann))
    history.apply(Edit(ann, ann.edited(annotator="ines", attrs={"note": "checked"})))
    for step in (history.undo, history.undo, history.redo, history.redo, history.undo, history.redo):
        step()
    revs = [op.doc["rev"] for op in sent if op.kind == "put"]
    assert revs == sorted(set(revs)), f"a rev was written twice or went down: {revs}"


def test_reject_is_a_step_that_undo_takes_back_and_redo_does_again(history, sent):
    tagged = make()
    history.apply(Create(tagged))
    reject = Reject(ARTICLE.id, "ines", QUOTE, 64, 90, "pays for pipes, not salaries")
    history.apply(reject)
    assert history.rejections.for_article(ARTICLE.id) == {(QUOTE, 64, 90)}
    assert sent[-1] == Op.rejection(ARTICLE.id, "ines", QUOTE, 64, 90)
    assert history.undo() == reject, "undo after a reject takes back the reject, not the older tag"
    assert history.rejections.for_article(ARTICLE.id) == set()
    assert sent[-1] == Op.delete_rejection(ARTICLE.id, "ines", QUOTE, 64, 90)
    assert tagged.id in history.annotations
    assert history.redo() == reject
    assert history.rejections.for_article(ARTICLE.id) == {(QUOTE, 64, 90)}
    assert reject.summary == "reject of suggested QUOTE pays for pipes, not salaries"


def test_a_batch_is_one_step_undone_in_reverse(history, sent):
    first, second, third = make(start=0, end=5), make(start=10, end=15), make(start=20, end=30)
    history.apply(Create(first))
    batch = Batch((Create(second), Create(third)), "accept of 2 suggestions")
    history.apply(batch)
    assert len(history.annotations) == 3
    assert history.undo() == batch
    assert [a.id for a in history.annotations.for_article(ARTICLE.id)] == [first.id]
    assert [(op.kind, op.doc["id"]) for op in sent[-2:]] == [("delete", third.id), ("delete", second.id)]
    assert history.redo() == batch
    assert len(history.annotations) == 3
    assert (batch.article_id, batch.start) == (ARTICLE.id, 10)
    with pytest.raises(ValueError):
        Batch((), "nothing")


def test_a_rejection_taken_back_leaves_the_store(tmp_path):
    store = open_db(tmp_path / "annotations.json")
    history = History(lambda op: store.apply([op]))
    history.apply(Reject(ARTICLE.id, "ines", CLAIM, 0, 63))
    history.apply(Reject(ARTICLE.id, "ines", QUOTE, 64, 90))
    assert store.rejections(ARTICLE.id, "ines") == {(CLAIM, 0, 63), (QUOTE, 64, 90)}
    history.undo()
    assert store.rejections(ARTICLE.id, "ines") == {(CLAIM, 0, 63)}
    history.redo()
    history.undo()
    history.undo()
    assert store.rejections(ARTICLE.id, "ines") == set()
    store.close()
