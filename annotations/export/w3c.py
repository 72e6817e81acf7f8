"""W3C Web Annotation (JSON-LD): one AnnotationCollection whose first AnnotationPage holds every annotation.

Each annotation targets a SpecificResource of its article with a TextQuoteSelector
(exact, prefix, suffix) and a TextPositionSelector (code-point offsets into the
article's text, as the model counts characters). Bodies are TextualBodies: the label
(purpose ``tagging``), the speaker's name (``identifying``), the note
(``commenting``) and a claim's status (``assessing``). ``creator`` is the annotator,
``created`` and ``modified`` are UTC with a ``Z``. The page is written item by item.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import orjson

from ..model import Annotation
from .records import ExportDoc, speaker_name

NAME = "w3c"
SUFFIX = ".jsonld"
KIND = "file"

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
COLLECTION_ID = "urn:annotty:export"


def source_iri(doc: ExportDoc) -> str:
    """The article as an IRI: its file's URI, or a URN of its text's hash when it came from a pipe."""
    source = doc.article.source
    if source and source not in ("-", "<stdin>"):
        return Path(source).absolute().as_uri()
    return f"urn:annotty:article:{doc.article.id}"


def utc(stamp: str) -> str:
    """xsd:dateTime in UTC with a Z, as the model requires."""
    return stamp[:-6] + "Z" if stamp.endswith("+00:00") else stamp


def body(value: str, purpose: str) -> dict:
    return {"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain"}


def item(doc: ExportDoc, ann: Annotation) -> dict:
    bodies = [body(ann.label, "tagging")]
    name = speaker_name(ann)
    if name:
        bodies.append(body(name, "identifying"))
    if ann.attrs.get("note"):
        bodies.append(body(str(ann.attrs["note"]), "commenting"))
    if ann.attrs.get("status"):
        bodies.append(body(str(ann.attrs["status"]), "assessing"))
    annotation = {
        "id": f"urn:uuid:{ann.id}",
        "type": "Annotation",
        "body": bodies,
        "target": {
            "type": "SpecificResource",
            "source": source_iri(doc),
            "selector": [
                {"type": "TextQuoteSelector", "exact": ann.text, "prefix": ann.prefix, "suffix": ann.suffix},
                {"type": "TextPositionSelector", "start": ann.start, "end": ann.end},
            ],
        },
    }
    if ann.annotator:
        annotation["creator"] = {"type": "Person", "nickname": ann.annotator}
    if ann.created:
        annotation["created"] = utc(ann.created)
    if ann.modified:
        annotation["modified"] = utc(ann.modified)
    return annotation


def write(docs: Iterable[ExportDoc], out: BinaryIO, context: object = None) -> int:
    # The collection's total is only known at the end, so the header is written after the items
    # would be; instead the page is streamed and the collection closes with the count.
    out.write(b'{"@context":' + orjson.dumps(CONTEXT) + b',"id":' + orjson.dumps(COLLECTION_ID)
              + b',"type":"AnnotationCollection","label":"annotty export","first":{"id":'
              + orjson.dumps(COLLECTION_ID + ":page:0") + b',"type":"AnnotationPage","partOf":'
              + orjson.dumps(COLLECTION_ID) + b',"startIndex":0,"items":[')
    count = 0
    for doc in docs:
        for ann in doc.annotations:
            out.write((b"," if count else b"") + b"\n" + orjson.dumps(item(doc, ann)))
            count += 1
    out.write(b"\n]},\"total\":" + str(count).encode() + b"}\n")
    return count
