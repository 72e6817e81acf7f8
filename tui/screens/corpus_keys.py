"""The reader's corpus keys: the corpus screen, done marks, the next article not done, statistics.

A mixin of :class:`~tui.screens.reader.ReaderScreen` (like tagging and suggesting); what it
knows of the corpus is in :mod:`annotations.corpus` (``self.app.corpus``). Its methods use
only ``self.index``, ``self.article``, ``self.open_article`` and ``self.status`` of the reader.
"""

from __future__ import annotations

from annotations.article import Article


class CorpusKeys:
    def resume_index(self) -> int:
        """Where a corpus reopens: the article this annotator had open last."""
        corpus = self.app.corpus
        return corpus.resume_index() if len(corpus) > 1 else 0

    def corpus_article_opened(self, index: int, article: Article) -> None:
        """Record the article as the one open now (in a corpus: one article needs no resuming), and show
        where it is in the corpus."""
        if len(self.app.corpus) > 1:
            self.app.saves.submit(self.app.corpus.opened(index, article))
        self.show_corpus_position()

    def show_corpus_position(self) -> None:
        corpus = self.app.corpus
        done = corpus.is_done(self.index)
        self.status.corpus = corpus.position(self.index) if len(corpus) > 1 else ("done" if done else "")

    def say_no_more_articles(self, forward: bool) -> None:
        count = len(self.app.corpus)
        if count == 1:
            self.notify("only one article is open", markup=False)
        elif forward:
            self.notify(f"this is the last article ({count} of {count}); < goes back, o lists them all",
                        markup=False)
        else:
            self.notify(f"this is the first article (1 of {count}); > goes on, o lists them all", markup=False)

    def action_open_corpus(self) -> None:
        from .corpus import CorpusScreen

        def chosen(index: int | None) -> None:
            if index is not None and index != self.index:
                self.open_article(index)
            else:
                self.show_corpus_position()  # a colleague's marks may have changed it

        self.app.push_screen(CorpusScreen(self.app.corpus, self.index), chosen)

    def action_toggle_done(self) -> None:
        if self.article is None or self.app.refuse_while_opening("D (done / not done)"):
            return
        corpus = self.app.corpus
        done = not corpus.is_done(self.index)
        self.app.saves.submit(corpus.set_done(self.index, self.article, done))
        self.show_corpus_position()
        left = len(corpus) - corpus.done_count()
        if done:
            self.notify(f"marked done ({left:,} not done); D again takes it back", markup=False)
        else:
            self.notify("not done any more", markup=False)

    def action_next_not_done(self) -> None:
        target = self.app.corpus.next_not_done(self.index)
        if target is None:
            self.notify("every other article is done", markup=False)
        else:
            self.open_article(target)

    def action_show_stats(self) -> None:
        from .stats import StatsScreen

        self.app.push_screen(StatsScreen())
