"""The session core without any UI: every command applied, undone and redone, against a real database file,
and the events a front end draws from."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations import editing
from annotations.article import load
from annotations.history import Batch, Create, Delete, Edit, Reject, Unreject
from annotations.model import CLAIM, QUOTE
from annotations.session import AnnotationsChanged, ArticleOpened, Corpus, Saved, Session
from annotations.store import open_db
from annotations.suggest import Suggestion

SAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"
BRIDGE = SAMPLES / "harbour-bridge-vote.txt"
CLINIC = SAMPLES / "clinic-funding-dispute.txt"
TEXT = load(BRIDGE).text


def span_of(phrase: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def suggested(label: str, phrase: str, confidence: float = 0.9, kind: str | None = None) -> Suggestion:
    start, end = span_of(phrase)
    return Suggestion(label, start, end, phrase, None, None, kind, confidence, ("a reason",), "suggest:test")


@pytest.fixture
def session(tmp_path: Path):
    store = open_db(tmp_path / "annotations.json")
    corpus = Corpus([str(BRIDGE), str(CLINIC)], store, "alice", loader=load)
    session = Session(store, corpus, annotator="alice", threshold=0.5)
    events: list = []
    session.subscribe(events.append)
    session.events = events  # for the tests: what the subscriber saw
    session.open(0)
    yield session
    assert session.close(5)
    store.close()


def stored(session: Session) -> list[tuple[str, int, int, str]]:
    assert session.flush(5)
    return [(a.label, a.start, a.end, a.annotator) for a in session.store.annotations(session.article.id)]


def changes(session: Session) -> list[AnnotationsChanged]:
    return [e for e in session.events if isinstance(e, AnnotationsChanged)]


def shown(session: Session) -> list[tuple[str, int, int]]:
    return [(a.label, a.start, a.end) for a in session.annotations]


def test_opening_an_article_publishes_it_and_starts_empty(session: Session) -> None:
    opened = [e for e in session.events if isinstance(e, ArticleOpened)]
    assert [(e.index, e.article.source) for e in opened] == [(0, str(BRIDGE))]
    assert session.annotations == [] and session.suggestions == []


def test_tag_undo_redo_reach_memory_the_file_and_the_subscribers(session: Session) -> None:
    claim = span_of("Opponents dispute those figures.")
    tagged = session.tag(CLAIM, claim[0] - 1, claim[1] + 1)  # the spaces at the edges are trimmed
    assert tagged.created and (tagged.ann.start, tagged.ann.end) == claim
    assert shown(session) == [(CLAIM, *claim)]
    assert stored(session) == [(CLAIM, *claim, "alice")]
    changed = changes(session)[-1]
    assert changed.ids == {tagged.ann.id} and changed.spans == (claim,), "only what the tag touched is redrawn"

    assert session.undo() == Create(tagged.ann)
    assert shown(session) == [] and stored(session) == []
    assert changes(session)[-1].focus == claim[0], "undo puts the cursor on what it changed"
    session.redo()
    assert shown(session) == [(CLAIM, *claim)] and stored(session) == [(CLAIM, *claim, "alice")]
    assert any(isinstance(e, Saved) for e in session.events), "the writer thread's results are events too"


def test_edit_and_delete_undo_and_redo(session: Session) -> None:
    ann = session.tag(QUOTE, *span_of("I will believe it when I can walk across it,")).ann
    after = session.edit(ann, label=CLAIM, attrs={"note": "check"})
    assert (after.label, after.attrs, after.rev) == (CLAIM, {"note": "check"}, 2)
    cmd = session.undo()
    assert isinstance(cmd, Edit) and cmd.summary.startswith("edit of CLAIM I will believe")
    assert [a.label for a in session.annotations] == [QUOTE]
    session.redo()
    session.delete(after)
    assert session.annotations == [] and stored(session) == []
    assert isinstance(session.undo(), Delete)
    assert [(a.label, a.attrs) for a in session.annotations] == [(CLAIM, {"note": "check"})]
    assert stored(session) == [(CLAIM, ann.start, ann.end, "alice")]


def test_tagging_the_same_span_twice_hands_back_the_existing_annotation(session: Session) -> None:
    span = span_of("I will believe it when I can walk across it,")
    first = session.tag(QUOTE, *span)
    again = session.tag(QUOTE, *span)
    assert not again.created and again.ann == first.ann
    assert len(session.annotations) == 1
    session.undo()
    assert session.annotations == [], "the second tag made no undo step"
    assert session.tag(QUOTE, 3, 3).ann is None, "an empty span tags nothing"


def test_reject_then_undo_takes_back_the_rejection_not_an_older_tag(session: Session) -> None:
    claim = session.tag(CLAIM, *span_of("Opponents dispute those figures.")).ann
    s = suggested(QUOTE, "I will believe it when I can walk across it,")
    session.set_suggestions([s])
    assert session.suggestions == [s]
    assert isinstance(session.reject(s), Reject)
    assert session.suggestions == [] and session.rejected == {editing.key_of(s)}
    assert session.flush(5)
    assert session.store.rejections(session.article.id, "alice") == {editing.key_of(s)}
    cmd = session.undo()
    assert isinstance(cmd, Reject) and cmd.summary.startswith("reject of suggested QUOTE")
    assert session.suggestions == [s] and session.annotations == [claim]
    session.flush(5)
    assert session.store.rejections(session.article.id, "alice") == set()
    session.redo()
    assert session.suggestions == []


def test_show_all_lists_rejected_ones_and_reject_again_takes_the_rejection_back(session: Session) -> None:
    s = suggested(QUOTE, "I will believe it when I can walk across it,")
    low = suggested(CLAIM, "Opponents dispute those figures.", confidence=0.2)
    session.set_suggestions([s, low])
    assert session.suggestions == [s]
    session.reject(s)
    assert session.suggestions == []
    assert session.toggle_all_suggestions() is True
    assert session.suggestions == [s, low] and session.is_rejected(s) and not session.is_rejected(low)
    assert isinstance(session.reject(s), Unreject)
    assert not session.is_rejected(s)
    session.flush(5)
    assert session.store.rejections(session.article.id, "alice") == set()
    assert isinstance(session.undo(), Unreject), "un-rejecting is an undo step too"
    assert session.is_rejected(s)
    session.toggle_all_suggestions()
    assert session.suggestions == []


def test_accept_all_is_one_step_that_says_how_many(session: Session) -> None:
    quote = suggested(QUOTE, "I will believe it when I can walk across it,")
    twice = suggested(QUOTE, "I will believe it when I can walk across it,", confidence=0.8)  # a second suggester
    claim = suggested(CLAIM, "Opponents dispute those figures.", confidence=0.7)
    rejected = suggested(CLAIM, "Port Callow's councillors voted")
    session.set_suggestions([quote, twice, claim, rejected])
    session.reject(rejected)
    assert session.accept_all() == 2
    assert sorted(a.label for a in session.annotations) == [CLAIM, QUOTE]
    assert len(stored(session)) == 2
    cmd = session.undo()
    assert isinstance(cmd, Batch) and cmd.summary == "accept of 2 suggestions"
    assert session.annotations == [] and stored(session) == []
    assert session.is_rejected(rejected), "one undo took back the accepts only"
    session.redo()
    assert len(stored(session)) == 2


def test_an_accepted_suggestion_keeps_its_rule_confidence_and_reasons(session: Session) -> None:
    s = suggested(CLAIM, "Opponents dispute those figures.", confidence=0.75)
    session.set_suggestions([s])
    ann = session.accept(s)
    assert ann.origin == "suggest:test@0.75"
    assert ann.attrs == {"confidence": 0.75, "reasons": ["a reason"], "status": "unchecked"}
    tagged = session.tag(CLAIM, s.start, s.end)
    assert not tagged.created, "tagging what was accepted finds it"


def test_undo_of_a_change_in_another_article_opens_that_article(session: Session) -> None:
    claim = session.tag(CLAIM, *span_of("Opponents dispute those figures.")).ann
    session.open(1)
    assert session.article.source == str(CLINIC) and session.annotations == []
    session.undo()
    assert session.index == 0 and session.annotations == []
    drawn = [e for e in session.events if isinstance(e, (ArticleOpened, AnnotationsChanged))]
    assert isinstance(drawn[-2], ArticleOpened) and drawn[-1].focus == claim.start
    session.redo()
    assert shown(session) == [(CLAIM, claim.start, claim.end)]


def test_stored_state_is_merged_once_and_memory_wins(session: Session, tmp_path: Path) -> None:
    article = session.article
    with open_db(tmp_path / "annotations.json") as other:
        from annotations.model import Annotation

        bob = Annotation.create(article_id=article.id, source=article.source, article_text=article.text,
                                label=QUOTE, start=0, end=4, annotator="bob")
        other.add(bob)
        other.set_cursor(article.id, "alice", 42)
    mine = session.tag(CLAIM, *span_of("Opponents dispute those figures.")).ann  # made while the file is read
    found = session.read_stored(article)
    assert session.merge_stored(article, found) == 42
    assert session.cursor == 42
    assert {a.id for a in session.annotations} == {mine.id}  # the reader starts on alice's own layer
    session.cycle_layer()  # everyone's
    assert {a.id for a in session.annotations} == {bob.id, mine.id}
    assert session.loaded(article.id)


def test_the_cursor_is_saved_only_when_it_moved(session: Session) -> None:
    session.move_cursor(10)
    session.remember_cursor()
    session.remember_cursor()
    session.flush(5)
    assert session.store.cursor(session.article.id, "alice") == 10


def test_editing_rules_without_a_screen() -> None:
    assert editing.trim_span("  ab c ", 0, 7) == (2, 6)
    assert editing.trim_span("   ", 0, 3) is None
    choice = editing.speaker_choice("said  Ann Lee ", (5, 14), 0, [], entities_known=False)
    assert (choice.start, choice.end, choice.text) == (6, 13, "Ann Lee")
    s = suggested(QUOTE, "I will believe it when I can walk across it,", kind="indirect")
    assert editing.visible_suggestions([s], [], set(), threshold=0.5, show_all=False) == []
    assert editing.visible_suggestions([s], [], {editing.key_of(s)}, threshold=0.5, show_all=True) == [s]


def test_a_colleagues_change_is_taken_in_but_never_over_my_pending_write(session: Session, tmp_path: Path, monkeypatch) -> None:
    import threading
    from dataclasses import replace

    from annotations.changes import ExternalChange
    from annotations.session import ExternalUpdate
    from annotations.store import Store

    mine = session.tag(QUOTE, *span_of("I will believe it when I can walk across it,")).ann
    other = session.tag(CLAIM, *span_of("Opponents dispute those figures.")).ann
    session.merge_stored(session.article, session.read_stored(session.article))
    assert session.flush(5)
    held, original = threading.Event(), Store.apply

    def held_back(self, ops):  # the disk is slow: my next write stays pending
        held.wait(10)
        return original(self, ops)

    monkeypatch.setattr(Store, "apply", held_back)
    session.edit(mine, attrs={"note": "mine, not yet written"})
    theirs_of_mine = replace(mine, attrs={"note": "theirs"}, rev=mine.rev + 5)
    theirs_of_other = replace(other, attrs={"note": "theirs"}, rev=other.rev + 1)
    article = session.article.id
    update = ExternalUpdate(ExternalChange(changed={article: frozenset({mine.id, other.id})}),
                            {mine.id: theirs_of_mine, other.id: theirs_of_other}, {})
    session.take_in(update)
    held.set()
    notes = {a.id: a.attrs.get("note") for a in session.annotations}
    assert notes == {mine.id: "mine, not yet written", other.id: "theirs"}
    changed = changes(session)[-1]
    assert changed.ids == {other.id} and changed.spans == ((other.start, other.end), (other.start, other.end))


def test_rejections_from_another_process_are_taken_in_but_never_over_mine_being_written(session: Session) -> None:
    from annotations.changes import ExternalChange
    from annotations.session import ExternalUpdate

    claim = suggested(CLAIM, "Opponents dispute those figures.")
    quote = suggested(QUOTE, "I will believe it when I can walk across it,")
    session.set_suggestions([claim, quote])
    session.merge_stored(session.article, session.read_stored(session.article))
    article = session.article.id
    session.reject(quote)  # mine, and the file read below may predate its save
    assert session.flush(5)
    before = len(changes(session))
    # Another process of alice's rejected the claim; the file it read did not hold my quote's rejection yet.
    update = ExternalUpdate(ExternalChange(rejections=True), {}, {}, {article: frozenset({editing.key_of(claim)})},
                            writing=frozenset({(article, editing.key_of(quote))}))
    session.take_in(update)
    assert session.rejected == {editing.key_of(claim), editing.key_of(quote)}
    assert session.suggestions == []
    assert changes(session)[-1].spans == ((claim.start, claim.end),) and len(changes(session)) == before + 1
    # Then it took the claim's rejection back, and the file holds mine by now.
    session.take_in(ExternalUpdate(ExternalChange(rejections=True), {}, {}, {article: frozenset({editing.key_of(quote)})}))
    assert session.rejected == {editing.key_of(quote)} and session.suggestions == [claim]
    session.take_in(ExternalUpdate(ExternalChange(rejections=True), {}, {}, {article: frozenset({editing.key_of(quote)})}))
    assert len(changes(session)) == before + 2, "nothing changed: nothing to redraw"


def test_undo_after_accept_all_takes_back_what_the_batch_did_when_one_accept_was_retracted(
        session: Session, tmp_path: Path) -> None:
    """`!` pressed while the file is still being read: the file already held alice's tag of one of the
    suggestions, so the opening's merge retracts that accept. The rest of the batch stays one undo step."""
    path = tmp_path / "annotations.json"
    article = session.article
    quote = suggested(QUOTE, "I will believe it when I can walk across it,")
    claim = suggested(CLAIM, "Opponents dispute those figures.", confidence=0.7)
    with open_db(path) as other:  # alice's earlier run accepted the quote
        other.add(editing.from_suggestion(quote, article, "alice"))

    def in_file() -> list[tuple[str, int, int]]:
        assert session.flush(5)
        with open_db(path) as reader:
            return sorted((a.label, a.start, a.end) for a in reader.annotations(article.id))

    read = session.read_stored(article)  # the opening's read of the file, which ends after `!`
    session.set_suggestions([quote, claim])
    assert session.accept_all() == 2  # the quote is not yet known to be tagged
    session.merge_stored(article, read)  # so the accept of the quote, a twin of alice's own tag, is retracted
    both = sorted([(QUOTE, quote.start, quote.end), (CLAIM, claim.start, claim.end)])
    assert in_file() == both
    assert isinstance(session.undo(), Create), "the undo takes back the claim, all the batch still did"
    assert in_file() == [(QUOTE, quote.start, quote.end)], "the quote was tagged before: it stays"
    assert session.redo() is not None
    assert in_file() == both
    session.undo()
    assert in_file() == [(QUOTE, quote.start, quote.end)]
    assert session.undo() is None, "nothing else was done"
