"""Agreement between annotators: span F1 (exact and overlapping), Cohen's kappa and Krippendorff's
alpha on token labels, and whether matched quotes name the same speaker.

Only articles that both annotators of a pair have worked on (at least one annotation
each) count for that pair; alpha counts every article at least two annotators worked on,
with the others' values missing. Tokens are words and punctuation marks (a regex, so the
figures never depend on which spaCy model is installed). A token's value for one label is
"in a span of it or not"; for all labels together it is the set of labels covering it.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..model import NOT_ENTITY, Annotation

_TOKEN = re.compile(r"\w+|[^\w\s]")

#: The label of "all labels together" in the results.
ALL = "(all)"


def tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text)]


def token_values(spans: Iterable[Annotation], toks: Sequence[tuple[int, int]], label: str) -> list[str]:
    """Each token's value: for one label "yes"/"no", for :data:`ALL` the labels covering it joined by "+"."""
    covering: list[set[str]] = [set() for _ in toks]
    starts = [s for s, _ in toks]
    import bisect

    for ann in spans:
        if label != ALL and ann.label != label:
            continue
        first = bisect.bisect_left(starts, ann.start)
        if first > 0 and toks[first - 1][1] > ann.start:
            first -= 1  # a token the span starts inside
        for i in range(first, len(toks)):
            if toks[i][0] >= ann.end:
                break
            covering[i].add(ann.label)
    if label == ALL:
        return ["+".join(sorted(c)) or "O" for c in covering]
    return ["yes" if c else "no" for c in covering]


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two equally long label sequences; None when it is undefined (no variation)."""
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[v] * count_b[v] for v in count_a) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Iterable[Sequence[str | None]]) -> float | None:
    """Nominal alpha over units (each the values given by every annotator, None where missing)."""
    coincidences: Counter = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue  # a unit only one annotator coded tells nothing about agreement
        for i, j in itertools.permutations(range(m), 2):
            coincidences[(values[i], values[j])] += 1 / (m - 1)
    n = sum(coincidences.values())
    if n <= 1:
        return None
    marginals: Counter = Counter()
    for (c, _), weight in coincidences.items():
        marginals[c] += weight
    disagreement_observed = sum(w for (c, k), w in coincidences.items() if c != k) / n
    disagreement_expected = sum(marginals[c] * marginals[k] for c in marginals for k in marginals if c != k) / (n * (n - 1))
    if disagreement_expected == 0:
        return None
    return 1 - disagreement_observed / disagreement_expected


def overlap_matches(a: Sequence[Annotation], b: Sequence[Annotation]) -> list[tuple[Annotation, Annotation]]:
    """One-to-one pairs of overlapping spans, the largest overlaps first."""
    candidates = []
    for x in a:
        for y in b:
            overlap = min(x.end, y.end) - max(x.start, y.start)
            if overlap > 0:
                candidates.append((-overlap, x.start, y.start, id(x), id(y), x, y))
    used_a, used_b, pairs = set(), set(), []
    for *_, x, y in sorted(candidates, key=lambda c: c[:5]):
        if id(x) in used_a or id(y) in used_b:
            continue
        used_a.add(id(x))
        used_b.add(id(y))
        pairs.append((x, y))
    return pairs


def f1(matched: int, size_a: int, size_b: int) -> float | None:
    return None if size_a + size_b == 0 else 2 * matched / (size_a + size_b)


def speaker_key(ann: Annotation) -> str:
    speaker = ann.attrs.get("speaker")
    if not isinstance(speaker, dict):
        return ""
    return " ".join(str(speaker.get("name") or speaker.get("text") or "").casefold().split())


@dataclass
class PairFigures:
    """What one pair of annotators agree on, for one label (or all) and a set of articles."""

    a: str
    b: str
    label: str
    articles: int = 0
    spans_a: int = 0
    spans_b: int = 0
    exact: int = 0
    overlapping: int = 0
    tokens_a: list[str] = field(default_factory=list, repr=False)
    tokens_b: list[str] = field(default_factory=list, repr=False)
    quotes_matched: int = 0
    same_speaker: int = 0

    @property
    def exact_f1(self) -> float | None:
        return f1(self.exact, self.spans_a, self.spans_b)

    @property
    def overlap_f1(self) -> float | None:
        return f1(self.overlapping, self.spans_a, self.spans_b)

    @property
    def kappa(self) -> float | None:
        return cohen_kappa(self.tokens_a, self.tokens_b)

    @property
    def speaker_agreement(self) -> float | None:
        return None if self.quotes_matched == 0 else self.same_speaker / self.quotes_matched

    def to_json(self) -> dict:
        return {
            "annotators": [self.a, self.b], "label": self.label, "articles": self.articles,
            "spans": [self.spans_a, self.spans_b], "exact_f1": self.exact_f1, "overlap_f1": self.overlap_f1,
            "kappa": self.kappa, "quotes_matched": self.quotes_matched, "same_speaker": self.speaker_agreement,
        }


@dataclass
class Agreement:
    pairs: list[PairFigures]
    alpha: dict[str, float | None]  # per label (and ALL), across every annotator
    annotators: list[str]
    articles: int  # articles at least two of the annotators worked on

    def to_json(self) -> dict:
        return {"annotators": self.annotators, "articles": self.articles,
                "pairs": [p.to_json() for p in self.pairs], "alpha": self.alpha}


@dataclass(frozen=True)
class ArticleAnnotations:
    article_id: str
    text: str
    by_annotator: dict[str, list[Annotation]]


def agreement(
    articles: Iterable[ArticleAnnotations], *, labels: Sequence[str] = (), annotators: Sequence[str] = (),
) -> Agreement:
    """Agreement figures over *articles*, for *labels* (default: every label found) and *annotators*
    (default: every annotator found)."""
    articles = list(articles)
    found_labels = sorted({a.label for art in articles for anns in art.by_annotator.values() for a in anns})
    labels = list(labels) or found_labels
    coders = list(annotators) or sorted({who for art in articles for who in art.by_annotator})
    pairs = {(a, b, label): PairFigures(a, b, label)
             for a, b in itertools.combinations(coders, 2) for label in [*labels, ALL]}
    units: dict[str, list[list[str | None]]] = {label: [] for label in [*labels, ALL]}
    shared_articles = 0
    for art in articles:
        present = [c for c in coders if art.by_annotator.get(c)]
        if len(present) < 2:
            continue
        shared_articles += 1
        toks = tokens(art.text)
        values = {c: {label: token_values(art.by_annotator[c], toks, label) for label in [*labels, ALL]}
                  for c in present}
        for label in [*labels, ALL]:
            for i in range(len(toks)):
                units[label].append([values[c][label][i] if c in values else None for c in coders])
        for a, b in itertools.combinations(coders, 2):
            if a not in values or b not in values:
                continue
            for label in [*labels, ALL]:
                fig = pairs[(a, b, label)]
                spans_a = [x for x in art.by_annotator[a] if label in (ALL, x.label) and x.label in labels]
                spans_b = [x for x in art.by_annotator[b] if label in (ALL, x.label) and x.label in labels]
                fig.articles += 1
                fig.spans_a += len(spans_a)
                fig.spans_b += len(spans_b)
                exact_a = Counter((x.start, x.end, x.label) for x in spans_a)
                exact_b = Counter((x.start, x.end, x.label) for x in spans_b)
                fig.exact += sum((exact_a & exact_b).values())
                matched = [(x, y) for x, y in overlap_matches(spans_a, spans_b) if x.label == y.label]
                fig.overlapping += len(matched)
                fig.tokens_a += values[a][label]
                fig.tokens_b += values[b][label]
                quotes = [(x, y) for x, y in matched if x.label == "QUOTE"]
                fig.quotes_matched += len(quotes)
                fig.same_speaker += sum(speaker_key(x) == speaker_key(y) for x, y in quotes)
    alpha = {label: krippendorff_alpha(rows) for label, rows in units.items()}
    return Agreement(list(pairs.values()), alpha, coders, shared_articles)


def group_by_article(annotations: Iterable[Annotation], texts: dict[str, str]) -> list[ArticleAnnotations]:
    """Annotations (entity corrections left out) grouped per article and annotator, in *texts*' order."""
    grouped: dict[str, dict[str, list[Annotation]]] = {}
    for ann in annotations:
        if ann.is_entity or ann.label == NOT_ENTITY or ann.article_id not in texts:
            continue
        grouped.setdefault(ann.article_id, {}).setdefault(ann.annotator, []).append(ann)
    return [ArticleAnnotations(aid, texts[aid], grouped[aid]) for aid in texts if aid in grouped]
