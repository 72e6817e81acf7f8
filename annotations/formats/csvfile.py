"""CSV: one row per annotation, for pandas, R and spreadsheets.

UTF-8 with a header row; the csv module quotes commas, quotes and newlines. A cell
that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) gets a leading apostrophe, which import takes off again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .importing import ImportFailed, Incoming, IncomingSpan
from .records import ExportDoc, source_file, speaker_name

NAME = "csv"
SUFFIX = ".csv"
KIND = "file"

COLUMNS = (
    "title", "source", "label", "start", "end", "text", "speaker", "cue", "note", "status",
    "origin", "confidence", "annotator", "created", "modified", "id", "article_id",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(cell: str) -> str:
    """The cell as a spreadsheet will show it, never run it."""
    return "'" + cell if _needs_guard(cell) else cell


def unguard(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _needs_guard(cell[1:]) else cell


def _needs_guard(cell: str) -> bool:
    return cell.startswith(_FORMULA_START) or (cell.startswith("'") and _needs_guard(cell[1:]))


def rows(docs: Iterable[ExportDoc]) -> Iterable[dict[str, str]]:
    for doc in docs:
        for ann in doc.annotations:
            cue = ann.attrs.get("cue")
            confidence = ann.attrs.get("confidence")
            yield {
                "title": doc.article.title,
                "source": source_file(doc.article),
                "label": ann.label,
                "start": str(ann.start),
                "end": str(ann.end),
                "text": ann.text,
                "speaker": speaker_name(ann),
                "cue": cue.get("text", "") if isinstance(cue, dict) else "",
                "note": str(ann.attrs.get("note") or ""),
                "status": ann.status or "",
                "origin": ann.origin,
                "confidence": "" if confidence is None else f"{confidence:g}",
                "annotator": ann.annotator,
                "created": ann.created,
                "modified": ann.modified,
                "id": ann.id,
                "article_id": ann.article_id,
            }


def write(docs: Iterable[ExportDoc], out: BinaryIO, context: object = None) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.DictWriter(text, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows(docs):
        writer.writerow({key: guard(value) for key, value in row.items()})
        count += 1
    text.flush()
    text.detach()
    return count


def read(path: Path) -> Iterator[Incoming]:
    """The rows of an annotty CSV (or any CSV with at least label, start, end and text), per article."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("label", "start", "end", "text") if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFailed(f"{path}: not an annotation CSV (no {', '.join(missing)} column)")
        articles: dict[tuple[str, str], Incoming] = {}
        for number, row in enumerate(reader, start=2):
            row = {key: unguard(value or "") for key, value in row.items() if key is not None}
            try:
                start, end = int(row["start"]), int(row["end"])
            except ValueError:
                raise ImportFailed(f"{path}, line {number}: start and end must be whole numbers") from None
            key = (row.get("article_id", ""), row.get("source", ""))
            if key not in articles:
                articles[key] = Incoming([], source=key[1], title=row.get("title") or None, article_id=key[0] or None)
            attrs: dict = {}
            if row.get("speaker"):
                attrs["speaker"] = {"text": row["speaker"]}
            if row.get("cue"):
                attrs["cue"] = {"text": row["cue"]}
            for name in ("note", "status"):
                if row.get(name):
                    attrs[name] = row[name]
            if row.get("confidence"):
                try:
                    attrs["confidence"] = float(row["confidence"])
                except ValueError:
                    pass
            articles[key].spans.append(IncomingSpan(
                label=row["label"], start=start, end=end, text=row["text"], attrs=attrs,
                annotator=row.get("annotator", ""), id=row.get("id") or None, origin=row.get("origin") or None,
                created=row.get("created", ""), modified=row.get("modified", ""),
            ))
    yield from articles.values()
