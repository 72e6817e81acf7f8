"""Re-anchoring annotations when a publisher corrects an article."""

from __future__ import annotations

import pytest

from annotations.article import Article
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.team.reanchor import Anchoring, reanchor, summary

ORIGINAL = (
    "Kellworth council votes on the ferry subsidy\n"
    "\n"
    "The council of Kellworth voted 7 to 4 on Tuesday to keep the ferry subsidy for two more years.\n"
    "\n"
    "\u201cWithout the ferry, half of the island's pupils would lose an hour a day,\u201d said Mara Oyelaran, who chairs the transport committee.\n"
    "\n"
    "The subsidy costs \u00a31.2 million a year. \u201cWe cannot afford it for ever,\u201d said councillor Piet Vance.\n"
    "\n"
    "Ferry use rose by 14 per cent last year, according to the operator.\n"
)

QUOTE_ONE = "\u201cWithout the ferry, half of the island's pupils would lose an hour a day,\u201d"
QUOTE_TWO = "\u201cWe cannot afford it for ever,\u201d"
CLAIM_ONE = "The subsidy costs \u00a31.2 million a year."
CLAIM_TWO = "Ferry use rose by 14 per cent last year"


def _annotations(article: Article) -> dict[str, Annotation]:
    def make(label: str, exact: str) -> Annotation:
        start = article.text.index(exact)
        return Annotation.create(
            article_id=article.id, source=article.source, article_text=article.text,
            label=label, start=start, end=start + len(exact), annotator="ana",
        )

    return {
        "quote one": make(QUOTE, QUOTE_ONE),
        "quote two": make(QUOTE, QUOTE_TWO),
        "claim one": make(CLAIM, CLAIM_ONE),
        "claim two": make(CLAIM, CLAIM_TWO),
    }


def _states(new_text: str) -> tuple[dict[str, Anchoring], dict[str, Annotation | None], Article]:
    old = Article.from_text(ORIGINAL, "ferry.txt")
    new = Article.from_text(new_text, "ferry.txt")
    anns = _annotations(old)
    placements = reanchor(anns.values(), old.text, new.text, new_article_id=new.id, annotator="ben")
    names = list(anns)
    return (
        {names[i]: p.state for i, p in enumerate(placements)},
        {names[i]: p.annotation for i, p in enumerate(placements)},
        new,
    )


def _check_spans(placed: dict[str, Annotation | None], new: Article) -> None:
    for ann in placed.values():
        if ann is not None:
            assert ann.article_id == new.id
            assert new.text[ann.start:ann.end] == ann.text
            assert ann.prefix == new.text[max(0, ann.start - 32):ann.start]


def test_unchanged_text_keeps_everything_anchored_and_untouched():
    old = Article.from_text(ORIGINAL, "ferry.txt")
    anns = list(_annotations(old).values())
    placements = reanchor(anns, old.text, old.text, new_article_id=old.id, annotator="ben")
    assert [p.state for p in placements] == [Anchoring.ANCHORED] * 4
    assert [p.annotation for p in placements] == anns


def test_a_paragraph_inserted_at_the_top_moves_every_annotation():
    states, placed, new = _states("Correction: an earlier version misnamed the committee.\n\n" + ORIGINAL)
    assert set(states.values()) == {Anchoring.MOVED}
    _check_spans(placed, new)
    assert placed["quote one"].text == QUOTE_ONE
    assert placed["quote one"].attrs["reanchored_from"]["start"] == ORIGINAL.index(QUOTE_ONE)
    assert placed["quote one"].annotator == "ben"


def test_a_typo_fixed_inside_a_quote_changes_that_quote_only():
    fixed = ORIGINAL.replace("lose an hour a day", "lose an hour each day")
    states, placed, new = _states(fixed)
    assert states["quote one"] is Anchoring.CHANGED
    assert placed["quote one"].text == QUOTE_ONE.replace("an hour a day", "an hour each day")
    assert states["quote two"] in (Anchoring.MOVED, Anchoring.ANCHORED)
    assert states["claim one"] in (Anchoring.MOVED, Anchoring.ANCHORED)
    _check_spans(placed, new)


def test_a_deleted_quoted_sentence_orphans_its_quote_and_keeps_the_rest():
    cut = ORIGINAL.replace(" " + QUOTE_TWO + " said councillor Piet Vance.", "")
    states, placed, new = _states(cut)
    assert states["quote two"] is Anchoring.ORPHANED
    assert placed["quote two"] is None
    assert states["quote one"] is Anchoring.ANCHORED
    assert states["claim one"] is Anchoring.ANCHORED
    assert states["claim two"] is Anchoring.MOVED
    _check_spans(placed, new)


def test_curly_quotes_made_straight_change_the_quotes_and_leave_the_claims():
    straight = ORIGINAL.replace("\u201c", '"').replace("\u201d", '"')
    states, placed, new = _states(straight)
    assert states["quote one"] is Anchoring.CHANGED
    assert states["quote two"] is Anchoring.CHANGED
    assert placed["quote one"].text == QUOTE_ONE.replace("\u201c", '"').replace("\u201d", '"')
    assert states["claim one"] is Anchoring.ANCHORED
    assert states["claim two"] is Anchoring.ANCHORED
    _check_spans(placed, new)


def test_a_short_text_does_not_jump_to_another_occurrence_without_its_context():
    text = "Vance spoke first. Later the mayor answered Vance at length.\n"
    old = Article.from_text(text, "a.txt")
    ann = Annotation.create(
        article_id=old.id, source="a.txt", article_text=old.text, label="PERSON",
        start=0, end=5, annotator="ana",
    )
    new = Article.from_text("The mayor spoke first. Later she answered Vance at length.\n", "a.txt")
    [placement] = reanchor([ann], old.text, new.text, new_article_id=new.id, annotator="ana")
    assert placement.state is Anchoring.ORPHANED


def test_summary_counts_every_state():
    states, _, _ = _states(ORIGINAL.replace(" " + QUOTE_TWO + " said councillor Piet Vance.", ""))
    placements_summary = summary(
        type("P", (), {"state": state})() for state in states.values()
    )
    assert placements_summary == {"anchored": 2, "moved": 1, "changed": 0, "orphaned": 1}


@pytest.mark.parametrize("threshold", [101.0])
def test_a_threshold_above_every_score_orphans_what_is_not_exact(threshold):
    old = Article.from_text(ORIGINAL, "ferry.txt")
    new = Article.from_text(ORIGINAL.replace("lose an hour a day", "lose an hour each day"), "ferry.txt")
    anns = list(_annotations(old).values())
    placements = reanchor(anns, old.text, new.text, new_article_id=new.id, annotator="ben", threshold=threshold)
    assert placements[0].state is Anchoring.ORPHANED


def test_opening_a_corrected_article_finds_the_version_it_corrects(tmp_path):
    from annotations.store import Op, open_db
    from annotations.team.reanchor import carry_over, previous_version

    old = Article.from_text(ORIGINAL, "ferry.txt")
    new = Article.from_text("Correction: the vote was 7 to 4.\n\n" + ORIGINAL, "ferry.txt")
    other = Article.from_text("Another story entirely.\n", "other.txt")
    anns = list(_annotations(old).values())
    with open_db(tmp_path / "db.json") as store:
        store.apply([Op.put_article(old), Op.put_article(other), *(Op.put(a) for a in anns)])
        assert [a.id for a in store.articles(source="other.txt")] == [other.id]
        found = carry_over(new, store.articles(), store.annotations, annotator="ben")
        assert found.previous_id == old.id and [p.state for p in found.placements] == [Anchoring.MOVED] * 4
        assert "4 of 4 annotation(s) carried over" in found.message()
        store.apply(found.ops(new))
        assert store.article(new.id).previous_id == old.id
        assert {a.id for a in store.annotations(new.id)} == {a.id for a in anns}
        assert store.annotations(old.id) == []
        # Once carried, the corrected article is not carried over again, nor the old version twice.
        assert previous_version(new, store.articles()) is None
        assert previous_version(Article.from_text(ORIGINAL, "ferry.txt"), store.articles()) is None
        newer = Article.from_text("Second correction.\n\n" + new.text, "ferry.txt")
        assert previous_version(newer, store.articles()).id == new.id
        assert carry_over(other, store.articles(), store.annotations, annotator="ben") is None
