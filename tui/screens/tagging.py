"""Tagging in the reader: selecting, tagging, editing, linking speakers, deleting, undo and redo.

A mixin of :class:`~tui.screens.reader.ReaderScreen`, which holds the keys
(BINDINGS) and the state these actions read: the view, the article and its
annotations.

Tagging exactly the span and label of a suggestion (`q` inside a suggested quotation)
stores what accepting it stores, speaker and origin included: the span and the speaker
are the suggester's, and the origin says so. Tagging a span again with the same label
stores nothing and says it is already tagged (unless a colleague tagged it: theirs is theirs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotations.article import ArticleError
from annotations.history import Create, Delete, Edit
from annotations.model import CLAIM, ENTITY_LABELS, NOT_ENTITY, QUOTE, Annotation
from annotations.quotations import quotation_at
from annotations.speakers import SpeakerChoice, speaker_at

from ..widgets.annotation_panel import AnnotationPanel

if TYPE_CHECKING:
    from .editor import Changes

#: Built-in labels of the picker, with their keys; the config file adds more.
BUILT_IN_LABELS = [(QUOTE, "q"), (CLAIM, "c")]


class Tagging:
    #: The mark (start, end, label, annotation id or "" for a suggestion) that `]` or `[` last went to.
    _current_mark: tuple[int, int, str, str] | None = None

    def annotations_at(self, offset: int) -> list[Annotation]:
        """Annotations (not entity corrections) under *offset*, innermost first."""
        found = [a for a in self.annotations if a.start <= offset < a.end and not a.is_entity]
        return sorted(found, key=lambda a: a.end - a.start)

    def action_toggle_selection(self) -> None:
        if self.view.selection is None:
            self.view.start_selection()
        else:
            self.view.clear_selection()

    def action_clear_selection(self) -> None:
        if self._linking is not None:
            self._linking = None
            self.status.under_cursor = self.describe(self.view.cursor)
        self.view.clear_selection()

    def action_extend(self, motion: str) -> None:
        if self.view.selection is None:
            self.view.start_selection()
        getattr(self, f"action_{motion}")()

    def action_select_sentence(self) -> None:
        span = self.segments.sentence_at(self.view.cursor)
        if span is None:
            self.notify("no sentence under the cursor", markup=False)
            return
        self.view.select(*span)

    def action_select_quotation(self) -> None:
        span = quotation_at(self.view.text, self.view.cursor)
        if span is None:
            self.notify("the cursor is not inside a quotation", markup=False)
            return
        self.view.select(*span)

    # ---- tagging --------------------------------------------------------------------

    def action_tag_quote(self) -> None:
        span = self.view.selection or quotation_at(self.view.text, self.view.cursor)
        if span is None:
            self.notify("select text first (v), or put the cursor inside a quotation", markup=False)
            return
        self.tag(QUOTE, *span)

    def action_tag_claim(self) -> None:
        span = self.view.selection or self.segments.sentence_at(self.view.cursor)
        if span is None:
            self.notify("select text first (v), or put the cursor on a sentence", markup=False)
            return
        self.tag(CLAIM, *span)

    def label_choices(self) -> list[tuple[str, str]]:
        choices = [*BUILT_IN_LABELS, *self.app.user_labels.items()]
        taken = {label for label, _ in choices}
        choices += [(label, "") for label in ENTITY_LABELS if label not in taken]
        return choices

    def action_tag_with_label(self) -> None:
        span = self.view.selection or self.entity_span_at(self.view.cursor)
        if span is None:
            self.notify("select text first (v), or put the cursor on an entity", markup=False)
            return

        def picked(label: str | None) -> None:
            if label:
                self.tag(label, *span)

        from .label_picker import LabelPicker  # screens used later are imported when first needed

        self.app.push_screen(LabelPicker(self.label_choices()), picked)

    def entity_span_at(self, offset: int) -> tuple[int, int] | None:
        for entity in self.entities_at(offset):
            return (entity.start, entity.end)
        return None

    def tag(self, label: str, start: int, end: int) -> None:
        assert self.article is not None
        text = self.view.text
        # Trim white space at the edges so a tag covers words, not the gaps around them.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            self.notify("nothing to tag: the span is empty", markup=False)
            return
        # A colleague's tag of the same span is theirs: each annotator's own count for agreement.
        mine = (label, start, end, self.app.annotator)
        if any((a.label, a.start, a.end, a.annotator) == mine for a in self.annotations):
            self.view.clear_selection()
            self.notify(f"already tagged as {label}", markup=False)
            return
        suggested = next((s for s in self.all_suggestions if (s.label, s.start, s.end) == (label, start, end)), None)
        if suggested is not None:
            ann = self.accepted(suggested)
        else:
            ann = Annotation.create(
                article_id=self.article.id,
                source=self.article.source,
                article_text=text,
                label=label,
                start=start,
                end=end,
                annotator=self.app.annotator,
            )
        self.app.history.apply(Create(ann))
        self.view.clear_selection()
        self.status.saving = "saving"
        self.annotations_changed()

    def annotation_under_cursor(self) -> Annotation | None:
        found = self.annotations_at(self.view.cursor)
        return found[0] if found else None

    def action_edit(self) -> None:
        ann = self.annotation_under_cursor()
        if ann is None:
            self.notify("no annotation under the cursor", markup=False)
            return
        speakers = sorted(
            {(e.text, e.label): e for e in reversed(self.entities) if e.label in ("PERSON", "ORG")}.values(),
            key=lambda e: e.start,
        )
        labels = [label for label, _ in self.label_choices()]

        def edited(changes: Changes | None) -> None:
            if changes is not None and (changes.label, changes.attrs) != (ann.label, ann.attrs):
                self.edit(ann, label=changes.label, attrs=changes.attrs)

        from .editor import AnnotationEditor

        self.app.push_screen(AnnotationEditor(ann, labels, speakers), edited)

    def edit(self, ann: Annotation, **changes) -> None:
        after = ann.edited(annotator=self.app.annotator, **changes)
        self.app.history.apply(Edit(ann, after))
        self.status.saving = "saving"
        self.annotations_changed()

    def action_link_speaker(self) -> None:
        if self._linking is None:
            ann = self.annotation_under_cursor()
            if ann is None:
                self.notify("put the cursor on a quote first, then press @", markup=False)
                return
            self._linking = ann
            self.status.under_cursor = self.describe(self.view.cursor)
            return
        ann, self._linking = self._linking, None
        choice = self.speaker_choice()
        if choice is None:
            self.status.under_cursor = self.describe(self.view.cursor)
            self.notify("no speaker under the cursor", markup=False)
            return
        if choice.doubt is None:
            self.link_speaker(ann, choice)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.link_speaker(ann, choice)
            else:
                self.status.under_cursor = self.describe(self.view.cursor)
                self.notify("no speaker linked", markup=False)

        from .confirm import Confirm

        why = choice.doubt[0].upper() + choice.doubt[1:]
        question = f"Link “{choice.text}” as the speaker of this {ann.label}? {why}."
        self.app.push_screen(Confirm(question, "@, y or enter links it; n or esc cancels"), confirmed)

    def speaker_choice(self) -> SpeakerChoice | None:
        """The speaker a second @ links: the selection, else what :func:`speaker_at` finds at the cursor."""
        text = self.view.text
        if self.view.selection is not None:
            start, end = self.view.selection
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            return SpeakerChoice(start, end, text[start:end]) if start < end else None
        cursor = self.view.cursor
        return speaker_at(text, cursor, self.entities_at(cursor), entities_known=bool(self.model_entities))

    def link_speaker(self, ann: Annotation, choice: SpeakerChoice) -> None:
        current = self.app.history.annotations.get(ann.id) or ann
        self.edit(current, attrs={**current.attrs, "speaker": choice.to_attr()})
        self.view.clear_selection()
        self.notify(f"speaker: {choice.text}", markup=False)

    def action_delete(self) -> None:
        assert self.article is not None
        ann = self.annotation_under_cursor()
        if ann is not None:
            self.app.history.apply(Delete(ann))
            self.status.saving = "saving"
            self.annotations_changed()
            return
        correction = next((a for a in self.annotations if a.is_entity and a.start <= self.view.cursor < a.end), None)
        if correction is not None and correction.label != NOT_ENTITY:
            self.app.history.apply(Delete(correction))
            self.annotations_changed()
            return
        span = self.entity_span_at(self.view.cursor)
        if span is not None:
            # Deleting a model entity is itself a correction, so it can be undone and it sticks.
            self.tag(NOT_ENTITY, *span)
            return
        self.notify("nothing to delete under the cursor", markup=False)

    def action_undo(self) -> None:
        cmd = self.app.history.undo()
        self._after_history(cmd, "undo")

    def action_redo(self) -> None:
        cmd = self.app.history.redo()
        self._after_history(cmd, "redo")

    def _after_history(self, cmd, word: str) -> None:
        if cmd is None:
            self.notify(f"nothing to {word}", markup=False)
            return
        if self.article is None or cmd.article_id != self.article.id:
            target = next((i for i in range(len(self.app.paths)) if self._article_id(i) == cmd.article_id), None)
            if target is not None:
                self.open_article(target)
        self.status.saving = "saving"
        if self.article is not None and cmd.article_id == self.article.id:
            self.annotations_changed()
            self.view.move_to(cmd.start)
        self.notify(f"{word} {cmd.summary}", markup=False)

    def _article_id(self, index: int) -> str | None:
        try:
            return self.app.article(index).id
        except ArticleError:
            return None

    def _marks(self) -> list[tuple[int, int, str, str]]:
        """Every annotation and suggestion as (start, end, label, annotation id or ""), in text order."""
        marks = [(a.start, a.end, a.label, a.id) for a in self.annotations if not a.is_entity]
        marks += [(s.start, s.end, s.label, "") for s in self.suggestions]
        return sorted(marks)

    def action_next_annotation(self) -> None:
        self._step_mark(1)

    def action_previous_annotation(self) -> None:
        self._step_mark(-1)

    def _step_mark(self, step: int) -> None:
        """Go to the next (or previous) mark; marks that start at the same place (a suggested quote and
        a suggested claim over one span) are each visited in turn, the cursor staying put."""
        marks = self._marks()
        cursor = self.view.cursor
        current = self._current_mark
        if current not in marks or current[0] != cursor:
            # Arrived some other way: the first mark that starts here counts as the one shown.
            current = next((m for m in marks if m[0] == cursor), None)
        if current is not None:
            at = marks.index(current) + step
            target = marks[at] if 0 <= at < len(marks) else None
        elif step > 0:
            target = next((m for m in marks if m[0] > cursor), None)
        else:
            target = next((m for m in reversed(marks) if m[0] < cursor), None)
        if target is None:
            return
        self._current_mark = target
        self.view.move_to(target[0])
        self.status.under_cursor = self.describe(target[0])  # also when the cursor did not move

    def action_toggle_annotation_panel(self) -> None:
        self.when_mounted(AnnotationPanel, self.toggle_panel)
