"""UIMA CAS XMI, as INCEpTION imports it: a folder with ``TypeSystem.xml`` and one ``.xmi`` per article.

The type system is DKPro Core's (from dkpro-cassis) plus two custom layers in
INCEpTION's ``webanno.custom`` namespace:
- ``webanno.custom.Annotty``: a span layer with ``label``, ``annotator``, ``note``,
  ``status``, ``speaker`` (the name) and ``annotty_id``; speaker mentions are spans
  of it labelled ``SPEAKER``;
- ``webanno.custom.AnnottySpeaker``: a relation layer from a quote (``Governor``) to
  its speaker mention (``Dependent``), the shape INCEpTION gives relation layers.
Entities (the model's, with corrections) are DKPro Core ``NamedEntity`` with ``value``.
Offsets: cassis converts code points to UIMA's UTF-16 units when it writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..entities import corrected_entities
from ..model import Entity
from .brat import document_name
from .records import ExportDoc, speaker_name, speaker_span

NAME = "xmi"
SUFFIX = ""
KIND = "folder"

SPAN_TYPE = "webanno.custom.Annotty"
RELATION_TYPE = "webanno.custom.AnnottySpeaker"
ENTITY_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
METADATA_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
SPAN_FEATURES = ("label", "annotator", "note", "status", "speaker", "annotty_id")


def type_system():
    from cassis import load_dkpro_core_typesystem

    ts = load_dkpro_core_typesystem()
    span = ts.create_type(SPAN_TYPE, supertypeName="uima.tcas.Annotation")
    for feature in SPAN_FEATURES:
        ts.create_feature(span, feature, "uima.cas.String")
    relation = ts.create_type(RELATION_TYPE, supertypeName="uima.tcas.Annotation")
    ts.create_feature(relation, "Governor", SPAN_TYPE)
    ts.create_feature(relation, "Dependent", SPAN_TYPE)
    return ts


def to_cas(ts, doc: ExportDoc, model_entities: list[Entity]):
    from cassis import Cas

    cas = Cas(typesystem=ts, sofa_string=doc.article.text, document_language="en")
    Span, Relation, Named = ts.get_type(SPAN_TYPE), ts.get_type(RELATION_TYPE), ts.get_type(ENTITY_TYPE)
    if ts.contains_type(METADATA_TYPE):
        meta = ts.get_type(METADATA_TYPE)
        cas.add(meta(begin=0, end=len(doc.article.text), documentTitle=doc.article.title,
                     documentId=doc.article.id, documentUri=doc.article.source))
    for entity in corrected_entities(model_entities, doc.annotations):
        cas.add(Named(begin=entity.start, end=entity.end, value=entity.label))
    mentions: dict[tuple[int, int], object] = {}
    for ann in doc.annotations:
        if ann.is_entity:
            continue
        features = {
            "label": ann.label, "annotator": ann.annotator or None,
            "note": str(ann.attrs["note"]) if ann.attrs.get("note") else None,
            "status": ann.status,
            "speaker": speaker_name(ann) or None, "annotty_id": ann.id,
        }
        quote = Span(begin=ann.start, end=ann.end, **{k: v for k, v in features.items() if v is not None})
        cas.add(quote)
        linked = speaker_span(ann)
        if linked is not None:
            if linked not in mentions:
                mentions[linked] = Span(begin=linked[0], end=linked[1], label="SPEAKER")
                cas.add(mentions[linked])
            mention = mentions[linked]
            # INCEpTION anchors a relation on its dependent's offsets.
            cas.add(Relation(begin=mention.begin, end=mention.end, Governor=quote, Dependent=mention))
    return cas


def write(docs: Iterable[ExportDoc], folder: Path, context) -> int:
    ts = type_system()
    count = 0
    for doc, parsed in context.analysed(docs):
        model = sorted((Entity(e.start_char, e.end_char, e.label_, e.text) for e in parsed.ents),
                       key=lambda e: (e.start, e.end))
        to_cas(ts, doc, model).to_xmi(folder / f"{document_name(doc)}.xmi")
        count += 1
    ts.to_xml(folder / "TypeSystem.xml")
    return count
