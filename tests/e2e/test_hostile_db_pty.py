"""Strings from a hostile database and hostile file names never steer the terminal.

Every test runs the real program in a real pty and looks at the raw bytes it wrote:
no escape sequence or C1 control from the data may appear, only the program's own
drawing, and each payload must show as text with U+FFFD where its controls were.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from test_hostile_pty import PtyProgram

from annotations import jsoncodec
from annotations.article import load

REPO = Path(__file__).resolve().parents[2]
ARTICLE_PATH = REPO / "tui" / "sample" / "harbour-bridge-vote.txt"
ARTICLE = load(ARTICLE_PATH)
SENTENCE = "Port Callow's councillors voted 23 to 21 on Tuesday night"
START = ARTICLE.text.index(SENTENCE)
END = START + len(SENTENCE)
FFFD = "\ufffd".encode()


def osc(kind: str, marker: str) -> str:
    return f"\x1b]{kind};{marker}\x07"


# Each field carries other sequences: clipboard (OSC 52), title (OSC 0 and 2), cursor and window
# reports (CSI 6n, CSI 21t, whose replies a terminal types into the app), DCS, and C1 controls.
LABEL = "CLAIM" + osc("0", "LBLMARK") + "\x9b6n"
SPEAKER = "Ann" + osc("52", "c;SPKMARK") + "\x1b[21t"
NOTE = "\x1bPNOTEMARK\x1b\\" + " \x1b[6nNOTE2" + "\x9d52;c;x\x07"
TEXT = ("\x1b[6nTXTMARK" + osc("2", "TXT2") + " " * len(SENTENCE))[: len(SENTENCE)]
WHO = osc("2", "WHOMARK")

# Everything that may never reach the terminal: the data's sequences with their escape in front.
FORBIDDEN = [
    b"\x1b]52;", b"\x1b]0;LBLMARK", b"\x1b]2;TXT2", b"\x1b]2;WHOMARK", b"\x1b[6n", b"\x1b[21t",
    b"\x1bPNOTEMARK", b"\x1b]0;FNAME", b"\x1b]2;DBNAME", b"\x1bPFNAME",
]
C1 = re.compile(rb"\xc2[\x80-\x9f]")  # a C1 control, UTF-8 encoded


def assert_clean(raw: bytes, where: str) -> None:
    for payload in FORBIDDEN:
        assert payload not in raw, f"{where}: {payload!r} reached the terminal"
    found = C1.search(raw)
    assert found is None, f"{where}: a C1 control reached the terminal: {raw[max(0, found.start() - 40):found.end() + 40]!r}"


def shown(raw: bytes, *texts: str) -> bool:
    """Whether every one of *texts* (U+FFFD where the controls were) appears in the output."""
    return all(text.encode() in raw for text in texts)


def read_until(program: PtyProgram, needle: bytes, since: int, seconds: float) -> None:
    """Collect output until *needle* shows up after byte *since* (or *seconds* pass)."""
    deadline = time.monotonic() + seconds
    while needle not in program.output[since:] and time.monotonic() < deadline and program.running():
        program.read_for(0.1)


def hostile_database(path: Path) -> None:
    annotation = {
        "id": "6f2b0d1e-0000-4000-8000-00000000000a", "article_id": ARTICLE.id, "source": "x" + WHO,
        "label": LABEL, "start": START, "end": END, "text": TEXT, "prefix": WHO, "suffix": WHO,
        "attrs": {"speaker": {"text": SPEAKER}, "note": NOTE}, "origin": "manual" + WHO, "annotator": "ines",  # the reader shows its own annotator's layer
        "created": "2026-11-30T10:00:00.000+00:00", "modified": "2026-11-30T10:00:00.000+00:00", "rev": 1,
    }
    odd = dict(annotation, id="odd" + osc("0", "LBLMARK"), label=7)  # skipped, counted
    data = {
        "meta": {"1": {"name": "schema_version", "value": 1}},
        "annotations": {"1": annotation, "2": odd},
        "cursors": {"1": {"article_id": ARTICLE.id, "annotator": "ines", "offset": START + 3}},
        "rejections": {"1": {"article_id": ARTICLE.id, "annotator": "ines", "label": LABEL, "start": 0, "end": 5}},
    }
    path.write_bytes(jsoncodec.dumps(data))


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    db = tmp_path / ("team" + osc("2", "DBNAME") + "\n.json")
    hostile_database(db)
    return db


def test_a_hostile_database_reaches_the_screen_only_as_text(annotty, app_env, hostile_db, tmp_path) -> None:
    """Surfaces: the status bar over an annotation, the database's name, the invalid-documents notice,
    the annotations panel, the editor, and the undo notification."""
    program = PtyProgram([str(annotty), str(ARTICLE_PATH), "--db", str(hostile_db), "--annotator", "ines"],
                         app_env, tmp_path)
    surfaces: dict[str, bytes] = {}
    try:
        # The saved cursor lands on the annotation: the status bar names its label and speaker.
        program.read_for(60, until=b"LBLMARK")
        program.read_for(3, until=b"invalid document")
        surfaces["status bar"] = bytes(program.output)
        for key, name, until in ((b"\r", "editor", b"NOTEMARK"), (b"\x1b", None, None),
                                 (b"d", "status bar after delete", b"DBN"), (b"u", "undo notification", b"undo"),
                                 (b"A", "annotations panel", b"TXTMARK")):
            since = len(program.output)
            program.send(key)
            if until:
                read_until(program, until, since, 15)
            program.read_for(0.5)
            if name:
                surfaces[name] = bytes(program.output[since:])
        assert program.running(), f"annotty exited on the hostile database:\n{bytes(program.output)[-2000:]!r}"
        program.send(b"\x11")
        program.wait(timeout=15)
    finally:
        program.close()
    raw = bytes(program.output)
    assert_clean(raw, "the app")
    checks = {
        # (shortened to fit beside the other fields while the analysis runs)
        "status bar": ["CLAIM\ufffd]0;LBLMARK\ufffd\ufffd6n by Ann\ufffd]52;c;SPKMA", "1 invalid document in DB skipped"],
        # Off the annotation the bar has room for the database's name (shortened)
        "status bar after delete": ["team\ufffd]2;DBN"],
        "annotations panel": ["\ufffd[6nTXTMARK\ufffd]2;TXT2\ufffd", "CLAIM\ufffd]0;LBLMARK"],
        "editor": ["\ufffdPNOTEMARK\ufffd\\ \ufffd[6nNOTE2\ufffd52;c;x\ufffd", "Ann\ufffd]52;c;SPKMARK\ufffd\ufffd[21t"],
        "undo notification": ["undo delete of CLAIM\ufffd]0;LBLMARK\ufffd\ufffd6n"],  # (the toast wraps the rest)
    }
    for surface, texts in checks.items():
        assert shown(surfaces[surface], *texts), f"{surface}: {texts} not shown:\n{surfaces[surface][-3000:]!r}"


def test_a_hostile_file_name_in_the_palette_is_one_line_of_text(annotty, app_env, tmp_path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    hostile = folder / ("a" + osc("0", "FNAME") + "\x1bPFNAME\x1b\\\nb.txt")
    hostile.write_text(ARTICLE_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    plain = folder / "plain.txt"
    plain.write_text("A second article about the harbour.\n", encoding="utf-8")
    # Relative names, so the whole entry fits the palette's width.
    program = PtyProgram([str(annotty), plain.name, hostile.name, "--db", str(tmp_path / "db.json")], app_env, folder)
    try:
        program.read_for(60, until=b"second article")
        since = len(program.output)
        program.send(b"\x10")  # ctrl+p
        read_until(program, b"Search for commands", since, 15)  # the palette is open: typing goes to it
        program.read_for(2)  # and its command providers have started
        for char in b"Open":
            program.send(bytes([char]))
            program.read_for(0.3)
        read_until(program, "\ufffd\\ b.txt".encode(), since, 15)
        program.read_for(0.5)
        palette = bytes(program.output[since:])
        program.send(b"\x1b")
        program.read_for(1)
        program.send(b"\x11")
        program.wait(timeout=15)
    finally:
        program.close()
    assert_clean(bytes(program.output), "the palette")
    # The newline became a space: the entry stays on one line, so "b.txt" follows on the same row.
    assert shown(palette, "pen a\ufffd]0;FNAME\ufffd\ufffdPFNAME\ufffd\\ b.txt"), palette[-3000:]


def run_in_pty(argv: list[str], env: dict[str, str], cwd: Path, timeout: float = 120) -> tuple[int | None, bytes]:
    program = PtyProgram(argv, env, cwd)
    try:
        status = program.wait(timeout=timeout)
        program.read_for(0.5)
    finally:
        program.close()
    return status, bytes(program.output)


def test_a_hostile_file_name_in_suggest_headers_is_one_line_of_text(annotty, app_env, tmp_path) -> None:
    hostile = tmp_path / ("a" + osc("0", "FNAME") + "\x9b6n\nb.txt")
    hostile.write_text(ARTICLE_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    status, table = run_in_pty([str(annotty), "suggest", str(hostile)], app_env, tmp_path)
    assert status == 0, table[-2000:]
    assert_clean(table, "suggest")
    header = next(line for line in table.decode().splitlines() if "suggestion" in line)
    assert header.startswith(f"{tmp_path}/a\ufffd]0;FNAME\ufffd\ufffd6n b.txt: ") and header.endswith("suggestions"), header

    status, lines = run_in_pty([str(annotty), "suggest", "--json", str(hostile)], app_env, tmp_path)
    assert status == 0, lines[-2000:]
    assert_clean(lines, "suggest --json")
    first = json.loads(lines.decode().splitlines()[0])
    assert first["source"] == str(hostile), "the JSON must still name the file exactly"


def test_a_hostile_file_name_in_recover_output_is_text(annotty, app_env, hostile_db, tmp_path) -> None:
    status, out = run_in_pty([str(annotty), "recover", str(hostile_db)], app_env, tmp_path)
    assert status == 0, out[-2000:]
    assert_clean(out, "recover")
    text = out.decode()
    # The newline in the name became a space: the line is not split.
    assert "team\ufffd]2;DBNAME\ufffd .json.recovered.json: 2 annotations kept" in text, text
    listed = [line for line in text.splitlines() if line.startswith("  annotations")]
    assert len(listed) == 1 and "\ufffd]0;LBLMARK\ufffd" in listed[0] and "#2" in listed[0], text


@pytest.mark.parametrize("content", [
    # Damaged in the middle, so only reading it finds out (a cut-off end is refused before the screen).
    b'{"annotations": {"1": {"id": "a" "label": "QUOTE"}}, "meta": {}}',
    b'{"meta": {"1": {"name": "schema_version", "value": 99}}, "annotations": {}}',
], ids=["damaged", "newer"])
def test_a_database_refused_after_the_first_paint_ends_the_app_with_one_line(annotty, app_env, tmp_path,
                                                                             content: bytes) -> None:
    """The article shows before the file is read; once it is found unusable the terminal is put back,
    one line says why (status 2) and the file is left byte for byte."""
    db = tmp_path / "team.json"
    db.write_bytes(content)
    status, out = run_in_pty([str(annotty), str(ARTICLE_PATH), "--db", str(db)], app_env, tmp_path, timeout=60)
    assert status == 2, out[-2000:]
    assert db.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("team")) == ["team.json"]
    # After the app's last frame (it leaves the alternate screen): the one line of the command line.
    assert b"Port Callow" in out, "the article showed first"
    after = out.rsplit(b"\x1b[?1049l", 1)[-1].decode(errors="replace")
    after = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", after)  # the terminal's modes being put back
    lines = [line for line in after.replace("\r", "").splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"annotty: {db} "), after
    assert "left untouched" in lines[0], after
