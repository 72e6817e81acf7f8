"""A change of mine the file refused, because a colleague saved first: theirs beside mine, and a choice.

`t` keeps theirs (the file stays as they left it), `m` writes mine on top of theirs. The screen
only shows and asks; the session settles it (Session.resolve).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from annotations.model import Annotation, Tombstone
from annotations.session import ConflictChoice
from annotations.speakers import speaker_name


def describe(version: Annotation | Tombstone | None, who: str) -> Text:
    """One side of the conflict as plain text (never markup: it quotes the article and names people)."""
    if version is None:
        return Text(f"{who}: not in the file any more")
    if isinstance(version, Tombstone):
        return Text(f"{who}: deleted by {version.deleted_by} at {version.deleted_at[:19]}")
    # annotator names the last change (see annotations/model.py).
    lines = [f"{who}: {version.label}, last changed by {version.annotator}", " ".join(version.text.split())[:120]]
    speaker = speaker_name(version.attrs.get("speaker"))
    if speaker:
        lines.append(f"speaker: {speaker}")
    for name in ("status", "note"):
        if version.attrs.get(name):
            lines.append(f"{name}: {' '.join(str(version.attrs[name]).split())[:80]}")
    lines.append(f"rev {version.rev}")
    return Text("\n".join(lines))


class ConflictScreen(ModalScreen[bool]):
    """Shows what a colleague saved and what I meant; dismissed with True to apply mine on top."""

    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > Vertical {
        width: 90; max-width: 100%; height: auto;
        border: round $error; background: $surface; padding: 0 1;
    }
    ConflictScreen Horizontal { height: auto; }
    ConflictScreen .side { width: 1fr; padding: 0 1; }
    """

    BINDINGS = [
        Binding("t", "choose(False)", "Keep theirs", id="conflict-keep-theirs"),
        Binding("m", "choose(True)", "Apply mine on top", id="conflict-apply-mine"),
    ]

    def __init__(self, choice: ConflictChoice) -> None:
        super().__init__()
        self.choice = choice

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("A colleague saved this annotation first; your change was not written.", style="bold"))
            with Horizontal():
                yield Static(describe(self.choice.theirs, "theirs"), classes="side", id="theirs")
                yield Static(describe(self.choice.mine, "mine") if self.choice.mine is not None
                             else Text("mine: delete it"), classes="side", id="mine")
            yield Static(Text("t keeps theirs (mine leaves undo and redo); m applies mine on top of theirs", style="dim"), id="keys")

    def action_choose(self, mine: bool) -> None:
        self.dismiss(mine)
