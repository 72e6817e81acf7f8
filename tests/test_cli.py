"""The command line: options, sizes, and one-line errors from the installed `annotty` program."""

from __future__ import annotations

import argparse
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
    done = annotty("--max-size", "lots", cwd=tmp_path, env_home=tmp_path)
    assert done.returncode == 2
    assert "not a size" in done.stderr
    assert "Traceback" not in done.stderr
