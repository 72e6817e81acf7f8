"""The reader's corpus keys: the corpus screen, done marks, the next article not done, statistics, and
where the status bar says the open article is in the corpus.

A plain object the reader holds; what it knows of the corpus is in :mod:`annotations.corpus`
(``app.corpus``). Of the reader it uses only ``index``, ``article``, ``open_article``, ``status``
and ``notify``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotations.article import Article

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
        """`>` or `<`: the next or previous article, or say there is none."""
        target = self.reader.index + (1 if forward else -1)
        if 0 <= target < len(self.reader.session.corpus):
            self.reader.open_article(target)
        else:
            self.say_no_more_articles(forward)

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
        target = self.corpus.next_not_done(self.reader.index)
        if target is None:
            self._notify("every other article is done")
        else:
            self.reader.open_article(target)

    def show_stats(self) -> None:
        from .stats import StatsScreen

        self.reader.app.push_screen(StatsScreen())
