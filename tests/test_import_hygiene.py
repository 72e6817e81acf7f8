"""The non-UI package never pulls in the UI, and the UI starts without loading spaCy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_python(code: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_annotations_never_imports_textual_or_tui() -> None:
    found = run_python(
        "import importlib, json, pkgutil, sys\n"
        "import annotations, annotations.article, annotations.nlp, annotations.analysis, annotations.cli\n"
        "import annotations.store, annotations.history, annotations.saver\n"
        "names = [m.name for m in pkgutil.walk_packages(annotations.__path__, 'annotations.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps({'imported': names, 'modules': sorted(sys.modules)}))\n"
    )
    imported = set(found["imported"])
    assert {"annotations.article", "annotations.segments", "annotations.cache", "annotations.store"} <= imported
    if (REPO / "annotations" / "suggest").is_dir():
        assert "annotations.suggest" in imported
    modules = found["modules"]
    assert "textual" not in modules
    assert [m for m in modules if m == "tui" or m.startswith("tui.")] == []


def test_the_ui_modules_do_not_load_spacy() -> None:
    found = run_python(
        "import json, sys\n"
        "import tui, tui.app, tui.main, tui.screens.reader, tui.screens.help\n"
        "print(json.dumps({'modules': sorted(sys.modules)}))\n"
    )
    modules = found["modules"]
    assert "textual" in modules
    assert "spacy" not in modules
    assert [m for m in modules if m.startswith(("spacy.", "thinc"))] == []


def test_the_verb_table_of_annotations_names_none_of_the_front_end_modules() -> None:
    """annotations.cli must not know tui's modules, even by name: the entry point adds the verbs that run the app."""
    from annotations import cli
    from tui import main

    assert [name for name, verb in cli.VERB_TABLE.items() if not verb.module.startswith(".")] == []
    assert set(cli.VERB_TABLE) < set(main.VERBS) and "serve" in main.VERBS
    parser, run = cli.verb_parser("serve", main.VERBS)
    assert parser.prog == "annotty serve" and run.__module__ == "tui.serve"


def test_opening_an_article_loads_neither_adjudication_nor_agreement() -> None:
    """They cost the reader's launch about 15 ms; only `annotty adjudicate` and `annotty agree` need them."""
    found = run_python(
        "import asyncio, json, sys\n"
        "from annotations import cli\n"
        "from annotations.article import load\n"
        "from tui.app import AnnottyApp\n"
        "from tui.main import sample_path\n"
        "from tui.screens.reader import ReaderScreen\n"
        "import tempfile, os\n"
        "os.chdir(tempfile.mkdtemp())\n"
        "ReaderScreen.analyse = lambda self, article: None\n"
        "args = cli.app_parser().parse_args([str(sample_path()), '--db', 'annotations.json'])\n"
        "app = AnnottyApp([str(sample_path())], args, load(str(sample_path())))\n"
        "async def main():\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.pause(0.5)\n"
        "        assert isinstance(app.screen, ReaderScreen), app.screen\n"
        "asyncio.run(main())\n"
        "print(json.dumps({'modules': sorted(sys.modules)}))\n"
    )
    loaded = [m for m in found["modules"] if m.startswith("annotations.team.")]
    assert "annotations.team.layers" in loaded
    assert not {"annotations.team.adjudication", "annotations.team.agreement"} & set(loaded), loaded
