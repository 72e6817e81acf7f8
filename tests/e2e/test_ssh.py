"""The reader over a real ssh login: it shows the article, tags are kept, and a dropped link leaves nothing behind."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
from collections.abc import Callable
from pathlib import Path

from terminal_harness import EXAMPLES, REPO, Sshd, Tmux, server_side, wait_until_gone

ARTICLE = EXAMPLES / "harbour-bridge-vote.txt"
ENTITY_COUNT = re.compile(r"\b\d[\d,]* entities\b")
CURLY_QUOTE = re.compile(r"“([^”]*)”")


def remote_command(annotty: Path, db: Path, home: Path) -> str:
    """What the journalist types after ``ssh host``; the home is a throwaway one so no user config is read."""
    env = " ".join(
        f"{name}={shlex.quote(str(value))}"
        for name, value in (
            ("HOME", home), ("XDG_CONFIG_HOME", home / "config"), ("XDG_CACHE_HOME", home / "cache"),
            ("TERM", "xterm-256color"),
        )
    )
    return (
        f"cd {shlex.quote(str(REPO))} && {env} {shlex.quote(str(annotty))} "
        f"{shlex.quote(str(ARTICLE.relative_to(REPO)))} --db {shlex.quote(str(db))}"
    )


def open_over_ssh(tmux, sshd: Sshd, annotty: Path, tmp_path: Path) -> tuple[Tmux, Path]:
    db = tmp_path / "ssh.json"
    term = tmux(sshd.command(remote_command(annotty, db, tmp_path / "remote-home")))
    title = ARTICLE.read_text(encoding="utf-8").split("\n", 1)[0]
    term.wait_for(" ".join(title.split()[:5]), timeout=60)
    return term, db


def drop_link(term: Tmux, db: Path) -> None:
    """Kill the ssh client outright, as a lost connection would, and wait for the server side to go."""
    assert server_side(str(db)), "no annotty is running on the server side"
    os.kill(term.pane_pid(), signal.SIGKILL)  # the pane runs ssh itself
    left = wait_until_gone(str(db), timeout=15)
    assert not left, f"still running after the ssh link dropped: {left}"


def status_shows_tag(label: str) -> Callable[[str], bool]:
    """The status bar (bottom line) names *label* as a tag under the cursor, not as a suggestion."""
    pattern = re.compile(rf"(?<!suggested ){label}\b")

    def shown(screen: str) -> bool:
        lines = [line for line in screen.splitlines() if line.strip()]
        return bool(lines) and bool(pattern.search(lines[-1]))

    shown.__name__ = f"{label} tag in the status bar"
    return shown


def stored(db: Path) -> list[dict]:
    """Every annotation-like document in the TinyDB file, whatever table holds it."""
    tables = json.loads(db.read_text(encoding="utf-8"))
    return [doc for table in tables.values() for doc in table.values() if isinstance(doc, dict) and "label" in doc]


def test_article_shows_over_ssh_and_a_dropped_link_leaves_no_process(tmux, sshd: Sshd, annotty: Path, tmp_path: Path) -> None:
    term, db = open_over_ssh(tmux, sshd, annotty, tmp_path)
    first_paragraph = ARTICLE.read_text(encoding="utf-8").split("\n\n")[1]
    term.wait_for(" ".join(first_paragraph.split()[:6]), timeout=10)
    drop_link(term, db)


def test_tags_made_over_ssh_survive_a_dropped_link(tmux, sshd: Sshd, annotty: Path, tmp_path: Path) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    # The first paragraph that opens with a quotation: paragraph motions land on its first character.
    target = next(i for i, p in enumerate(paragraphs) if p.startswith("“"))
    quoted = CURLY_QUOTE.match(paragraphs[target]).group(1)
    first_sentence = paragraphs[target].split(". ", 1)[0] + "."

    term, db = open_over_ssh(tmux, sshd, annotty, tmp_path)
    # Sentences come from the model once it has run; wait so the claim is a model sentence.
    term.wait_for(ENTITY_COUNT, timeout=90)
    term.send_keys(*["}"] * target)
    term.send_keys('"', "q")
    term.wait_for(status_shows_tag("QUOTE"), timeout=10)
    term.send_keys("s", "c")
    term.wait_for(status_shows_tag("CLAIM"), timeout=10)
    drop_link(term, db)

    docs = stored(db)
    quotes = [d for d in docs if d["label"] == "QUOTE"]
    claims = [d for d in docs if d["label"] == "CLAIM"]
    assert len(quotes) == 1 and len(claims) == 1, docs
    assert quotes[0]["text"].strip("“”") == quoted
    assert claims[0]["text"] == first_sentence
    for doc in (quotes[0], claims[0]):
        assert text[doc["start"]:doc["end"]] == doc["text"]
