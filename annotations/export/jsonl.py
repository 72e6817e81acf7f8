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

from collections.abc import Iterable
from typing import BinaryIO

import orjson

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
        for key in ("note", "status"):
            if ann.attrs.get(key):
                entry[key] = ann.attrs[key]
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
