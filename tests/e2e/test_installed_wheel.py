"""annotty as users install it: a wheel built from this tree, installed (not editable) into a fresh virtualenv.

The virtualenv borrows the test environment's dependencies through a .pth file (a plain path, so the
editable install of this tree that lives there is not activated), and the wheel is installed with
--no-index: fast, and offline.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from terminal_harness import REPO

pytestmark = pytest.mark.slow

SAMPLE_TITLE = "Port Callow council narrowly backs"


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
        stdin=subprocess.DEVNULL,
    )


def checked(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = run(*command, cwd=cwd)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def venv_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("installed")
    # A copy of the sources, so the build's build/ and egg-info never land in the work tree.
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for package in ("annotations", "tui"):
        shutil.copytree(REPO / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    checked(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
            "-w", work / "dist", source)
    [wheel] = (work / "dist").glob("annotty-*.whl")

    venv = work / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    checked(base, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    purelib = Path(checked(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (purelib / "test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    # --ignore-installed: the borrowed environment lists this project too (editable); leave it alone.
    checked(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--ignore-installed", wheel)
    return venv / "bin"


def test_the_installed_copy_is_the_wheels_and_prints_its_help(venv_bin: Path, tmp_path: Path) -> None:
    where = checked(venv_bin / "python", "-c", "import annotations, tui; print(annotations.__file__, tui.__file__)",
                    cwd=tmp_path).stdout.split()
    assert all(Path(path).is_relative_to(venv_bin.parent) for path in where), where
    done = checked(venv_bin / "annotty", "--help", cwd=tmp_path)
    assert "usage: annotty" in done.stdout and "-- ends the options" in " ".join(done.stdout.split())


def test_the_installed_annotty_opens_its_bundled_sample(venv_bin: Path, tmux, tmp_path: Path) -> None:
    term = tmux([str(venv_bin / "annotty"), "--db", str(tmp_path / "a.json")], cwd=tmp_path)
    term.wait_for(SAMPLE_TITLE, timeout=30)
    term.send_keys("C-q")
    assert term.wait_exit(timeout=15) == 0, term.capture()


def test_the_installed_eval_needs_a_gold_folder_and_scores_against_one(venv_bin: Path, tmp_path: Path) -> None:
    done = run(venv_bin / "annotty", "eval", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("annotty eval: give the gold folder")

    # A small gold folder of the same layout: the installed copy is what is tested, not the gold set's
    # figures (the whole set takes minutes, and its held-out figures are reported once, by hand).
    gold = tmp_path / "gold"
    (gold / "dev").mkdir(parents=True)
    (gold / "heldout").mkdir()
    dev, held = sorted((REPO / "tests" / "gold" / "dev").glob("*.json"))[:2]
    shutil.copy(dev, gold / "dev" / dev.name)
    shutil.copy(held, gold / "heldout" / held.name)
    digest = hashlib.sha256((gold / "heldout" / held.name).read_bytes()).hexdigest()
    (gold / "heldout" / "SHA256SUMS").write_text(f"{digest}  {held.name}\n", encoding="utf-8")
    done = checked(venv_bin / "annotty", "eval", gold, cwd=tmp_path)
    assert "held-out" in done.stdout and "quote + speaker" in done.stdout, done.stdout


def test_the_installed_copy_carries_the_page_serve_sends(venv_bin: Path, tmp_path: Path) -> None:
    done = checked(venv_bin / "python", "-c", "from tui.serve import PAGES; print(PAGES / 'app_index.html')", cwd=tmp_path)
    page = Path(done.stdout.strip())
    assert page.is_relative_to(venv_bin.parent) and "textual-terminal" in page.read_text(encoding="utf-8")
