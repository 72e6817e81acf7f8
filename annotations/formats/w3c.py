"""W3C Web Annotation (JSON-LD): one AnnotationCollection whose first AnnotationPage holds every annotation.

Each annotation targets a SpecificResource of its article with a TextQuoteSelector
(exact, prefix, suffix) and a TextPositionSelector (code-point offsets into the
article's text, as the model counts characters). Bodies are TextualBodies: the label
(purpose ``tagging``), the speaker's name (``identifying``), the note
(``commenting``) and a claim's status (``assessing``). ``creator`` is the annotator,
``created`` and ``modified`` are UTC with a ``Z``. The page is written item by item.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlparse

import orjson

from ..model import Annotation
from .importing import ImportFailed, Incoming, IncomingSpan
from .records import NO_FILE, ExportDoc, source_file, speaker_name

NAME = "w3c"
SUFFIX = ".jsonld"
KIND = "file"

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
COLLECTION_ID = "urn:annotty:export"


def source_iri(doc: ExportDoc) -> str:
    """The article as an IRI: its file's URI, or a URN of its text's hash when it came from a pipe."""
    if doc.article.source not in NO_FILE:
        return Path(source_file(doc.article)).as_uri()
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
    if ann.status:
        bodies.append(body(ann.status, "assessing"))
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
    # Streamed item by item. The page opens with the first item, since a page must hold at
    # least one annotation; an export with none is a collection with total 0 and no page.
    out.write(b'{"@context":' + orjson.dumps(CONTEXT) + b',"id":' + orjson.dumps(COLLECTION_ID)
              + b',"type":"AnnotationCollection","label":"annotty export"')
    count = 0
    for doc in docs:
        for ann in doc.annotations:
            if count == 0:
                out.write(b',"first":{"id":' + orjson.dumps(COLLECTION_ID + ":page:0")
                          + b',"type":"AnnotationPage","partOf":' + orjson.dumps(COLLECTION_ID)
                          + b',"startIndex":0,"items":[')
            out.write((b"," if count else b"") + b"\n" + orjson.dumps(item(doc, ann)))
            count += 1
    out.write((b"\n]}" if count else b"") + b',"total":' + str(count).encode() + b"}\n")
    return count


_PURPOSE_TO_ATTR = {"identifying": "speaker", "commenting": "note", "assessing": "status"}


def read(path: Path) -> Iterator[Incoming]:
    """An AnnotationCollection (its first page), an AnnotationPage, one Annotation or a list of them."""
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError:
        raise ImportFailed(f"{path}: not valid JSON") from None
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        data = data.get("first") or {}
    if isinstance(data, dict) and data.get("type") == "AnnotationPage":
        data = data.get("items") or []
    items = data if isinstance(data, list) else [data]
    articles: dict[str, Incoming] = {}
    for number, item in enumerate(items, start=1):
        try:
            source, span = _span(item)
        except (KeyError, TypeError, ValueError, StopIteration):
            raise ImportFailed(f"{path}: annotation {number} has no text target annotty can anchor") from None
        if source not in articles:
            articles[source] = _article_of(source)
        articles[source].spans.append(span)
    yield from articles.values()


def _article_of(source: str) -> Incoming:
    if source.startswith("urn:annotty:article:"):
        return Incoming([], article_id=source.rsplit(":", 1)[1])
    parsed = urlparse(source)
    if parsed.scheme == "file":
        return Incoming([], source=unquote(parsed.path))
    return Incoming([], source=source)


def _span(item: dict) -> tuple[str, IncomingSpan]:
    target = item["target"]
    target = target[0] if isinstance(target, list) else target
    selectors = target["selector"]
    selectors = selectors if isinstance(selectors, list) else [selectors]
    quote = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), {})
    position = next((s for s in selectors if s.get("type") == "TextPositionSelector"), None)
    start, end = (int(position["start"]), int(position["end"])) if position else (-1, -1)
    if not quote and position is None:
        raise ValueError("no selector")
    bodies = item.get("body") or []
    bodies = bodies if isinstance(bodies, list) else [bodies]
    label, attrs = None, {}
    for body in bodies:
        if not isinstance(body, dict) or "value" not in body:
            continue
        purpose, value = body.get("purpose"), str(body["value"])
        if purpose == "tagging" and label is None:
            label = value
        elif purpose in _PURPOSE_TO_ATTR:
            attrs[_PURPOSE_TO_ATTR[purpose]] = {"text": value} if purpose == "identifying" else value
    creator = item.get("creator")
    creator = creator[0] if isinstance(creator, list) and creator else creator
    who = (creator.get("nickname") or creator.get("name") or "") if isinstance(creator, dict) else ""
    ident = str(item.get("id", ""))
    return str(target["source"]), IncomingSpan(
        label=label or "ANNOTATION", start=start, end=end,
        text=quote.get("exact"), prefix=quote.get("prefix", ""), suffix=quote.get("suffix", ""),
        attrs=attrs, annotator=str(who), id=ident[len("urn:uuid:"):] if ident.startswith("urn:uuid:") else None,
        created=_from_utc(item.get("created", "")), modified=_from_utc(item.get("modified", "")),
    )


def _from_utc(stamp: str) -> str:
    return stamp[:-1] + "+00:00" if isinstance(stamp, str) and stamp.endswith("Z") else str(stamp or "")
