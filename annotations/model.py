"""The annotation model: plain dataclasses, no I/O.

Offsets are code-point offsets into an article's sanitised text, end exclusive.

Who and when: ``created_by`` / ``created`` are set once, when an annotation is made,
and survive every edit; ``annotator`` / ``modified`` name the last change (``modified_by``
reads ``annotator``: the stored field keeps its version-1 name, which every export
already reads as "who annotated this"). A version-1 document has no ``created_by``:
it reads as its ``annotator``, the best that file knows.
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
#: A new claim's status; a claim stored without one (older files, imports) reads as this.
DEFAULT_STATUS = CLAIM_STATUSES[0]

#: Characters of context kept on each side, for re-anchoring an annotation if the text moves.
CONTEXT = 32


def quote_selector(text: str, start: int, end: int) -> dict[str, str]:
    """The span's text with :data:`CONTEXT` characters on each side: the fields an annotation keeps to be re-anchored."""
    return {"text": text[start:end], "prefix": text[max(0, start - CONTEXT):start], "suffix": text[end:end + CONTEXT]}


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
    created_by: str = ""

    def __post_init__(self) -> None:
        if not self.created_by:  # made before created_by existed (a version-1 document, or a test)
            object.__setattr__(self, "created_by", self.annotator)

    @property
    def status(self) -> str | None:
        """A claim's fact-check status ("unchecked" when none was stored); ``None`` for anything else."""
        if self.label != CLAIM:
            return None
        status = self.attrs.get("status")
        return str(status) if status else DEFAULT_STATUS

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
            **quote_selector(article_text, start, end),
            # Every claim is made with a status, whichever key or tool made it.
            attrs={"status": DEFAULT_STATUS, **(attrs or {})} if label == CLAIM else dict(attrs or {}),
            origin=origin,
            annotator=annotator,
            created=stamp,
            modified=stamp,
            rev=1,
            created_by=annotator,
        )

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def is_entity(self) -> bool:
        return self.label in ENTITY_LABELS or self.label == NOT_ENTITY

    @property
    def modified_by(self) -> str:
        """Who made the last change (the stored ``annotator``)."""
        return self.annotator

    def edited(self, *, annotator: str, **changes) -> "Annotation":
        """A new revision with *changes* applied (label, attrs, ...); who created it, and when, stay."""
        kept = {"created_by", "created", "id"} & set(changes)
        if kept:
            raise ValueError(f"an edit cannot change {', '.join(sorted(kept))}")
        return replace(self, **changes, annotator=annotator, modified=now(), rev=self.rev + 1)

    def to_doc(self) -> dict:
        return asdict(self)

    @classmethod
    def from_doc(cls, doc: dict, *, length: int | None = None) -> "Annotation":
        """The annotation a database document holds, checked and sanitised (raises ``schema.Invalid``)."""
        from .schema import annotation  # schema builds on this module

        return annotation(doc, length=length)


@dataclass(frozen=True)
class Tombstone:
    """What is left of a deleted annotation: kept so that no stale edit can bring it back."""

    id: str
    article_id: str
    deleted_by: str
    deleted_at: str
    rev: int

    def to_doc(self) -> dict:
        return {"id": self.id, "article_id": self.article_id, "deleted": True,
                "deleted_by": self.deleted_by, "deleted_at": self.deleted_at, "rev": self.rev}
