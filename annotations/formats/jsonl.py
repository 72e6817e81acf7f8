"""JSON lines in Prodigy's span format, one line per article; doccano reads the same lines.

Each line has ``text``, ``tokens`` (``text``, ``start``, ``end``, ``id``, ``ws``: the
spaCy tokenizer of the chosen pipeline), ``spans`` (``start``, ``end``,
``token_start``, ``token_end`` inclusive, ``label``, and annotty's ``id``,
``annotator``, ``note``, ``status``, ``speaker``), ``relations`` (quote -> speaker,
``head`` and ``child`` the last token of each span, as Prodigy's relation UI writes
them), ``meta`` and ``answer: "accept"``.

For doccano, the same line carries ``label``: ``[[start, end, LABEL], ...]``, which is
doccano's "JSONL" import for sequence labelling with its default label column.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import orjson

from .importing import ImportFailed, Incoming, IncomingSpan
from .records import ExportDoc, speaker_name, speaker_span

NAME = "jsonl"
SUFFIX = ".jsonl"
KIND = "file"

SPEAKER = "SPEAKER"


def record(doc: ExportDoc, tokenizer) -> dict:
    text = doc.article.text
    tokens = tokenizer(text)
    token_list = [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
        for t in tokens
    ]

    def span(start: int, end: int, label: str) -> dict:
        chars = tokens.char_span(start, end, alignment_mode="expand")
        if chars is None:  # only white space: anchor on the nearest token
            chars = tokens.char_span(start, min(len(text), end + 1), alignment_mode="expand")
        first, last = (chars.start, chars.end - 1) if chars is not None and len(chars) else (0, 0)
        return {"start": start, "end": end, "token_start": first, "token_end": last, "label": label}

    spans, relations = [], []
    for ann in doc.annotations:
        entry = span(ann.start, ann.end, ann.label)
        entry["id"] = ann.id
        entry["annotator"] = ann.annotator
        if ann.attrs.get("note"):
            entry["note"] = ann.attrs["note"]
        if ann.status:
            entry["status"] = ann.status
        name = speaker_name(ann)
        if name:
            entry["speaker"] = name
        spans.append(entry)
        linked = speaker_span(ann)
        if linked is not None:
            child = span(*linked, SPEAKER)
            spans.append({**child, "annotator": ann.annotator})
            head = {k: entry[k] for k in ("start", "end", "token_start", "token_end", "label")}
            relations.append({
                "head": head["token_end"], "child": child["token_end"],
                "head_span": head, "child_span": child, "label": SPEAKER,
            })
    return {
        "text": text,
        "meta": {
            "source": doc.article.source, "title": doc.article.title,
            "article_id": doc.article.id, "annotators": doc.annotators,
        },
        "tokens": token_list,
        "spans": spans,
        "relations": relations,
        "answer": "accept",
        "label": [[s["start"], s["end"], s["label"]] for s in spans],
    }


def write(docs: Iterable[ExportDoc], out: BinaryIO, context) -> int:
    tokenizer = context.tokenizer()
    count = 0
    for doc in docs:
        out.write(orjson.dumps(record(doc, tokenizer)) + b"\n")
        count += 1
    return count


def read(path: Path) -> Iterator[Incoming]:
    """Lines in Prodigy's span format, or doccano's (``label`` as ``[start, end, LABEL]`` triples,
    or ``entities`` with ``start_offset`` and ``end_offset``); rejected Prodigy answers are skipped."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                line = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise ImportFailed(f"{path}, line {number}: not valid JSON") from None
            if not isinstance(line, dict) or not isinstance(line.get("text"), str):
                raise ImportFailed(f"{path}, line {number}: no text")
            if line.get("answer", "accept") != "accept":
                continue
            yield _incoming(line, path, number)


def _incoming(line: dict, path: Path, number: int) -> Incoming:
    meta = line.get("meta") if isinstance(line.get("meta"), dict) else {}
    text = line["text"]
    speakers: dict[tuple[int, int], dict] = {}
    mentions: set[tuple[int, int]] = set()
    for rel in line.get("relations") or []:
        if not isinstance(rel, dict) or rel.get("label") != SPEAKER:
            continue
        head, child = rel.get("head_span") or {}, rel.get("child_span") or {}
        try:
            quote, mention = (int(head["start"]), int(head["end"])), (int(child["start"]), int(child["end"]))
        except (KeyError, TypeError, ValueError):
            continue
        speakers[quote] = {"text": text[mention[0]:mention[1]], "start": mention[0], "end": mention[1]}
        mentions.add(mention)
    spans: list[IncomingSpan] = []
    try:
        for entry in _span_entries(line):
            start, end, label = int(entry["start"]), int(entry["end"]), str(entry["label"])
            if label == SPEAKER and (start, end) in mentions:
                continue  # a speaker mention: it belongs to its quote
            attrs = {k: entry[k] for k in ("note", "status") if entry.get(k)}
            speaker = speakers.get((start, end))
            if speaker is not None:
                if entry.get("speaker") and entry["speaker"] != speaker["text"]:
                    speaker = {**speaker, "name": str(entry["speaker"])}
                attrs["speaker"] = speaker
            elif entry.get("speaker"):
                attrs["speaker"] = {"text": str(entry["speaker"])}
            spans.append(IncomingSpan(label=label, start=start, end=end, attrs=attrs,
                                      annotator=str(entry.get("annotator") or ""), id=entry.get("id")))
    except (KeyError, TypeError, ValueError):
        raise ImportFailed(f"{path}, line {number}: a span without whole-number start, end and a label") from None
    return Incoming(spans, text=text, source=str(meta.get("source") or path), title=meta.get("title"),
                    article_id=meta.get("article_id"))


def _span_entries(line: dict) -> Iterator[dict]:
    if line.get("spans") is not None:
        yield from line["spans"]
    elif line.get("entities") is not None:  # doccano's relation-extraction layout
        for entity in line["entities"]:
            yield {"start": entity["start_offset"], "end": entity["end_offset"], "label": entity["label"]}
    else:  # doccano's sequence-labelling layout
        for start, end, label in line.get("label") or []:
            yield {"start": start, "end": end, "label": label}
