"""A long article is analysed in a child process with the real model: the same answer as in the
app's thread, streamed chunk by chunk, cancelled with the article, and a dead child is one line
on screen while the article stays readable."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from annotations import analysis, analysis_process
from annotations.analysis import Analyser
from annotations.article import load
from annotations.cache import AnalysisCache
from annotations.nlp import DEFAULT_MODEL, chunk_spans, nearest_first

from app_helpers import record_notifications

EXAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"
#: Both sample articles twice: about 20,000 characters, so two chunks.
LONG_TEXT = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt")) * 2)


@pytest.fixture
def long_article(tmp_path: Path) -> Path:
    path = tmp_path / "long.txt"
    path.write_text(LONG_TEXT, encoding="utf-8")
    return path


def children() -> list:
    return [c for c in multiprocessing.active_children() if c.name == "annotty-analysis"]


def test_the_child_gives_what_the_thread_gives_chunk_by_chunk_nearest_first(shared_pipeline, long_article, tmp_path) -> None:
    article = load(long_article)
    near = len(article.text) // 2
    in_thread = Analyser(DEFAULT_MODEL, AnalysisCache(tmp_path / "a"), process_above=len(article.text))
    in_child = Analyser(DEFAULT_MODEL, AnalysisCache(tmp_path / "b"), process_above=len(article.text) - 1)
    expected = in_thread.run(article, near=near)
    streamed = []
    found = in_child.run(article, near=near, on_chunk=streamed.append)
    assert in_child._nlp is None, "the app itself never loaded the model"
    assert [(c.start, c.end) for c in streamed] == nearest_first(chunk_spans(article.text), near)
    assert len(streamed) >= 2
    assert found.entities == expected.entities
    assert found.sentences == expected.sentences
    assert found.suggestions == expected.suggestions
    assert in_child.cached(article) is not None, "the child's answer is cached like the thread's"
    assert children() == []


def test_a_cancelled_run_stops_its_child(long_article, tmp_path) -> None:
    article = load(long_article)
    analyser = Analyser(DEFAULT_MODEL, AnalysisCache(tmp_path), process_above=0)
    seen = []
    assert analyser.run(article, on_chunk=seen.append, cancelled=lambda: bool(seen)) is None
    assert len(seen) == 1
    assert children() == []
    assert analyser.cached(article) is None, "half an answer is never cached"


async def _wait_for(pilot, condition, timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            pytest.fail(f"not reached within {timeout} s (status: {pilot.app.screen.status.analysis!r})")
        await pilot.pause(0.05)


async def test_a_child_that_dies_is_one_line_on_screen_and_the_article_stays_readable(
    make_app, long_article, monkeypatch
) -> None:
    monkeypatch.setattr(analysis, "PROCESS_ABOVE_CHARS", 1000)
    app = make_app([long_article])
    async with app.run_test(size=(100, 30)) as pilot:
        notes = record_notifications(app)
        reader = app.screen
        await _wait_for(pilot, lambda: "so far" in reader.status.analysis)
        shown = len(reader.entities)
        assert shown > 0
        [child] = children()
        os.kill(child.pid, signal.SIGKILL)
        await _wait_for(pilot, lambda: reader.status.analysis == "entities failed")
        assert len(notes) == 1 and "\n" not in notes[0] and "ended unexpectedly" in notes[0], notes
        assert len(reader.entities) >= shown, "what was found before stays shown"
        before = reader.view.cursor
        await pilot.press("j", "w")
        assert reader.view.cursor > before
    assert children() == []


async def test_quitting_during_the_analysis_ends_the_child(make_app, long_article, monkeypatch) -> None:
    monkeypatch.setattr(analysis, "PROCESS_ABOVE_CHARS", 1000)
    app = make_app([long_article])
    async with app.run_test(size=(100, 30)) as pilot:
        await _wait_for(pilot, lambda: children() != [])
        [child] = children()
    child.join(5)
    assert not child.is_alive()


class _RecordingPipe:
    """The child's end of the pipe, recording what is sent, in order with *events*."""

    def __init__(self, events: list[str]) -> None:
        self.events = events

    def send(self, message: tuple) -> None:
        self.events.append(message[0])

    def close(self) -> None:
        pass


def test_the_child_runs_at_full_priority_until_its_first_chunk_is_sent(nlp, monkeypatch, tmp_path) -> None:
    # The reader waits for the first chunk: at nice 10 on a busy machine the model's load alone
    # took ten seconds and more. Only what follows is background work.
    from annotations import analysis_process

    events: list[str] = []
    monkeypatch.setattr(analysis_process, "load_pipeline", lambda name: nlp)
    monkeypatch.setattr(analysis_process.os, "dup2", lambda *args: None)  # the child's output: left alone here
    monkeypatch.setattr(analysis_process.os, "nice", lambda increment: events.append(f"nice {increment}"))
    analysis_process.child_main(DEFAULT_MODEL, LONG_TEXT, 0, _RecordingPipe(events), AnalysisCache(tmp_path), "id")
    assert len(chunk_spans(LONG_TEXT)) >= 2
    assert events[0] == "chunk", events
    assert events.count("nice 10") == 1 and events.index("nice 10") == 1, events
    assert events[-1] == "done"


def _processes_of(pid: int) -> list[int]:
    # Every process whose parent is pid. Read from each process's own status file, since a thread of the
    # parent (and with it /proc/pid/task/tid/children) can end between listing and reading; a process
    # that ends while it is read is skipped.
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as status:
                parent = next(line for line in status if line.startswith("PPid:"))
        except (OSError, StopIteration):
            continue
        if int(parent.split()[1]) == pid:
            found.append(int(entry))
    return found


def test_the_chunks_after_the_first_are_parsed_by_two_workers_with_the_same_answer(shared_pipeline, tmp_path) -> None:
    # About 100,000 characters, ten chunks: the old path (every chunk in one process, the app's thread)
    # against the child, whose workers parse the nine after the first.
    path = tmp_path / "longer.txt"
    path.write_text("\n\n".join([LONG_TEXT] * 5), encoding="utf-8")
    article = load(path)
    assert len(chunk_spans(article.text)) >= 2 + analysis_process.PARALLEL_FROM_CHUNKS
    expected = Analyser(DEFAULT_MODEL, AnalysisCache(tmp_path / "a"), process_above=len(article.text)).run(article)
    in_child = Analyser(DEFAULT_MODEL, AnalysisCache(tmp_path / "b"), process_above=0)
    workers: set[int] = set()

    def watch(chunk) -> None:
        [child] = in_child._children
        workers.update(_processes_of(child.process.pid))

    found = in_child.run(article, on_chunk=watch)
    assert len(workers) >= analysis_process.PARSE_PROCESSES, "the child's worker processes parsed"
    assert found.entities == expected.entities
    assert found.sentences == expected.sentences
    assert found.suggestions == expected.suggestions
    assert len(found.suggestions) > 10
    assert in_child.cached(article).to_json() == expected.to_json() == Analyser(
        DEFAULT_MODEL, AnalysisCache(tmp_path / "a")).cached(article).to_json()
    assert children() == []
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")], "the workers ended with the child"


def test_stopping_the_child_while_its_workers_parse_ends_them_too(long_article, tmp_path) -> None:
    path = tmp_path / "longer.txt"
    path.write_text("\n\n".join([LONG_TEXT] * 5), encoding="utf-8")
    article = load(path)
    analyser = Analyser(DEFAULT_MODEL, AnalysisCache(tmp_path), process_above=0)
    workers: set[int] = set()

    def watch(chunk) -> None:
        [child] = analyser._children
        workers.update(_processes_of(child.process.pid))

    assert analyser.run(article, on_chunk=watch, cancelled=lambda: len(workers) >= 2) is None
    assert len(workers) >= 2
    assert children() == []
    deadline = time.monotonic() + 10
    while [pid for pid in workers if os.path.exists(f"/proc/{pid}")] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")], "no worker is left behind"
