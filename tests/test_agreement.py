"""Agreement figures: a fixture computed by hand (two and three annotators), and nltk's own numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.article import Article
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import open_db
from annotations.team.agreement import (
    ALL, ArticleAnnotations, agreement, cohen_kappa, krippendorff_alpha, token_values, tokens,
)

TEXT = "a b c d e f g h i j"  # ten one-letter tokens, token i at offset 2i
ARTICLE = Article.from_text(TEXT, "letters.txt")
ANNOTTY = Path(sys.executable).parent / "annotty"


def tok(first: int, last: int) -> tuple[int, int]:
    """Offsets covering tokens first..last."""
    return 2 * first, 2 * last + 1


def make(label: str, span: tuple[int, int], who: str, speaker: str | None = None) -> Annotation:
    attrs = {"speaker": {"text": speaker}} if speaker else {}
    return Annotation.create(article_id=ARTICLE.id, source=ARTICLE.source, article_text=TEXT, label=label,
                             start=span[0], end=span[1], annotator=who, attrs=attrs)


A = [make(CLAIM, tok(0, 3), "ann"), make(QUOTE, tok(6, 7), "ann", "Ada Kemp")]
B = [make(CLAIM, tok(0, 2), "ben"), make(QUOTE, tok(6, 7), "ben", "ada  kemp")]
C = [make(CLAIM, tok(0, 3), "cat")]


def figures(result, a, b, label):
    return next(p for p in result.pairs if (p.a, p.b, p.label) == (a, b, label))


def test_two_annotators_match_the_hand_computed_figures():
    result = agreement([ArticleAnnotations(ARTICLE.id, TEXT, {"ann": A, "ben": B})])
    claim = figures(result, "ann", "ben", CLAIM)
    # CLAIM tokens: ann yes on 0-3, ben yes on 0-2. Po = 9/10, Pe = .4*.3 + .6*.7 = .54, kappa = .36/.46.
    assert claim.kappa == pytest.approx(0.36 / 0.46, abs=5e-4) and round(claim.kappa, 3) == 0.783
    assert claim.exact_f1 == 0.0 and claim.overlap_f1 == 1.0
    quote = figures(result, "ann", "ben", QUOTE)
    assert (quote.exact_f1, quote.overlap_f1, quote.kappa) == (1.0, 1.0, 1.0)
    assert quote.speaker_agreement == 1.0  # "Ada Kemp" and "ada  kemp" name the same person
    every = figures(result, "ann", "ben", ALL)
    # Values C C C C O O Q Q O O against C C C O O O Q Q O O: Po = .9, Pe = (4*3 + 4*5 + 2*2)/100 = .36.
    assert round(every.kappa, 3) == round(0.54 / 0.64, 3) == 0.844
    assert every.exact_f1 == 0.5 and every.overlap_f1 == 1.0
    # Alpha: coincidences CC 6, CO 1, OC 1, OO 8, QQ 4; n = 20; Do = 2/20; De = 2(7*9 + 7*4 + 9*4)/(20*19).
    assert round(result.alpha[ALL], 3) == round(1 - 0.1 / (254 / 380), 3) == 0.850
    assert result.articles == 1


def test_three_annotators_match_the_hand_computed_pairs():
    result = agreement([ArticleAnnotations(ARTICLE.id, TEXT, {"ann": A, "ben": B, "cat": C})])
    assert figures(result, "ann", "cat", CLAIM).exact_f1 == 1.0
    quote = figures(result, "ann", "cat", QUOTE)
    # cat tagged no quote: Po = .8 and Pe = .8 (cat says "no" everywhere), so kappa is 0.
    assert (quote.exact_f1, quote.kappa) == (0.0, 0.0)
    assert {(p.a, p.b) for p in result.pairs} == {("ann", "ben"), ("ann", "cat"), ("ben", "cat")}


def test_kappa_and_alpha_agree_with_nltk():
    from nltk.metrics.agreement import AnnotationTask

    coders = {"ann": A, "ben": B, "cat": C}
    toks = tokens(TEXT)
    for label in (CLAIM, QUOTE, ALL):
        values = {who: token_values(anns, toks, label) for who, anns in coders.items()}
        task = AnnotationTask(data=[(who, i, v) for who, vs in values.items() for i, v in enumerate(vs)])
        ours = agreement([ArticleAnnotations(ARTICLE.id, TEXT, coders)], labels=[CLAIM, QUOTE])
        assert round(ours.alpha[label], 3) == round(task.alpha(), 3)
        for a, b in (("ann", "ben"), ("ann", "cat"), ("ben", "cat")):
            assert round(figures(ours, a, b, label).kappa, 3) == round(task.kappa_pairwise(a, b), 3)


def test_alpha_leaves_out_what_only_one_annotator_coded_and_kappa_without_variation_is_undefined():
    assert krippendorff_alpha([["x", "x", None], ["y", None, None], ["x", "y", "y"]]) == pytest.approx(
        krippendorff_alpha([["x", "x"], ["x", "y", "y"]]))
    assert cohen_kappa(["no"] * 5, ["no"] * 5) is None
    assert cohen_kappa([], []) is None


def test_only_articles_both_worked_on_count(tmp_path):
    other = Article.from_text("k l m n", "other.txt")
    lone = Annotation.create(article_id=other.id, source=other.source, article_text=other.text, label=CLAIM,
                             start=0, end=3, annotator="ann")
    result = agreement([ArticleAnnotations(ARTICLE.id, TEXT, {"ann": A, "ben": B}),
                        ArticleAnnotations(other.id, other.text, {"ann": [lone]})])
    assert result.articles == 1 and figures(result, "ann", "ben", CLAIM).articles == 1
    assert figures(result, "ann", "ben", CLAIM).spans_a == 1  # the lone claim is not counted against ben


def test_the_command_prints_tables_and_json(tmp_path):
    db = tmp_path / "team.json"
    with open_db(db) as store:
        store.put_article(ARTICLE)
        for ann in A + B:
            store.add(ann)
    shown = subprocess.run([str(ANNOTTY), "agree", str(db)], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "ann / ben" in shown.stdout and "0.783" in shown.stdout and "0.850" in shown.stdout
    as_json = subprocess.run([str(ANNOTTY), "agree", str(db), "--json", "--by", "article"],
                             capture_output=True, text=True, timeout=60)
    data = json.loads(as_json.stdout)
    claim = next(p for p in data["pairs"] if p["label"] == CLAIM)
    assert round(claim["kappa"], 3) == 0.783 and data["articles"] == 1
    assert data["by_article"][0]["title"] == TEXT
    missing = subprocess.run([str(ANNOTTY), "agree", str(tmp_path / "nope.json")], capture_output=True, text=True)
    assert missing.returncode == 2 and "no such database file" in missing.stderr


def test_the_command_names_an_unknown_annotator_and_a_folder(tmp_path):
    db = tmp_path / "team.json"
    with open_db(db) as store:
        store.put_article(ARTICLE)
        for ann in A + B:
            store.add(ann)
    typo = subprocess.run([str(ANNOTTY), "agree", str(db), "--annotators", "ann", "nobody"],
                          capture_output=True, text=True, timeout=60)
    assert typo.returncode == 2 and typo.stdout == ""
    assert typo.stderr.strip() == "annotty: unknown annotator: nobody (known: ann, ben)"
    folder = subprocess.run([str(ANNOTTY), "agree", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert folder.returncode == 2 and "is a folder, not a database file" in folder.stderr
