"""What a database document must look like, and the one place its text is made safe to show.

Every document the store hands out passes through here: each field is checked for
its type and range, and every string is sanitised the way article text is (control
characters replaced one-for-one by U+FFFD, so offsets never shift; one-line values
such as labels and names also have their whitespace runs folded into one space).
A document that does not fit raises :class:`Invalid` with a one-line reason; the
store skips it, leaves it in the file exactly as it is, and counts it.

Decisions:

- ``attrs.speaker`` as a bare string (``"Bob"``) is read as ``{"text": "Bob"}``: it
  is what a person would mean, and the file keeps the string until the annotation
  is edited.
- An annotation must fit its article: ``0 <= start < end``, ``len(text) == end - start``,
  and ``end`` within the article's text where that is known.
- An article's ``id`` must be the sha256 of its ``text``: that is how ids are made,
  and it makes a stored article self-checking (see ``recover``).
- ``attrs`` may hold other keys (suggestion details), nested at most
  :data:`MAX_DEPTH` deep, of plain JSON values; numbers beyond 64 bits are refused.
- A deleted annotation stays in the table as a tombstone: ``{id, article_id,
  deleted: true, deleted_by, deleted_at, rev}`` (:func:`tombstone`). It is not an
  annotation and not a problem; :func:`annotation_or_tombstone` reads either.
- ``created_by`` missing (every version-1 document) reads as ``annotator``.
- Invalid documents are never rewritten, with one exception: a change the app
  makes to the document with the same key (the reader's own cursor, an article it
  opens) replaces that document's fields, which repairs it.
"""

from __future__ import annotations

from typing import Any

from .article import Article, article_id, replace_controls, sanitise_line
from .model import CLAIM_STATUSES, Annotation, Tombstone

#: How deep ``attrs`` may nest (the app writes two levels).
MAX_DEPTH = 16

#: Characters of an offending value quoted in a reason.
_QUOTED = 24


class Invalid(ValueError):
    """A document that does not fit the schema; the message is one line, safe to show."""


def annotation(doc: dict, *, length: int | None = None) -> Annotation:
    """The annotation *doc* describes, its strings sanitised; *length* is its article's, when known."""
    start, end = _offset(doc, "start"), _offset(doc, "end")
    if end <= start:
        raise Invalid(f"end {end} is not after start {start}")
    if length is not None and end > length:
        raise Invalid(f"end {end} is beyond the article ({length} characters)")
    text = _text(doc, "text")
    if len(text) != end - start:
        raise Invalid(f"text has {len(text)} characters, the span {end - start}")
    label = _line(doc, "label")
    if not label:
        raise Invalid("label is empty")
    rev = _rev(doc)
    annotator = _line(doc, "annotator", "")
    return Annotation(
        id=_key(doc, "id"),
        article_id=_key(doc, "article_id"),
        source=_line(doc, "source"),
        label=label,
        start=start,
        end=end,
        text=text,
        prefix=_text(doc, "prefix", ""),
        suffix=_text(doc, "suffix", ""),
        attrs=_attrs(doc.get("attrs", {})),
        origin=_line(doc, "origin", "manual"),
        annotator=annotator,
        created=_line(doc, "created", ""),
        modified=_line(doc, "modified", ""),
        rev=rev,
        created_by=_line(doc, "created_by", "") or annotator,
    )


def is_tombstone(doc: dict) -> bool:
    """Whether an ``annotations`` document marks a deleted annotation (checked by :func:`tombstone`)."""
    return doc.get("deleted") is True


def tombstone(doc: dict) -> Tombstone:
    if not is_tombstone(doc):
        raise Invalid(f"deleted is {describe(doc.get('deleted'))}, not true")
    return Tombstone(
        id=_key(doc, "id"),
        article_id=_key(doc, "article_id"),
        deleted_by=_line(doc, "deleted_by", ""),
        deleted_at=_line(doc, "deleted_at", ""),
        rev=_rev(doc),
    )


def annotation_or_tombstone(doc: dict, *, length: int | None = None) -> Annotation | Tombstone:
    """What an ``annotations`` document holds: a live annotation or what is left of a deleted one."""
    return tombstone(doc) if is_tombstone(doc) else annotation(doc, length=length)


def _rev(doc: dict) -> int:
    rev = doc.get("rev", 1)
    if not _is_int(rev):
        raise Invalid(f"rev is {describe(rev)}, not a whole number")
    return rev


def article(doc: dict) -> Article:
    text = _text(doc, "text")
    ident = _key(doc, "id")
    if ident != article_id(text):
        raise Invalid("id is not the sha256 of the text")
    return Article(id=ident, source=_line(doc, "source"), title=_line(doc, "title"), text=text)


def cursor(doc: dict) -> int:
    """The saved cursor offset of a ``cursors`` document."""
    _key(doc, "article_id")
    _key(doc, "annotator")
    return _offset(doc, "offset")


def rejection(doc: dict) -> tuple[str, int, int]:
    """(label, start, end) of a ``rejections`` document."""
    _key(doc, "article_id")
    _key(doc, "annotator")
    label = _line(doc, "label")
    start, end = _offset(doc, "start"), _offset(doc, "end")
    if not label:
        raise Invalid("label is empty")
    if end <= start:
        raise Invalid(f"end {end} is not after start {start}")
    return label, start, end


def meta(doc: dict) -> None:
    _key(doc, "name")


# ---- fields ---------------------------------------------------------------------------

_MISSING = object()


def _field(doc: dict, name: str, default: Any = _MISSING) -> Any:
    value = doc.get(name, default)
    if value is _MISSING:
        raise Invalid(f"{name} is missing")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _offset(doc: dict, name: str) -> int:
    value = _field(doc, name)
    if not _is_int(value) or value < 0:
        raise Invalid(f"{name} is {describe(value)}, not an offset")
    return value


def _string(doc: dict, name: str, default: Any) -> str:
    value = _field(doc, name, default)
    if not isinstance(value, str):
        raise Invalid(f"{name} is {describe(value)}, not text")
    return value


def _text(doc: dict, name: str, default: Any = _MISSING) -> str:
    return replace_controls(_string(doc, name, default))


def _line(doc: dict, name: str, default: Any = _MISSING) -> str:
    return sanitise_line(_string(doc, name, default))


def _key(doc: dict, name: str) -> str:
    """An identifying string: refused rather than changed, or it would name another document."""
    value = _string(doc, name, _MISSING)
    if not value:
        raise Invalid(f"{name} is empty")
    if replace_controls(value) != value or value != value.strip():
        raise Invalid(f"{name} holds control characters or surrounding space")
    return value


def _attrs(value: Any) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"attrs is {describe(value)}, not an object")
    attrs = _plain(value, "attrs", 1)
    speaker = attrs.get("speaker")
    if isinstance(speaker, str):
        attrs["speaker"] = {"text": sanitise_line(speaker)}
    elif isinstance(speaker, dict):
        for name in ("text", "name"):
            if name in speaker and not isinstance(speaker[name], str):
                raise Invalid(f"attrs.speaker.{name} is {describe(speaker[name])}, not text")
            if name in speaker:
                speaker[name] = sanitise_line(speaker[name])
        if "start" in speaker or "end" in speaker:
            start, end = _offset(speaker, "start"), _offset(speaker, "end")
            if end < start:
                raise Invalid(f"attrs.speaker ends ({end}) before it starts ({start})")
    elif speaker is not None:
        raise Invalid(f"attrs.speaker is {describe(speaker)}, not an object")
    if "note" in attrs and not isinstance(attrs["note"], str):
        raise Invalid(f"attrs.note is {describe(attrs['note'])}, not text")
    if "status" in attrs and attrs["status"] not in CLAIM_STATUSES:
        raise Invalid(f"attrs.status is {describe(attrs['status'])}, not one of {', '.join(CLAIM_STATUSES)}")
    for name in ("kind",):
        if name in attrs and not isinstance(attrs[name], str):
            raise Invalid(f"attrs.{name} is {describe(attrs[name])}, not text")
    if "confidence" in attrs and (not isinstance(attrs["confidence"], (int, float)) or isinstance(attrs["confidence"], bool)):
        raise Invalid(f"attrs.confidence is {describe(attrs['confidence'])}, not a number")
    return attrs


def _plain(value: Any, where: str, depth: int) -> Any:
    """A sanitised copy of a JSON value from ``attrs``, refusing deep nesting and odd numbers."""
    if depth > MAX_DEPTH:
        raise Invalid(f"{where.split('.')[0]} is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str):
        return replace_controls(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, list):
        return [_plain(item, where, depth + 1) for item in value]
    if isinstance(value, dict):
        return {sanitise_line(k): _plain(v, f"{where}.{sanitise_line(k)}", depth + 1) for k, v in value.items()}
    raise Invalid(f"{where} holds {describe(value)}")


def describe(value: Any) -> str:
    """A short, safe description of an offending value, for a reason."""
    if isinstance(value, str):
        shown = sanitise_line(value)
        return repr(shown if len(shown) <= _QUOTED else shown[:_QUOTED - 1] + "…")
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value) if len(repr(value)) <= _QUOTED else "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a number too large to keep"  # a RawNumber: beyond 64 bits, or not finite
