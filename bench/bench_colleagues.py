"""How long a colleague's change takes to show: another process writes it to the shared database file,
and the session's poller (the app's, at the app's interval) takes it into memory.

Each of the changes is one save in a child process with a store of its own: a new annotation, an
edit of it, its deletion, or a rejection by the same annotator in another process (a second
terminal or browser tab), in turn. The delay runs from the child's save returning to the moment the
session holds the change (what the screen then redraws, a few milliseconds on the event loop, is
not in it). A pause of random length between changes puts them at every phase of the poll.

Run: python -m bench.bench_colleagues
"""

from __future__ import annotations

import multiprocessing
import random
import tempfile
import threading
import time
from pathlib import Path

from annotations.article import Article, load
from annotations.corpus import Corpus
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.session import ExternalUpdate, Session
from annotations.store import Op, open_db

from .report import Figure, median, percentile, show

CHANGES = 20
#: What the issue promises: a colleague's change shows within two seconds.
GOAL_S = 2.0
#: How long one change may take to show before the benchmark gives up on it.
GIVE_UP_S = 10.0
TEXT = (
    "Harbour ferry fares rise in March\n\n"
    "The harbour board voted on Thursday to raise ferry fares by a fifth from March. "
    "\"We have held fares for six years and the engines will not wait,\" said the board's chair, Ines Marlow. "
    "Commuters from the north shore say the rise will cost a regular rider about forty pounds a year. "
    "The board expects the new fares to pay for two rebuilt engines by 2028.\n"
)


def colleague(path: str, orders) -> None:
    """The other process: apply each op sent, and answer with when its save returned."""
    with open_db(path) as store:
        while True:
            op = orders.recv()
            if op is None:
                return
            store.apply([op])
            orders.send(time.monotonic())


def planned(article: Article) -> list[tuple[Op, object]]:
    """The changes in turn, each as (the op the colleague saves, what the session holds once it took it in)."""
    changes: list[tuple[Op, object]] = []
    words = [i for i, ch in enumerate(article.text) if ch == " "]
    for n in range(CHANGES):
        start = words[(7 * n) % (len(words) - 4)] + 1
        end = words[(7 * n) % (len(words) - 4) + 3]
        kind = n % 4
        if kind == 0:
            ann = Annotation.create(article_id=article.id, source=article.source, article_text=article.text,
                                    label=QUOTE, start=start, end=end, annotator="bob")
            changes.append((Op.put(ann), ("live", ann.id, None)))
        elif kind == 1:
            after = ann.edited(annotator="bob", attrs={"note": f"checked {n}"})
            changes.append((Op.put(after, base_rev=ann.rev), ("live", ann.id, f"checked {n}")))
            ann = after
        elif kind == 2:
            changes.append((Op.delete(ann.id, base_rev=ann.rev, by="bob", article_id=article.id), ("gone", ann.id, None)))
        else:
            changes.append((Op.rejection(article.id, "alice", CLAIM, start, end), ("rejected", (CLAIM, start, end), None)))
    return changes


def holds(session: Session, article_id: str, expected) -> bool:
    what, key, note = expected
    if what == "rejected":
        return key in session.history.rejections.for_article(article_id)
    ann = session.history.annotations.get(key)
    if what == "gone":
        return ann is None
    return ann is not None and (note is None or ann.attrs.get("note") == note)


def measure(folder: Path, poll_seconds: float) -> list[float]:
    path = folder / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    db = str(folder / "team.json")
    store = open_db(db)
    session = Session(store, Corpus([str(path)], store, "alice", loader=load), annotator="alice")
    article = session.open(0)
    session.merge_stored(article, session.read_stored(article))
    session.store_article()
    assert session.flush(10)
    lock = threading.Condition()
    waiting: dict = {}

    def on_event(event) -> None:  # the poller thread: as the app does on its loop, take it in, then look
        if isinstance(event, ExternalUpdate):
            session.take_in(event)
            now = time.monotonic()
            with lock:
                if "expected" in waiting and "seen" not in waiting and holds(session, article.id, waiting["expected"]):
                    waiting["seen"] = now
                    lock.notify_all()

    session.subscribe(on_event)
    session.start_polling(poll_seconds)
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    child = multiprocessing.get_context("spawn").Process(target=colleague, args=(db, theirs), daemon=True)
    child.start()
    rng = random.Random(8)
    delays: list[float] = []
    try:
        for op, expected in planned(article):
            time.sleep(rng.uniform(0.0, poll_seconds))  # every phase of the poll
            with lock:
                waiting.clear()
                waiting["expected"] = expected
            ours.send(op)
            written = ours.recv()
            with lock:
                if not lock.wait_for(lambda: "seen" in waiting, GIVE_UP_S):
                    raise RuntimeError(f"a colleague's change ({expected[0]}) never showed")
                delays.append(max(0.0, waiting["seen"] - written))
    finally:
        ours.send(None)
        child.join(10)
        session.close(10)
        store.close()
    return delays


def main() -> list[Figure]:
    from tui.app import POLL_SECONDS  # the app's interval, whatever it is set to

    with tempfile.TemporaryDirectory(dir=".") as tmp:
        delays = measure(Path(tmp), POLL_SECONDS)
    print(f"a colleague's change in another process, until the session holds it ({len(delays)} changes, "
          f"polling every {POLL_SECONDS:g} s): " + ", ".join(f"{d:.2f}" for d in delays) + " s")
    return [
        show(Figure(f"a colleague's change showing, p50 of {len(delays)}", median(delays), "s", GOAL_S)),
        show(Figure(f"a colleague's change showing, max of {len(delays)}", max(delays), "s", GOAL_S)),
        Figure(f"a colleague's change showing, p95 of {len(delays)}", percentile(delays, 0.95), "s"),
    ]


if __name__ == "__main__":
    main()
