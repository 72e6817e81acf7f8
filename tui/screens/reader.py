"""The reader: one article at a time, its entities, and every motion key."""

from __future__ import annotations

import re
from collections import Counter

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.worker import get_current_worker

from annotations.analysis import Analysis
from annotations.article import Article, ArticleError
from annotations.model import Entity
from annotations.nlp import ChunkResult, ModelMissing
from annotations.segments import fallback_sentences, next_start, paragraphs, previous_start, words

from ..widgets.article_view import ArticleView, entity_class
from ..widgets.entity_panel import EntityPanel
from ..widgets.find_bar import FindBar
from ..widgets.legend import Legend, LegendEntry
from ..widgets.status_bar import StatusBar

# Legend order: the labels a reader cares most about first.
LEGEND_ORDER = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL")


class ReaderScreen(Screen):
    BINDINGS = [
        Binding("left,h", "cursor_left", "Left", id="cursor-left", show=False),
        Binding("right,l", "cursor_right", "Right", id="cursor-right", show=False),
        Binding("up,k", "cursor_up", "Up", id="cursor-up", show=False),
        Binding("down,j", "cursor_down", "Down", id="cursor-down", show=False),
        Binding("w", "next_word", "Next word", id="next-word", show=False),
        Binding("b", "previous_word", "Previous word", id="previous-word", show=False),
        Binding("right_parenthesis", "next_sentence", "Next sentence", id="next-sentence", show=False),
        Binding("left_parenthesis", "previous_sentence", "Previous sentence", id="previous-sentence", show=False),
        Binding("right_curly_bracket", "next_paragraph", "Next paragraph", id="next-paragraph", show=False),
        Binding("left_curly_bracket", "previous_paragraph", "Previous paragraph", id="previous-paragraph", show=False),
        Binding("g,home", "start", "Start", id="start", show=False),
        Binding("G,end", "end", "End", id="end", show=False),
        Binding("pagedown,space", "page_down", "Page down", id="page-down", show=False),
        Binding("pageup", "page_up", "Page up", id="page-up", show=False),
        Binding("slash", "find", "Find", id="find"),
        Binding("n", "next_match", "Next match", id="next-match", show=False),
        Binding("N", "previous_match", "Previous match", id="previous-match", show=False),
        Binding("e", "next_entity", "Next entity", id="next-entity", show=False),
        Binding("E", "previous_entity", "Previous entity", id="previous-entity", show=False),
        Binding("H", "toggle_highlighting", "Highlighting", id="toggle-highlighting"),
        Binding("p", "toggle_entity_panel", "Entities", id="toggle-entity-panel"),
        Binding("1", "toggle_label(1)", "Toggle label 1", id="toggle-label-1", show=False),
        Binding("2", "toggle_label(2)", "Toggle label 2", id="toggle-label-2", show=False),
        Binding("3", "toggle_label(3)", "Toggle label 3", id="toggle-label-3", show=False),
        Binding("4", "toggle_label(4)", "Toggle label 4", id="toggle-label-4", show=False),
        Binding("5", "toggle_label(5)", "Toggle label 5", id="toggle-label-5", show=False),
        Binding("6", "toggle_label(6)", "Toggle label 6", id="toggle-label-6", show=False),
        Binding("7", "toggle_label(7)", "Toggle label 7", id="toggle-label-7", show=False),
        Binding("8", "toggle_label(8)", "Toggle label 8", id="toggle-label-8", show=False),
        Binding("9", "toggle_label(9)", "Toggle label 9", id="toggle-label-9", show=False),
        Binding("greater_than_sign", "next_article", "Next article", id="next-article", show=False),
        Binding("less_than_sign", "previous_article", "Previous article", id="previous-article", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.index = 0
        self.article: Article | None = None
        self.entities: list[Entity] = []
        self.sentences: list[tuple[int, int]] = []
        self._sentence_starts: list[int] = []
        self._paragraph_starts: list[int] = []
        self._word_starts: list[int] = []
        self._legend_labels: list[str] = []
        self._hidden: set[str] = set()
        self._query = ""

    DEFAULT_CSS = """
    ReaderScreen > #bottom {
        dock: bottom;
        height: auto;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="bottom"):
            yield FindBar(id="find")
            yield Legend(id="legend")
            yield StatusBar(id="status")
        yield EntityPanel(id="entities")
        yield ArticleView(id="article")

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_mount(self) -> None:
        self.status.database = self.app.options.db
        self.open_article(0)

    # ---- articles ------------------------------------------------------------------

    def open_article(self, index: int) -> None:
        try:
            article = self.app.article(index)
        except ArticleError as exc:
            self.notify(str(exc), title="Cannot open article", severity="error", markup=False)
            return
        self.index = index
        self.article = article
        text = article.text
        self._paragraph_starts = [s for s, _ in paragraphs(text)]
        self._word_starts = words(text)
        self.set_sentences(fallback_sentences(text))
        self.entities = []
        self.view.load(text)
        count = f" [{index + 1}/{len(self.app.paths)}]" if len(self.app.paths) > 1 else ""
        self.status.title = f"{article.title}{count}"
        self.view.focus()
        cached = self.app.analyser.cached(article)
        if cached is not None:
            self.show_analysis(cached, cached=True)
        else:
            self.status.analysis = "entities: loading"
            self.update_legend()
            self.analyse(article)

    def set_sentences(self, sentences: list[tuple[int, int]]) -> None:
        self.sentences = sentences
        self._sentence_starts = [s for s, _ in sentences]

    def show_analysis(self, analysis: Analysis, cached: bool = False) -> None:
        self.entities = analysis.entities
        self.set_sentences(analysis.sentences or self.sentences)
        self.view.set_entities(self.entities)
        self.status.analysis = f"{len(self.entities)} entities"
        self.update_legend()
        self.query_one(EntityPanel).show_entities(self.entities)

    @work(thread=True, exclusive=True, group="analysis")
    def analyse(self, article: Article) -> None:
        worker = get_current_worker()
        near = self.view.cursor
        try:
            result = self.app.analyser.run(
                article,
                near=near,
                on_chunk=lambda chunk: self.app.call_from_thread(self._chunk_done, article, chunk),
                cancelled=lambda: worker.is_cancelled,
            )
        except ModelMissing as exc:
            self.app.call_from_thread(self._model_missing, str(exc))
            return
        except Exception as exc:  # the article stays readable whatever the pipeline does
            self.app.call_from_thread(self._analysis_failed, f"{type(exc).__name__}: {exc}")
            return
        if result is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._analysis_done, article, result)

    def _chunk_done(self, article: Article, chunk: ChunkResult) -> None:
        if article is not self.article:
            return
        self.entities = sorted([*self.entities, *chunk.entities], key=lambda e: (e.start, e.end))
        self.view.add_entities(chunk.entities)
        self.status.analysis = f"entities: {len(self.entities)} so far"
        self.update_legend()

    def _analysis_done(self, article: Article, result: Analysis) -> None:
        if article is self.article:
            self.show_analysis(result)

    def _model_missing(self, message: str) -> None:
        self.status.analysis = "no model"
        self.notify(message, title="No entities", severity="warning", timeout=30, markup=False)

    def _analysis_failed(self, message: str) -> None:
        self.status.analysis = "entities failed"
        self.notify(message, title="Analysis failed", severity="error", timeout=30, markup=False)

    def action_next_article(self) -> None:
        if self.index + 1 < len(self.app.paths):
            self.open_article(self.index + 1)

    def action_previous_article(self) -> None:
        if self.index > 0:
            self.open_article(self.index - 1)

    # ---- status -----------------------------------------------------------------

    @on(ArticleView.CursorMoved)
    def cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        text_length = max(1, len(self.view.text))
        self.status.position = f"{100 * event.offset // text_length}%"
        self.status.under_cursor = self.describe(event.offset)

    def describe(self, offset: int) -> str:
        for entity in self.entities_at(offset):
            return f"{entity.label}: {entity.text}"
        return ""

    def entities_at(self, offset: int) -> list[Entity]:
        return [e for e in self.entities if e.start <= offset < e.end]

    def update_legend(self) -> None:
        counts = Counter(e.label for e in self.entities)
        labels = [label for label in LEGEND_ORDER if counts[label]]
        labels += sorted(label for label in counts if label not in LEGEND_ORDER)
        self._legend_labels = labels
        view = self.view
        entries = [
            LegendEntry(label, counts[label], view.get_component_rich_style(entity_class(label)), label in self._hidden)
            for label in labels
        ]
        self.query_one(Legend).update_entries(entries, view.show_entities)

    # ---- motions ------------------------------------------------------------------

    def action_cursor_left(self) -> None:
        self.view.move_to(self.view.cursor - 1)

    def action_cursor_right(self) -> None:
        self.view.move_to(self.view.cursor + 1)

    def action_cursor_up(self) -> None:
        self.view.move_vertical(-1)

    def action_cursor_down(self) -> None:
        self.view.move_vertical(1)

    def _jump(self, target: int | None) -> None:
        if target is not None:
            self.view.move_to(target)

    def action_next_word(self) -> None:
        self._jump(next_start(self._word_starts, self.view.cursor))

    def action_previous_word(self) -> None:
        self._jump(previous_start(self._word_starts, self.view.cursor))

    def action_next_sentence(self) -> None:
        self._jump(next_start(self._sentence_starts, self.view.cursor))

    def action_previous_sentence(self) -> None:
        self._jump(previous_start(self._sentence_starts, self.view.cursor))

    def action_next_paragraph(self) -> None:
        self._jump(next_start(self._paragraph_starts, self.view.cursor))

    def action_previous_paragraph(self) -> None:
        self._jump(previous_start(self._paragraph_starts, self.view.cursor))

    def action_start(self) -> None:
        self.view.move_to(0)

    def action_end(self) -> None:
        self.view.move_to(len(self.view.text))

    def action_page_down(self) -> None:
        self.view.page(1)

    def action_page_up(self) -> None:
        self.view.page(-1)

    def action_next_entity(self) -> None:
        self._jump(next_start([e.start for e in self.visible_entities()], self.view.cursor))

    def action_previous_entity(self) -> None:
        self._jump(previous_start([e.start for e in self.visible_entities()], self.view.cursor))

    def visible_entities(self) -> list[Entity]:
        if not self.view.show_entities:
            return []
        return [e for e in self.entities if e.label not in self._hidden]

    # ---- find ---------------------------------------------------------------------

    def action_find(self) -> None:
        self.query_one(FindBar).open()

    @on(FindBar.Find)
    def find(self, event: FindBar.Find) -> None:
        self._query = event.query
        self.view.focus()
        if not self._query:
            self.view.set_matches([])
            return
        pattern = re.compile(re.escape(self._query), re.IGNORECASE)
        self.view.set_matches([(m.start(), m.end()) for m in pattern.finditer(self.view.text)])
        self.action_next_match()

    @on(FindBar.Closed)
    def find_closed(self) -> None:
        self.view.focus()

    def _match_starts(self) -> list[int]:
        return [s for s, _ in self.view._matches]

    def action_next_match(self) -> None:
        starts = self._match_starts()
        if not starts:
            self.notify("no matches" if self._query else "nothing to find: press / first", markup=False)
            return
        target = next_start(starts, self.view.cursor)
        if target is None:
            target = starts[0]
            self.notify("search wrapped to the start", markup=False)
        self.view.move_to(target)

    def action_previous_match(self) -> None:
        starts = self._match_starts()
        if not starts:
            self.notify("no matches" if self._query else "nothing to find: press / first", markup=False)
            return
        target = previous_start(starts, self.view.cursor)
        if target is None:
            target = starts[-1]
            self.notify("search wrapped to the end", markup=False)
        self.view.move_to(target)

    # ---- entity display -------------------------------------------------------------

    def action_toggle_highlighting(self) -> None:
        self.view.show_entities = not self.view.show_entities
        self.update_legend()

    def action_toggle_label(self, number: int) -> None:
        if number > len(self._legend_labels):
            return
        label = self._legend_labels[number - 1]
        self._hidden ^= {label}
        self.view.set_hidden_labels(self._hidden)
        self.update_legend()

    def action_toggle_entity_panel(self) -> None:
        panel = self.query_one(EntityPanel)
        panel.toggle_class("-shown")
        if panel.has_class("-shown"):
            panel.focus()
        else:
            self.view.focus()

    @on(EntityPanel.Chosen)
    def entity_chosen(self, event: EntityPanel.Chosen) -> None:
        starts = [e.start for e in self.entities if e.text == event.text]
        target = next_start(starts, self.view.cursor)
        self._jump(target if target is not None else (starts[0] if starts else None))


