"""The Messages screens react to: each carries one event of the session (annotations/session.py).

The app receives every session event as a :class:`SessionEvent` (posting is thread-safe, and
saves report from the writer thread) and hands each screen of its stack the matching message
below, on the event loop. They do not bubble: a screen that has no handler simply ignores one.
"""

from __future__ import annotations

from textual.message import Message

from annotations import session


class SessionEvent(Message):
    """An event of the session, on its way to the app's event loop."""

    def __init__(self, event: session.Event) -> None:
        super().__init__()
        self.event = event


class ArticleOpened(Message, bubble=False):
    def __init__(self, event: session.ArticleOpened) -> None:
        super().__init__()
        self.index = event.index
        self.article = event.article


class AnnotationsChanged(Message, bubble=False):
    def __init__(self, event: session.AnnotationsChanged) -> None:
        super().__init__()
        self.article_id = event.article_id
        self.ids = event.ids
        self.spans = event.spans  # None: everything may have changed
        self.focus = event.focus
        self.notes = event.notes  # colleagues' changes to the annotator's own annotations, to tell


class Saved(Message, bubble=False):
    """A save attempt finished, well or not (``result.ok``)."""

    def __init__(self, event: session.Saved | session.SaveFailed) -> None:
        super().__init__()
        self.result = event.result


_MESSAGES: dict[type, type[Message]] = {
    session.ArticleOpened: ArticleOpened,
    session.AnnotationsChanged: AnnotationsChanged,
    session.Saved: Saved,
    session.SaveFailed: Saved,
}


def message_for(event: session.Event) -> Message | None:
    """A new Message for *event* (one per receiver: a message is handled once), or None if no screen wants it."""
    kind = _MESSAGES.get(type(event))
    return None if kind is None else kind(event)  # type: ignore[call-arg]
