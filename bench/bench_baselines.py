"""Quote suggestions against the two baselines the quality target is set by: a plain rule set and textacy.

The product's bar for unseen news text is what a plain rule set and textacy
already reach; the suggester has to beat both. All three systems read the same
spaCy doc of each gold article and are scored by annotations.evaluate's own
matching, so their numbers differ only by what they find:

* plain rules: every pair of quotation marks (annotations.quotations) holding at
  least three words; the speaker is the PERSON entity nearest the quote in its
  sentence or the sentence after (names inside the quoted words do not count),
  else the last PERSON before the quote; the name is the entity's text as written.
* textacy: ``textacy.extract.triples.direct_quotations``; its content span
  includes the quotation marks, which are stripped so exact spans compare; the
  name is the text from the first speaker token to the last, pronouns and role
  nouns left unresolved as textacy leaves them. textacy refuses a whole article
  whose count of quotation marks is odd; such an article counts as nothing found.
* annotty: ``annotations.suggest.suggest`` at DEFAULT_THRESHOLD, as bench_quality runs it.

textacy is a bench-only dependency (the ``bench`` extra); without it that
baseline is skipped with a one-line note.

Run: python bench/bench_baselines.py [GOLD_DIR]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

# Runnable as a plain script from anywhere in the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.evaluate import MEASURES, SPLITS, Report, load_gold, score_article  # noqa: E402
from annotations.model import QUOTE  # noqa: E402
from annotations.nlp import load_pipeline, parse  # noqa: E402
from annotations.quotations import quotations  # noqa: E402
from annotations.segments import paragraphs, words  # noqa: E402
from annotations.suggest import DEFAULT_THRESHOLD, Suggestion, suggest  # noqa: E402
from bench.report import Figure, show  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "gold"
#: The measures that concern quotes; the baselines suggest no claims.
QUOTE_MEASURES = MEASURES[:3]
PLAIN, TEXTACY, ANNOTTY = "plain rules", "textacy 0.13", "annotty"
#: Shorter quotations are scare quotes and titles, not things someone said.
MIN_QUOTE_WORDS = 3
#: Marks textacy keeps at the edges of a quotation's content.
_MARKS = "\"'“”‘’«»„‚‹›"

System = Callable[["Doc"], list[Suggestion]]


def _quote(doc: "Doc", start: int, end: int, speaker: dict | None, rule: str) -> Suggestion:
    """A baseline's quote in the suggester's own shape, so evaluate scores it the same way."""
    return Suggestion(QUOTE, start, end, doc.text[start:end], speaker, None, "direct", 1.0, (), rule)


def _speaker(text: str, start: int, end: int) -> dict:
    return {"text": text, "start": start, "end": end, "name": text}


def _sentences(doc: "Doc") -> list[tuple[int, int]]:
    """Sentence spans in characters, cut at paragraph breaks as the reader cuts them."""
    out = []
    for sentence in doc.sents:
        for p_start, p_end in paragraphs(sentence.text):
            out.append((sentence.start_char + p_start, sentence.start_char + p_end))
    return out


def _word_count(text: str) -> int:
    return sum(1 for at in words(text) if text[at].isalnum() or text[at] == "_")


def plain_rules(doc: "Doc") -> list[Suggestion]:
    text = doc.text
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    sentences = _sentences(doc)
    found = []
    for start, end in quotations(text):
        if _word_count(text[start:end]) < MIN_QUOTE_WORDS:
            continue
        person = _nearest_person(people, sentences, start, end) or _previous_person(people, start)
        speaker = _speaker(person.text, person.start_char, person.end_char) if person else None
        found.append(_quote(doc, start, end, speaker, "baseline:plain-rules"))
    return found


def _nearest_person(people: list["Span"], sentences: list[tuple[int, int]], start: int, end: int) -> "Span | None":
    """The PERSON nearest the quote, outside its marks, in the sentences it touches or the one after."""
    touched = [i for i, (s, e) in enumerate(sentences) if s < end + 1 and e > start - 1]
    if not touched:
        return None
    window = (sentences[touched[0]][0], sentences[min(touched[-1] + 1, len(sentences) - 1)][1])

    def distance(person: "Span") -> int:
        return start - person.end_char if person.end_char <= start else person.start_char - end

    # The marks sit one character outside the quote's span.
    around = [
        p for p in people
        if window[0] <= p.start_char and p.end_char <= window[1] and (p.end_char < start or p.start_char > end)
    ]
    return min(around, key=distance, default=None)


def _previous_person(people: list["Span"], start: int) -> "Span | None":
    before = [p for p in people if p.end_char <= start]
    return before[-1] if before else None


class Refused(Exception):
    """A system that gives up on a whole article; it is scored as finding nothing there."""


def textacy_quotes(doc: "Doc") -> list[Suggestion]:
    from textacy.extract.triples import direct_quotations

    found = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError as exc:
        # textacy gives up on the whole article when its count of quotation marks is odd
        # (a quote carried over a paragraph break, a stray mark).
        raise Refused(str(exc)) from None
    for triple in triples:
        start, end = triple.content.start_char, triple.content.end_char
        while start < end and (doc.text[start] in _MARKS or doc.text[start].isspace()):
            start += 1
        while end > start and (doc.text[end - 1] in _MARKS or doc.text[end - 1].isspace()):
            end -= 1
        speaker = None
        if triple.speaker:
            # The text from the first speaker token to the last keeps a hyphenated name whole.
            first, last = min(t.i for t in triple.speaker), max(t.i for t in triple.speaker)
            named = doc[first:last + 1]
            speaker = _speaker(named.text, named.start_char, named.end_char)
        found.append(_quote(doc, start, end, speaker, "baseline:textacy"))
    return found


def annotty(doc: "Doc") -> list[Suggestion]:
    return suggest(doc)


def _systems() -> dict[str, System]:
    systems: dict[str, System] = {PLAIN: plain_rules}
    try:
        import textacy.extract.triples  # noqa: F401
    except ImportError as exc:
        print(f"textacy is not usable ({exc}); install the bench extra: pip install -e '.[bench]'. Its baseline is skipped.")
    else:
        systems[TEXTACY] = textacy_quotes
    systems[ANNOTTY] = annotty
    return systems


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def format_table(reports: dict[str, Report]) -> str:
    lines = [f"{'split':<9} {'system':<13} {'measure':<27} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}"]
    for split in ("held-out", "dev", "all"):
        for system, report in reports.items():
            for measure in QUOTE_MEASURES:
                t = report.tally(split, measure)
                lines.append(
                    f"{split:<9} {system:<13} {measure:<27} {t.precision:6.3f} {t.recall:6.3f}"
                    f" {_f1(t.precision, t.recall):6.3f} {t.predicted:5d} {t.gold:5d}"
                )
        lines.append("")
    return "\n".join(lines).rstrip()


def figures(reports: dict[str, Report]) -> list[Figure]:
    """Each baseline's held-out precision and recall, and by how much annotty's F1 trails the better
    baseline (goal: at most 0, that is, annotty at least level with both)."""
    out = []
    baselines = [name for name in reports if name != ANNOTTY]
    for name in baselines:
        for measure in QUOTE_MEASURES:
            t = reports[name].tally("held-out", measure)
            out.append(Figure(f"{name}, {measure}, held-out: precision", t.precision * 100, "%"))
            out.append(Figure(f"{name}, {measure}, held-out: recall", t.recall * 100, "%"))
    for split in ("held-out", "all"):
        for measure in QUOTE_MEASURES:
            ours = reports[ANNOTTY].tally(split, measure)
            best = max(_f1(reports[b].tally(split, measure).precision, reports[b].tally(split, measure).recall)
                       for b in baselines)
            gap = (best - _f1(ours.precision, ours.recall)) * 100
            out.append(Figure(f"{measure}, {split}: best baseline F1 minus annotty's", gap, "points", 0))
    return out


def main(argv: list[str] | None = None) -> list[Figure]:
    args = sys.argv[1:] if argv is None else argv
    articles = load_gold(args[0] if args else GOLD_DIR)
    nlp = load_pipeline()
    systems = _systems()
    reports = {name: Report() for name in systems}
    refused: dict[str, list[str]] = {name: [] for name in systems}
    for article in articles:
        doc = parse(nlp, article.text)
        for name, system in systems.items():
            try:
                found = system(doc)
            except Refused:
                refused[name].append(article.source)
                found = []
            for measure, tally in score_article(article, found, DEFAULT_THRESHOLD).items():
                if measure in QUOTE_MEASURES:
                    reports[name].tally(article.split, measure).add(tally)
                    reports[name].tally("all", measure).add(tally)
    counts = {split: sum(1 for a in articles if a.split == split) for split in SPLITS}
    print(f"gold set: {len(articles)} articles ({counts['held-out']} held-out, {counts['dev']} dev),"
          f" threshold {DEFAULT_THRESHOLD} for annotty")
    for name, sources in refused.items():
        if sources:
            print(f"{name} gave up on {len(sources)} articles (scored as finding nothing): {', '.join(sources)}")
    print(format_table(reports))
    print()
    return [show(figure) for figure in figures(reports)]


if __name__ == "__main__":
    main()
