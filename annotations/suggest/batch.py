"""Suggestions for many articles at once, on every core, in the order the articles were given.

The pipeline runs in spaCy's own worker processes (``nlp.pipe(n_process=...)``) over the
articles' pieces (the docs :func:`~annotations.nlp.parse` parses: a 1 MB article never exceeds
spaCy's length limit, and a long one goes paragraph by paragraph); they are joined back into one doc and the
suggesters run on it in this process. They cost under a tenth of the pipeline (13 ms against
151 ms for a generated 2.7 KB article, and 3 ms to read back a doc sent by a worker), so this
process keeps up with up to about ten workers; on two cores, running them in the workers would
spend the same CPU time in other processes and gain nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..nlp import CHUNK_CHARS, doc_spans, join_docs, without_tensors
from . import suggest
from .suggestion import Suggestion

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

#: Chunks per batch sent to a worker. Measured over 600 articles of 1 KB with two workers (resident
#: memory summed over the three processes): 4 chunks peaked at 473 MB, 16 at 578 MB, 64 at 967 MB,
#: and plain nlp.pipe with spaCy's default of 256 at 1,620 MB; the speed of 4, 16 and 64 differed
#: less than the noise of the loaded machine. 16 leaves the per-batch cost small for short articles.
BATCH_SIZE = 16


def available_cores() -> int:
    """The cores this process may run on (fewer than the machine's under taskset or a container's cpuset)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def suggest_texts(
    nlp: "Language",
    texts: Sequence[str],
    jobs: int = 1,
    batch_size: int = BATCH_SIZE,
    chunk_chars: int = CHUNK_CHARS,
) -> Iterator[list[Suggestion] | Exception]:
    """Every suggestion of each of *texts*, one list per text, in the order of *texts*.

    *jobs* is the number of processes that run the pipeline; 1 runs it here. No more
    processes are started than there are chunks to parse. If the suggesters fail on one
    text, its item is the exception, and the texts after it still get theirs.
    """
    spans = [doc_spans(text, chunk_chars, nlp.max_length) for text in texts]
    chunk_count = sum(len(s) for s in spans)
    processes = max(1, min(jobs, chunk_count))

    def chunks() -> Iterator[tuple[str, tuple[int, int]]]:
        for index, (text, article_spans) in enumerate(zip(texts, spans)):
            for start, end in article_spans:
                yield text[start:end], (index, start)

    done = 0  # the texts whose suggestions have been yielded
    docs: dict[int, object] = {}
    with without_tensors(nlp):  # dropped in the workers: the suggesters never read them
        parsed = nlp.pipe(chunks(), as_tuples=True, n_process=processes, batch_size=batch_size)
        for doc, (index, start) in parsed:
            while done < index:  # texts with no chunk at all (nothing to parse)
                yield []
                done += 1
            docs[start] = doc
            if len(docs) == len(spans[index]):
                yield _suggest_or_error(join_docs(nlp, docs))
                docs = {}
                done += 1
    while done < len(texts):
        yield []
        done += 1


def _suggest_or_error(doc) -> list[Suggestion] | Exception:
    try:
        return suggest(doc)
    except Exception as exc:  # one article's bug must not cost the suggestions of all the others
        return exc
