"""One whole analysis of an article, timed, in a fresh process (bench_reader alternates them):

    python -m bench.analysis_run app ARTICLE CACHE_DIR    # the app's Analyser: the model in a child process
    python -m bench.analysis_run pipe ARTICLE [N]         # plain nlp.pipe over the paragraphs, in N processes

Each prints the seconds from before spaCy is imported until the last result is in, the model's
load included on both sides (the app's analysis loads it in its child, the plain run here), then
the CPU seconds of this process and its children: on a loaded machine the wall time says more
about the other programs (and the app's child runs at nice 10 after its first chunk).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path


def run_app(article: Path, cache: Path) -> float:
    from annotations.analysis import Analyser
    from annotations.article import load
    from annotations.cache import AnalysisCache
    from annotations.nlp import DEFAULT_MODEL

    loaded = load(article)
    began = time.perf_counter()
    result = Analyser(DEFAULT_MODEL, AnalysisCache(cache)).run(loaded)
    if result is None or not result.entities:
        raise RuntimeError("the app's analysis found nothing")
    return time.perf_counter() - began


def run_pipe(article: Path, processes: int) -> float:
    from annotations.article import load
    from annotations.nlp import DEFAULT_MODEL, load_pipeline
    from annotations.segments import paragraphs

    text = load(article).text
    began = time.perf_counter()
    nlp = load_pipeline(DEFAULT_MODEL)
    found = sum(len(doc.ents) for doc in nlp.pipe((text[s:e] for s, e in paragraphs(text)), n_process=processes))
    if not found:
        raise RuntimeError("nlp.pipe found nothing")
    return time.perf_counter() - began


def main(argv: list[str]) -> None:
    mode, article, *rest = argv
    if mode == "app":
        seconds = run_app(Path(article), Path(rest[0]))
    else:
        seconds = run_pipe(Path(article), int(rest[0]) if rest else 1)
    cpu = time.process_time() + sum(
        getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f) for f in ("ru_utime", "ru_stime"))
    print(f"{seconds:.3f} {cpu:.3f}")


if __name__ == "__main__":  # the app's analysis starts a 'spawn' child, which imports this module again
    main(sys.argv[1:])
