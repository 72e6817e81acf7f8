"""Adjudication's core: what is agreed, what differs and of which kind, and what each decision writes."""

from __future__ import annotations

from annotations.model import CLAIM, QUOTE, Annotation
from annotations.team.adjudication import Decision, Kind, compare, decide, rejection_of, settled, to_gold

TEXT = ("The port will close at noon, the harbour master said. \"We have no choice,\" said Ines Moreau. "
        "Traffic fell by 12 per cent. Fishermen were angry.\n")


def _ann(who: str, exact: str, label: str = CLAIM, speaker: str | None = None, cut: int = 0) -> Annotation:
    start = TEXT.index(exact)
    attrs = {"speaker": {"text": speaker}} if speaker else {}
    return Annotation.create(article_id="a" * 64, source="port.txt", article_text=TEXT, label=label,
                             start=start, end=start + len(exact) - cut, annotator=who, attrs=attrs)


def test_agreed_items_and_each_kind_of_disagreement_in_text_order():
    quote = '"We have no choice,"'
    anns = [
        _ann("ana", "The port will close at noon"), _ann("ben", "The port will close at noon"),  # agreed
        _ann("ana", quote, QUOTE, "Ines Moreau"), _ann("ben", quote, QUOTE, "the harbour master"),  # speaker
        _ann("ana", "Traffic fell by 12 per cent."), _ann("ben", "Traffic fell by 12 per cent.", cut=1),  # bounds
        _ann("ana", "Fishermen were angry.", QUOTE), _ann("ben", "Fishermen were angry."),  # label
        _ann("ben", "the harbour master said", QUOTE),  # only ben: overlaps nothing of ana's
    ]
    result = compare(anns, ["ana", "ben"])
    assert [[a.annotator for a in item] for item in result.agreed] == [["ana", "ben"]]
    kinds = [(d.kind, TEXT[d.start:d.end]) for d in result.disagreements]
    assert kinds == [
        (Kind.ONLY_ONE, "the harbour master said"),
        (Kind.SPEAKER, '"We have no choice,"'),
        (Kind.BOUNDARY, "Traffic fell by 12 per cent."),
        (Kind.LABEL, "Fishermen were angry."),
    ]


def test_an_annotator_outside_the_list_and_entity_corrections_are_left_out():
    anns = [_ann("ana", "Fishermen were angry."), _ann("cy", "Fishermen were angry."),
            _ann("ben", "Ines Moreau", "PERSON")]
    result = compare(anns, ["ana", "ben"])
    assert [d.kind for d in result.disagreements] == [Kind.ONLY_ONE]


def test_decisions_write_gold_with_their_sources_and_none_is_a_rejection():
    a, b = _ann("ana", "Traffic fell by 12 per cent."), _ann("ben", "Traffic fell by 12 per cent.", cut=1)
    [d] = compare([a, b], ["ana", "ben"]).disagreements
    [gold] = decide(d, Decision.TAKE, TEXT, "gold", annotator="ben")
    assert (gold.annotator, gold.origin, gold.text) == ("gold", "adjudicated", "Traffic fell by 12 per cent")
    assert gold.attrs["adjudicated_from"] == [b.id] and gold.id not in (a.id, b.id)
    assert len(decide(d, Decision.ALL, TEXT, "gold")) == 2
    assert decide(d, Decision.NONE, TEXT, "gold") == []
    assert not settled(d, [], [])
    assert settled(d, [gold], [])
    assert settled(d, [], [rejection_of(d)])
    edited = to_gold([a, b], TEXT, "gold", edit={"end": a.end - 1, "label": CLAIM})
    assert edited.text == "Traffic fell by 12 per cent" and sorted(edited.attrs["adjudicated_from"]) == sorted([a.id, b.id])
