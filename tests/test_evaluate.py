"""The gold set, the scoring against it, and the suggest and eval commands."""

import argparse
import io
import json
from pathlib import Path

import pytest

from annotations.evaluate import Tally, load_gold, match, overlap, same_name, score_article
from annotations.model import CLAIM, QUOTE
from annotations.suggest import Suggestion
from annotations.eval_command import add_eval_arguments, run_eval
from annotations.suggest.command import add_suggest_arguments, run_suggest

GOLD = Path(__file__).parent / "gold"
GOLD_FILES = sorted(GOLD.glob("dev/*.json")) + sorted(GOLD.glob("heldout/*.json"))


def test_gold_set_has_both_halves():
    assert len(list(GOLD.glob("dev/*.json"))) >= 30


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_file_is_valid(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["source"] == path.stem
    assert doc["title"] and doc["text"]
    text = doc["text"]
    assert any(a["label"] == QUOTE for a in doc["annotations"])
    for a in doc["annotations"]:
        assert a["label"] in (QUOTE, CLAIM)
        assert 0 <= a["start"] < a["end"] <= len(text)
        assert text[a["start"]:a["end"]] == a["text"]
        assert a["text"] == a["text"].strip()
        if a["label"] == QUOTE:
            speaker = a["attrs"]["speaker"]
            assert speaker["name"]
            if "start" in speaker:
                assert text[speaker["start"]:speaker["end"]] == speaker["text"]
                assert _is_whole_words_outside_quotes(text, speaker["start"], speaker["end"], doc["annotations"])


def _is_whole_words_outside_quotes(text, start, end, annotations):
    """A speaker mention is words of the attribution: not a piece of a longer word ("he" in "the") nor inside a quote.

    A name glued to its cue verb ("Karimovsaid") is a construction the gold set holds on purpose.
    """
    cut_before = start > 0 and text[start - 1].isalnum()
    cut_after = end < len(text) and text[end].isalnum() and not text[end:].startswith(("said", "says"))
    in_quote = any(q["label"] == QUOTE and q["start"] <= start and end <= q["end"] for q in annotations)
    return not (cut_before or cut_after or in_quote)


def suggestion(label, start, end, name=None, confidence=0.9):
    speaker = {"text": name, "start": 0, "end": 0, "name": name} if name else None
    return Suggestion(label, start, end, "", speaker, None, None, confidence, (), "suggest:test")


def test_overlap_measures():
    assert overlap((0, 10), (0, 10)) == 1.0
    assert overlap((0, 10), (10, 20)) == 0.0
    assert overlap((0, 10), (1, 10)) == pytest.approx(0.9)


def test_names_compare_without_case_or_a_leading_the():
    assert same_name("the Environment Agency", "The environment  agency")
    assert not same_name("Asif", "Khawaja Asif")
    assert not same_name(None, "Khawaja Asif")


def test_matching_is_one_to_one():
    tally = match([(0, 10), (0, 10)], [(0, 10)], lambda p, g: p == g)
    assert (tally.matched_predicted, tally.predicted, tally.gold) == (1, 2, 1)
    assert tally.precision == 0.5 and tally.recall == 1.0


def test_score_article_counts_every_measure(tmp_path):
    from annotations.evaluate import GoldArticle

    text = "x" * 200
    gold = GoldArticle("dev-x", "t", text, [
        {"label": QUOTE, "start": 10, "end": 50, "text": text[10:50], "attrs": {"speaker": {"name": "Ana Bell"}}},
        {"label": QUOTE, "start": 60, "end": 100, "text": text[60:100], "attrs": {"speaker": {"name": "Ana Bell"}}},
        {"label": CLAIM, "start": 120, "end": 180, "text": text[120:180], "attrs": {}},
    ])
    found = [
        suggestion(QUOTE, 10, 50, "Ana Bell"),
        suggestion(QUOTE, 61, 100, "Someone Else"),
        suggestion(QUOTE, 150, 160, "Ana Bell", confidence=0.2),  # under the threshold: not counted
        suggestion(CLAIM, 110, 170),
    ]
    tallies = score_article(gold, found, 0.5)
    exact, lenient, speaker, claims, claims_exact, claimant = tallies.values()
    assert (exact.matched_gold, exact.predicted) == (1, 2)
    assert (lenient.matched_gold, lenient.predicted) == (2, 2)
    assert (speaker.matched_gold, speaker.predicted) == (1, 2)
    # 110..170 against 120..180: IoU 50/70, a match; not the same offsets
    assert (claims.matched_gold, claims.predicted, claims.gold) == (1, 1, 1)
    assert (claims_exact.matched_gold, claims_exact.predicted) == (0, 1)
    assert (claimant.matched_predicted, claimant.predicted) == (1, 1)  # no claimant on either side
    assert isinstance(exact, Tally)


def test_run_suggest_json_lines(tmp_path):
    article = tmp_path / "bridge.txt"
    article.write_text(
        "Bridge to reopen\n\n“The repairs are finished at last,” engineer Wanda Pryce said on Monday.\n",
        encoding="utf-8",
    )
    args = add_suggest_arguments(argparse.ArgumentParser()).parse_args([str(tmp_path), "--json"])
    out, err = io.StringIO(), io.StringIO()
    assert run_suggest(args, out, err) == 0
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    quote = next(r for r in rows if r["label"] == QUOTE)
    assert quote["source"] == str(article)
    assert quote["text"] == "The repairs are finished at last,"
    assert quote["speaker"]["name"] == "Wanda Pryce"
    assert err.getvalue() == ""


def test_run_suggest_table_and_all(tmp_path):
    article = tmp_path / "note.txt"
    article.write_text("Will the market open again next spring?\n", encoding="utf-8")
    parser = add_suggest_arguments(argparse.ArgumentParser())
    out = io.StringIO()
    assert run_suggest(parser.parse_args([str(article)]), out, io.StringIO()) == 0
    assert out.getvalue().startswith(f"{article}: 0 suggestions")
    out = io.StringIO()
    assert run_suggest(parser.parse_args([str(article), "--all"]), out, io.StringIO()) == 0
    assert "CLAIM" in out.getvalue()


def test_run_suggest_bad_input_is_one_line_and_exit_2(tmp_path):
    parser = add_suggest_arguments(argparse.ArgumentParser())
    err = io.StringIO()
    assert run_suggest(parser.parse_args([str(tmp_path / "missing.txt")]), io.StringIO(), err) == 2
    assert err.getvalue().count("\n") == 1 and "no such file" in err.getvalue()
    (tmp_path / "a.txt").write_text("Some text here.", encoding="utf-8")
    err = io.StringIO()
    args = parser.parse_args([str(tmp_path / "a.txt"), "--model", "no_such_model_xx"])
    assert run_suggest(args, io.StringIO(), err) == 2
    assert err.getvalue().count("\n") == 1 and "not installed" in err.getvalue()


def test_run_eval_prints_the_tables(tmp_path):
    for path in GOLD_FILES[:2]:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    args = add_eval_arguments(argparse.ArgumentParser()).parse_args([str(tmp_path)])
    out = io.StringIO()
    assert run_eval(args, out, io.StringIO()) == 0
    report = out.getvalue()
    assert "quote + speaker" in report and "claims" in report and "plain rules" in report


def test_run_eval_missing_folder(tmp_path):
    args = add_eval_arguments(argparse.ArgumentParser()).parse_args([str(tmp_path / "nope")])
    err = io.StringIO()
    assert run_eval(args, io.StringIO(), err) == 2
    assert "no such folder" in err.getvalue()


def test_load_gold_reads_every_file():
    articles = load_gold(GOLD)
    assert len(articles) == len(GOLD_FILES)
    assert {a.split for a in articles} <= {"dev", "held-out"}


def test_a_json_file_that_is_not_gold_is_named_with_the_field_it_lacks(tmp_path: Path) -> None:
    from annotations.evaluate import GoldError

    (tmp_path / "notes.json").write_text(json.dumps({"title": "x", "text": "y"}), encoding="utf-8")
    with pytest.raises(GoldError) as raised:
        load_gold(tmp_path)
    message = str(raised.value)
    assert "notes.json: not a gold file" in message and "no 'source' field" in message
    assert "KeyError" not in message and "\n" not in message
