"""The adjudication screen: one article at a time, every disagreement between annotators settled by a key.

Agreed annotations go to gold on their own (one undo step). Each disagreement
is listed in text order and shown in its paragraph with every version marked;
a number takes that annotator's version, ``b`` takes every version, ``n`` none,
``e`` edits the first version before taking it. Every decision is a command of
the screen's own history (``u`` undoes, ``ctrl+r`` redoes), written to the
database through the app's save queue like any other change.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from annotations.article import Article, sanitise_line
from annotations.history import Batch, Create, History
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.speakers import speaker_name
from annotations.store import Op
from annotations.team.adjudication import (
    Comparison, Decision, Disagreement, compare, decide, decision_step, settled, to_gold,
)

from ..widgets.side_panel import excerpt

#: How each annotator's version is marked in the text; styles that differ without colour too.
VERSION_STYLES = ("bold underline", "reverse", "italic underline", "bold reverse", "underline")


def _flat(text: str) -> str:
    return " ".join(sanitise_line(text).split())


class AdjudicationScreen(Screen):
    DEFAULT_CSS = """
    AdjudicationScreen #progress { height: 2; background: $panel; padding: 0 1; }
    AdjudicationScreen #list { height: 1fr; min-height: 5; text-wrap: nowrap; text-overflow: ellipsis; }
    AdjudicationScreen #detail { height: auto; max-height: 60%; border-top: solid $primary; padding: 0 1; }
    AdjudicationScreen #notice { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        *(Binding(str(n), f"take({n})", f"Take annotator {n}'s", id=f"adjudicate-take-{n}", show=n <= 2)
          for n in range(1, 10)),
        Binding("b", "take_all", "Take all", id="adjudicate-all"),
        Binding("n", "take_none", "Take none", id="adjudicate-none"),
        Binding("e", "edit", "Edit, then take", id="adjudicate-edit"),
        Binding("u", "undo", "Undo", id="adjudicate-undo"),
        Binding("ctrl+r", "redo", "Redo", id="adjudicate-redo"),
        Binding("down,j", "cursor_down", "Next", id="adjudicate-next", show=False),
        Binding("up,k", "cursor_up", "Previous", id="adjudicate-previous", show=False),
        Binding("greater_than_sign", "article(1)", "Next article", id="adjudicate-next-article"),
        Binding("less_than_sign", "article(-1)", "Previous article", id="adjudicate-previous-article"),
    ]

    def __init__(self, *, annotators: list[str], adjudicator: str, submit) -> None:
        super().__init__()
        self.annotators = annotators
        self.adjudicator = adjudicator
        self.history = History(submit, annotator=adjudicator)  # its deletes' tombstones name the adjudicator
        self.index = 0
        self.comparison = Comparison([], [])
        self._annotators_here: list[str] = []
        self._totals: dict[int, tuple[int, int]] = {}  # article index -> (settled, disagreements)
        self._corpus_known = False  # whether every article has been counted (_count_corpus)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="progress")
            yield OptionList(id="list")
            yield Static(id="detail")
            yield Static(id="notice")
        yield Footer()

    def on_mount(self) -> None:
        self.open_article(0)
        # Every article is read and compared for the corpus's line: off the event loop, so a big
        # corpus does not hold up the screen; the line counts the articles opened here until then.
        self._count_corpus()

    @work(thread=True, exclusive=True, group="adjudication-count", exit_on_error=False)
    def _count_corpus(self) -> None:
        """Settled and open disagreements of every article, for the corpus's progress (an unreadable one is left out)."""
        from annotations.article import ArticleError

        worker = get_current_worker()
        store = self.app.store
        totals: dict[int, tuple[int, int]] = {}
        for index in range(len(self.app.paths)):
            if worker.is_cancelled:
                return
            try:
                article = self.app.session.corpus.article(index)
            except ArticleError:
                continue
            everyone = store.annotations(article.id)
            names = self.annotators or sorted({a.annotator for a in everyone} - {self.adjudicator})
            gold = [a for a in everyone if a.annotator == self.adjudicator]
            rejected = store.rejections(article.id, self.adjudicator)
            items = compare(everyone, names).disagreements
            totals[index] = (sum(settled(d, gold, rejected) for d in items), len(items))
        self.app.call_from_thread(self._corpus_counted, totals)

    def _corpus_counted(self, totals: dict[int, tuple[int, int]]) -> None:
        # An article opened here meanwhile was counted from this screen's history, which is newer.
        self._totals = totals | self._totals
        self._corpus_known = True
        self.refresh_view()

    # -- the article ---------------------------------------------------------------

    @property
    def article(self) -> Article:
        return self.app.session.corpus.article(self.index)

    def open_article(self, index: int) -> None:
        self.index = index
        article = self.article
        self.app.saves.submit(Op.put_article(article))
        store = self.app.store
        everyone = store.annotations(article.id)
        names = self.annotators or sorted({a.annotator for a in everyone} - {self.adjudicator})
        self._annotators_here = names
        gold = [a for a in everyone if a.annotator == self.adjudicator]
        self.history.annotations.load(article.id, gold)
        self.history.rejections.load(article.id, store.rejections(article.id, self.adjudicator))
        self.comparison = compare(everyone, names)
        self._merge_agreed()
        self.refresh_view()
        self.query_one("#list", OptionList).highlighted = self._first_unsettled()

    def _merge_agreed(self) -> None:
        """Put every agreed item not yet in gold into gold: one undo step."""
        done = {src for ann in self._gold() for src in ann.attrs.get("adjudicated_from", ())}
        new = [to_gold(copies, self.article.text, self.adjudicator)
               for copies in self.comparison.agreed if not done & {a.id for a in copies}]
        if new:
            self.history.apply(Batch(tuple(Create(ann) for ann in new), f"merge of {len(new)} agreed annotation(s)"))
            self._say(f"{len(new)} agreed annotation(s) merged into {self.adjudicator}")

    def _gold(self) -> list[Annotation]:
        return self.history.annotations.for_article(self.article.id)

    def _is_settled(self, d: Disagreement) -> bool:
        return settled(d, self._gold(), self.history.rejections.for_article(self.article.id))

    def _first_unsettled(self) -> int | None:
        items = self.comparison.disagreements
        return next((i for i, d in enumerate(items) if not self._is_settled(d)), 0 if items else None)

    # -- drawing ---------------------------------------------------------------------

    def refresh_view(self) -> None:
        items = self.comparison.disagreements
        done = sum(self._is_settled(d) for d in items)
        self._totals[self.index] = (done, len(items))
        listing = self.query_one("#list", OptionList)
        keep = listing.highlighted
        listing.clear_options()
        kind_width = max((len(d.kind.value) for d in items), default=0)
        listing.add_options([Option(self._row(i, d, kind_width)) for i, d in enumerate(items)])
        if items:
            listing.highlighted = min(keep or 0, len(items) - 1)
        corpus_done = sum(s for s, _ in self._totals.values())
        corpus_all = sum(n for _, n in self._totals.values())
        corpus = f"{corpus_done} of {corpus_all} disagreements settled" if self._corpus_known else "counting…"
        line = Text.assemble(
            (f"{_flat(self.article.title)[:60]}", "bold"),
            f"  [{self.index + 1}/{len(self.app.paths)}]  {done} of {len(items)} disagreements settled\n",
            f"as {_flat(self.adjudicator)} · "
            f"{' / '.join(f'{n} {_flat(name)}' for n, name in enumerate(self._annotators_here, 1))} · "
            f"corpus: {corpus}",
        )
        line.no_wrap, line.overflow = True, "ellipsis"
        self.query_one("#progress", Static).update(line)
        self._show_detail()

    def _row(self, i: int, d: Disagreement, kind_width: int) -> Text:
        """One line of the list (its CSS cuts a long one with an ellipsis: wrapped, the rest of the text
        began at the list's left edge, under the numbers)."""
        mark = "✓" if self._is_settled(d) else "·"
        row = Text(f"{mark} {i + 1:>3} {d.kind.value:<{kind_width}} ")
        row.append(excerpt(_flat(self.article.text[d.start:d.end]), 60))
        return row

    def _current(self) -> Disagreement | None:
        listing = self.query_one("#list", OptionList)
        items = self.comparison.disagreements
        if listing.highlighted is None or not items:
            return None
        return items[min(listing.highlighted, len(items) - 1)]

    def on_option_list_option_highlighted(self, _: OptionList.OptionHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        d = self._current()
        detail = self.query_one("#detail", Static)
        if d is None:
            detail.update(Text("No disagreements in this article: everything agreed is in gold. > for the next."))
            return
        text = self.article.text
        low = text.rfind("\n", 0, d.start) + 1
        high = text.find("\n", d.end)
        high = len(text) if high == -1 else high
        # Article text is sanitised at load; newlines become spaces one for one, so offsets hold.
        shown = Text(text[low:high].replace("\n", " "))
        for n, (who, anns) in enumerate(d.versions):
            for ann in anns:
                shown.stylize(VERSION_STYLES[n % len(VERSION_STYLES)], ann.start - low, ann.end - low)
        lines = [shown, Text("")]
        for n, (who, anns) in enumerate(d.versions, 1):
            if not anns:
                lines.append(Text(f"{n} {who}: (nothing here)", style="dim"))
            for ann in anns:
                speaker = speaker_name(ann.attrs.get("speaker"))
                line = Text(f"{n} {who}: ", style=VERSION_STYLES[(n - 1) % len(VERSION_STYLES)])
                line.append(f"{ann.label} ")
                line.append(excerpt(_flat(ann.text), 60))
                if speaker:
                    line.append(f"  by {_flat(speaker)}")
                lines.append(line)
        state = "settled" if self._is_settled(d) else "open"
        lines.append(Text(f"{d.kind.value} · {state}", style="dim"))
        detail.update(Text("\n").join(lines))

    def _say(self, message: str) -> None:
        self.query_one("#notice", Static).update(Text(message))

    # -- decisions ---------------------------------------------------------------------

    def _decide(self, decision: Decision, annotator: str | None = None) -> None:
        d = self._current()
        if d is None:
            self._say("nothing to decide here")
            return
        try:
            gold = decide(d, decision, self.article.text, self.adjudicator, annotator=annotator)
        except ValueError:
            self._say(f"{annotator} has nothing here: take another version, all, or none")
            return
        self._apply(d, gold, decision.value if annotator is None else annotator)

    def _apply(self, d: Disagreement, gold: list[Annotation], what: str) -> None:
        """Make *gold* (none: a rejection) the decision on *d*, replacing an earlier one: one undo step."""
        article = self.article
        step = decision_step(d, gold, gold=self._gold(), rejected=self.history.rejections.for_article(article.id),
                             article_id=article.id, text=article.text, adjudicator=self.adjudicator,
                             summary=f"decision ({what}) on {d.kind.value}")
        if step is None:
            self._say(f"already settled: {what}")
            return
        self.history.apply(step)
        self._say(f"settled: {what}")
        self.refresh_view()
        nxt = self._first_unsettled()
        if nxt is not None and not self._is_settled(self.comparison.disagreements[nxt]):
            self.query_one("#list", OptionList).highlighted = nxt

    def action_take(self, n: int) -> None:
        if n > len(self._annotators_here):
            self._say(f"there is no annotator {n} here")
            return
        self._decide(Decision.TAKE, self._annotators_here[n - 1])

    def action_take_all(self) -> None:
        self._decide(Decision.ALL)

    def action_take_none(self) -> None:
        self._decide(Decision.NONE)

    def action_edit(self) -> None:
        d = self._current()
        if d is None:
            return
        model = d.annotations[0]
        from .editor import AnnotationEditor

        def done(changes) -> None:
            if changes is None:
                return
            gold = to_gold(d.annotations, self.article.text, self.adjudicator,
                           edit={"label": changes.label, "attrs": changes.attrs})
            self._apply(d, [gold], "edited")

        self.app.push_screen(AnnotationEditor(model, [QUOTE, CLAIM], []), done)

    def action_undo(self) -> None:
        cmd = self.history.undo()
        self._say(f"undo {cmd.summary}" if cmd else "nothing to undo")
        self.refresh_view()

    def action_redo(self) -> None:
        cmd = self.history.redo()
        self._say(f"redo {cmd.summary}" if cmd else "nothing to redo")
        self.refresh_view()

    def action_cursor_down(self) -> None:
        self.query_one("#list", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#list", OptionList).action_cursor_up()

    def action_article(self, step: int) -> None:
        target = self.index + step
        if not 0 <= target < len(self.app.paths):
            self._say("this is the last article" if step > 0 else "this is the first article")
            return
        self.open_article(target)

