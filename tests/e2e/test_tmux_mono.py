"""A monochrome terminal (TERM=xterm-mono, vt100): the reader draws as for NO_COLOR, so the cursor and the
entity groups show by text attributes that such a terminal renders (reverse, bold, italic, underline),
not by colours it ignores."""

from __future__ import annotations

import re
from pathlib import Path

from terminal_harness import EXAMPLES, REPO

ARTICLE = EXAMPLES / "harbour-bridge-vote.txt"
SGR_OR_CELL = re.compile(r"\x1b\[([0-9;]*)m|([^\x1b])")
REVERSE, BOLD = "7", "1"


def cells(line: str) -> list[tuple[str, set[str]]]:
    """Each character of a ``capture-pane -e`` line with the SGR attributes in force on it."""
    active: set[str] = set()
    out = []
    for match in SGR_OR_CELL.finditer(line):
        if match.group(2) is not None:
            out.append((match.group(2), set(active)))
            continue
        for param in (match.group(1) or "0").split(";"):
            if param in ("", "0"):
                active.clear()
            else:
                active.add(param)
    return out


def test_on_a_monochrome_terminal_the_cursor_is_reversed_and_people_are_bold(tmux, annotty: Path, tmp_path: Path) -> None:
    title = ARTICLE.read_text(encoding="utf-8").split("\n", 1)[0]
    command = ["env", "TERM=xterm-mono", str(annotty), str(ARTICLE.relative_to(REPO)), "--db", str(tmp_path / "a.json")]
    term = tmux(command)
    term.wait_for(re.compile(r"\d+ entities"), timeout=90)
    screen = term.tmux("capture-pane", "-e", "-p", "-t", term.SESSION).stdout.splitlines()
    title_line = next(cells(line) for line in screen if " ".join(title.split()[:3]) in re.sub(r"\x1b\[[0-9;]*m", "", line))
    first = next((char, attrs) for char, attrs in title_line if char == title[0])
    assert REVERSE in first[1], f"the cursor (on the title's first letter) is not reversed: {first}"
    person = "Eleanor"  # the mayor, a PERSON in the first screen of the article
    shown = [cells(line) for line in screen if person in re.sub(r"\x1b\[[0-9;]*m", "", line)]
    assert shown, "the person's name is on the first screen"
    text = "".join(char for char, _ in shown[0])
    start = text.index(person)
    assert all(BOLD in attrs for _, attrs in shown[0][start:start + len(person)]), shown[0][start:start + len(person)]
    term.send_keys("C-q")
    assert term.wait_exit(timeout=15) == 0, term.capture()
