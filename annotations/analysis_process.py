"""The pipeline in a child process, streaming what it finds chunk by chunk.

spaCy holds the interpreter lock for most of each chunk, so run in a thread of
the app it stalls every keypress while a long article is analysed. In a child
process it uses the second core and the app only unpickles a few hundred small
tuples per chunk.

The child is started with the 'spawn' context (a fresh interpreter: forking a
process that already runs threads is unsafe), loads the model itself, and
sends plain tuples over a one-way pipe:

- ``("chunk", start, end, entities, sentences)``: entities as (start, end, label, text);
- ``("done", suggestions)``: suggestions as dicts (Suggestion's fields), once the whole
  answer is in the cache;
- ``("missing", message)``: the model is not installed;
- ``("failed", message)``: the pipeline raised.

The chunks after the first are parsed by two spaCy worker processes the child forks (the
suggesters, which need the whole article, can only follow the last chunk: parsing on both cores
is what the second core is for). The child is the leader of a process group of its own, so that
stopping it stops its workers too.

The child ends by itself when the app stops reading (a broken pipe), and the
app terminates it (its group) when the article changes or the app quits. Once its first chunk
(the one under the cursor, which the reader waits for) is sent, it runs at a lower
priority (nice 10), as background work: on a busy shared 2-core machine p95 key
to frame through a pty during the analysis of 1 MB was 68 ms with it and 105 ms
without (188 ms with the model in the app's thread); the price is paid only when
every core is taken, where the analysis then yields to other programs too. As with any 'spawn' child, the
program's main module is imported again in the child, so it must keep its work
under ``if __name__ == "__main__"`` (the ``annotty`` script does).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict
from typing import TYPE_CHECKING

from .nlp import ChunkResult, ModelMissing, analyse_nearest_first, load_pipeline, model_info, without_tensors

if TYPE_CHECKING:  # pragma: no cover
    from .cache import AnalysisCache
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

#: Seconds between checks whether the analysis was cancelled while waiting for the child.
POLL_S = 0.05
#: Seconds a terminated child gets to go before it is killed.
STOP_GRACE_S = 1.0
#: The child's niceness once the first chunk is sent: background work, after the app's keys.
BACKGROUND_NICE = 10
#: spaCy worker processes that parse the chunks after the first, when there are at least
#: PARALLEL_FROM_CHUNKS of them: the suggesters, which need the whole article, follow the last
#: chunk, so parsing on every core is where the second core saves time.
PARSE_PROCESSES = 2
PARALLEL_FROM_CHUNKS = 4


class AnalysisFailed(Exception):
    """The pipeline failed or its process died; the message is one line."""


def child_entry(*args) -> None:
    """The child process: child_main in a process group of its own, so that stopping it also stops the
    worker processes it forks (ChildRun.stop signals the group), and a terminated child closes its
    workers on its way out."""
    import multiprocessing
    import signal

    # The app starts this process as a daemon, ended when the app exits; a daemon may not start
    # processes of its own, but its workers end with it (the group, and the closing in _analyse).
    multiprocessing.current_process().daemon = False
    # spaCy starts its workers with the default method, which in a 'spawn' child is 'spawn': a fresh
    # interpreter that imports spaCy and unpickles the model, seconds each. Forked, they start at
    # once and share the model's memory. This process runs no thread of its own that a fork could
    # catch holding a lock.
    multiprocessing.set_start_method("fork", force=True)
    os.setpgid(0, 0)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    child_main(*args)


def _exit_on_signal(signum, frame) -> None:
    raise SystemExit(0)


def child_main(
    model_name: str, text: str, near: int, conn: "Connection", cache: "AnalysisCache", article_id: str,
    processes: int = PARSE_PROCESSES,
) -> None:
    """Analyse *text* nearest *near* first, send each chunk to *conn*, and cache the whole answer
    under *article_id*; the chunks after the first are parsed by *processes* workers."""
    # The terminal belongs to the app: a warning or a traceback here must not draw over it.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        try:
            nlp = load_pipeline(model_name)
        except ModelMissing as exc:
            conn.send(("missing", str(exc)))
            return
        with without_tensors(nlp):
            _analyse(nlp, model_name, text, near, conn, cache, article_id, processes)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the app stopped listening (a new article, or it quit): nothing left to do
    finally:
        conn.close()


def _analyse(nlp, model_name, text, near, conn, cache, article_id, processes) -> None:
    from .analysis import Analyser, Analysis, suggest_safely

    try:
        docs = {}
        result = Analysis()
        # closing: a broken pipe or a SIGTERM here also ends the worker processes, which wait for work.
        with closing(analyse_nearest_first(
            nlp, text, near, processes=processes, processes_from_chunks=PARALLEL_FROM_CHUNKS,
        )) as chunks:
            for chunk, doc in chunks:
                docs[chunk.start] = doc
                result.entities.extend(chunk.entities)
                result.sentences.extend(chunk.sentences)
                entities = [(e.start, e.end, e.label, e.text) for e in chunk.entities]
                conn.send(("chunk", chunk.start, chunk.end, entities, chunk.sentences))
                if len(docs) == 1:
                    # The reader waits for the first chunk, the one under the cursor: until it is
                    # out this is not background work, and at nice 10 on a busy machine the
                    # model's load alone took ten seconds or more. The rest (the workers, forked
                    # after this, too) yields to the app's keys.
                    os.nice(BACKGROUND_NICE)
        result.suggestions = suggest_safely(nlp, docs)
        Analyser(model_name, cache).store(article_id, result, model_info(nlp).version)
        conn.send(("done", [asdict(s) for s in result.suggestions]))
    except (BrokenPipeError, ConnectionResetError):
        raise
    except Exception as exc:  # sent to the app, which shows it in one line
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))


class ChildRun:
    """One article analysed in a child process; iterate :meth:`messages` to receive its results."""

    def __init__(self, model_name: str, text: str, near: int, cache: "AnalysisCache", article_id: str) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._conn, child_end = context.Pipe(duplex=False)
        self.process: BaseProcess = context.Process(
            target=child_entry, args=(model_name, text, near, child_end, cache, article_id),
            name="annotty-analysis", daemon=True,
        )
        # multiprocessing starts its resource tracker with sys.stderr's descriptor, which an app
        # that captures output (Textual gives -1) does not have: the tracker gets /dev/null.
        stderr = sys.stderr
        with open(os.devnull, "w") as devnull:
            sys.stderr = devnull
            try:
                self.process.start()
            finally:
                sys.stderr = stderr
        child_end.close()  # only the child writes: its death is then an end of file here

    def messages(self, cancelled: Callable[[], bool]):
        """Each message the child sends, until "done"; stops quietly when *cancelled*."""
        while not cancelled():
            if not self._conn.poll(POLL_S):
                continue
            try:
                message = self._conn.recv()
            except (EOFError, OSError):
                self.process.join(STOP_GRACE_S)
                raise AnalysisFailed(f"the analysis process ended unexpectedly (exit code {self.process.exitcode})") from None
            kind = message[0]
            if kind == "missing":
                raise ModelMissing(message[1])
            if kind == "failed":
                raise AnalysisFailed(message[1])
            yield message
            if kind == "done":
                return

    def stop(self) -> None:
        """End the child, whatever it is doing, and free the pipe."""
        import signal

        self._conn.close()
        if self.process.is_alive():
            self._signal(signal.SIGTERM)
            self.process.join(STOP_GRACE_S)
            if self.process.is_alive():
                self._signal(signal.SIGKILL)
        self.process.join()

    def _signal(self, signum: int) -> None:
        """*signum* to the child's process group (the child and its workers); to the child alone
        before it has made its group."""
        try:
            os.killpg(self.process.pid, signum)
        except (ProcessLookupError, PermissionError):
            try:
                os.kill(self.process.pid, signum)
            except ProcessLookupError:
                pass  # it ended meanwhile: nothing left to stop


def chunk_from_message(message: tuple) -> ChunkResult:
    from .model import Entity

    _, start, end, entities, sentences = message
    return ChunkResult(start, end, [Entity(*e) for e in entities], [tuple(s) for s in sentences])
