"""``annotty reanchor``: a corrected article on disk takes over the annotations of the earlier version."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotations.article import Article
from annotations.model import QUOTE, Annotation
from annotations.store import Op, open_db

ANNOTTY = Path(sys.executable).with_name("annotty")
OLD = 'The mayor spoke.\n\n"We will build the bridge by spring," said Ada Lund.\n\n"Nobody asked us," said a resident.\n'
NEW = 'Updated at noon.\n\nThe mayor spoke.\n\n"We will build the bridge by spring," said Ada Lund.\n'


def _annotty(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ANNOTTY), *args], capture_output=True, text=True, timeout=60)


def _setup(tmp_path: Path) -> tuple[Path, Path, Article, list[Annotation]]:
    db = tmp_path / "team.json"
    old = Article.from_text(OLD, str(tmp_path / "bridge.txt"))
    anns = []
    for exact in ('"We will build the bridge by spring,"', '"Nobody asked us,"'):
        start = OLD.index(exact)
        anns.append(Annotation.create(article_id=old.id, source=old.source, article_text=old.text, label=QUOTE,
                                      start=start, end=start + len(exact), annotator="ana"))
    with open_db(db) as store:
        store.apply([Op.put_article(old), *(Op.put(a) for a in anns)])
    corrected = tmp_path / "bridge-corrected.txt"
    corrected.write_text(NEW, encoding="utf-8")
    return db, corrected, old, anns


def test_reanchor_moves_what_it_finds_and_keeps_the_orphan(tmp_path):
    db, corrected, old, anns = _setup(tmp_path)
    result = _annotty("reanchor", str(db), old.id[:10], str(corrected), "--annotator", "ben")
    assert result.returncode == 0, result.stderr
    assert "1 moved" in result.stdout and "1 orphaned" in result.stdout
    assert '"Nobody asked us,"' in result.stdout
    new = Article.from_text(NEW, str(corrected))
    with open_db(db) as store:
        assert store.article(new.id).previous_id == old.id
        [moved] = store.annotations(new.id)
        assert moved.id == anns[0].id and NEW[moved.start:moved.end] == anns[0].text
        assert moved.attrs["reanchored_from"]["article_id"] == old.id
        [orphan] = store.annotations(old.id)
        assert orphan.id == anns[1].id and orphan.text == '"Nobody asked us,"'


def test_a_dry_run_writes_nothing(tmp_path):
    db, corrected, old, _ = _setup(tmp_path)
    before = db.read_bytes()
    result = _annotty("reanchor", str(db), old.id, str(corrected), "--dry-run")
    assert result.returncode == 0 and "would carry 1 of 2" in result.stdout
    assert db.read_bytes() == before


def test_an_unknown_id_is_a_one_line_error(tmp_path):
    db, corrected, _, _ = _setup(tmp_path)
    before = db.read_bytes()
    result = _annotty("reanchor", str(db), "ffff0000", str(corrected))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no article with an id starting 'ffff0000'" in result.stderr
    assert db.read_bytes() == before
