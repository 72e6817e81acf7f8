"""`annotty suggest`: --jobs (spaCy's worker processes, output in order), --threshold, the progress
bar on a terminal only, and articles at the edges of what is readable."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.nlp import parse
from annotations.suggest import DEFAULT_THRESHOLD, suggest
from annotations.suggest.batch import available_cores, suggest_texts
from annotations.suggest.command import add_suggest_arguments, run_suggest

ANNOTTY = Path(sys.executable).parent / "annotty"
# The dev half: the held-out half is for the evaluation alone.
GOLD = sorted((Path(__file__).resolve().parent / "gold" / "dev").glob("*.json"))


def gold_text(path: Path) -> str:
    return json.loads(path.read_text(encoding="utf-8"))["text"]


def suggest_cli(*args: str, **run: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ANNOTTY), "suggest", *args], capture_output=True, text=True, timeout=300, **run)


def run_in_process(*argv: str) -> tuple[int, str, str]:
    args = add_suggest_arguments(argparse.ArgumentParser()).parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    status = run_suggest(args, out, err)
    return status, out.getvalue(), err.getvalue()


def test_jobs_defaults_to_the_cores_this_process_may_use() -> None:
    args = add_suggest_arguments(argparse.ArgumentParser()).parse_args(["a.txt"])
    assert args.jobs == available_cores() == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_bad_jobs_value_is_one_line_and_exit_2(value: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Some text here.", encoding="utf-8")
    done = suggest_cli(str(tmp_path / "a.txt"), "--jobs", value)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--jobs" in done.stderr and "Traceback" not in done.stderr


def test_suggest_texts_matches_one_article_at_a_time_across_chunks(nlp) -> None:
    """Articles cut into several chunks come back joined, each with the suggestions a whole parse gives."""
    texts = [gold_text(GOLD[0]), "word", gold_text(GOLD[1]) + "\n\n" + gold_text(GOLD[2])]
    expected = [suggest(parse(nlp, text, size=400)) for text in texts]
    assert [s for s in expected if s], "the gold articles hold suggestions"
    assert list(suggest_texts(nlp, texts, jobs=1, chunk_chars=400)) == expected
    assert "annotty_doc_cleaner" not in nlp.pipe_names  # the shared pipeline is left as it was


def test_jobs_2_prints_what_jobs_1_prints_in_the_same_order(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, path in enumerate(GOLD[:6]):
        (folder / f"{i:02d}-{path.stem}.txt").write_text(gold_text(path), encoding="utf-8")
    # Longer than one chunk (10,000 characters), so its chunks go to both workers.
    long_text = "\n\n".join(gold_text(path) for path in GOLD[6:20])
    assert len(long_text) > 12_000
    (folder / "03-long.txt").write_text(long_text, encoding="utf-8")
    one = suggest_cli(str(folder), "--json", "--jobs", "1")
    two = suggest_cli(str(folder), "--json", "--jobs", "2")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert two.stdout == one.stdout
    sources = [json.loads(line)["source"] for line in one.stdout.splitlines()]
    assert sources == sorted(sources) and any("03-long" in s for s in sources)
    assert "\x1b" not in two.stderr and "articles" not in two.stderr  # not a terminal: no progress bar


def test_threshold_filters_by_confidence_with_the_apps_default(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(gold_text(GOLD[0]), encoding="utf-8")
    rows = {}
    for threshold in ("0", "0.75", "1"):
        status, out, _ = run_in_process(str(article), "--json", "--jobs", "1", "--threshold", threshold)
        assert status == 0
        rows[threshold] = [json.loads(line) for line in out.splitlines()]
    confidences = {row["confidence"] for row in rows["0"]}
    assert min(confidences) < 0.75 <= max(confidences), "the article needs suggestions on both sides of 0.75"
    assert rows["0.75"] == [row for row in rows["0"] if row["confidence"] >= 0.75]
    assert rows["1"] == [row for row in rows["0"] if row["confidence"] >= 1.0]
    _, default, _ = run_in_process(str(article), "--json", "--jobs", "1")
    assert [json.loads(line) for line in default.splitlines()] == [
        row for row in rows["0"] if row["confidence"] >= DEFAULT_THRESHOLD
    ]
    _, every, _ = run_in_process(str(article), "--json", "--jobs", "1", "--all")
    assert [json.loads(line) for line in every.splitlines()] == rows["0"]


@pytest.mark.parametrize("value", ["2", "-0.1", "nan", "half"])
def test_a_bad_threshold_is_one_line_and_exit_2(value: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Some text here.", encoding="utf-8")
    done = suggest_cli(str(tmp_path / "a.txt"), "--threshold", value)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "not a number from 0 to 1" in done.stderr


@pytest.mark.parametrize(
    "text",
    [
        "Headline",
        '"Yes." "No." "Maybe so, if the council agrees." “Never.” \'Later.\'',
        '"""""\n\n“”\n\n" she said "',
        "\ufffd\ufffd said \u201c\u201c\u201c",
        "x" * 1_000_100,  # past spaCy's max_length in one word: cut into chunks
    ],
    ids=["one-word", "only-quotes", "only-marks", "replacement-chars", "1MB-one-word"],
)
def test_a_readable_article_never_crashes(text: str, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    status, out, err = run_in_process(str(article), "--json", "--jobs", "1", "--all")
    assert (status, err) == (0, "")
    for line in out.splitlines():
        row = json.loads(line)
        assert text[row["start"]:row["end"]] == row["text"]


def test_an_empty_article_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    status, out, err = run_in_process(str(tmp_path / "empty.txt"))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "empty" in err


def read_terminal(command: list[str], stdout_is_terminal: bool) -> tuple[int, bytes, str]:
    """Run *command* with stderr (and stdout, if asked) on a new terminal; its status, what the
    terminal received, and the stdout pipe's text."""
    leader, follower = os.openpty()
    try:
        proc = subprocess.Popen(command, stdout=follower if stdout_is_terminal else subprocess.PIPE,
                                stderr=follower, env={**os.environ, "TERM": "xterm"})
        os.close(follower)
        terminal = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the last writer closed the terminal
                break
            if not chunk:
                break
            terminal += chunk
        out = proc.communicate(timeout=300)[0]
    finally:
        os.close(leader)
    return proc.returncode, terminal, (out or b"").decode()


def test_the_progress_bar_goes_to_a_terminal_on_stderr_and_never_into_the_output(tmp_path: Path) -> None:
    for path in GOLD[:3]:
        (tmp_path / f"{path.stem}.txt").write_text(gold_text(path), encoding="utf-8")
    command = [str(ANNOTTY), "suggest", str(tmp_path), "--json", "--jobs", "1"]
    status, terminal, out = read_terminal(command, stdout_is_terminal=False)
    assert status == 0
    assert b"articles" in terminal and b"\x1b[" in terminal
    assert "\x1b" not in out and all(json.loads(line) for line in out.splitlines())
    # Output on the same terminal: no bar, which would erase output lines as it redraws.
    status, terminal, _ = read_terminal(command, stdout_is_terminal=True)
    assert status == 0 and b"\x1b[" not in terminal and terminal.count(b'"source"') > 3


def test_a_suggester_failing_on_one_article_costs_only_that_article(tmp_path: Path, monkeypatch) -> None:
    from annotations.suggest import batch

    for name, text in (("a.txt", gold_text(GOLD[0])), ("b.txt", "The trap is set here."), ("c.txt", gold_text(GOLD[1]))):
        (tmp_path / name).write_text(text, encoding="utf-8")
    real = batch.suggest

    def failing(doc):
        if "trap" in doc.text:
            raise ValueError("a rule\x1b[31m broke")
        return real(doc)

    monkeypatch.setattr(batch, "suggest", failing)
    status, out, err = run_in_process(str(tmp_path), "--jobs", "1")
    assert status == 1
    assert err.count("\n") == 1 and "b.txt: the suggesters failed (ValueError: a rule" in err and "\x1b" not in err
    assert out.startswith(f"{tmp_path / 'a.txt'}:") and f"\n{tmp_path / 'c.txt'}:" in out


def test_jobs_is_the_number_of_spacy_processes_and_1_starts_none(nlp, monkeypatch) -> None:
    import multiprocessing

    from annotations.suggest.batch import BATCH_SIZE

    asked: list[dict] = []
    real_pipe = type(nlp).pipe

    def recording_pipe(self, texts, **options):
        if options.get("as_tuples"):  # not spaCy's own inner call
            asked.append({k: options[k] for k in ("n_process", "batch_size")})
        return real_pipe(self, texts, **{**options, "n_process": 1})  # the workers' output, without forking here

    monkeypatch.setattr(type(nlp), "pipe", recording_pipe)
    texts = [gold_text(path) for path in GOLD[:3]]
    expected = list(suggest_texts(nlp, texts, jobs=1))
    assert list(suggest_texts(nlp, texts, jobs=2)) == expected
    assert list(suggest_texts(nlp, texts[:1], jobs=8)) == expected[:1]  # one chunk: no worker to start
    assert asked == [{"n_process": 1, "batch_size": BATCH_SIZE}, {"n_process": 2, "batch_size": BATCH_SIZE},
                     {"n_process": 1, "batch_size": BATCH_SIZE}]
    monkeypatch.setattr(type(nlp), "pipe", real_pipe)

    def no_process(self):
        raise AssertionError("--jobs 1 started a process")

    monkeypatch.setattr(multiprocessing.Process, "start", no_process)
    assert list(suggest_texts(nlp, texts, jobs=1)) == expected
