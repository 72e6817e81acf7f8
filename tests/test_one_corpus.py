"""One corpus a run: the articles the session opens and the titles, counts and status the corpus screen
shows come from one object, so an article is read once whoever asks first, and the pending suggestions
it counts are those the reader shows (one rule: annotations/editing.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from annotations.article import Article, load
from annotations.corpus import Corpus
from annotations.history import Create
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.session import Session
from annotations.store import open_db
from annotations.suggest import Suggestion

ANNOTATIONS = Path(__file__).resolve().parent.parent / "annotations"


def story(number: int) -> str:
    return f"Story {number}\n\nThe council met on Monday about item {number}. \"It is late,\" the mayor said.\n"


def test_there_is_one_corpus_class_and_one_rule_for_pending_suggestions() -> None:
    defined = {}
    for path in ANNOTATIONS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.ClassDef, ast.FunctionDef)) and (node.name == "Corpus" or "pending_suggestions" in node.name):
                defined.setdefault(node.name, []).append(str(path.relative_to(ANNOTATIONS)))
    assert defined == {"Corpus": ["corpus.py"]}


def test_an_article_the_session_opens_is_read_once_for_the_session_and_the_corpus(tmp_path: Path) -> None:
    paths = []
    for number in range(3):
        path = tmp_path / f"{number}.txt"
        path.write_text(story(number), encoding="utf-8")
        paths.append(str(path))
    reads: list[str] = []

    def loader(path: str) -> Article:
        reads.append(path)
        return load(path)

    with open_db(tmp_path / "db.json") as store:
        corpus = Corpus(paths, store, "ann", loader=loader)
        session = Session(store, corpus, annotator="ann")
        try:
            opened = session.open(1)
            assert corpus.ref(1).id == opened.id and corpus.ref(1).title == "Story 1"
            assert corpus.index_of(opened.id) == 1
            assert corpus.counts(1).quotes == 0
            assert reads == [paths[1]], "the session's article is the corpus's: read once"
        finally:
            assert session.close(5)


def test_the_corpus_counts_as_pending_what_the_reader_shows(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(story(1), encoding="utf-8")
    article = load(str(path))
    text = article.text
    start = text.index('"It is late,"')
    quote = Suggestion(QUOTE, start, start + 13, text[start:start + 13], None, None, None, 0.9, (), "suggest:test")
    claim = Suggestion(CLAIM, 0, 7, text[:7], None, None, None, 0.9, (), "suggest:test")
    low = Suggestion(CLAIM, 9, 20, text[9:20], None, None, None, 0.2, (), "suggest:test")
    indirect = Suggestion(QUOTE, 9, 20, text[9:20], None, None, "indirect", 0.9, (), "suggest:test")

    class Cached:
        suggestions = [quote, claim, low, indirect]

    with open_db(tmp_path / "db.json") as store:
        taken = Annotation.create(article_id=article.id, source=article.source, article_text=text, label=CLAIM,
                                  start=0, end=7, annotator="ann")
        corpus = Corpus([str(path)], store, "ann", cached_analysis=lambda a: Cached)
        session = Session(store, corpus, annotator="ann")
        try:
            session.open(0)
            session.set_suggestions(Cached.suggestions)
            session.apply(Create(taken))
            assert session.flush(5)
            assert session.suggestions == [quote]
            assert corpus.counts(0).pending == len(session.suggestions)
        finally:
            assert session.close(5)

