"""Tagging in the reader: selecting, tagging, editing, linking speakers, deleting, undo and redo.

A mixin of :class:`~tui.screens.reader.ReaderScreen`, which holds the keys
(BINDINGS) and the state these actions read: the view, the article and its
annotations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotations.article import ArticleError
from annotations.history import Create, Delete, Edit
from annotations.model import CLAIM, ENTITY_LABELS, NOT_ENTITY, QUOTE, Annotation
from annotations.quotations import quotation_at
from annotations.segments import next_start, previous_start

from ..widgets.annotation_panel import AnnotationPanel

if TYPE_CHECKING:
    from .editor import Changes

#: Built-in labels of the picker, with their keys; the config file adds more.
BUILT_IN_LABELS = [(QUOTE, "q"), (CLAIM, "c")]


class Tagging:
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
        span = self.view.selection or self.entity_span_at(self.view.cursor) or self.word_at(self.view.cursor)
        if span is None:
            self.notify("no speaker under the cursor", markup=False)
            return
        start, end = span
        speaker = {"text": self.view.text[start:end], "start": start, "end": end}
        current = self.app.history.annotations.get(ann.id) or ann
        self.edit(current, attrs={**current.attrs, "speaker": speaker})
        self.view.clear_selection()
        self.notify(f"speaker: {speaker['text']}", markup=False)

    def word_at(self, offset: int) -> tuple[int, int] | None:
        text = self.view.text
        if offset >= len(text) or not text[offset].isalnum():
            return None
        start = offset
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        end = offset
        while end < len(text) and text[end].isalnum():
            end += 1
        return (start, end)

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
        ann = getattr(cmd, "ann", None) or getattr(cmd, "after")
        if self.article is None or ann.article_id != self.article.id:
            target = next((i for i in range(len(self.app.paths)) if self._article_id(i) == ann.article_id), None)
            if target is not None:
                self.open_article(target)
        self.status.saving = "saving"
        if self.article is not None and ann.article_id == self.article.id:
            self.annotations_changed()
            self.view.move_to(ann.start)
        self.notify(f"{word}: {ann.label} {ann.text[:40]!s}", markup=False)

    def _article_id(self, index: int) -> str | None:
        try:
            return self.app.article(index).id
        except ArticleError:
            return None

    def _mark_starts(self) -> list[int]:
        starts = {a.start for a in self.annotations if not a.is_entity}
        return sorted(starts | {s.start for s in self.suggestions})

    def action_next_annotation(self) -> None:
        self._jump(next_start(self._mark_starts(), self.view.cursor))

    def action_previous_annotation(self) -> None:
        self._jump(previous_start(self._mark_starts(), self.view.cursor))

    def action_toggle_annotation_panel(self) -> None:
        self.toggle_panel(self.query_one(AnnotationPanel))
