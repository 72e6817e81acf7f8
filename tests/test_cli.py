"""The command line: options, sizes, and one-line errors from the installed `annotty` program."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations import cli
from annotations.article import DEFAULT_MAX_BYTES
from annotations.nlp import DEFAULT_MODEL
from tui.main import sample_path

ANNOTTY = Path(sys.executable).parent / "annotty"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("20000000", 20_000_000), ("50MB", 50 * 1024**2), ("1gb", 1024**3), ("512kb", 512 * 1024), ("1.5MB", int(1.5 * 1024**2)), ("300b", 300)],
)
def test_sizes(given: str, expected: int) -> None:
    assert cli.size(given) == expected


@pytest.mark.parametrize("given", ["lots", "MB", "12 parsecs", ""])
def test_bad_sizes(given: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="not a size"):
        cli.size(given)


def test_defaults() -> None:
    args = cli.app_parser().parse_args([])
    assert args.paths == []
    assert args.db == cli.DEFAULT_DB
    assert args.model == DEFAULT_MODEL
    assert args.max_size == DEFAULT_MAX_BYTES
    assert args.encoding is None
    assert args.no_mouse is False


def test_options_are_parsed() -> None:
    args = cli.app_parser().parse_args(
        ["a.txt", "dir", "-", "--db", "x.json", "--max-size", "2MB", "--encoding", "cp1252", "--no-mouse", "--annotator", "ines"]
    )
    assert args.paths == ["a.txt", "dir", "-"]
    assert (args.db, args.max_size, args.encoding, args.no_mouse, args.annotator) == ("x.json", 2 * 1024**2, "cp1252", True, "ines")


def test_the_bundled_sample_exists() -> None:
    assert sample_path().is_file()
    assert sample_path().read_text(encoding="utf-8").strip()


def annotty(*args: str, cwd: Path, env_home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(env_home / "config"), "XDG_CACHE_HOME": str(env_home / "cache")}
    return subprocess.run([str(ANNOTTY), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_installed_program_prints_its_version(tmp_path: Path) -> None:
    done = annotty("--version", cwd=tmp_path, env_home=tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith("annotty ")


def test_installed_program_gives_one_line_errors(tmp_path: Path) -> None:
    done = annotty(str(tmp_path / "missing.txt"), cwd=tmp_path, env_home=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("annotty: "), done.stderr
    assert "missing.txt" in done.stderr

    (tmp_path / "cp1252.txt").write_bytes("Ca\u00f1ada".encode("cp1252"))
    done = annotty("cp1252.txt", cwd=tmp_path, env_home=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--encoding" in done.stderr and "byte offset 2" in done.stderr


def test_bad_option_value_is_refused_with_status_2(tmp_path: Path) -> None:
    err = one_line_error(annotty("--max-size", "lots", cwd=tmp_path, env_home=tmp_path))
    assert "not a size" in err


def test_sample_ships_inside_the_package() -> None:
    # Inside tui/, so a wheel carries it (pyproject's package-data) and an installed annotty opens it.
    import tui

    assert sample_path().parent.parent == Path(tui.__file__).resolve().parent


# ---- one-line refusals of bad option values ---------------------------------------


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1, f"not one line: {done.stderr!r}"
    return done.stderr.strip()


@pytest.mark.parametrize("value", ["0", "1", "0.5", ".75", "1.0"])
def test_fractions(value: str) -> None:
    assert cli.fraction(value) == float(value)


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "-1", "2", "1.01", "-0.0001", "lots", ""])
@pytest.mark.parametrize("verb", [[], ["eval"]], ids=["app", "eval"])
def test_threshold_outside_0_to_1_is_refused_with_one_line(
    verb: list[str], value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = cli.verb_parser("eval")[0] if verb else cli.app_parser()
    with pytest.raises(SystemExit) as exited:
        parser.parse_args([f"--threshold={value}"])  # "=": "-inf" is a value, not an option
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "--threshold" in err and "not a number from 0 to 1" in err


@pytest.mark.parametrize("argv", [["--threshold", "2"], ["eval", "--threshold", "nan"]], ids=["app", "eval"])
def test_installed_program_refuses_a_threshold_outside_0_to_1(tmp_path: Path, argv: list[str]) -> None:
    err = one_line_error(annotty(*argv, cwd=tmp_path, env_home=tmp_path))
    assert err.startswith("annotty") and "not a number from 0 to 1" in err


@pytest.mark.parametrize("given", ["0", "-5", "1e999MB", "nanMB", "-1MB"])
def test_sizes_below_one_byte_or_overflowing_are_refused(given: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="not a size"):
        cli.size(given)


def test_unknown_option_is_one_line(tmp_path: Path) -> None:
    err = one_line_error(annotty("--colour", "red", cwd=tmp_path, env_home=tmp_path))
    assert "--colour" in err and "annotty --help" in err


# ---- -- ends the options, for the app and every verb ----------------------------------


def test_double_dash_opens_a_file_named_like_an_option(tmp_path: Path) -> None:
    (tmp_path / "--db=evil.txt").write_text(" \n", encoding="utf-8")  # empty: refused before any screen
    err = one_line_error(annotty("--", "--db=evil.txt", cwd=tmp_path, env_home=tmp_path))
    assert err == "annotty: --db=evil.txt: the file is empty"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["--db=evil.txt"], "no database was made"
    # A file named like a verb opens the same way.
    (tmp_path / "suggest").write_text(" \n", encoding="utf-8")
    err = one_line_error(annotty("--", "suggest", cwd=tmp_path, env_home=tmp_path))
    assert err == "annotty: suggest: the file is empty"


def test_double_dash_ends_the_options_of_suggest(tmp_path: Path) -> None:
    (tmp_path / "-draft.txt").write_text('"We will reopen the pier," the harbour master, Ida Brandt, said.\n')
    done = annotty("suggest", "--json", "--", "-draft.txt", cwd=tmp_path, env_home=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows and {row["source"] for row in rows} == {"-draft.txt"}


def test_double_dash_ends_the_options_of_eval_and_recover(tmp_path: Path) -> None:
    assert cli.verb_parser("eval")[0].parse_args(["--", "-gold"]).gold_dir == "-gold"
    assert cli.verb_parser("recover")[0].parse_args(["--", "-team.json"]).db == "-team.json"
    done = annotty("recover", "--", "--db=evil.json", cwd=tmp_path, env_home=tmp_path)
    assert done.returncode != 0 and "--db=evil.json" in done.stderr and "unrecognized" not in done.stderr
    assert list(tmp_path.glob("*.json")) == []


@pytest.mark.parametrize("verb", [[], ["suggest"], ["eval"], ["recover"]], ids=["app", "suggest", "eval", "recover"])
def test_help_says_that_double_dash_ends_the_options(tmp_path: Path, verb: list[str]) -> None:
    done = annotty(*verb, "--help", cwd=tmp_path, env_home=tmp_path)
    assert done.returncode == 0
    assert "-- ends the options" in " ".join(done.stdout.split())


def test_readme_says_that_double_dash_ends_the_options() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "annotty -- -draft.txt" in readme


# ---- eval finds its gold folder, or says it needs one --------------------------------


def test_eval_uses_the_checkouts_gold_folder() -> None:
    from annotations.evaluate import checkout_gold_dir

    assert checkout_gold_dir() == Path(__file__).resolve().parent / "gold"


def test_eval_without_a_gold_folder_says_so_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from annotations import evaluate
    from annotations.eval_command import run_eval

    monkeypatch.setattr(evaluate, "checkout_gold_dir", lambda: None)  # as in an installed copy
    err = io.StringIO()
    args = cli.verb_parser("eval")[0].parse_args([])
    assert run_eval(args, io.StringIO(), err) == 2
    assert err.getvalue().count("\n") == 1
    assert "give the gold folder" in err.getvalue() and "annotty eval GOLD" in err.getvalue()


# ---- reads are bounded, whatever the file is ---------------------------------------------

#: Address space for the child: enough for Python and its imports, far less than an unbounded read takes.
MEMORY_LIMIT = 1536 * 1024**2


def bounded(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run *command* in bash (for <(...) and pipes) with a memory cap and a time limit."""

    def cap_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = {**os.environ, "XDG_CONFIG_HOME": str(cwd / "config"), "XDG_CACHE_HOME": str(cwd / "cache")}
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=60, check=False, preexec_fn=cap_memory, stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("verb", ["", "suggest "], ids=["app", "suggest"])
def test_a_device_is_refused_in_one_line(tmp_path: Path, verb: str) -> None:
    err = one_line_error(bounded(f"exec {ANNOTTY} {verb}/dev/zero", tmp_path))
    assert "/dev/zero: is a character device, not an article" in err


@pytest.mark.parametrize(
    "command",
    ["exec {annotty} <(yes)", "yes | {annotty} -", "exec {annotty} suggest <(yes)"],
    ids=["process-substitution", "stdin", "suggest"],
)
def test_an_endless_stream_ends_with_the_size_error(tmp_path: Path, command: str) -> None:
    err = one_line_error(bounded(command.format(annotty=ANNOTTY), tmp_path))
    assert "over the limit of 20,971,520 bytes; raise it with --max-size" in err


def test_a_process_substitution_is_a_way_to_pass_an_article(tmp_path: Path) -> None:
    article = '"The ferry will run all winter," the operator, Niall Quinn, said.'
    done = bounded(f"exec {ANNOTTY} suggest --json <(printf '%s\\n' '{article}')", tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert any(row["label"] == "QUOTE" and row["speaker"]["name"] == "Niall Quinn" for row in rows), rows


def test_eval_of_a_file_says_it_is_not_a_gold_folder(tmp_path: Path) -> None:
    import io

    from annotations.eval_command import run_eval

    gold = tmp_path / "gold.json"
    gold.write_text("{}", encoding="utf-8")
    err = io.StringIO()
    args = cli.verb_parser("eval")[0].parse_args([str(gold)])
    assert run_eval(args, io.StringIO(), err) == 2
    assert err.getvalue().count("\n") == 1 and "is a file, not a gold folder" in err.getvalue()


def test_help_lists_every_verb_of_the_table_that_runs_them(monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The verbs in `annotty --help` come from the table the command line runs them by: a new one cannot be left out."""
    from tui import main

    new = cli.Verb(".stats", "add_arguments", "run", "Count more.", "-team.json", usage="DB WHAT", summary="counts more")
    monkeypatch.setattr(main, "VERBS", {**main.VERBS, "tally": new})
    with pytest.raises(SystemExit):
        main.main(["--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for name, verb in main.VERBS.items():
        assert f"'annotty {name} {verb.usage}' {verb.summary}" in shown, name
    assert "'annotty adjudicate PATH... --db DB'" in shown
