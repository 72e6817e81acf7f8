"""The reader's tagging keys turned into session commands: tag (`q`, `c`, `t`), edit, link a speaker,
delete, undo and redo, with the dialogs they need and what the user is told.

A plain object the reader holds. What each key acts on is found by :mod:`annotations.targets`;
the change is the session's (annotations/session.py), and the screen redraws when its event
comes back.

Tagging exactly the span and label of a suggestion (`q` inside a suggested quotation)
stores what accepting it stores, speaker and origin included. Tagging a span again with
the same label stores nothing: the existing annotation is selected and the status bar
says it is already tagged (unless a colleague tagged it: theirs is theirs).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from annotations import targets
from annotations.editing import colleague_owner, in_short, speaker_choice, speaker_name_from
from annotations.model import CLAIM, ENTITY_LABELS, NOT_ENTITY, QUOTE, Annotation
from annotations.speakers import SpeakerChoice

if TYPE_CHECKING:
    from .editor import Changes
    from .reader import ReaderScreen

#: Built-in labels of the picker, with their keys; the config file adds more.
BUILT_IN_LABELS = [(QUOTE, "q"), (CLAIM, "c")]


class Tagging:
    def __init__(self, reader: ReaderScreen) -> None:
        self.reader = reader
        #: The quote whose speaker a second `@` names, between the two presses.
        self.linking: Annotation | None = None

    @property
    def session(self):
        return self.reader.session

    def _notify(self, message: str, *, note: str | None = None) -> None:
        """Tell the user what a key did: in a notification, and first in the status bar (*note*, or the
        message itself), in place of what the last key said there."""
        self.reader.say(note or message)
        self.reader.notify(message, markup=False)

    def _saving(self) -> None:
        self.reader.show_saving()

    def _show_under_cursor(self) -> None:
        reader = self.reader
        reader.status.under_cursor = reader.describe(reader.view.cursor)

    def annotation_under_cursor(self) -> Annotation | None:
        return targets.innermost(self.reader.annotations_at(self.reader.view.cursor))

    def _if_colleague_agrees(self, ann: Annotation, doing: str, then, keys: str) -> None:
        """Do *then* at once for one's own *ann*; for a colleague's, once the user says yes to a question
        that names whose it is (*doing* it takes their work away or makes it one's own)."""
        owner = colleague_owner(ann, self.session.annotator)
        if owner is None:
            then()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                then()
            else:
                self.reader.say(f"{owner}'s {ann.label} left as it is")

        from .confirm import Confirm

        self.reader.app.push_screen(Confirm(f"{doing} {owner}'s {in_short(ann, 40)}? It is {owner}'s, not yours.", keys),
                                    answered)

    # ---- tagging --------------------------------------------------------------------

    def tag_quote(self) -> None:
        view = self.reader.view
        span = targets.quote_span(view.text, view.selection, view.cursor)
        if span is None:
            self._notify("select text first (v), or put the cursor inside a quotation")
            return
        self.tag(QUOTE, *span)

    def tag_claim(self) -> None:
        view = self.reader.view
        span = targets.claim_span(self.reader.segments, view.selection, view.cursor)
        if span is None:
            self._notify("select text first (v), or put the cursor on a sentence")
            return
        self.tag(CLAIM, *span)

    def label_choices(self) -> list[tuple[str, str]]:
        choices = [*BUILT_IN_LABELS, *self.reader.app.user_labels.items()]
        taken = {label for label, _ in choices}
        choices += [(label, "") for label in ENTITY_LABELS if label not in taken]
        return choices

    def tag_with_label(self) -> None:
        view = self.reader.view
        span = targets.label_span(view.selection, self.reader.entities_at(view.cursor))
        if span is None:
            self._notify("select text first (v), or put the cursor on an entity")
            return

        def picked(label: str | None) -> None:
            if label:
                self.tag(label, *span)

        from .label_picker import LabelPicker  # screens used later are imported when first needed

        self.reader.app.push_screen(LabelPicker(self.label_choices()), picked)

    def tag(self, label: str, start: int, end: int) -> None:
        tagged = self.session.tag(label, start, end)
        if tagged.ann is None:
            self._notify(tagged.reason)
        elif tagged.created:
            view = self.reader.view
            view.clear_selection()
            ann = tagged.ann
            if not ann.start <= view.cursor < ann.end:
                # q on a quotation's opening mark tags the words inside it, and a tag drops the spaces a
                # selection ended on: step into the new tag, so the next key (enter, @, d) acts on it.
                view.move_to(ann.start if view.cursor < ann.start else ann.end - 1)
            self._saving()
            # What the last key said no longer holds; the new tag shows first under the cursor.
            self.reader.forget_note()
            self._show_under_cursor()
        else:
            # Nothing new: show the one there is, so the next key (enter, d, @) acts on it.
            ann = tagged.ann
            self.reader.marks.show(ann)
            self.reader.view.select(ann.start, ann.end)
            self._notify(f"already tagged as {label}", note=f"already tagged as {label}: selected")

    # ---- editing --------------------------------------------------------------------

    def edit_under_cursor(self) -> None:
        ann = self.annotation_under_cursor()
        if ann is None:
            self._notify("no annotation under the cursor")
            return
        speakers = sorted(
            {(e.text, e.label): e for e in reversed(self.reader.entities) if e.label in ("PERSON", "ORG")}.values(),
            key=lambda e: e.start,
        )
        labels = [label for label, _ in self.label_choices()]

        def edited(changes: Changes | None) -> None:
            if changes is not None and (changes.label, changes.attrs) != (ann.label, ann.attrs):
                # Based on the revision the editor opened on, not one a poll took in while it was open.
                self.session.edit(ann, seen=ann, label=changes.label, attrs=changes.attrs)
                self._saving()

        def open_editor() -> None:
            from .editor import AnnotationEditor

            self.reader.app.push_screen(AnnotationEditor(ann, labels, speakers), edited)

        self._if_colleague_agrees(ann, "Edit", open_editor,
                                  "y or enter opens it (a change makes it yours); n or esc leaves it")

    # ---- speakers -------------------------------------------------------------------

    def cancel_linking(self) -> None:
        if self.linking is not None:
            self.linking = None
            self._show_under_cursor()

    def link_speaker(self) -> None:
        """The first `@` picks the quote under the cursor; the second names its speaker at the cursor."""
        if self.linking is None:
            ann = self.annotation_under_cursor()
            if ann is None:
                self._notify("put the cursor on a quote first, then press @")
                return

            def start_linking() -> None:
                self.linking = ann
                self._show_under_cursor()

            self._if_colleague_agrees(ann, "Link a speaker to", start_linking,
                                      "y or enter goes on (the link makes it yours); n or esc leaves it")
            return
        ann, self.linking = self.linking, None
        choice = self.speaker_choice()
        if choice is None:
            self._show_under_cursor()
            self._notify("no speaker under the cursor")
            return
        speakers = [s.speaker for s in self.session.all_suggestions if s.speaker]
        name, person = speaker_name_from(choice, self.reader.entities, speakers)
        self._link_named(ann, choice, name, person)

    def _link_named(self, ann: Annotation, choice: SpeakerChoice, name: str | None, person: bool) -> None:
        if person and choice.text[:1].isupper():
            # A name the model did not tag ("Reed told") that the article gives a person: no need to ask.
            choice = replace(choice, doubt=None)
        if choice.doubt is None:
            self._link(ann, choice, name)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._link(ann, choice, name)
            else:
                self._show_under_cursor()
                self._notify("no speaker linked")

        from .confirm import Confirm

        why = choice.doubt[0].upper() + choice.doubt[1:]
        question = f"Link “{choice.text}” as the speaker of this {ann.label}? {why}."
        self.reader.app.push_screen(Confirm(question, "@, y or enter links it; n or esc cancels"), confirmed)

    def speaker_choice(self) -> SpeakerChoice | None:
        """The speaker a second @ links: the selection, else the name or word at the cursor."""
        reader = self.reader
        cursor = reader.view.cursor
        return speaker_choice(reader.view.text, reader.view.selection, cursor, reader.entities_at(cursor),
                              entities_known=bool(reader.model_entities))

    def _link(self, ann: Annotation, choice: SpeakerChoice, name: str | None) -> None:
        self.session.link_speaker(ann, choice, name)
        self._saving()
        self.reader.view.clear_selection()
        self._notify(f"speaker: {name}" if name and name != choice.text else f"speaker: {choice.text}")

    # ---- deleting, undo and redo ----------------------------------------------------

    def delete_under_cursor(self) -> None:
        """`d`: the annotation under the cursor, else an entity correction, else the model's entity (as a correction)."""
        cursor = self.reader.view.cursor
        ann = self.annotation_under_cursor()
        if ann is not None:
            self._if_colleague_agrees(ann, "Delete", lambda: self._delete(ann),
                                      "y or enter deletes it (u undoes); n or esc keeps it")
            return
        correction = targets.correction_to_delete(self.reader.annotations, cursor)
        if correction is not None:
            self.session.delete(correction)
            return
        span = targets.entity_span(self.reader.entities_at(cursor))
        if span is not None:
            # Deleting a model entity is itself a correction, so it can be undone and it sticks.
            self.tag(NOT_ENTITY, *span)
            return
        self._notify("nothing to delete under the cursor")

    def _delete(self, ann: Annotation) -> None:
        self.session.delete(ann)
        self._saving()
        owner = colleague_owner(ann, self.session.annotator)
        if owner is not None:  # said, since the owner's screen will say so too
            self.reader.say(f"deleted {owner}'s {ann.label} (u undoes)")
        else:  # one's own: the mark going is the word, and what the last key said no longer holds
            self.reader.forget_note()
            self._show_under_cursor()

    def undo(self) -> None:
        self._said(self.session.undo(), "undo")

    def redo(self) -> None:
        self._said(self.session.redo(), "redo")

    def _said(self, cmd, word: str) -> None:
        """Say what undo or redo did (the session opened its article and moves the cursor to it)."""
        if cmd is None:
            self._notify(f"nothing to {word}")
            return
        self._saving()
        # In place of the word about the change undone ("rejected (u undoes)"), which no longer holds.
        self._notify(f"{word} {cmd.summary}")
