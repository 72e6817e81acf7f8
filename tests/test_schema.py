"""Documents read from the database: odd ones are skipped, reported and kept as they are; strings are sanitised."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from annotations import jsoncodec
from annotations.article import REPLACEMENT, Article
from annotations.jsoncodec import RawNumber
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import Op, open_db

TEXT = (
    "Councillor Maren Lisk said on Tuesday that the Eastgate ferry would run all winter. "
    "\"We have the boats and the crews,\" she told reporters outside the harbour office. "
    "The transport board has not confirmed the timetable."
)
ARTICLE = Article.from_text(TEXT, "eastgate.txt")


def annotation_doc(**changes) -> dict:
    doc = Annotation.create(
        article_id=ARTICLE.id, source=ARTICLE.source, article_text=ARTICLE.text,
        label=CLAIM, start=0, end=40, annotator="ines",
    ).to_doc()
    doc.update(changes)
    return doc


def article_doc(**changes) -> dict:
    doc = {"id": ARTICLE.id, "source": ARTICLE.source, "title": ARTICLE.title, "text": ARTICLE.text}
    doc.update(changes)
    return doc


def nested(depth: int) -> dict:
    value: dict = {"leaf": 1}
    for _ in range(depth - 1):
        value = {"next": value}
    return value


def attrs_with(**attrs) -> dict:
    return annotation_doc(attrs={"status": "unchecked", **attrs})


#: (name, table, document, how it is handled). Every one of these ended in a traceback, wrong data on
#: screen or a failed save before documents were checked as they are read.
ODD = [
    ("attrs is a string", "annotations", annotation_doc(attrs="x"), "skipped"),
    ("status not a claim status", "annotations", attrs_with(status="disputed"), "skipped"),
    ("note is a number", "annotations", attrs_with(note=5), "skipped"),
    ("speaker text is a number", "annotations", attrs_with(speaker={"text": 5}), "skipped"),
    ("speaker is a list", "annotations", attrs_with(speaker=["Bob"]), "skipped"),
    ("label is a number", "annotations", annotation_doc(label=7), "skipped"),
    ("label is empty", "annotations", annotation_doc(label=""), "skipped"),
    ("id is a list", "annotations", annotation_doc(id=["x"]), "skipped"),
    ("id is missing", "annotations", {k: v for k, v in annotation_doc().items() if k != "id"}, "skipped"),
    ("text is null", "annotations", annotation_doc(text=None), "skipped"),
    ("start is a string", "annotations", annotation_doc(start="0"), "skipped"),
    ("start is true", "annotations", annotation_doc(start=True), "skipped"),
    ("start is negative", "annotations", annotation_doc(start=-1), "skipped"),
    ("end before start", "annotations", annotation_doc(start=40, end=10), "skipped"),
    ("end beyond the article", "annotations",
     annotation_doc(start=len(TEXT) - 5, end=len(TEXT) + 5, text="x" * 10), "skipped"),
    ("text does not fit the span", "annotations", annotation_doc(text="short"), "skipped"),
    ("rev is a string", "annotations", annotation_doc(rev="2"), "skipped"),
    ("attrs nested 400 deep", "annotations", annotation_doc(attrs=nested(400)), "skipped"),
    ("id is a 5,000-digit number", "annotations", annotation_doc(id=RawNumber("7" * 5000)), "skipped"),
    ("confidence beyond 64 bits", "annotations", attrs_with(confidence=RawNumber(str(2**70))), "skipped"),
    ("cursor offset is a string", "cursors", {"article_id": ARTICLE.id, "annotator": "ines", "offset": "12"}, "skipped"),
    ("cursor annotator is null", "cursors", {"article_id": ARTICLE.id, "annotator": None, "offset": 12}, "skipped"),
    ("rejection label is a number", "rejections",
     {"article_id": ARTICLE.id, "annotator": "ines", "label": 7, "start": 0, "end": 10}, "skipped"),
    ("rejection start is a list", "rejections",
     {"article_id": ARTICLE.id, "annotator": "ines", "label": QUOTE, "start": [0], "end": 10}, "skipped"),
    ("rejection end before start", "rejections",
     {"article_id": ARTICLE.id, "annotator": "ines", "label": QUOTE, "start": 10, "end": 2}, "skipped"),
    ("article title is a number", "articles", article_doc(title=5), "skipped"),
    ("article text is not what its id says", "articles", article_doc(text="Some other text."), "skipped"),
    ("article text is null", "articles", article_doc(id="f" * 64, text=None), "skipped"),
    ("speaker is a bare string", "annotations", attrs_with(speaker="Bob"), "read as {text: Bob}"),
]


def write_db(path: Path, tables: dict[str, list[dict]]) -> bytes:
    data = {name: {str(n): doc for n, doc in enumerate(docs, start=1)} for name, docs in tables.items()}
    data.setdefault("meta", {"1": {"name": "schema_version", "value": 1}})
    raw = jsoncodec.dumps(data)
    path.write_bytes(raw)
    return raw


def good_tables(odd_table: str | None = None, odd: dict | None = None) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {
        "articles": [article_doc()],
        "annotations": [annotation_doc(label=QUOTE, start=84, end=118, text=TEXT[84:118])],
        "cursors": [{"article_id": ARTICLE.id, "annotator": "maja", "offset": 30}],
        "rejections": [{"article_id": ARTICLE.id, "annotator": "ines", "label": CLAIM, "start": 0, "end": 84}],
    }
    if odd is not None:
        tables[odd_table].append(odd)
    return tables


@pytest.mark.parametrize("name, table, odd, handled", ODD, ids=[v[0] for v in ODD])
def test_an_odd_document_is_skipped_reported_and_kept_while_the_rest_saves(tmp_path, name, table, odd, handled):
    db = tmp_path / "odd.json"
    tables = good_tables(table, copy.deepcopy(odd))
    write_db(db, tables)
    good = Annotation.from_doc(tables["annotations"][0])

    with open_db(db) as store:
        found = store.annotations(ARTICLE.id)
        if handled == "skipped":
            assert found == [good], f"{name}: the odd document was handed out"
            problems = store.problems()
            assert [(p.table, p.doc_id) for p in problems] == [(table, str(len(tables[table])))], problems
            assert "\n" not in problems[0].reason and problems[0].reason
        else:
            assert [a.attrs.get("speaker") for a in found] == [{"text": "Bob"}, None]
            assert store.problems() == []
        assert store.cursor(ARTICLE.id, "maja") == 30
        assert store.cursor(ARTICLE.id, "ines") is None
        assert store.rejections(ARTICLE.id, "ines") == {(CLAIM, 0, 84)}
        assert store.article(ARTICLE.id) == ARTICLE
        new = Annotation.create(article_id=ARTICLE.id, source=ARTICLE.source, article_text=ARTICLE.text,
                                label=CLAIM, start=119, end=len(TEXT), annotator="ines")
        store.add(new)  # the first save re-encodes every document, the odd one too
        store.update(new.edited(annotator="ines", attrs={"note": "second save"}))
        assert store.get(new.id).attrs == {"note": "second save"}

    after = jsoncodec.loads(db.read_bytes())
    assert list(after[table].values())[len(tables[table]) - 1] == odd, f"{name}: the odd document changed in the file"
    with open_db(db) as again:
        assert {a.id for a in again.annotations(ARTICLE.id)} >= {good.id, new.id}


def test_a_database_with_every_odd_document_opens_and_saves(tmp_path):
    db = tmp_path / "all-odd.json"
    tables = good_tables()
    for _, table, odd, _ in ODD:
        tables[table].append(copy.deepcopy(odd))
    raw = write_db(db, tables)
    assert b"7" * 5000 in raw

    with open_db(db) as store:
        skipped = sum(handled == "skipped" for *_, handled in ODD)
        assert len(store.problems()) == skipped
        assert len(store.annotations(ARTICLE.id)) == 2  # the good one and Bob's
        store.set_cursor(ARTICLE.id, "ines", 5)  # the odd cursors do not stop the good ones
        assert store.cursor(ARTICLE.id, "ines") == 5

    text = db.read_bytes()
    assert b"7" * 5000 in text and b'{"next":' * 399 in text.replace(b" ", b"")
    after = jsoncodec.loads(text)
    for name, table, odd, _ in ODD:
        if not (table == "cursors" and odd.get("annotator") == "ines"):  # the one the app wrote to
            assert odd in after[table].values(), f"{name}: no longer in the file"


def test_strings_from_the_database_are_sanitised_one_for_one(tmp_path):
    hostile = "\x1b]52;c;SGk=\x07\x9b6n\u202e"
    start = TEXT.index("Eastgate")
    doc = annotation_doc(
        label=f"CLAIM{hostile}\nX", start=start, end=start + 8, text="East\x1b[2J", prefix=f"p{hostile}",
        suffix="s\r\n", annotator=f"ines{hostile}", origin=f"manual{hostile}", source=f"a{hostile}.txt",
        attrs={"note": f"n{hostile}", "speaker": {"text": f"Maren\x1b]0;t\x07", "start": 11, "end": 21},
               "reasons": [f"r{hostile}"], "kind": f"k{hostile}"},
    )
    tables = good_tables("annotations", doc)
    tables["articles"] = [article_doc(title=f"T{hostile}", source=f"s{hostile}")]
    tables["rejections"].append({"article_id": ARTICLE.id, "annotator": "ines", "label": f"Q{hostile}", "start": 1, "end": 2})
    write_db(tmp_path / "h.json", tables)

    with open_db(tmp_path / "h.json") as store:
        ann = next(a for a in store.annotations(ARTICLE.id) if a.start == start)
        article = store.article(ARTICLE.id)
        labels = {label for label, _, _ in store.rejections(ARTICLE.id, "ines")}
    shown = [ann.label, ann.text, ann.prefix, ann.suffix, ann.annotator, ann.origin, ann.source,
             ann.attrs["note"], ann.attrs["speaker"]["text"], *ann.attrs["reasons"], ann.attrs["kind"],
             article.title, article.source, *labels]
    for value in shown:
        assert not any(c in value for c in "\x1b\x07\x9b\u202e\r"), repr(value)
    assert ann.text == "East" + REPLACEMENT + "[2J" and len(ann.suffix) == 3  # one for one: offsets stay
    assert ann.attrs["note"] == "n" + REPLACEMENT + "]52;c;SGk=" + REPLACEMENT * 2 + "6n" + REPLACEMENT
    assert "\n" not in ann.label and ann.label.endswith(" X")  # a one-line value stays on one line


def test_numbers_and_nesting_orjson_cannot_hold_round_trip_exactly(tmp_path):
    raw = (b'{"meta": {"1": {"name": "schema_version", "value": 1}}, "annotations": {"1": {"id": '
           + b"1" * 5000 + b', "x": [18446744073709551616, 1e400, -9223372036854775809, 0.5], "d": '
           + b"[" * 600 + b"]" * 600 + b"}}}")
    data = jsoncodec.loads(raw)
    doc = data["annotations"]["1"]
    assert doc["id"] == RawNumber("1" * 5000)
    assert doc["x"] == [RawNumber("18446744073709551616"), RawNumber("1e400"), RawNumber("-9223372036854775809"), 0.5]
    assert jsoncodec.loads(jsoncodec.dumps(data)) == data
    assert b"1" * 5000 in jsoncodec.dumps(data)


def test_an_unknown_table_and_a_wrong_schema_value_are_handled(tmp_path):
    db = tmp_path / "x.json"
    write_db(db, {**good_tables(), "later_feature": [{"anything": [1, 2]}]})
    with open_db(db) as store:
        store.apply([Op.put_article(ARTICLE)])
    assert jsoncodec.loads(db.read_bytes())["later_feature"] == {"1": {"anything": [1, 2]}}


@pytest.mark.parametrize("meta, ids", [
    ({"1": {"name": "schema_version", "value": "2"}}, "1"),  # a newer schema written as a string
    ({"1": {"name": "schema_version", "value": 2.0}}, "1"),
    ({"1": {"name": "schema_version", "value": 1}}, "\u00b2"),  # "²".isdigit() is true, int("²") fails
    ({"1": {"name": "schema_version", "value": 1}}, "9" * 5000),  # int() refuses it: every query would fail
])
def test_a_layout_this_version_cannot_be_sure_of_is_refused_and_left_alone(tmp_path, meta, ids):
    from annotations.store import DatabaseError

    db = tmp_path / "x.json"
    raw = jsoncodec.dumps({"meta": meta, "annotations": {ids: annotation_doc()}})
    db.write_bytes(raw)
    with pytest.raises(DatabaseError, match="not an annotty database"):
        open_db(db)
    assert db.read_bytes() == raw
