"""Writes the kernel refuses: nothing saved is touched, the change waits in memory and is retried.

A child process runs the real store and save queue with a file-size limit
(RLIMIT_FSIZE) just above the database's size, so growing the file fails in
the kernel the way a full disk does, for root and for everyone else alike.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from annotations.model import Annotation
from annotations.store import Op, open_db

CHILD = textwrap.dedent(
    """
    import json, resource, signal, sys, time
    from annotations.model import Annotation
    from annotations.saver import SaveQueue
    from annotations.store import Op, open_db

    path, limit = sys.argv[1], int(sys.argv[2])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write raises OSError instead of killing us
    results = []
    store = open_db(path)
    queue = SaveQueue(store, results.append, first_retry=0.05, max_retry=0.1)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    big = Annotation.create(article_id="a" * 64, source="s", article_text="x" * 5000, label="CLAIM",
                            start=0, end=5000, annotator="t")
    queue.submit(Op.put(big))
    saved = queue.flush(1.0)
    print(json.dumps({"saved_while_limited": saved, "pending": queue.pending,
                      "errors": [r.error for r in results if not r.ok]}), flush=True)
    # Space comes back: the retry must save it without anyone submitting again.
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    print(json.dumps({"saved_after": queue.flush(10), "pending": queue.pending}), flush=True)
    queue.close(5)
    """
)


def small(n: int) -> Annotation:
    text = "The council voted 23 to 21 on Tuesday."
    return Annotation.create(article_id="b" * 64, source="s", article_text=text, label="QUOTE",
                             start=n % 5, end=10 + n % 5, annotator="t")


def test_a_refused_write_keeps_the_saved_file_and_is_retried(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    store = open_db(path)
    store.apply([Op.put(small(n)) for n in range(5)])
    store.close()
    before = path.read_bytes()

    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(len(before) + 1000)],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parent.parent,
    )
    assert child.returncode == 0, child.stderr
    limited, after = (json.loads(line) for line in child.stdout.splitlines())

    assert not limited["saved_while_limited"] and limited["pending"] == 1
    assert limited["errors"] and all("\n" not in e and str(path) in e for e in limited["errors"])
    assert after == {"saved_after": True, "pending": 0}
    final = json.loads(path.read_bytes())
    assert len(final["annotations"]) == 6, "the retried annotation joined the five already saved"
    assert json.loads(before)["annotations"].items() <= final["annotations"].items()
