"""The rules of annotating, apart from any screen: which span a tag covers, who a second `@` names,
what accepting a suggestion stores, and which suggestions are worth showing.

Plain functions over plain values, so the session (and any front end) can use them and a unit
test can check them without an app.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
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


def speaker_name_from(
    choice: SpeakerChoice, entities: Iterable[Entity], speakers: Iterable[dict]
) -> tuple[str | None, bool]:
    """The fullest name the article gives the speaker *choice* ("Reed" -> "Thomas Reed"), and whether
    that names a person the article mentions, from what the analysis already found: its *entities*
    and *speakers*, the speakers of its suggestions as the suggesters resolved them.

    No parse, so it runs on the event loop: the suggesters' own name for these very words first
    (a pronoun included), else the fullest name of the people the analysis found
    (:func:`suggest.people.fullest_name`). While the analysis is under way it names by what it has
    found so far; before that, the words are linked as they are.
    """
    from .suggest.people import fullest_name

    speakers = [s for s in speakers if isinstance(s.get("name"), str) and s["name"].strip()]
    people = [(e.start, e.text) for e in entities if e.label == "PERSON"]
    # The names the suggesters gave their speakers, where they are names: some are people the model did not tag.
    people += [(s.get("start", 0), s["name"]) for s in speakers
               if all(word[:1].isupper() for word in s["name"].split())]
    suggested = next((s["name"] for s in speakers if (s.get("start"), s.get("end")) == (choice.start, choice.end)), None)
    if suggested is not None:  # "the operator" is theirs too, but it is no person
        return suggested, fullest_name(suggested, choice.start, people) is not None
    name = fullest_name(choice.text, choice.start, people)
    return name, name is not None


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
