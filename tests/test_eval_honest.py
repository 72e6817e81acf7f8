"""annotty eval can fail: n/a for empty denominators, a frozen held-out half, a quality floor over a baseline."""

import argparse
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from annotations import evaluate as ev
from annotations.baselines import plain_rules
from annotations.eval_command import add_eval_arguments, run_eval
from annotations.model import CLAIM, QUOTE
from annotations.nlp import load_pipeline
from annotations.suggest import Suggestion

GOLD = Path(__file__).parent / "gold"
#: annotty's quote + speaker F1 on dev must lead the plain rule set's by at least this much.
FLOOR_MARGIN = 0.10


def _args(*argv: str) -> argparse.Namespace:
    return add_eval_arguments(argparse.ArgumentParser()).parse_args(list(argv))


def test_an_empty_denominator_is_na_not_one():
    nothing = ev.Tally(0, 0, 0, 5)
    assert nothing.precision is None and nothing.recall == 0.0 and nothing.f1 is None
    report = ev.Report()
    report.tally("dev", ev.QUOTE_EXACT).add(nothing)
    line = next(line for line in ev.format_report(report).splitlines() if ev.QUOTE_EXACT in line)
    assert "n/a" in line and "1.000" not in line


def test_claims_match_by_intersection_over_union_not_by_the_shorter_span():
    text = "x" * 300
    gold = ev.GoldArticle("g", "t", text, [{"label": CLAIM, "start": 0, "end": 100, "text": text[:100], "attrs": {}}])
    inside = Suggestion(CLAIM, 0, 300, text, None, None, None, 0.9, (), "suggest:test")  # covers it, IoU 1/3
    assert ev.score_article(gold, [inside], 0.5)[ev.CLAIM_IOU].matched_gold == 0


def test_claimant_accuracy_counts_the_right_name_among_matched_claims():
    text = "y" * 100
    gold = ev.GoldArticle("g", "t", text, [
        {"label": CLAIM, "start": 0, "end": 40, "text": text[:40], "attrs": {"claimant": {"name": "Ada Kerr"}}},
        {"label": CLAIM, "start": 50, "end": 90, "text": text[50:90], "attrs": {"claimant": {"name": "Ada Kerr"}}},
    ])
    found = [
        Suggestion(CLAIM, 0, 40, "", {"text": "she", "name": "Ada Kerr"}, None, None, 0.9, (), "suggest:test"),
        Suggestion(CLAIM, 50, 90, "", None, None, None, 0.9, (), "suggest:test"),
    ]
    claimant = ev.score_article(gold, found, 0.5)[ev.CLAIMANT]
    assert (claimant.matched_predicted, claimant.predicted) == (1, 2)


def _tiny_gold(tmp_path: Path) -> Path:
    """Two dev files of the gold set, one of them playing the held-out half, with its hash recorded.

    Both come from dev/ so that these tests do not depend on which held-out set is frozen now.
    """
    folder = tmp_path / "gold"
    (folder / "dev").mkdir(parents=True)
    (folder / "heldout").mkdir()
    dev, held = sorted((GOLD / "dev").glob("*.json"))[:2]
    shutil.copy(dev, folder / "dev" / dev.name)
    shutil.copy(held, folder / "heldout" / held.name)
    digest = hashlib.sha256((folder / "heldout" / held.name).read_bytes()).hexdigest()
    (folder / "heldout" / "SHA256SUMS").write_text(f"{digest}  {held.name}\n", encoding="utf-8")
    return folder


def test_the_frozen_held_out_set_matches_its_hashes():
    assert ev.heldout_problem(GOLD) is None
    assert len(list((GOLD / "heldout").glob("*.json"))) >= 20


def test_the_real_frozen_set_notices_a_change_a_loss_and_an_addition(tmp_path):
    """The hashes in heldout/SHA256SUMS cover the files actually there, one by one (no figures computed)."""
    folder = tmp_path / "gold"
    shutil.copytree(GOLD / "heldout", folder / "heldout")
    first, second = sorted((folder / "heldout").glob("*.json"))[:2]
    first.write_bytes(first.read_bytes().replace(b'"text"', b'"text" ', 1))
    assert first.name in ev.heldout_problem(folder) and "changed" in ev.heldout_problem(folder)
    shutil.copy(GOLD / "heldout" / first.name, first)
    assert ev.heldout_problem(folder) is None
    second.unlink()
    assert second.name in ev.heldout_problem(folder) and "missing" in ev.heldout_problem(folder)
    shutil.copy(GOLD / "heldout" / second.name, second)
    shutil.copy(second, folder / "heldout" / "held-late.json")
    assert "held-late.json" in ev.heldout_problem(folder) and "not in SHA256SUMS" in ev.heldout_problem(folder)


def test_held_out_figures_come_after_dev(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert run_eval(_args(str(_tiny_gold(tmp_path))), out, err) == 0, err.getvalue()
    report = out.getvalue()
    assert "\ndev " in report and "\nheld-out " in report
    assert report.index("\ndev ") < report.index("\nheld-out ")
    assert "plain rules" in report and ("textacy" in report)  # the baselines in the same run


def test_a_changed_held_out_file_withholds_its_figures(tmp_path):
    folder = _tiny_gold(tmp_path)
    held = next((folder / "heldout").glob("*.json"))
    doc = json.loads(held.read_text(encoding="utf-8"))
    doc["annotations"] = doc["annotations"][:-1]  # someone "fixed" the gold after seeing an error
    held.write_text(json.dumps(doc), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_eval(_args(str(folder)), out, err) == 1
    assert "\ndev " in out.getvalue() and "held-out " not in out.getvalue()
    assert err.getvalue().count("\n") == 1
    assert "held-out figures withheld" in err.getvalue() and held.name in err.getvalue()


def test_a_held_out_file_missing_since_the_freeze_withholds_the_figures(tmp_path):
    folder = _tiny_gold(tmp_path)
    held = next((folder / "heldout").glob("*.json"))
    held.unlink()
    out, err = io.StringIO(), io.StringIO()
    assert run_eval(_args(str(folder)), out, err) == 1
    assert "held-out " not in out.getvalue()
    assert "held-out figures withheld" in err.getvalue() and "missing" in err.getvalue() and held.name in err.getvalue()


def test_a_held_out_file_added_after_the_freeze_withholds_the_figures(tmp_path):
    folder = _tiny_gold(tmp_path)
    extra = next((folder / "heldout").glob("*.json"))
    shutil.copy(extra, folder / "heldout" / "held-late.json")
    assert "not in SHA256SUMS" in ev.heldout_problem(folder)


@pytest.fixture(scope="module")
def dev_reports():
    articles = [a for a in ev.load_gold(GOLD) if a.split == "dev"]
    systems = {"annotty": ev.annotty_system, "plain rules": plain_rules, "nothing": lambda doc: []}
    return ev.evaluate(articles, load_pipeline(), 0.5, systems)


def test_annotty_beats_the_plain_rule_set_on_dev(dev_reports):
    gap = ev.quality_gap(dev_reports, "annotty", "plain rules")
    assert gap >= FLOOR_MARGIN, f"annotty's quote + speaker F1 leads the plain rules by only {gap:.3f}"


def test_a_suggester_that_finds_nothing_fails_the_floor(dev_reports):
    assert ev.quality_gap(dev_reports, "nothing", "plain rules") < FLOOR_MARGIN
    assert dev_reports["nothing"].tally("dev", ev.QUOTE_SPEAKER).precision is None
