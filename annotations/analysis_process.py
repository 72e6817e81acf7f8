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

The child ends by itself when the app stops reading (a broken pipe), and the
app terminates it when the article changes or the app quits. Once its first chunk
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
from dataclasses import asdict
from typing import TYPE_CHECKING

from .nlp import ChunkResult, ModelMissing, analyse_nearest_first, load_pipeline, model_info

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


class AnalysisFailed(Exception):
    """The pipeline failed or its process died; the message is one line."""


def child_main(model_name: str, text: str, near: int, conn: "Connection", cache: "AnalysisCache", article_id: str) -> None:
    """The child process: analyse *text* nearest *near* first, send each chunk to *conn*, and
    cache the whole answer under *article_id*."""
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
        try:
            from .analysis import Analyser, Analysis, suggest_safely

            docs = {}
            result = Analysis()
            for chunk, doc in analyse_nearest_first(nlp, text, near):
                docs[chunk.start] = doc
                result.entities.extend(chunk.entities)
                result.sentences.extend(chunk.sentences)
                entities = [(e.start, e.end, e.label, e.text) for e in chunk.entities]
                conn.send(("chunk", chunk.start, chunk.end, entities, chunk.sentences))
                if len(docs) == 1:
                    # The reader waits for the first chunk, the one under the cursor: until it is
                    # out this is not background work, and at nice 10 on a busy machine the
                    # model's load alone took ten seconds or more. The rest yields to the app's keys.
                    os.nice(BACKGROUND_NICE)
            result.suggestions = suggest_safely(nlp, docs)
            Analyser(model_name, cache).store(article_id, result, model_info(nlp).version)
            conn.send(("done", [asdict(s) for s in result.suggestions]))
        except (BrokenPipeError, ConnectionResetError):
            raise
        except Exception as exc:  # sent to the app, which shows it in one line
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the app stopped listening (a new article, or it quit): nothing left to do
    finally:
        conn.close()


class ChildRun:
    """One article analysed in a child process; iterate :meth:`messages` to receive its results."""

    def __init__(self, model_name: str, text: str, near: int, cache: "AnalysisCache", article_id: str) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._conn, child_end = context.Pipe(duplex=False)
        self.process: BaseProcess = context.Process(
            target=child_main, args=(model_name, text, near, child_end, cache, article_id),
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
        self._conn.close()
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(STOP_GRACE_S)
            if self.process.is_alive():
                self.process.kill()
        self.process.join()


def chunk_from_message(message: tuple) -> ChunkResult:
    from .model import Entity

    _, start, end, entities, sentences = message
    return ChunkResult(start, end, [Entity(*e) for e in entities], [tuple(s) for s in sentences])
