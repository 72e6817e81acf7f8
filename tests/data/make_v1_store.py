"""Writes tests/data/v1-store.json, a version-1 annotation file, with the store of the release that wrote version 1.

Kept to show how the fixture was made; it only runs against the version-1 code
(``git show <commit>:annotations/store.py``), since today's store writes version 2.
Run from a checkout of that release: python tests/data/make_v1_store.py
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from annotations.article import Article
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import Op, open_db

HERE = Path(__file__).resolve().parent
OUT = HERE / "v1-store.json"

FERRY = Article.from_text(
    "Councillor Maren Lisk said on Tuesday that the Eastgate ferry would run all winter. "
    "\"We have the boats and the crews,\" she told reporters outside the harbour office. "
    "The transport board has not confirmed the timetable.",
    "eastgate-ferry.txt",
)
LIBRARY = Article.from_text(
    "The Northfield library will open on Sundays from March, the city said. "
    "\"Families asked for it every week,\" said head librarian Tomas Ruel. "
    "Opening hours on weekdays stay as they are.",
    "northfield-library.txt",
)


def fixed(ann: Annotation, n: int, stamp: str) -> Annotation:
    """The same annotation with an id and times that do not change between runs of this script."""
    return replace(ann, id=f"00000000-0000-4000-8000-{n:012d}", created=stamp, modified=stamp)


def main() -> None:
    if OUT.exists():
        os.unlink(OUT)
    claim = fixed(Annotation.create(
        article_id=FERRY.id, source=FERRY.source, article_text=FERRY.text,
        label=CLAIM, start=0, end=83, annotator="ines", attrs={"status": "unchecked"},
    ), 1, "2026-11-30T09:00:00.000+00:00")
    quote = fixed(Annotation.create(
        article_id=FERRY.id, source=FERRY.source, article_text=FERRY.text,
        label=QUOTE, start=85, end=117, annotator="ines",
        attrs={"speaker": {"text": "she", "start": 119, "end": 122, "name": "Maren Lisk"}, "note": "the councillor"},
        origin="suggest:quote-cue-after@0.90",
    ), 2, "2026-11-30T09:01:00.000+00:00")
    library_quote = fixed(Annotation.create(
        article_id=LIBRARY.id, source=LIBRARY.source, article_text=LIBRARY.text,
        label=QUOTE, start=72, end=105, annotator="omar",
        attrs={"speaker": {"text": "Tomas Ruel", "start": 127, "end": 137}},
    ), 3, "2026-11-30T09:02:00.000+00:00")
    edited = replace(claim.edited(annotator="omar", attrs={"status": "true", "note": "checked with the operator"}),
                     modified="2026-11-30T10:00:00.000+00:00")
    with open_db(OUT) as store:
        store.apply([Op.put_article(FERRY), Op.put_article(LIBRARY)])
        store.apply([Op.put(claim), Op.put(quote), Op.put(library_quote)])
        store.apply([Op.put(edited)])  # rev 2, modified by omar
        store.apply([Op.rejection(FERRY.id, "ines", CLAIM, 166, 218)])
        store.apply([Op.cursor(FERRY.id, "ines", 85), Op.cursor(LIBRARY.id, "omar", 12)])
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
