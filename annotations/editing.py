"""The rules of annotating, apart from any screen: which span a tag covers, who a second `@` names,
what accepting a suggestion stores, and which suggestions are worth showing.

Plain functions over plain values, so the session (and any front end) can use them and a unit
test can check them without an app.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from .article import Article
from .model import Annotation, Entity
from .speakers import SpeakerChoice, speaker_at

if TYPE_CHECKING:  # the suggester is imported by the analysis, not at start-up
    from .suggest import Suggestion

#: (label, start, end): how a suggestion, a rejection and a tag are compared.
Key = tuple[str, int, int]


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """*start*..*end* without the white space at its edges (a tag covers words, not the gaps around
    them); ``None`` when nothing but white space is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def speaker_choice(
    text: str, selection: tuple[int, int] | None, cursor: int, entities: Sequence[Entity], *, entities_known: bool
) -> SpeakerChoice | None:
    """The speaker a second `@` links: the selection (trimmed), else the name or word at the cursor."""
    if selection is not None:
        span = trim_span(text, *selection)
        return None if span is None else SpeakerChoice(span[0], span[1], text[span[0]:span[1]])
    return speaker_at(text, cursor, list(entities), entities_known=entities_known)


#: How much of the article before a speaker is parsed to name them: enough for the names of the pages
#: before it, while naming one in a long article costs no more than in a short one.
NAMING_WINDOW = 20_000


def speaker_name_in(nlp, text: str, start: int, end: int) -> tuple[str | None, bool]:
    """The fullest name the article gives the speaker at *start*..*end* ("Reed" -> "Thomas Reed"), by
    the suggester's own resolver, and whether that names a person the article mentions.

    Parses the whole article with the pipeline *nlp* (a long one from a paragraph break up to
    :data:`NAMING_WINDOW` characters before the speaker to the end of its paragraph), once for
    the speakers of one article: call it off the event loop.
    """
    from .suggest.docview import DocView
    from .suggest.quotes import QuoteFinder

    lo, hi = 0, len(text)
    if len(text) > NAMING_WINDOW:
        if start > NAMING_WINDOW:
            lo = text.find("\n\n", start - NAMING_WINDOW, start)
            lo = start - NAMING_WINDOW if lo < 0 else lo + 2
        hi = text.find("\n\n", end)
        hi = len(text) if hi < 0 else hi
    doc = _parsed(nlp, text[lo:hi])
    mention = doc.char_span(start - lo, end - lo, alignment_mode="expand")
    if mention is None:
        return None, False
    finder = QuoteFinder(DocView(doc))
    person = finder.people.resolve(mention)
    return person or finder._name_of(mention), person is not None


@lru_cache(maxsize=1)
def _parsed(nlp, text: str):
    """The parse of *text*, kept for the next speaker of the same article (a parse takes seconds)."""
    from .nlp import parse

    return parse(nlp, text)


def key_of(item: Annotation | Suggestion) -> Key:
    return (item.label, item.start, item.end)


def same_tag(annotations: Iterable[Annotation], label: str, start: int, end: int, annotator: str) -> Annotation | None:
    """The annotator's own annotation of exactly this span and label, if there is one.

    A colleague's tag of the same span is theirs: each annotator keeps their own, for agreement.
    """
    wanted = (label, start, end, annotator)
    return next((a for a in annotations if (a.label, a.start, a.end, a.annotator) == wanted), None)


def colleague_owner(ann: Annotation, annotator: str) -> str | None:
    """Whose *ann* is when it is a colleague's, not *annotator*'s own; ``None`` for one's own.

    Deleting a colleague's annotation takes their work away, and an edit or a speaker link makes
    the annotation the editor's (its annotator is whoever changed it last), so either asks first.
    """
    return ann.annotator if ann.annotator and ann.annotator != annotator else None


def in_short(ann: Annotation, width: int = 30) -> str:
    """*ann* named in a few words for a message: its label and the start of its text, on one line."""
    words = " ".join(ann.text.split())
    return f"{ann.label} “{words if len(words) <= width else words[:width - 1] + '…'}”"


def colleague_change_note(held: Annotation, theirs: Annotation | None, by: str, annotator: str) -> str | None:
    """What to tell *annotator* when a colleague's change, taken in from the file, touched their own
    annotation *held*: deleted (*theirs* is ``None``, *by* who deleted it) or changed into a colleague's."""
    if held.annotator != annotator:
        return None
    if theirs is None:
        return f"{by or 'a colleague'} deleted your {in_short(held)}"
    if theirs.annotator != annotator:
        return f"{theirs.annotator} changed your {in_short(held)}: it is now {theirs.annotator}'s"
    return None


def from_suggestion(suggestion: Suggestion, article: Article, annotator: str) -> Annotation:
    """The annotation that accepting *suggestion* stores: its span, speaker, kind, confidence and
    reasons, with the rule and the confidence as its origin."""
    attrs: dict = {"confidence": suggestion.confidence, "reasons": list(suggestion.reasons)}
    if suggestion.speaker:
        attrs["speaker"] = dict(suggestion.speaker)
    if suggestion.kind:
        attrs["kind"] = suggestion.kind
    return Annotation.create(
        article_id=article.id,
        source=article.source,
        article_text=article.text,
        label=suggestion.label,
        start=suggestion.start,
        end=suggestion.end,
        annotator=annotator,
        attrs=attrs,
        origin=f"{suggestion.rule}@{suggestion.confidence:.2f}",
    )


def visible_suggestions(
    suggestions: Iterable[Suggestion],
    annotations: Iterable[Annotation],
    rejected: Collection[Key],
    *,
    threshold: float,
    show_all: bool,
) -> list[Suggestion]:
    """The suggestions worth showing, in the order given.

    Normally: at or above *threshold*, not rejected, not already tagged, and not an indirect
    quote. *show_all* (the `*` key) shows every one not yet tagged, the rejected ones too, so a
    rejection can be seen and taken back.
    """
    taken = {key_of(a) for a in annotations}
    if show_all:
        return [s for s in suggestions if key_of(s) not in taken]
    return [
        s for s in suggestions
        if s.confidence >= threshold and key_of(s) not in rejected and key_of(s) not in taken and s.kind != "indirect"
    ]


def accept_all_candidates(shown: Iterable[Suggestion], rejected: Collection[Key], threshold: float) -> list[Suggestion]:
    """What `!` accepts: the shown suggestions above the threshold that are not rejected, each span and
    label once (two suggesters may offer the same)."""
    return list({key_of(s): s for s in shown if s.confidence >= threshold and key_of(s) not in rejected}.values())
