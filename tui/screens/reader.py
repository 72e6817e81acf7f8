"""The reader: one article at a time, its entities, and every key.

Each action is one statement: a motion of the view, or a call into the object that does that job
(the screen holds them: :mod:`.selecting`, :mod:`.tagging`, :mod:`.suggesting`, :mod:`.corpus_keys`,
:mod:`.drawing`; what a key acts on is found by :mod:`annotations.targets`). The screen itself
loads the article, its annotations and its analysis, and shows the entities, the legend and the
status bar.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widget import MountError, Widget
from textual.worker import get_current_worker

from annotations.analysis import Analysis
from annotations.analysis_process import AnalysisFailed
from annotations.article import Article, sanitise_line
from annotations.entities import corrected_entities
from annotations.model import (
    Annotation,
    Entity,
)
from annotations.nlp import ChunkResult, ModelMissing
from annotations.saver import SaveResult
from annotations.segments import Segments, next_start, previous_start
from annotations.session import Session, Stored
from annotations.speakers import speaker_name
from annotations.targets import Marks, next_word
from annotations.team.layers import EVERYONE, MINE, margin_letters

from ..messages import AnnotationsChanged, ArticleOpened, Saved
from ..widgets.annotation_panel import AnnotationPanel
from ..widgets.article_view import ArticleView, entity_class
from ..widgets.entity_panel import EntityPanel
from ..widgets.find_bar import FindBar, TypedAhead
from ..widgets.legend import LABEL_KEYS, Legend, LegendEntry
from ..widgets.side_panel import SidePanel, excerpt
from ..widgets.status_bar import StatusBar
from ..widgets.suggestion_panel import SuggestionPanel
from .corpus_keys import CorpusKeys
from .drawing import Drawing
from .selecting import Selecting
from .suggesting import Suggesting
from .tagging import Tagging

if TYPE_CHECKING:  # the suggester is imported by the analysis, not at start-up
    from annotations.suggest import Suggestion

# Legend order: the labels a reader cares most about first.
#: Seconds between checks whether the cursor moved and its position should be saved. Each save
#: rewrites the whole database, so while the reader moves it is saved at most this often;
#: switching article, quitting and hanging up save it at once.
CURSOR_SAVE_EVERY = 5.0

LEGEND_ORDER = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL")


class AfterFirstPaint(Lazy):
    """Mounts its widget once the first frame is out. Textual's Lazy mounts it after the first refresh,
    which at start-up draws a frame Textual drops: the frame the terminal first showed waited for them."""

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        parent = self.parent
        if parent is None:
            return

        async def mount() -> None:
            try:
                await parent.mount(self._replace_widget, after=self)
            except MountError:  # the app is ending (a database refused once read): the screen has gone
                return
            await self.remove()

        self.app.after_first_paint(self, mount)


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
        *(Binding(str(n), f"toggle_label({n})", f"Toggle label {n}", id=f"toggle-label-{n}", show=False)
          for n in range(1, LABEL_KEYS + 1)),
        Binding("v", "toggle_selection", "Select from here", id="select"),
        Binding("escape", "clear_selection", "Clear selection", id="clear-selection", show=False),
        Binding("shift+left", "extend('cursor_left')", "Extend left", id="extend-left", show=False),
        Binding("shift+right", "extend('cursor_right')", "Extend right", id="extend-right", show=False),
        Binding("shift+up", "extend('cursor_up')", "Extend up", id="extend-up", show=False),
        Binding("shift+down", "extend('cursor_down')", "Extend down", id="extend-down", show=False),
        Binding("s", "select_sentence", "Select sentence", id="select-sentence"),
        Binding("quotation_mark", "select_quotation", "Select quotation", id="select-quotation"),
        Binding("q", "tag_quote", "Tag quote", id="tag-quote"),
        Binding("c", "tag_claim", "Tag claim", id="tag-claim"),
        Binding("t", "tag_with_label", "Tag with label", id="tag-label"),
        Binding("enter", "edit", "Edit annotation", id="edit"),
        Binding("at", "link_speaker", "Link speaker", id="link-speaker"),
        Binding("d", "delete", "Delete", id="delete"),
        Binding("right_square_bracket", "next_annotation", "Next annotation", id="next-annotation", show=False),
        Binding("left_square_bracket", "previous_annotation", "Previous annotation", id="previous-annotation", show=False),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("ctrl+r,U", "redo", "Redo", id="redo"),  # U: a browser may keep ctrl+r (reload)
        Binding("a", "accept", "Accept suggestion", id="accept"),
        Binding("x", "reject", "Reject suggestion", id="reject"),
        Binding("exclamation_mark", "accept_all", "Accept all suggestions", id="accept-all"),
        Binding("asterisk", "toggle_all_suggestions", "Show all suggestions", id="toggle-all-suggestions"),
        Binding("S", "toggle_suggestion_panel", "Suggestions", id="toggle-suggestion-panel"),
        Binding("A", "toggle_annotation_panel", "Annotations", id="toggle-annotation-panel"),
        Binding("L", "cycle_layer", "Whose annotations", id="cycle-layer"),
        Binding("greater_than_sign", "next_article", "Next article", id="next-article", show=False),
        Binding("less_than_sign", "previous_article", "Previous article", id="previous-article", show=False),
        # The corpus (tui/screens/corpus_keys.py).
        Binding("o", "open_corpus", "List of articles", id="open-corpus"),
        Binding("D", "toggle_done", "Mark done / not done", id="toggle-done"),
        Binding("J", "next_not_done", "Next article not done", id="next-not-done"),
        Binding("percent_sign", "show_stats", "Statistics", id="show-stats"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.index = 0
        self.article: Article | None = None  # the article shown (the session's open one, once its event arrived)
        self.entities: list[Entity] = []
        self._label_counts: Counter[str] = Counter()  # labels of self.entities, for the legend
        self.segments = Segments("")
        self._legend_labels: list[str] = []
        self._hidden: set[str] = set()
        self._query = ""
        self.model_entities: list[Entity] = []
        #: The mark `]` or `[` last went to (it decides between two at one place).
        self.marks = Marks()
        self.selecting = Selecting(self)
        self.tagging = Tagging(self)
        self.suggesting = Suggesting(self)
        self.corpus_keys = CorpusKeys(self)
        self.drawing = Drawing(self)
        self._note: tuple[str, int] | None = None  # a word for the status bar, while the cursor stays at the offset
        self._save_error: str | None = None  # the reason the last save failed, while it keeps failing
        self._save_failure: SaveResult | None = None  # the last save's result while saves are failing
        self._saved_count_asked = 0  # numbers the file counts, so that only the newest one is shown

    #: Narrower than this, a side panel takes the whole reader area: beside the text it would leave
    #: too few columns to read.
    NARROW_COLUMNS = 80
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_COLUMNS, "-wide")]

    # The find bar, the legend and the status bar sit below everything else, so nothing covers
    # them; a side panel takes a share of the width beside the text, which re-wraps to the rest.
    DEFAULT_CSS = """
    ReaderScreen > #bottom {
        dock: bottom;
        height: auto;
    }
    ReaderScreen #main > ArticleView { width: 1fr; }
    ReaderScreen #main > SidePanel {
        width: 38%;
        min-width: 30;
        max-width: 56;
        height: 1fr;
    }
    ReaderScreen.-narrow #main > SidePanel {
        width: 1fr;
        min-width: 0;
        max-width: 100%;
        border-left: none;
    }
    ReaderScreen.-narrow.-panel-open #main > ArticleView { display: none; }
    """

    def compose(self) -> ComposeResult:
        # What starts hidden (the find bar, the side panels) is mounted just after the first paint:
        # styling those widgets (option lists, an input) took a good part of the launch.
        with Vertical(id="bottom"):
            yield AfterFirstPaint(FindBar(id="find"))
            yield Legend(id="legend")
            yield StatusBar(id="status")
        with Horizontal(id="main"):
            yield ArticleView(id="article")
            yield AfterFirstPaint(EntityPanel(id="entities"))
            yield AfterFirstPaint(AnnotationPanel(id="annotations"))
            yield AfterFirstPaint(SuggestionPanel(id="suggestions"))

    def when_mounted(self, widget_type: type, then) -> None:
        """Call *then* with the screen's *widget_type*, once it is mounted: the hidden ones are mounted
        just after the first paint, and a key may come before."""
        found = self.query(widget_type)
        if found:
            then(found.first())
        else:
            self.set_timer(0.02, lambda: self.when_mounted(widget_type, then))

    @property
    def session(self) -> Session:
        return self.app.session

    @property
    def annotations(self) -> list[Annotation]:
        """The open article's annotations (the session's), entity corrections too."""
        return self.session.annotations

    @property
    def suggestions(self) -> list[Suggestion]:
        """The suggestions shown (the session decides which)."""
        return self.session.suggestions

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_unmount(self) -> None:
        self.app.analyser.stop()  # a child process still analysing ends with the reader

    def on_mount(self) -> None:
        self.status.database = sanitise_line(self.app.options.db)  # a file name: shown as text, on one line
        self.open_article(self.corpus_keys.resume_index())
        if self.session.article is None:  # the article to resume at cannot be read any more
            self.open_article(0)
        self.set_interval(CURSOR_SAVE_EVERY, self._remember_cursor_if_moved)

    # ---- articles ------------------------------------------------------------------

    def open_article(self, index: int) -> None:
        self.app.open_article(index)

    @on(ArticleOpened)
    def article_opened(self, event: ArticleOpened) -> None:
        index, article = event.index, event.article
        self.index = index
        self.article = article
        self.tagging.linking = None
        text = article.text
        self.segments = Segments(text)
        self.entities = []
        self._label_counts = Counter()
        self.model_entities = []
        self.view.load(text)
        self.status.title = article.title
        self.corpus_keys.article_opened(index, article)
        self.view.focus()
        self.status.analysis = "entities: loading"
        self.update_legend()
        # Threads started now would compete with the first paint for the interpreter.
        self.app.after_first_paint(self, self._start_background_work, article)

    def _start_background_work(self, article: Article) -> None:
        if article is not self.article:
            return
        self.session.store_article()
        self.load_annotations(article)
        self.analyse(article)

    def show_analysis(self, analysis: Analysis) -> None:
        if analysis.sentences:
            self.segments.sentences = analysis.sentences
        self.session.set_suggestions(analysis.suggestions)
        self.drawing.marks()
        if analysis.entities != self.model_entities:  # the chunks showed them all already, unless cached
            self.model_entities = analysis.entities
            self.refresh_entities()
        self.status.analysis = f"{len(self.entities)} entities"

    def refresh_entities(self) -> None:
        """Model entities with the corrections on top, everywhere they show."""
        self.entities = corrected_entities(self.model_entities, self.annotations)
        self._label_counts = Counter(e.label for e in self.entities)
        self.view.set_entities(self.entities)
        self.update_legend()
        self.drawing.panels()

    def _show_chunk_entities(self, chunk: ChunkResult) -> None:
        """A new chunk's entities, with the corrections on top, everywhere they show.

        The work is in proportion to the chunk, not to the entities found so far:
        a long article has a hundred chunks or more.
        """
        corrections = [a for a in self.annotations if a.is_entity and a.start < chunk.end and a.end > chunk.start]
        shown = [e for e in corrected_entities(chunk.entities, corrections) if chunk.start <= e.start < chunk.end]
        low = bisect.bisect_left(self.entities, chunk.start, key=lambda e: e.start)
        high = bisect.bisect_left(self.entities, chunk.end, key=lambda e: e.start)
        self._label_counts.subtract(e.label for e in self.entities[low:high])
        self._label_counts.update(e.label for e in shown)
        self.entities[low:high] = shown
        self.view.update_entities(chunk.start, chunk.end, shown)
        self.update_legend()
        for entity_panel in self.query(EntityPanel):  # none before it is mounted, after the first paint
            if entity_panel.has_class("-shown"):
                self.drawing.fill(entity_panel)

    @work(thread=True, exclusive=True, group="annotations")
    def load_annotations(self, article: Article) -> None:
        """Read the article's annotations and the saved cursor off the event loop."""
        try:
            stored = self.session.read_stored(article)
        except Exception as exc:  # the article stays readable; the error is shown
            self.app.call_from_thread(self.notify, f"cannot read annotations: {exc}", severity="error", markup=False)
            return
        self.app.call_from_thread(self._annotations_loaded, article, stored)
        self.app.report_database_problems()

    def _annotations_loaded(self, article: Article, stored: Stored) -> None:
        if article is not self.article:
            return
        cursor = self.session.merge_stored(article, stored)
        if stored.carried is not None:
            orphans = "; ".join(excerpt(" ".join(a.text.split()), 40) for a in stored.carried.orphans[:3])
            self.notify(stored.carried.message() + (f": {orphans}" if orphans else ""),
                        title="Corrected article", timeout=20, markup=False)
        if cursor is not None and self.view.cursor == 0:
            self.view.move_to(cursor)
        # The opening save may have reported before the file was read: count what it holds now.
        if self.session.pending == 0 and self._save_error is None:
            self.count_saved(self.article)

    @on(AnnotationsChanged)
    def annotations_changed(self, event: AnnotationsChanged) -> None:
        """Draw again what the change touched: its marks, the entities it corrects, the panels, the status."""
        if self.article is None or event.article_id != self.article.id:
            return
        self.drawing.marks(event.spans)  # which also fills the shown panels
        if any(a.is_entity for a in self.annotations) or len(self.entities) != len(self.model_entities):
            self.refresh_entities()
        if event.focus is not None:
            self.view.move_to(event.focus)
            self.session.move_cursor(self.view.cursor)
        for note in event.notes:
            self.say(note)
            self.notify(note, title="A colleague's change", severity="warning", markup=False)
        self.status.under_cursor = self.describe(self.view.cursor)

    @work(thread=True, exclusive=True, group="analysis")
    def analyse(self, article: Article) -> None:
        worker = get_current_worker()
        near = self.view.cursor
        try:
            # The cache is read here, off the event loop: even a hit costs a file read and a parse.
            result = self.app.analyser.cached(article) or self.app.analyser.run(
                article,
                near=near,
                on_chunk=lambda chunk: self.app.call_from_thread(self._chunk_done, article, chunk),
                cancelled=lambda: worker.is_cancelled,
            )
        except ModelMissing as exc:
            self.app.call_from_thread(self._model_missing, str(exc))
            return
        except AnalysisFailed as exc:  # the child process failed or died; what it found stays shown
            self.app.call_from_thread(self._analysis_failed, str(exc))
            return
        except Exception as exc:  # the article stays readable whatever the pipeline does
            self.app.call_from_thread(self._analysis_failed, f"{type(exc).__name__}: {exc}")
            return
        if result is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._analysis_done, article, result)

    def _chunk_done(self, article: Article, chunk: ChunkResult) -> None:
        if article is not self.article:
            return
        # Chunks never overlap, so the chunk's (sorted) entities go in as one block.
        at = bisect.bisect_left(self.model_entities, chunk.start, key=lambda e: e.start)
        self.model_entities[at:at] = chunk.entities
        self._show_chunk_entities(chunk)
        self.status.analysis = f"entities: {len(self.entities)} so far"

    def _analysis_done(self, article: Article, result: Analysis) -> None:
        if article is self.article:
            self.show_analysis(result)

    def _model_missing(self, message: str) -> None:
        self.status.analysis = "no model"
        self.notify(message, title="No entities", severity="warning", timeout=30, markup=False)

    def _analysis_failed(self, message: str) -> None:
        self.status.analysis = "entities failed"
        self.notify(message, title="Analysis failed", severity="error", timeout=30, markup=False)

    # ---- layers: whose annotations show --------------------------------------------

    def layer_letters(self) -> dict[str, str]:
        """Each annotator's margin letter while everyone's annotations show; none otherwise."""
        if self.session.layer.kind != EVERYONE:
            return {}
        return margin_letters(self.session.article_annotators())

    def action_cycle_layer(self) -> None:
        self.show_next_layer()

    def show_next_layer(self) -> None:
        layer = self.session.cycle_layer()
        if self.session.blind:
            self.notify("blind annotation: only your own annotations show", markup=False)
            return
        letters = self.layer_letters()
        legend = ("; margin: " + ", ".join(f"{letter} {name}" for name, letter in letters.items())) if letters else ""
        self.notify(f"showing {layer.title(self.session.annotator)}{legend}", markup=False)

    def action_next_article(self) -> None:
        self.corpus_keys.step(forward=True)

    def action_previous_article(self) -> None:
        self.corpus_keys.step(forward=False)

    # ---- status -----------------------------------------------------------------

    @on(ArticleView.CursorMoved)
    def cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        self.session.move_cursor(event.offset)
        text_length = max(1, len(self.view.text))
        self.status.position = f"{100 * event.offset // text_length}%"
        self.status.under_cursor = self.describe(event.offset)

    def describe(self, offset: int) -> str:
        """What is under the cursor, for the status bar; speakers by name (speaker_name)."""
        parts = []
        others = self.session.layer.kind != MINE  # then say whose each one is
        for ann in self.annotations_at(offset):
            speaker = speaker_name(ann.attrs.get("speaker"))
            parts.append(f"{ann.label}" + (f" by {speaker}" if speaker else "") + (f" ({ann.annotator}'s)" if others else ""))
        suggestion = self.suggestion_at(offset)
        if suggestion is not None:
            who = speaker_name(suggestion.speaker)
            others = len(self.marks.suggestions_at(self.suggestions, offset)) - 1
            rejected = self.session.is_rejected(suggestion)
            parts.append(("rejected" if rejected else "suggested") + f" {suggestion.label}" + (f" by {who}" if who else "")
                         + f" {suggestion.confidence:.2f} " + ("(x un-rejects)" if rejected else "(a/x)")
                         + (f" +{others} more (])" if others else ""))
        for entity in self.entities_at(offset):
            parts.append(f"{entity.label}: {entity.text}")
        if self._note is not None:
            if self._note[1] == offset:
                parts.insert(0, self._note[0])
            else:
                self._note = None  # the cursor moved on: the word was about where it was
        if self.tagging.linking is not None:
            parts.insert(0, "linking speaker: move to the speaker, press @ (esc cancels)")
        return " | ".join(parts)

    def _remember_cursor_if_moved(self) -> None:
        # One interval timer rather than a timer per keypress: cheaper on every move.
        self.session.remember_cursor()

    def say(self, note: str) -> None:
        """Put *note* first in the status bar until the cursor moves."""
        self._note = (note, self.view.cursor)
        self.status.under_cursor = self.describe(self.view.cursor)

    def forget_note(self) -> None:
        """Drop the word put first by say(), before the cursor moves."""
        self._note = None

    @on(Saved)
    def saved(self, message: Saved) -> None:
        self.show_save(message.result)

    def show_save(self, result: SaveResult) -> None:
        if result.ok:
            if result.pending == 0 and self.article is not None:
                self.count_saved(self.article)
            else:
                self.status.saving = f"saving {result.pending}"
        else:
            # Retries fail the same way every few seconds: notify once per new reason.
            if result.error != self._save_error:
                self.notify(result.error or "save failed", title="Not saved", severity="error", markup=False)
            then = "retrying" if result.retrying else "quit to try again"
            # The user's changes, as quitting counts them: the cursor and the article's record are left out.
            unsaved = self.session.unsaved_changes()
            if unsaved == 0:
                # Only the records each opening writes again failed (a read-only database says so as it
                # opens): no work of the user's is at risk, but the reason stays in sight for the first tag.
                self.status.saving = f"cannot save: {result.error}"
            else:
                self.status.saving = f"save failed: {result.error} ({unsaved} unsaved, {then})"
        self._save_error = None if result.ok else result.error
        self._save_failure = None if result.ok else result

    def show_saving(self) -> None:
        """A change was just made: it is being saved, or, while saves are failing, it is not saved yet
        (said at once, with it counted: the next retry may be seconds away)."""
        if self._save_failure is not None:
            self.show_save(self._save_failure)
        else:
            self.status.saving = "saving"

    def count_saved(self, article: Article) -> None:
        """Show how many of the annotator's own annotations of the article the file holds: what the field
        confirms is that their work is on disk (colleagues' count in `annotty stats`; a blind annotator
        is not told how much the others did)."""
        # Counted in the file, not in memory: the file may have been replaced (by an older copy,
        # say) since it was read, and then memory holds annotations the file no longer has.
        self._saved_count_asked += 1
        self._count_saved(article, self._saved_count_asked)

    @work(thread=True, group="saved-count", exit_on_error=False)
    def _count_saved(self, article: Article, asked: int) -> None:
        mine = self.session.annotator
        count = sum(not a.is_entity and a.annotator == mine for a in self.session.store.annotations(article.id))
        self.app.call_from_thread(self._show_saved_count, article, asked, count)

    def _show_saved_count(self, article: Article, asked: int, count: int) -> None:
        if article is self.article and asked == self._saved_count_asked and self.session.pending == 0:
            self.status.saving = f"{count} {'annotation' if count == 1 else 'annotations'} saved"

    def entities_at(self, offset: int) -> list[Entity]:
        return self.view.entities_at(offset)

    def update_legend(self) -> None:
        counts = self._label_counts
        labels = [label for label in LEGEND_ORDER if counts[label]]
        labels += sorted(label for label in counts if counts[label] > 0 and label not in LEGEND_ORDER)
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

    #: Where `w` last kept a one-character selection as it was (a word of one character): the next `w` goes on.
    _word_kept_at: int | None = None

    def action_next_word(self) -> None:
        self.next_word()

    def next_word(self) -> None:
        """`w`: the next word; a selection that grows forward ends with the word, not the next one's first letter."""
        cursor, selection = self.view.cursor, self.view.selection
        first_step = selection == (cursor, cursor + 1) and self._word_kept_at != cursor
        target = next_word(self.segments, cursor, selecting_forward=self.selecting_forward(), first_step=first_step)
        self._word_kept_at = cursor if first_step and target is None else None
        self._jump(target)

    def action_previous_word(self) -> None:
        self._jump(self.segments.previous_word(self.view.cursor))

    def selecting_forward(self) -> bool:
        """Whether a selection is growing from the cursor onwards (the cursor is its last character)."""
        selection = self.view.selection
        return selection is not None and selection[1] - 1 == self.view.cursor

    def action_next_sentence(self) -> None:
        self._jump(self.segments.next_sentence(self.view.cursor))

    def action_previous_sentence(self) -> None:
        self._jump(self.segments.previous_sentence(self.view.cursor))

    def action_next_paragraph(self) -> None:
        self._jump(next_start(self.segments.paragraph_starts, self.view.cursor))

    def action_previous_paragraph(self) -> None:
        self._jump(previous_start(self.segments.paragraph_starts, self.view.cursor))

    def action_start(self) -> None:
        self.view.move_to(0)

    def action_end(self) -> None:
        self.view.move_to(len(self.view.text))

    def action_page_down(self) -> None:
        self.view.page(1)

    def action_page_up(self) -> None:
        self.view.page(-1)

    def action_next_entity(self) -> None:
        self._jump(next_start(self.visible_entity_starts(), self.view.cursor))

    def action_previous_entity(self) -> None:
        self._jump(previous_start(self.visible_entity_starts(), self.view.cursor))

    def visible_entity_starts(self) -> list[int]:
        if not self.view.show_entities:
            return []
        if not self._hidden:
            return self.view.entity_starts
        return [e.start for e in self.entities if e.label not in self._hidden]

    # ---- find ---------------------------------------------------------------------

    _typed_ahead: TypedAhead | None = None
    _find_keys: frozenset[str] | None = None  # the keys bound to find (the user's keymap applied)

    def action_find(self) -> None:
        self.open_find()

    def open_find(self) -> None:
        """`/`: the find bar, with whatever was typed after `/` before it had the focus."""
        if self._typed_ahead is None or self._typed_ahead.input is not None:  # not begun by on_key
            self._typed_ahead = TypedAhead()
        typed_ahead = self._typed_ahead
        self.when_mounted(FindBar, lambda bar: bar.open(typed_ahead))

    async def on_key(self, event: events.Key) -> None:
        # Keys sent right after `/`, before the find input has focus, are the query, not commands. They
        # reach this handler before `/`'s binding runs, so the keeping begins here, at the find key.
        if self._find_keys is None:
            self._find_keys = frozenset(k for k, b in self.active_bindings.items() if b.binding.action == "find")
        if self._typed_ahead is not None and await self._typed_ahead.take(event):
            event.stop()
            event.prevent_default()
        elif event.key in self._find_keys:
            self._typed_ahead = TypedAhead()  # and the binding opens the bar

    @on(FindBar.Find)
    def find(self, event: FindBar.Find) -> None:
        bar = self.query_one(FindBar)
        self._query = event.query
        self.view.focus()
        self._give_back_typed_after()
        if not self._query:
            bar.action_close()
            return
        pattern = re.compile(re.escape(self._query), re.IGNORECASE)
        self.view.set_matches([(m.start(), m.end()) for m in pattern.finditer(self.view.text)])
        self.action_next_match()

    @on(FindBar.Closed)
    def find_closed(self) -> None:
        self._query = ""
        self.view.set_matches([])
        self.view.focus()
        self._give_back_typed_after()

    def _give_back_typed_after(self) -> None:
        """Keys typed after the find's enter or esc, before the view had focus back, act now, in order."""
        if self._typed_ahead is not None:
            self._typed_ahead.give_back(self.app)

    def _match_starts(self) -> list[int]:
        return [s for s, _ in self.view._matches]

    def _step_match(self, forward: bool) -> None:
        starts = self._match_starts()
        if not starts:
            self.notify("no matches" if self._query else "nothing to find: press / first", markup=False)
            if self._query:
                self.query_one(FindBar).show_count(None, 0)
            return
        target = (next_start if forward else previous_start)(starts, self.view.cursor)
        wrapped = ""
        if target is None:  # past the last (or before the first): go round, and say so in the find bar
            target, wrapped = (starts[0], "start") if forward else (starts[-1], "end")
        self.view.move_to(target)
        self.query_one(FindBar).show_count(bisect.bisect_left(starts, target), len(starts), wrapped)

    def action_next_match(self) -> None:
        self._step_match(forward=True)

    def action_previous_match(self) -> None:
        self._step_match(forward=False)

    @on(SidePanel.Chosen, "#annotations, #suggestions")
    def mark_chosen(self, event: SidePanel.Chosen) -> None:
        self.view.move_to(int(event.value.split(":", 1)[0]))
        self.view.focus()

    # ---- entity display -------------------------------------------------------------

    def action_toggle_highlighting(self) -> None:
        self.toggle_highlighting()

    def toggle_highlighting(self) -> None:
        self.view.show_entities = not self.view.show_entities
        self.update_legend()

    def action_toggle_label(self, number: int) -> None:
        self.toggle_label(number)

    def toggle_label(self, number: int) -> None:
        """Hide (or show again) the entities of the legend's *number*th label."""
        if number > len(self._legend_labels):
            return
        label = self._legend_labels[number - 1]
        self._hidden ^= {label}
        self.view.set_hidden_labels(self._hidden)
        self.update_legend()

    def action_toggle_entity_panel(self) -> None:
        self.drawing.toggle_when_mounted(EntityPanel)

    @on(SidePanel.Closed)
    def panel_closed(self, event: SidePanel.Closed) -> None:
        if event.panel.has_class("-shown"):
            self.drawing.toggle(event.panel)

    @on(SidePanel.Chosen)
    def close_panel_over_the_text(self, event: SidePanel.Chosen) -> None:
        """On a narrow terminal the panel hides the text: close it so the jump can be seen."""
        if self.has_class("-narrow") and event.panel.has_class("-shown"):
            self.drawing.toggle(event.panel)
            self.call_after_refresh(self.view.scroll_cursor_visible)

    @on(SidePanel.Chosen, "#entities")
    def entity_chosen(self, event: SidePanel.Chosen) -> None:
        text = event.value.split("\0", 1)[1]
        starts = [e.start for e in self.entities if e.text == text]
        target = next_start(starts, self.view.cursor)
        self._jump(target if target is not None else (starts[0] if starts else None))



    # ---- selecting ------------------------------------------------------------------

    def action_toggle_selection(self) -> None:
        self.selecting.toggle()

    def action_clear_selection(self) -> None:
        self.selecting.clear()

    def action_extend(self, motion: str) -> None:
        self.selecting.extend(motion)

    def action_select_sentence(self) -> None:
        self.selecting.select_sentence()

    def action_select_quotation(self) -> None:
        self.selecting.select_quotation()

    # ---- tagging --------------------------------------------------------------------

    def annotations_at(self, offset: int) -> list[Annotation]:
        """Annotations (not entity corrections) under *offset*, innermost first."""
        return self.session.annotations_at(offset)

    def action_tag_quote(self) -> None:
        self.tagging.tag_quote()

    def action_tag_claim(self) -> None:
        self.tagging.tag_claim()

    def action_tag_with_label(self) -> None:
        self.tagging.tag_with_label()

    def action_edit(self) -> None:
        self.tagging.edit_under_cursor()

    def action_link_speaker(self) -> None:
        self.tagging.link_speaker()

    def action_delete(self) -> None:
        self.tagging.delete_under_cursor()

    def action_undo(self) -> None:
        self.tagging.undo()

    def action_redo(self) -> None:
        self.tagging.redo()

    def action_next_annotation(self) -> None:
        self.step_mark(1)

    def action_previous_annotation(self) -> None:
        self.step_mark(-1)

    def step_mark(self, step: int) -> None:
        """Go to the next (or previous) annotation or suggestion (see annotations.targets.step_mark)."""
        target = self.marks.step(self.annotations, self.suggestions, self.view.cursor, step)
        if target is not None:
            self.view.move_to(target[0])
            self.status.under_cursor = self.describe(target[0])  # also when the cursor did not move

    def action_toggle_annotation_panel(self) -> None:
        self.drawing.toggle_when_mounted(AnnotationPanel)

    # ---- suggestions ----------------------------------------------------------------

    def suggestion_at(self, offset: int) -> Suggestion | None:
        """The suggestion shown under *offset*: the one `]`/`[` went to, else the shortest."""
        return self.marks.suggestion_at(self.suggestions, offset)

    def action_accept(self) -> None:
        self.suggesting.accept()

    def action_reject(self) -> None:
        self.suggesting.reject()

    def action_accept_all(self) -> None:
        self.suggesting.accept_all()

    def action_toggle_all_suggestions(self) -> None:
        self.suggesting.toggle_all()

    def action_toggle_suggestion_panel(self) -> None:
        self.drawing.toggle_when_mounted(SuggestionPanel)

    # ---- the corpus -----------------------------------------------------------------

    def action_open_corpus(self) -> None:
        self.corpus_keys.open_corpus()

    def action_toggle_done(self) -> None:
        self.corpus_keys.toggle_done()

    def action_next_not_done(self) -> None:
        self.corpus_keys.next_not_done()

    def action_show_stats(self) -> None:
        self.corpus_keys.show_stats()
