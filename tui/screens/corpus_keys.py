"""The reader's corpus keys: the corpus screen, done marks, the next article not done, statistics, and
where the status bar says the open article is in the corpus.

A plain object the reader holds; what it knows of the corpus is in :mod:`annotations.corpus`
(``app.corpus``). Of the reader it uses only ``index``, ``article``, ``open_article``, ``session``
(whose ``open`` says when a file cannot be read), ``status`` and ``notify``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotations.article import Article, ArticleError

if TYPE_CHECKING:
    from .reader import ReaderScreen


class CorpusKeys:
    def __init__(self, reader: ReaderScreen) -> None:
        self.reader = reader

    @property
    def corpus(self):
        return self.reader.app.corpus

    def _notify(self, message: str) -> None:
        self.reader.notify(message, markup=False)

    def resume_index(self) -> int:
        """Where a corpus reopens: the article this annotator had open last."""
        return self.corpus.resume_index() if len(self.corpus) > 1 else 0

    def article_opened(self, index: int, article: Article) -> None:
        """Record the article as the one open now (in a corpus: one article needs no resuming), and show
        where it is in the corpus."""
        if len(self.corpus) > 1:
            self.reader.app.saves.submit(self.corpus.opened(index, article))
        self.show_position()

    def show_position(self) -> None:
        corpus, index = self.corpus, self.reader.index
        done = corpus.is_done(index)
        self.reader.status.corpus = corpus.position(index) if len(corpus) > 1 else ("done" if done else "")

    def step(self, forward: bool) -> None:
        """`>` or `<`: the next or previous article that can be read, or say there is none."""
        index, count = self.reader.index, len(self.reader.session.corpus)
        targets = range(index + 1, count) if forward else range(index - 1, -1, -1)
        opened, skipped = self._open_first_readable(targets)
        if not opened and not skipped:
            self.say_no_more_articles(forward)
        elif not opened:  # only unreadable files that way: say this is the end, beside naming them
            self._notify(f"this is the {'last' if forward else 'first'} article that can be read; "
                         f"{'<' if forward else '>'} goes {'back' if forward else 'on'}, o lists them all")

    def _open_first_readable(self, targets: Iterable[int]) -> tuple[bool, int]:
        """Open the first of *targets* whose file can be read; whether one was, and how many could not be.
        Those are named in one notice: stopping at one would leave every article past it out of reach
        of > and J."""
        unreadable: list[str] = []
        opened = False
        for target in targets:
            try:
                self.reader.session.open(target)
            except ArticleError as exc:
                unreadable.append(str(exc))
                continue
            opened = True
            break
        if unreadable:
            more = f" (and {len(unreadable) - 1} more)" if len(unreadable) > 1 else ""
            self.reader.notify(f"skipped {unreadable[0]}{more}", title="Cannot open article", severity="error",
                               markup=False)
        return opened, len(unreadable)

    def say_no_more_articles(self, forward: bool) -> None:
        count = len(self.corpus)
        if count == 1:
            self._notify("only one article is open")
        elif forward:
            self._notify(f"this is the last article ({count} of {count}); < goes back, o lists them all")
        else:
            self._notify(f"this is the first article (1 of {count}); > goes on, o lists them all")

    def open_corpus(self) -> None:
        from .corpus import CorpusScreen

        reader = self.reader

        def chosen(index: int | None) -> None:
            if index is not None and index != reader.index:
                reader.open_article(index)
            else:
                self.show_position()  # a colleague's marks may have changed it

        reader.app.push_screen(CorpusScreen(self.corpus, reader.index), chosen)

    def toggle_done(self) -> None:
        reader = self.reader
        if reader.article is None or reader.app.refuse_while_opening("D (done / not done)"):
            return
        corpus = self.corpus
        done = not corpus.is_done(reader.index)
        reader.app.saves.submit(corpus.set_done(reader.index, reader.article, done))
        self.show_position()
        left = len(corpus) - corpus.done_count()
        if done:
            self._notify(f"marked done ({left:,} not done); D again takes it back")
        else:
            self._notify("not done any more")

    def next_not_done(self) -> None:
        opened, skipped = self._open_first_readable(self.corpus.not_done_after(self.reader.index))
        if not opened and not skipped:
            self._notify("every other article is done")

    def show_stats(self) -> None:
        from .stats import StatsScreen

        self.reader.app.push_screen(StatsScreen())
