"""`/` and the text after it sent in one write (a paste, a laggy SSH link): the text is the query, and none
of its letters runs as a reader command (`d` would delete the entity under the cursor)."""

from __future__ import annotations

import re
from pathlib import Path

from terminal_harness import EXAMPLES, REPO

from annotations.store import open_db

ARTICLE = EXAMPLES / "clinic-funding-dispute.txt"
ENTITY_COUNT = re.compile(r"\b\d[\d,]* entities\b")


def test_slash_and_text_in_one_write_fill_the_find_bar(tmux, annotty: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.json"
    term = tmux([str(annotty), str(ARTICLE.relative_to(REPO)), "--db", str(db), "--annotator", "alice"])
    term.wait_for(ENTITY_COUNT, timeout=90)
    term.tmux("send-keys", "-t", term.SESSION, "-l", "/said")  # one send-keys: one write to the terminal
    screen = term.wait_for("find said", timeout=10)
    assert "no suggestion" not in screen, screen
    term.send_keys("Enter")
    term.wait_for(re.compile(r"\b1/\d+\b"), timeout=10)
    term.send_keys("Escape", "C-q")
    assert term.wait_exit(timeout=15) == 0, term.capture()
    if db.exists():  # written only once something changed
        with open_db(db) as store:
            assert list(store.annotations()) == [], "nothing was tagged or deleted"


def test_a_key_sent_with_the_find_after_its_enter_acts_in_the_reader(tmux, annotty: Path, tmp_path: Path) -> None:
    """`/stopped`, enter and `q` in one write: the find runs, then `q` tags the quotation found, once."""
    db = tmp_path / "a.json"
    bridge = EXAMPLES / "harbour-bridge-vote.txt"
    text = bridge.read_text(encoding="utf-8")
    term = tmux([str(annotty), str(bridge.relative_to(REPO)), "--db", str(db), "--annotator", "alice"])
    term.wait_for(ENTITY_COUNT, timeout=90)
    term.tmux("send-keys", "-t", term.SESSION, "-l", "/stopped\rq")  # one send-keys: one write to the terminal
    term.wait_for("1 annotation saved", timeout=20)
    screen = term.capture()
    assert "stoppedq" not in screen, screen
    term.send_keys("C-q")
    assert term.wait_exit(timeout=15) == 0, term.capture()
    with open_db(db) as store:
        quotes = list(store.annotations())
    assert [a.label for a in quotes] == ["QUOTE"], quotes
    assert quotes[0].start <= text.index("stopped") < quotes[0].end
