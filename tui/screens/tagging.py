"""Tagging in the reader: selecting, tagging, editing, linking speakers, deleting, undo and redo.

A mixin of :class:`~tui.screens.reader.ReaderScreen`, which holds the keys
(BINDINGS) and the view. Each action finds the span or the annotation it acts on
from the view and asks the session (annotations/session.py) to make the change;
the screen redraws when the session's event comes back.

Tagging exactly the span and label of a suggestion (`q` inside a suggested quotation)
stores what accepting it stores, speaker and origin included. Tagging a span again with
the same label stores nothing: the existing annotation is selected and the status bar
says it is already tagged (unless a colleague tagged it: theirs is theirs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotations.editing import speaker_choice
from annotations.model import CLAIM, ENTITY_LABELS, NOT_ENTITY, QUOTE, Annotation
from annotations.quotations import quotation_at
from annotations.speakers import SpeakerChoice

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
        return self.session.annotations_at(offset)

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
        tagged = self.session.tag(label, start, end)
        if tagged.ann is None:
            self.notify(tagged.reason, markup=False)
        elif tagged.created:
            self.view.clear_selection()
            self.status.saving = "saving"
        else:
            # Nothing new: show the one there is, so the next key (enter, d, @) acts on it.
            ann = tagged.ann
            self._current_mark = (ann.start, ann.end, ann.label, ann.id)
            self.view.select(ann.start, ann.end)
            self.say(f"already tagged as {label}: selected")
            self.notify(f"already tagged as {label}", markup=False)

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
        self.session.edit(ann, **changes)
        self.status.saving = "saving"

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
        """The speaker a second @ links: the selection, else the name or word at the cursor."""
        cursor = self.view.cursor
        return speaker_choice(self.view.text, self.view.selection, cursor, self.entities_at(cursor),
                              entities_known=bool(self.model_entities))

    def link_speaker(self, ann: Annotation, choice: SpeakerChoice) -> None:
        self.session.link_speaker(ann, choice)
        self.status.saving = "saving"
        self.view.clear_selection()
        self.notify(f"speaker: {choice.text}", markup=False)

    def action_delete(self) -> None:
        ann = self.annotation_under_cursor()
        if ann is not None:
            self.session.delete(ann)
            self.status.saving = "saving"
            return
        correction = next((a for a in self.annotations if a.is_entity and a.start <= self.view.cursor < a.end), None)
        if correction is not None and correction.label != NOT_ENTITY:
            self.session.delete(correction)
            return
        span = self.entity_span_at(self.view.cursor)
        if span is not None:
            # Deleting a model entity is itself a correction, so it can be undone and it sticks.
            self.tag(NOT_ENTITY, *span)
            return
        self.notify("nothing to delete under the cursor", markup=False)

    def action_undo(self) -> None:
        self._said(self.session.undo(), "undo")

    def action_redo(self) -> None:
        self._said(self.session.redo(), "redo")

    def _said(self, cmd, word: str) -> None:
        """Say what undo or redo did (the session opened its article and moves the cursor to it)."""
        if cmd is None:
            self.notify(f"nothing to {word}", markup=False)
            return
        self.status.saving = "saving"
        self.notify(f"{word} {cmd.summary}", markup=False)

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
