"""The annotation editor: label, speaker, note and, for claims, a status."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from annotations.model import CLAIM, CLAIM_STATUSES, Annotation, Entity
from annotations.speakers import speaker_mention, speaker_name

from ..widgets.side_panel import excerpt

NO_SPEAKER = "\0none"


@dataclass(frozen=True)
class Changes:
    """What the editor hands back: the new label and attrs."""

    label: str
    attrs: dict


class AnnotationEditor(ModalScreen[Changes | None]):
    # One line a field (compact widgets, the name beside it) so the editor fits 60x20; the
    # fields scroll if the terminal is smaller still, and the hint stays below them.
    DEFAULT_CSS = """
    AnnotationEditor { align: center middle; }
    AnnotationEditor > #dialog {
        width: 72; max-width: 100%; height: 17; max-height: 100%;
        border: round $primary; border-title-style: bold; background: $surface; padding: 0 1;
    }
    AnnotationEditor #excerpt { max-height: 3; margin-bottom: 1; }
    AnnotationEditor #fields { height: 1fr; }
    AnnotationEditor .row { height: 1; margin-bottom: 1; }
    AnnotationEditor .name { width: 9; text-style: bold; }
    AnnotationEditor .row Input, AnnotationEditor .row Select { width: 1fr; }
    AnnotationEditor .row Input:focus { background: $boost; }
    AnnotationEditor #hint { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="editor-cancel"),
        Binding("ctrl+s", "save", "Save", id="editor-save", priority=True),
    ]

    def __init__(self, annotation: Annotation, labels: list[str], speakers: list[Entity]) -> None:
        super().__init__()
        self.annotation = annotation
        self._labels = labels if annotation.label in labels else [annotation.label, *labels]
        self._speakers = speakers

    def compose(self) -> ComposeResult:
        ann = self.annotation
        speaker = ann.attrs.get("speaker") or {}
        speaker_key = self._speaker_key(speaker)
        options = [(Text("(none)"), NO_SPEAKER)] + [(self._describe(e), self._key(e)) for e in self._speakers]
        if speaker_key != NO_SPEAKER and speaker_key not in {v for _, v in options}:
            # A linked speaker that is no entity of the list (a pronoun the suggester resolved): offer it as it is.
            options.insert(1, (self._describe_linked(speaker), speaker_key))
        typed = speaker.get("text", "") if speaker and "start" not in speaker else ""
        dialog = Vertical(id="dialog")
        dialog.border_title = "Edit annotation"
        with dialog:
            yield Static(Text(excerpt(ann.text, 150), style="italic"), id="excerpt")
            fields = VerticalScroll(id="fields")
            fields.can_focus = False  # tab goes from field to field; a focused field scrolls into view
            with fields:
                # Prompts are Text, never markup: labels come from a config file and speakers from the article.
                with Horizontal(classes="row"):
                    yield Label("Label", classes="name")
                    yield Select([(Text(label), label) for label in self._labels], value=ann.label,
                                 allow_blank=False, compact=True, id="label")
                with Horizontal(classes="row"):
                    yield Label("Speaker", classes="name")
                    yield Select(options, value=speaker_key if speaker_key in {v for _, v in options} else NO_SPEAKER,
                                 allow_blank=False, compact=True, id="speaker")
                with Horizontal(classes="row"):
                    yield Label("", classes="name")
                    yield Input(value=typed, placeholder="or type a name (wins over the list)", compact=True,
                                id="speaker-text")
                with Horizontal(classes="row"):
                    yield Label("Note", classes="name")
                    yield Input(value=ann.attrs.get("note", ""), placeholder="a note for colleagues", compact=True,
                                id="note")
                with Horizontal(classes="row"):
                    yield Label("Status", classes="name")
                    yield Select([(s, s) for s in CLAIM_STATUSES], value=ann.attrs.get("status", "unchecked"),
                                 allow_blank=False, compact=True, id="status", disabled=ann.label != CLAIM)
            yield Static(Text("ctrl+s saves, esc cancels, tab moves between fields"), id="hint")

    @staticmethod
    def _key(entity: Entity) -> str:
        return f"{entity.start}:{entity.end}"

    @staticmethod
    def _describe(entity: Entity) -> Text:
        return Text(f"{entity.text} ({entity.label})")

    @staticmethod
    def _describe_linked(speaker: dict) -> Text:
        mention = speaker_mention(speaker)
        return Text(f"{speaker_name(speaker)}" + (f" (matched “{mention}”)" if mention else ""))

    def _speaker_key(self, speaker: dict) -> str:
        if "start" in speaker and "end" in speaker:
            return f"{speaker['start']}:{speaker['end']}"
        return NO_SPEAKER

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "label":
            self.query_one("#status", Select).disabled = event.value != CLAIM

    def action_save(self) -> None:
        self.dismiss(self.changes())

    def keep_on_hang_up(self) -> None:
        """The terminal went (or SIGTERM came) with the editor open: a dropped link is not esc, so what
        was typed is kept, as ctrl+s keeps it; undo takes it back."""
        self.action_save()

    def changes(self) -> Changes:
        """What the fields say now."""
        attrs = {k: v for k, v in self.annotation.attrs.items() if k not in ("speaker", "note", "status")}
        label = str(self.query_one("#label", Select).value)
        typed = self.query_one("#speaker-text", Input).value.strip()
        chosen = str(self.query_one("#speaker", Select).value)
        original = self.annotation.attrs.get("speaker") or {}
        if typed:
            attrs["speaker"] = {"text": typed}
        elif chosen != NO_SPEAKER and chosen == self._speaker_key(original):
            attrs["speaker"] = dict(original)  # unchanged: keeps the resolved name with the words it was found in
        elif chosen != NO_SPEAKER:
            start, end = (int(x) for x in chosen.split(":"))
            entity = next(e for e in self._speakers if e.start == start and e.end == end)
            attrs["speaker"] = {"text": entity.text, "start": start, "end": end}
        note = self.query_one("#note", Input).value.strip()
        if note:
            attrs["note"] = note
        if label == CLAIM:
            attrs["status"] = str(self.query_one("#status", Select).value)
        return Changes(label=label, attrs=attrs)

    def action_cancel(self) -> None:
        self.dismiss(None)
