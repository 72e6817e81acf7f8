"""Helpers for Pilot tests of the reader: find its parts, press keys, read what was saved."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tui.screens.reader import ReaderScreen
from tui.widgets.article_view import ArticleView
from tui.widgets.status_bar import StatusBar


def reader(app) -> ReaderScreen:
    assert isinstance(app.screen, ReaderScreen), f"expected the reader, got {type(app.screen).__name__}"
    return app.screen


def view_of(app) -> ArticleView:
    return app.screen.query_one(ArticleView)


def status_of(app) -> StatusBar:
    return app.screen.query_one(StatusBar)


def record_notifications(app) -> list[str]:
    """Every notification the app shows from now on, as plain strings."""
    messages: list[str] = []
    original = app.notify

    def notify(message, *args, **kwargs):
        messages.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify
    return messages


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def annotations_loaded(pilot) -> None:
    """Wait until the reader has read the article's stored annotations (a worker thread)."""
    # The read starts after the first paint, so wait for it to have happened, not just for no worker.
    for _ in range(200):
        screen = pilot.app.screen
        if isinstance(screen, ReaderScreen) and screen.article is not None and pilot.app.session.loaded(screen.article.id):
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("the stored annotations were never loaded")


def saved_docs(app, db: Path) -> list[dict]:
    """The live annotation documents in the database file (tombstones left out), once the save
    queue has written everything."""
    assert app.saves.flush(5), f"the save queue did not flush ({app.saves.pending} pending)"
    data = json.loads(db.read_text(encoding="utf-8"))
    live = [d for d in data.get("annotations", {}).values() if not d.get("deleted")]
    return sorted(live, key=lambda d: (d["article_id"], d["start"], d["end"], d["label"]))


async def until(pilot, condition, what: str, timeout: float = 15.0) -> None:
    """Wait until *condition()* holds; fail naming *what* and the status bar's save field."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout}s "
                                 f"(status bar save field: {status_of(pilot.app).saving!r})")
        await pilot.pause(0.05)


async def speaker_named(pilot) -> None:
    """Let a second `@` take effect: it links at once (or asks first) and the screen catches up."""
    await pilot.pause()
    await pilot.pause()
