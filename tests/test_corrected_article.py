"""Opening an article whose text changed since it was annotated carries its annotations over."""

from __future__ import annotations

from annotations.article import load
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import Op, open_db

from app_helpers import annotations_loaded, record_notifications

BEFORE = ('The ferry will run all winter, the council said.\n\n"We will not cut it," said Ada Lund.\n\n'
          '"Nobody asked the islanders," said a resident.\n')
AFTER = ('Correction: an earlier version gave the wrong date.\n\nThe ferry will run all winter, the council said.\n\n'
         '"We will not cut it," said Ada Lund.\n')


async def test_the_annotations_of_the_earlier_version_follow_the_corrected_text(make_app, tmp_path):
    path = tmp_path / "ferry.txt"
    path.write_text(BEFORE, encoding="utf-8")
    old = load(str(path))

    def ann(exact: str, label: str) -> Annotation:
        start = BEFORE.index(exact)
        return Annotation.create(article_id=old.id, source=old.source, article_text=BEFORE, label=label,
                                 start=start, end=start + len(exact), annotator="ana")

    claim, quote, orphan = (ann("The ferry will run all winter", CLAIM), ann('"We will not cut it,"', QUOTE),
                            ann('"Nobody asked the islanders,"', QUOTE))
    with open_db(tmp_path / "annotations.json") as store:
        store.apply([Op.put_article(old), Op.put(claim), Op.put(quote), Op.put(orphan)])
    path.write_text(AFTER, encoding="utf-8")  # the publisher corrects the article

    app = make_app([path], annotator="ana", model="none")
    notes = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await annotations_loaded(pilot)
        shown = {a.id: a for a in app.session.annotations}
        assert set(shown) == {claim.id, quote.id}
        assert AFTER[shown[quote.id].start:shown[quote.id].end] == '"We will not cut it,"'
        assert any("2 of 3 annotation(s) carried over" in n and "1 orphaned" in n and "Nobody asked" in n
                   for n in notes), notes
    new = load(str(path))
    with open_db(tmp_path / "annotations.json") as store:
        assert store.article(new.id).previous_id == old.id
        assert [a.id for a in store.annotations(old.id)] == [orphan.id]  # kept, never deleted
