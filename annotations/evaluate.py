"""Measuring the suggestions, and the baselines beside them, against the hand-annotated gold set.

The gold folder holds ``GUIDELINE.md`` (how every file is annotated), ``dev/``
(articles the rules may be written and tuned on) and ``heldout/`` (articles
written and annotated before any tuning, never tuned on, frozen by the sha256
of each file in ``heldout/SHA256SUMS``). Held-out figures are reported only
while every hash matches, and always after the dev figures. JSON files at the
top of the folder count as dev, so any folder of gold files can be measured.

Matching (each gold span is matched at most once, greedily in text order):

* quote spans, exact: same start and end;
* quote spans, overlap: intersection over union of at least 0.9;
* quote + speaker: an overlap match whose resolved speaker name equals the gold
  name (case-insensitive, a leading "the" ignored);
* claims: intersection over union of at least 0.5, and exact;
* claimant: of the claims matched by overlap, the share whose claimant is the
  gold one (no claimant on both sides counts as the same).

A precision with nothing predicted, or a recall with nothing to find, is
``None`` and printed ``n/a``: an empty suggester never scores 1.0.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .model import CLAIM, QUOTE

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

    from .suggest import Suggestion

    System = Callable[..., list[Suggestion]]

LENIENT_OVERLAP = 0.9
CLAIM_OVERLAP = 0.5
SPLITS = ("dev", "held-out")
QUOTE_EXACT, QUOTE_OVERLAP, QUOTE_SPEAKER = "quote spans (exact)", "quote spans (IoU>=0.9)", "quote + speaker"
CLAIM_IOU, CLAIM_EXACT, CLAIMANT = "claims (IoU>=0.5)", "claims (exact)", "claimant accuracy (right/matched)"
MEASURES = (QUOTE_EXACT, QUOTE_OVERLAP, QUOTE_SPEAKER, CLAIM_IOU, CLAIM_EXACT, CLAIMANT)
HELDOUT_DIR, DEV_DIR, HASH_FILE = "heldout", "dev", "SHA256SUMS"


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
    """Matches counted from both sides. For the claimant, *predicted* and *gold* are the matched claims."""

    matched_predicted: int = 0
    predicted: int = 0
    matched_gold: int = 0
    gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched_predicted / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.matched_gold / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Tally") -> None:
        self.matched_predicted += other.matched_predicted
        self.predicted += other.predicted
        self.matched_gold += other.matched_gold
        self.gold += other.gold


@dataclass
class Report:
    #: split ("dev", "held-out") -> measure -> tally
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
    paths = sorted(folder.glob("*.json")) + sorted((folder / DEV_DIR).glob("*.json"))
    paths += sorted((folder / HELDOUT_DIR).glob("*.json"))
    if not paths:
        raise GoldError(f"{directory}: no gold files (*.json) in this folder")
    out = []
    for path in paths:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            split = "held-out" if path.parent.name == HELDOUT_DIR else "dev"
            out.append(GoldArticle(doc["source"], doc["title"], doc["text"], list(doc["annotations"]), split))
        except KeyError as exc:
            raise GoldError(f"{path}: not a gold file (it has no {exc} field; a gold file holds source, title, "
                            "text and annotations)") from None
        except (OSError, ValueError, TypeError) as exc:
            raise GoldError(f"{path}: not a gold file ({exc.__class__.__name__}: {exc})") from None
    return out


def heldout_problem(directory: str | Path) -> str | None:
    """Why the held-out figures of *directory* cannot be trusted, or None when every file is as frozen."""
    folder = Path(directory) / HELDOUT_DIR
    if not folder.is_dir():
        return None
    try:
        lines = (folder / HASH_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return f"{folder}: no {HASH_FILE}, so the held-out set cannot be checked"
    frozen = {}
    for line in lines:
        digest, _, name = line.strip().partition("  ")
        if digest:
            frozen[name] = digest
    present = {p.name for p in folder.glob("*.json")}
    for name in sorted(present | set(frozen)):
        if name not in present:
            return f"{folder / name}: frozen in {HASH_FILE} but missing"
        if name not in frozen:
            return f"{folder / name}: not in {HASH_FILE} (the held-out set is frozen)"
        if hashlib.sha256((folder / name).read_bytes()).hexdigest() != frozen[name]:
            return f"{folder / name}: changed since the held-out set was frozen (sha256 differs from {HASH_FILE})"
    return None


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two spans."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    if shared <= 0:
        return 0.0
    return shared / (max(a[1], b[1]) - min(a[0], b[0]))


def same_name(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and _normal_name(a) == _normal_name(b)


def _normal_name(name: str) -> str:
    words = name.casefold().replace("’", "'").split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def pairs(predicted: list, gold: list, fits: Callable[[object, object], bool]) -> list[tuple[object, object]]:
    """One-to-one greedy matching in text order."""
    used: set[int] = set()
    out = []
    for p in predicted:
        for i, g in enumerate(gold):
            if i not in used and fits(p, g):
                used.add(i)
                out.append((p, g))
                break
    return out


def match(predicted: list, gold: list, fits: Callable[[object, object], bool]) -> Tally:
    hits = len(pairs(predicted, gold, fits))
    return Tally(matched_predicted=hits, predicted=len(predicted), matched_gold=hits, gold=len(gold))


def _span(x) -> tuple[int, int]:
    return (x.start, x.end) if hasattr(x, "start") else (x["start"], x["end"])


def _gold_name(g: dict, role: str) -> str | None:
    person = (g.get("attrs") or {}).get(role) or {}
    return person.get("name") or person.get("text")


def _predicted_name(p) -> str | None:
    return (p.speaker or {}).get("name") or (p.speaker or {}).get("text")


def score_article(gold: GoldArticle, suggestions: Iterable["Suggestion"], threshold: float) -> dict[str, Tally]:
    kept = [s for s in suggestions if s.confidence >= threshold]
    quotes = [s for s in kept if s.label == QUOTE]
    claims = [s for s in kept if s.label == CLAIM]
    gold_quotes = [a for a in gold.annotations if a["label"] == QUOTE]
    gold_claims = [a for a in gold.annotations if a["label"] == CLAIM]

    def with_speaker(p, g) -> bool:
        return overlap(_span(p), _span(g)) >= LENIENT_OVERLAP and same_name(_predicted_name(p), _gold_name(g, "speaker"))

    def claim_fits(p, g) -> bool:
        return overlap(_span(p), _span(g)) >= CLAIM_OVERLAP

    matched_claims = pairs(claims, gold_claims, claim_fits)
    right_claimant = sum(
        1 for p, g in matched_claims
        if (_gold_name(g, "claimant") is None and _predicted_name(p) is None)
        or same_name(_predicted_name(p), _gold_name(g, "claimant"))
    )
    return {
        QUOTE_EXACT: match(quotes, gold_quotes, lambda p, g: _span(p) == _span(g)),
        QUOTE_OVERLAP: match(quotes, gold_quotes, lambda p, g: overlap(_span(p), _span(g)) >= LENIENT_OVERLAP),
        QUOTE_SPEAKER: match(quotes, gold_quotes, with_speaker),
        CLAIM_IOU: Tally(len(matched_claims), len(claims), len(matched_claims), len(gold_claims)),
        CLAIM_EXACT: match(claims, gold_claims, lambda p, g: _span(p) == _span(g)),
        CLAIMANT: Tally(right_claimant, len(matched_claims), right_claimant, len(matched_claims)),
    }


def annotty_system(doc) -> list["Suggestion"]:
    from .suggest import suggest

    return suggest(doc)


def evaluate(
    articles: list[GoldArticle], nlp: "Language", threshold: float, systems: dict[str, "System"] | None = None
) -> dict[str, Report]:
    """A report per system (default: annotty alone), every system reading the same parse of each article.

    Baselines are scored at their own confidence (1.0), so the threshold only ever filters annotty.
    """
    from .baselines import Refused
    from .nlp import parse

    systems = systems or {"annotty": annotty_system}
    reports = {name: Report() for name in systems}
    for article in articles:
        doc = parse(nlp, article.text)
        for name, system in systems.items():
            try:
                found = system(doc)
            except Refused:
                found = []
            for measure, tally in score_article(article, found, threshold).items():
                reports[name].tally(article.split, measure).add(tally)
    return reports


def _figure(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.3f}"


def format_report(
    reports: dict[str, Report] | Report, splits: Iterable[str] = SPLITS, quotes_only: Iterable[str] = ()
) -> str:
    """One table per split, each measure with every system beside the others; the systems named in
    *quotes_only* suggest no claims, so they get no claim rows."""
    if isinstance(reports, Report):
        reports = {"annotty": reports}
    quotes_only = set(quotes_only)
    width = max(len(name) for name in reports)
    lines = []
    for split in splits:
        if not any(split in r.tallies for r in reports.values()):
            continue
        lines.append(f"{split:<9} {'measure':<33} {'system':<{width}} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}")
        for measure in MEASURES:
            for name, report in reports.items():
                if name in quotes_only and measure in (CLAIM_IOU, CLAIM_EXACT, CLAIMANT):
                    continue
                t = report.tally(split, measure)
                if measure == CLAIMANT:  # an accuracy: right claimants of the matched claims
                    lines.append(f"{split:<9} {measure:<33} {name:<{width}} {_figure(t.precision)} {'':>6}"
                                 f" {'':>6} {t.matched_predicted:5d} {t.predicted:5d}")
                    continue
                lines.append(f"{split:<9} {measure:<33} {name:<{width}} {_figure(t.precision)} {_figure(t.recall)}"
                             f" {_figure(t.f1)} {t.predicted:5d} {t.gold:5d}")
        lines.append("")
    return "\n".join(lines).rstrip()


def quality_gap(reports: dict[str, Report], ours: str, baseline: str, split: str = "dev") -> float:
    """How far *ours* is ahead of *baseline* in quote + speaker F1 (an F1 that is n/a counts as 0)."""
    return (reports[ours].tally(split, QUOTE_SPEAKER).f1 or 0.0) - (reports[baseline].tally(split, QUOTE_SPEAKER).f1 or 0.0)
