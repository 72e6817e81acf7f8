"""Keys sent to the annotation editor in one burst, as a laggy SSH link delivers them: the letters after
the tabs land in the note, and a ctrl+s at the end saves it, as they would typed one at a time."""

from __future__ import annotations

import re
from pathlib import Path

from terminal_harness import EXAMPLES, REPO

from annotations.article import load
from annotations.model import QUOTE, Annotation
from annotations.store import Op, open_db

ARTICLE = EXAMPLES / "harbour-bridge-vote.txt"
ENTITY_COUNT = re.compile(r"\b\d[\d,]* entities\b")
QUOTE_TEXT = "For ten years people in Wester Quay have been told to wait,"


def quote_in(db: Path) -> Annotation:
    article = load(str(ARTICLE.relative_to(REPO)))
    start = article.text.index(QUOTE_TEXT)
    ann = Annotation.create(article_id=article.id, source=article.source, article_text=article.text, label=QUOTE,
                            start=start, end=start + len(QUOTE_TEXT), annotator="alice")
    with open_db(db) as store:
        store.apply([Op.put_article(article), Op.put(ann)])
    return ann


def open_editor(term) -> None:
    """Find the quote (the cursor goes to its first word), close the find bar, enter opens its editor."""
    term.tmux("send-keys", "-t", term.SESSION, "-l", "/For ten years")
    term.wait_for("find For ten years", timeout=10)
    term.send_keys("Enter")
    term.wait_for(re.compile(r"\b1/1\b"), timeout=10)
    term.send_keys("Escape", "Enter")
    term.wait_for("Edit annotation", timeout=10)


def burst(term, *keys: str) -> None:
    """One send-keys: tmux writes the keys to the terminal together."""
    term.tmux("send-keys", "-t", term.SESSION, *keys)


def test_a_burst_of_tabs_and_text_fills_the_note_and_one_ending_in_ctrl_s_saves_it(tmux, annotty: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.json"
    ann = quote_in(db)
    term = tmux([str(annotty), str(ARTICLE.relative_to(REPO)), "--db", str(db), "--annotator", "alice"])
    term.wait_for(ENTITY_COUNT, timeout=90)
    open_editor(term)
    burst(term, "Tab", "Tab", "Tab", "abc")
    term.wait_for(re.compile(r"Note\s+abc"), timeout=10)
    burst(term, "Q9", "C-s")
    term.wait_for(lambda screen: "Edit annotation" not in screen, timeout=10)
    term.send_keys("C-q")
    assert term.wait_exit(timeout=15) == 0, term.capture()
    with open_db(db) as store:
        [saved] = store.annotations()
    assert saved.id == ann.id and saved.attrs.get("note") == "abcQ9"


def test_tabs_a_note_and_ctrl_s_in_one_burst_save_the_note(tmux, annotty: Path, tmp_path: Path) -> None:
    db = tmp_path / "a.json"
    quote_in(db)
    term = tmux([str(annotty), str(ARTICLE.relative_to(REPO)), "--db", str(db), "--annotator", "alice"])
    term.wait_for(ENTITY_COUNT, timeout=90)
    open_editor(term)
    burst(term, "Tab", "Tab", "Tab", "note", "C-s", "C-q")
    assert term.wait_exit(timeout=15) == 0, term.capture()
    with open_db(db) as store:
        [saved] = store.annotations()
    assert saved.attrs.get("note") == "note"
