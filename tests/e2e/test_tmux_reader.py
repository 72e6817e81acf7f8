"""The installed reader in a real 100x30 terminal (tmux): open, NER status, help, quit; and a bad path."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from terminal_harness import EXAMPLES, REPO, collapse

ARTICLE = EXAMPLES / "harbour-bridge-vote.txt"
ENTITY_COUNT = re.compile(r"\b(\d[\d,]*) entities\b")


def article_parts() -> tuple[str, str]:
    """The title and the opening words of the first paragraph, read from the file itself."""
    title, first = [block.strip() for block in ARTICLE.read_text(encoding="utf-8").split("\n\n")[:2]]
    return title, " ".join(first.split()[:6])


def test_reader_shows_article_counts_entities_shows_help_and_quits(tmux, annotty: Path, tmp_path: Path) -> None:
    title, opening = article_parts()
    term = tmux([str(annotty), str(ARTICLE.relative_to(REPO)), "--db", str(tmp_path / "a.json")])

    # A long title may be cut short in a header, so look for its first words.
    term.wait_for(" ".join(title.split()[:5]), timeout=30)
    term.wait_for(opening, timeout=10)

    screen = term.wait_for(ENTITY_COUNT, timeout=90)
    count = int(ENTITY_COUNT.search(collapse(screen)).group(1).replace(",", ""))
    # The article names a dozen people and organisations and many numbers and dates.
    assert count >= 20, f"only {count} entities reported:\n{screen}"

    term.send_keys("?")
    term.wait_for("Next sentence", timeout=10)
    term.send_keys("Escape")
    term.wait_for(lambda s: "Next sentence" not in s and opening in collapse(s), timeout=10)

    term.send_keys("C-q")
    assert term.wait_exit(timeout=15) == 0, term.capture()


def test_missing_file_is_one_line_error_with_status_2(annotty: Path, app_env: dict[str, str], tmp_path: Path) -> None:
    result = subprocess.run(
        [str(annotty), "missing.txt"], cwd=tmp_path, env=app_env,
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 2, output
    assert "Traceback" not in output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotty: "), result.stderr
    assert "missing.txt" in lines[0]
