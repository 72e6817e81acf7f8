"""Measuring the suggestions against the hand-annotated gold set.

The gold set is split by file name: ``dev-*`` articles are the ones the rules
were written and tuned on, ``held-*`` ones were annotated before any tuning and
are never tuned on, so their numbers say how the rules do on unseen text.

Matching:

* quote spans, exact: same start and end;
* quote spans, lenient: overlap (intersection over union) of at least 0.9;
* quote + speaker: a lenient span match whose resolved speaker name equals the
  gold name (case-insensitive, a leading "the" ignored);
* claims: the shared part covers at least half of the shorter span.

Each gold span is matched at most once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .model import CLAIM, QUOTE

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

    from .suggest import Suggestion

LENIENT_OVERLAP = 0.9
CLAIM_OVERLAP = 0.5
SPLITS = ("dev", "held-out")
MEASURES = ("quote spans (exact)", "quote spans (overlap>=0.9)", "quote + speaker", "claims")


class GoldError(Exception):
    """A gold file that cannot be used; the message is one line."""


@dataclass(frozen=True)
class GoldArticle:
    source: str
    title: str
    text: str
    annotations: list[dict]
    split: str = "dev"  # "dev" or "held-out": which folder of the gold set the file is in


@dataclass
class Tally:
    matched_predicted: int = 0
    predicted: int = 0
    matched_gold: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched_predicted / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    def add(self, other: "Tally") -> None:
        self.matched_predicted += other.matched_predicted
        self.predicted += other.predicted
        self.matched_gold += other.matched_gold
        self.gold += other.gold


@dataclass
class Report:
    #: split ("dev", "held-out", "all") -> measure -> tally
    tallies: dict[str, dict[str, Tally]] = field(default_factory=dict)

    def tally(self, split: str, measure: str) -> Tally:
        return self.tallies.setdefault(split, {}).setdefault(measure, Tally())


def checkout_gold_dir() -> Path | None:
    """tests/gold of the source checkout this package is run from; an installed copy has none."""
    root = Path(__file__).resolve().parent.parent
    gold = root / "tests" / "gold"
    # pyproject.toml marks a checkout: a site-packages folder may hold some other project's tests/.
    return gold if (root / "pyproject.toml").is_file() and gold.is_dir() else None


def load_gold(directory: str | Path) -> list[GoldArticle]:
    folder = Path(directory)
    if not folder.is_dir():
        raise GoldError(f"{directory}: no such folder")
    # dev/ and heldout/ hold the two halves; files at the top are dev (a gold folder of one's own).
    paths = sorted(folder.glob("*.json")) + sorted(folder.glob("dev/*.json")) + sorted(folder.glob("heldout/*.json"))
    if not paths:
        raise GoldError(f"{directory}: no gold files (*.json) in this folder")
    out = []
    for path in paths:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            split = "held-out" if path.parent.name == "heldout" else "dev"
            out.append(GoldArticle(doc["source"], doc["title"], doc["text"], list(doc["annotations"]), split))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise GoldError(f"{path}: not a gold file ({exc.__class__.__name__}: {exc})") from None
    return out


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two spans."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    if shared <= 0:
        return 0.0
    return shared / (max(a[1], b[1]) - min(a[0], b[0]))


def covers_shorter(a: tuple[int, int], b: tuple[int, int]) -> float:
    """How much of the shorter span the two share."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shortest = min(a[1] - a[0], b[1] - b[0])
    return shared / shortest if shared > 0 and shortest > 0 else 0.0


def same_name(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and _normal_name(a) == _normal_name(b)


def _normal_name(name: str) -> str:
    words = name.casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def match(predicted: list, gold: list, fits: Callable[[object, object], bool]) -> Tally:
    """One-to-one greedy matching in text order."""
    used: set[int] = set()
    hits = 0
    for p in predicted:
        for i, g in enumerate(gold):
            if i not in used and fits(p, g):
                used.add(i)
                hits += 1
                break
    return Tally(matched_predicted=hits, predicted=len(predicted), matched_gold=hits, gold=len(gold))


def score_article(gold: GoldArticle, suggestions: Iterable["Suggestion"], threshold: float) -> dict[str, Tally]:
    kept = [s for s in suggestions if s.confidence >= threshold]
    quotes = [s for s in kept if s.label == QUOTE]
    claims = [s for s in kept if s.label == CLAIM]
    gold_quotes = [a for a in gold.annotations if a["label"] == QUOTE]
    gold_claims = [a for a in gold.annotations if a["label"] == CLAIM]

    def span(x) -> tuple[int, int]:
        return (x.start, x.end) if hasattr(x, "start") else (x["start"], x["end"])

    def with_speaker(p, g) -> bool:
        name = p.speaker.get("name") if p.speaker else None
        gold_name = g.get("attrs", {}).get("speaker", {}).get("name")
        return overlap(span(p), span(g)) >= LENIENT_OVERLAP and same_name(name, gold_name)

    return {
        MEASURES[0]: match(quotes, gold_quotes, lambda p, g: span(p) == span(g)),
        MEASURES[1]: match(quotes, gold_quotes, lambda p, g: overlap(span(p), span(g)) >= LENIENT_OVERLAP),
        MEASURES[2]: match(quotes, gold_quotes, with_speaker),
        MEASURES[3]: match(claims, gold_claims, lambda p, g: covers_shorter(span(p), span(g)) >= CLAIM_OVERLAP),
    }


def evaluate(articles: list[GoldArticle], nlp: "Language", threshold: float) -> Report:
    from .nlp import parse
    from .suggest import suggest

    report = Report()
    for article in articles:
        found = suggest(parse(nlp, article.text))
        for measure, tally in score_article(article, found, threshold).items():
            report.tally(article.split, measure).add(tally)
            report.tally("all", measure).add(tally)
    return report


def format_report(report: Report) -> str:
    lines = [f"{'split':<9} {'measure':<27} {'P':>6} {'R':>6} {'pred':>5} {'gold':>5}"]
    for split in (*SPLITS, "all"):
        for measure in MEASURES:
            t = report.tallies.get(split, {}).get(measure)
            if t is None:
                continue
            lines.append(f"{split:<9} {measure:<27} {t.precision:6.3f} {t.recall:6.3f} {t.predicted:5d} {t.gold:5d}")
    return "\n".join(lines)
