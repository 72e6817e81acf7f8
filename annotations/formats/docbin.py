"""spaCy: a ``.spacy`` DocBin, one Doc per article, ready for ``spacy train`` and ``spacy debug data``.

- ``doc.ents``: the model's entities with the annotators' corrections applied (from the
  reader's cache of the article, or the chosen pipeline's entity recogniser).
- ``doc.spans["annotty"]``: every annotation that is not an entity correction, under its label.
- ``doc.spans["annotty_speakers"]``: each linked speaker mention, labelled ``SPEAKER``.
- ``span._.annotty_speaker`` on quote spans: the speaker's name; ``span._.annotty_id``
  the annotation's id (span extensions live in ``doc.user_data``, which the DocBin keeps;
  register them with :func:`register_extensions` before reading).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from ..entities import corrected_entities
from ..model import Entity
from .records import ExportDoc, speaker_name, speaker_span

NAME = "spacy"
SUFFIX = ".spacy"
KIND = "file"

SPANS_KEY = "annotty"
SPEAKERS_KEY = "annotty_speakers"


def register_extensions() -> None:
    from spacy.tokens import Span

    for name in ("annotty_speaker", "annotty_id"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def to_doc(parsed, doc: ExportDoc):
    """*parsed*: the article's spaCy Doc with the model's entities; annotty's annotations go on top."""
    from spacy.util import filter_spans

    model = sorted((Entity(e.start_char, e.end_char, e.label_, e.text) for e in parsed.ents),
                   key=lambda e: (e.start, e.end))
    ents = []
    for entity in corrected_entities(model, doc.annotations):
        span = parsed.char_span(entity.start, entity.end, label=entity.label, alignment_mode="expand")
        if span is not None:
            ents.append(span)
    parsed.ents = filter_spans(ents)  # an expanded correction may now overlap a neighbour

    spans, speakers = [], []
    for ann in doc.annotations:
        if ann.is_entity:
            continue
        span = parsed.char_span(ann.start, ann.end, label=ann.label, alignment_mode="expand")
        if span is None:
            continue
        span._.annotty_id = ann.id
        name = speaker_name(ann)
        if name:
            span._.annotty_speaker = name
        spans.append(span)
        linked = speaker_span(ann)
        if linked is not None:
            mention = parsed.char_span(*linked, label="SPEAKER", alignment_mode="expand")
            if mention is not None and all((m.start, m.end) != (mention.start, mention.end) for m in speakers):
                speakers.append(mention)
    parsed.spans[SPANS_KEY] = spans
    parsed.spans[SPEAKERS_KEY] = speakers
    parsed.user_data["annotty"] = {
        "article_id": doc.article.id, "source": doc.article.source, "title": doc.article.title,
        "annotators": doc.annotators,
    }
    return parsed


def write(docs: Iterable[ExportDoc], out: BinaryIO, context) -> int:
    from spacy.tokens import DocBin

    register_extensions()
    # One DocBin holds every doc in its compact array form (a few bytes per token),
    # not as Doc objects, so memory grows with tokens, not with spaCy's objects.
    docbin = DocBin(store_user_data=True)
    count = 0
    for doc, parsed in context.analysed(docs):
        docbin.add(to_doc(parsed, doc))
        count += 1
    out.write(docbin.to_bytes())
    return count
