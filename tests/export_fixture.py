"""A database for the export tests: two annotators, quotes with speakers (one over two paragraphs),
claims with a status, notes, entity corrections, overlapping spans and non-ASCII text."""

from __future__ import annotations

from pathlib import Path

from annotations.article import Article
from annotations.model import CLAIM, NOT_ENTITY, QUOTE, Annotation
from annotations.store import open_db

FERRY = (
    "Ferry crews in Tórshavn-on-Sea will strike on Monday, the union said.\n\n"
    "\"We have waited eleven months for a fair offer,\" said Ásta Jóhannsdóttir, who chairs the "
    "Harbour Workers' Union. \"The board keeps moving the date.\n\n"
    "\"Nobody on the quay believes them any more.\"\n\n"
    "The harbour board said 40% of sailings would still run, a figure the union disputes. "
    "Board chair Colm Ó Riain called the strike \"premature\" and said talks would resume on Thursday."
)
ROADS = "Rain closed the 🚧 bypass road for a third day, officials said, and 12 schools shut early."


def span(text: str, words: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def make(article: Article, label: str, start: int, end: int, annotator: str, **attrs) -> Annotation:
    return Annotation.create(article_id=article.id, source=article.source, article_text=article.text,
                             label=label, start=start, end=end, annotator=annotator, attrs=attrs)


def build(folder: Path) -> tuple[Path, list[Article], list[Annotation]]:
    # The files exist too, as they would for a corpus read from a folder (CSV and W3C imports read them).
    for name, text in (("ferry-strike.txt", FERRY), ("roads.txt", ROADS)):
        (folder / name).write_text(text, encoding="utf-8")
    ferry = Article.from_text(FERRY, str(folder / "ferry-strike.txt"))
    roads = Article.from_text(ROADS, str(folder / "roads.txt"))
    text = ferry.text
    asta = dict(zip(("start", "end"), span(text, "Ásta Jóhannsdóttir")))
    colm = dict(zip(("start", "end"), span(text, "Colm Ó Riain")))
    first_quote = span(text, "We have waited eleven months for a fair offer,")
    long_quote = (text.index("The board keeps"), text.index("any more.") + len("any more."))
    anns = [
        make(ferry, QUOTE, *first_quote, "alice", speaker={"text": "Ásta Jóhannsdóttir", **asta}),
        make(ferry, QUOTE, *long_quote, "alice",
             speaker={"text": "Ásta Jóhannsdóttir", **asta}, note="runs over two paragraphs"),
        make(ferry, CLAIM, *span(text, "40% of sailings would still run"), "alice",
             status="misleading", note="Union figures say 25%, see the memo"),
        make(ferry, CLAIM, *span(text, "The harbour board said 40% of sailings would still run, a figure the union disputes."),
             "bob", status="unchecked", note="=SUM(A1:A3) is not a formula here"),
        make(ferry, QUOTE, *span(text, "premature"), "bob",
             speaker={"text": "Colm Ó Riain", **colm, "name": "Colm Ó Riain"},
             note='Check "premature", said twice,\nat the briefing'),
        make(ferry, "PERSON", colm["start"], colm["end"], "alice"),
        make(ferry, NOT_ENTITY, *span(text, "Monday"), "alice"),
        make(roads, CLAIM, *span(roads.text, "12 schools shut early"), "bob", status="true"),
        make(roads, QUOTE, *span(roads.text, "bypass road"), "alice", speaker={"text": "officials"}),
    ]
    db = folder / "team.json"
    with open_db(db) as store:
        store.put_article(ferry)
        store.put_article(roads)
        for ann in anns:
            store.add(ann)
    return db, [ferry, roads], anns
