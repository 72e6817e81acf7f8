"""brat standoff: one ``.txt`` and one ``.ann`` per article, and an ``annotation.conf`` for the folder.

- ``T`` lines: every annotation under its label, and each linked speaker mention as
  ``SPEAKER``; a span over a line break is written as fragments (brat's ``a b;c d``),
  its text the fragments joined by a space.
- ``R`` lines: ``Speaker Arg1:<quote> Arg2:<speaker>``.
- ``A`` lines: ``Status <claim> <status>`` and ``Annotator <T> <name>``.
- ``#`` lines: ``AnnotatorNotes <T>\t<note>`` (line breaks in a note become spaces).
The ``.txt`` is the article's sanitised text, so brat's offsets are annotty's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..model import CLAIM_STATUSES
from .importing import ImportFailed, Incoming, IncomingSpan
from .records import ExportDoc, speaker_span

NAME = "brat"
SUFFIX = ""
KIND = "folder"

SPEAKER = "SPEAKER"
SPEAKER_RELATION = "Speaker"

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def brat_label(label: str) -> str:
    """brat type names cannot hold white space."""
    return re.sub(r"\s+", "_", label) or "_"


def document_name(doc: ExportDoc) -> str:
    """A file stem unique to the article: its source file's stem and the start of its id
    (once: an article imported from such a file keeps its name)."""
    stem = Path(doc.article.source).stem if doc.article.source not in ("-", "<stdin>") else "stdin"
    stem = _UNSAFE_NAME.sub("_", stem).strip("._") or "article"
    tag = f"-{doc.article.id[:10]}"
    return stem if stem.endswith(tag) else f"{stem[:60]}{tag}"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The runs of [start, end) that hold no line break."""
    found = [(start + m.start(), start + m.end()) for m in re.finditer(r"[^\n]+", text[start:end])]
    return found or [(start, end)]


def ann_lines(doc: ExportDoc) -> list[str]:
    text = doc.article.text
    lines: list[str] = []
    numbers = {"T": 0, "R": 0, "A": 0, "#": 0}

    def next_id(kind: str) -> str:
        numbers[kind] += 1
        return f"{kind}{numbers[kind]}"

    def textbound(label: str, start: int, end: int) -> str:
        tid = next_id("T")
        parts = fragments(text, start, end)
        offsets = ";".join(f"{s} {e}" for s, e in parts)
        lines.append(f"{tid}\t{brat_label(label)} {offsets}\t{' '.join(text[s:e] for s, e in parts)}")
        return tid

    speakers: dict[tuple[int, int], str] = {}
    for ann in doc.annotations:
        tid = textbound(ann.label, ann.start, ann.end)
        if ann.annotator:
            lines.append(f"{next_id('A')}\tAnnotator {tid} {brat_label(ann.annotator)}")
        status = ann.status
        if status in CLAIM_STATUSES:
            lines.append(f"{next_id('A')}\tStatus {tid} {status}")
        note = ann.attrs.get("note")
        if note:
            lines.append(f"{next_id('#')}\tAnnotatorNotes {tid}\t{' '.join(str(note).split())}")
        linked = speaker_span(ann)
        if linked is not None:
            if linked not in speakers:
                speakers[linked] = textbound(SPEAKER, *linked)
            lines.append(f"{next_id('R')}\t{SPEAKER_RELATION} Arg1:{tid} Arg2:{speakers[linked]}")
    return lines


def annotation_conf(labels: set[str], annotators: set[str]) -> str:
    entity_types = sorted({brat_label(label) for label in labels} | {SPEAKER})
    return "\n".join([
        "[entities]", *entity_types, "",
        "[relations]", f"{SPEAKER_RELATION}\tArg1:<ENTITY>, Arg2:{SPEAKER}", "",
        "[events]", "",
        "[attributes]",
        f"Status\tArg:<ENTITY>, Value:{'|'.join(CLAIM_STATUSES)}",
        f"Annotator\tArg:<ENTITY>, Value:{'|'.join(sorted(brat_label(a) for a in annotators)) or 'unknown'}",
        "",
    ])


def write(docs: Iterable[ExportDoc], folder: Path, context: object = None) -> int:
    labels: set[str] = set()
    annotators: set[str] = set()
    count = 0
    for doc in docs:
        name = document_name(doc)
        (folder / f"{name}.txt").write_text(doc.article.text, encoding="utf-8", newline="")
        lines = ann_lines(doc)
        (folder / f"{name}.ann").write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="")
        labels.update(a.label for a in doc.annotations)
        annotators.update(a.annotator for a in doc.annotations if a.annotator)
        count += 1
    (folder / "annotation.conf").write_text(annotation_conf(labels, annotators), encoding="utf-8")
    return count


def read(path: Path) -> Iterator[Incoming]:
    """A folder of ``.ann`` files with their ``.txt`` beside them (or one ``.ann`` file)."""
    files = sorted(path.glob("*.ann")) if path.is_dir() else [path]
    if not files:
        raise ImportFailed(f"{path}: no .ann files")
    for ann_path in files:
        txt_path = ann_path.with_suffix(".txt")
        try:
            text = txt_path.read_text(encoding="utf-8")
            lines = ann_path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ImportFailed(f"{ann_path}: cannot read it or its .txt ({exc})") from None
        yield Incoming(_spans(lines, text, ann_path), text=text, source=str(txt_path))


def _spans(lines: list[str], text: str, ann_path: Path) -> list[IncomingSpan]:
    bound: dict[str, IncomingSpan] = {}
    speaker_of: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        fields = line.split("\t")
        kind = line[:1]
        try:
            if kind == "T":
                label, offsets = fields[1].split(" ", 1)
                parts = [tuple(int(n) for n in piece.split()) for piece in offsets.split(";")]
                start, end = parts[0][0], parts[-1][1]
                joined = " ".join(text[s:e] for s, e in parts)
                # Offsets that hold the written text are trusted; otherwise the text re-anchors the span.
                exact = None if joined == fields[2] else (fields[2] if len(parts) == 1 else None)
                bound[fields[0]] = IncomingSpan(label=label, start=start, end=end, text=exact)
            elif kind in ("A", "M"):
                name, target, *value = fields[1].split(" ")
                span = bound[target]
                if name == "Status" and value and value[0] in CLAIM_STATUSES:
                    span.attrs["status"] = value[0]
                elif name == "Annotator" and value:
                    span.annotator = value[0]
            elif kind == "#":
                _, target = fields[1].split(" ", 1)
                bound[target].attrs["note"] = fields[2] if len(fields) > 2 else ""
            elif kind == "R":
                name, arg1, arg2 = fields[1].split(" ")
                if name == SPEAKER_RELATION:
                    speaker_of[arg1.split(":", 1)[1]] = arg2.split(":", 1)[1]
        except (IndexError, KeyError, ValueError):
            raise ImportFailed(f"{ann_path}, line {number}: not a brat line annotty reads") from None
    mentions = set(speaker_of.values())
    for quote_id, mention_id in speaker_of.items():
        mention = bound[mention_id]
        bound[quote_id].attrs["speaker"] = {
            "text": text[mention.start:mention.end], "start": mention.start, "end": mention.end,
        }
    return [span for tid, span in bound.items() if not (tid in mentions and span.label == SPEAKER)]
