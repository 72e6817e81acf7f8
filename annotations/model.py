"""The annotation model: plain dataclasses, no I/O.

Offsets are code-point offsets into an article's sanitised text, end exclusive.
"""

from __future__ import annotations

import getpass
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone

QUOTE = "QUOTE"
CLAIM = "CLAIM"

#: spaCy's English entity labels. An annotation with one of these labels is an
#: entity correction (a relabel or a missing entity) and wins over the model.
ENTITY_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
    "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)

#: A manual annotation that says "the model's entity here is wrong".
NOT_ENTITY = "NOT_ENTITY"

CLAIM_STATUSES = ("unchecked", "true", "false", "misleading", "unverifiable")

#: Characters of context kept on each side, for re-anchoring an annotation if the text moves.
CONTEXT = 32


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def new_id() -> str:
    return str(uuid.uuid4())


def default_annotator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers; any name will do
        return "unknown"


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def __contains__(self, offset: int) -> bool:
        return self.start <= offset < self.end or (self.start == self.end == offset)

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Entity:
    """A named entity found by the model (or corrected by a person)."""

    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class Annotation:
    id: str
    article_id: str
    source: str
    label: str
    start: int
    end: int
    text: str
    prefix: str = ""
    suffix: str = ""
    attrs: dict = field(default_factory=dict)
    origin: str = "manual"
    annotator: str = ""
    created: str = ""
    modified: str = ""
    rev: int = 1

    @classmethod
    def create(
        cls,
        *,
        article_id: str,
        source: str,
        article_text: str,
        label: str,
        start: int,
        end: int,
        annotator: str,
        attrs: dict | None = None,
        origin: str = "manual",
    ) -> "Annotation":
        if not 0 <= start < end <= len(article_text):
            raise ValueError(f"span {start}..{end} is outside the article (length {len(article_text)})")
        stamp = now()
        return cls(
            id=new_id(),
            article_id=article_id,
            source=source,
            label=label,
            start=start,
            end=end,
            text=article_text[start:end],
            prefix=article_text[max(0, start - CONTEXT):start],
            suffix=article_text[end:end + CONTEXT],
            attrs=dict(attrs or {}),
            origin=origin,
            annotator=annotator,
            created=stamp,
            modified=stamp,
            rev=1,
        )

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def is_entity(self) -> bool:
        return self.label in ENTITY_LABELS or self.label == NOT_ENTITY

    def edited(self, *, annotator: str, **changes) -> "Annotation":
        """A new revision with *changes* applied (label, attrs, ...)."""
        return replace(self, **changes, annotator=annotator, modified=now(), rev=self.rev + 1)

    def to_doc(self) -> dict:
        return asdict(self)

    @classmethod
    def from_doc(cls, doc: dict, *, length: int | None = None) -> "Annotation":
        """The annotation a database document holds, checked and sanitised (raises ``schema.Invalid``)."""
        from .schema import annotation  # schema builds on this module

        return annotation(doc, length=length)
