"""AnnottyApp: opens the articles and the database, wires them to the reader screen."""

from __future__ import annotations

import argparse

from textual.app import App
from textual.binding import Binding

from annotations.analysis import Analyser
from annotations.article import Article, load

from .keymap import KeymapError, load_keymap


class OpenError(Exception):
    """The app cannot start (bad database, bad key file); the message is one line."""


class AnnottyApp(App[int]):
    TITLE = "annotty"
    ENABLE_COMMAND_PALETTE = True
    # No animations: they cost bytes on slow links and distract from reading.
    ANIMATION_LEVEL = "none"

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("question_mark", "help", "Keys", id="help"),
    ]

    def __init__(self, paths: list[str], options: argparse.Namespace, first: Article) -> None:
        super().__init__()
        self.paths = paths
        self.options = options
        self._articles: dict[int, Article] = {0: first}
        self.analyser = Analyser(options.model)
        try:
            self.user_keys = load_keymap()
        except KeymapError as exc:
            raise OpenError(str(exc)) from None

    def on_mount(self) -> None:
        self.animation_level = "none"
        if self.user_keys:
            self.set_keymap(self.user_keys)
        from .screens.reader import ReaderScreen

        self.push_screen(ReaderScreen())

    def article(self, index: int) -> Article:
        """The article at *index* of the paths, loaded on first use."""
        if index not in self._articles:
            self._articles[index] = load(
                self.paths[index], encoding=self.options.encoding, max_bytes=self.options.max_size
            )
        return self._articles[index]

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def key_bindings_for(self, binding_id: str, default: str) -> str:
        return self.user_keys.get(binding_id, default)


