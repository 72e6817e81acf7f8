"""annotty import: export -> import -> export is the same output, twice adds nothing, spans re-anchor or are listed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from annotations.formats import FORMATS, READERS, ExportContext, export
from annotations.formats.importing import Incoming, IncomingSpan, anchor, import_records
from annotations.article import Article
from annotations.model import Annotation
from annotations.store import Op, open_db
from export_fixture import FERRY, build

ANNOTTY = Path(sys.executable).parent / "annotty"


@pytest.fixture(scope="module")
def context() -> ExportContext:
    return ExportContext()


def exported(db: Path, fmt: str, out: Path, context: ExportContext) -> dict[str, bytes]:
    with open_db(db) as store:
        export(store, fmt, out, context=context)
    if out.is_dir():
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    return {out.name: out.read_bytes()}


def imported(db: Path, fmt: str, path: Path):
    with open_db(db) as store:
        return import_records(store, READERS[fmt].read(path), fmt=fmt, file=str(path), annotator="importer",
                              base=path.parent)


@pytest.mark.parametrize("fmt", ["jsonl", "brat", "csv", "w3c"])
def test_export_import_export_gives_the_same_output(tmp_path, context, fmt):
    db, articles, anns = build(tmp_path)
    suffix = FORMATS[fmt].SUFFIX
    first = exported(db, fmt, tmp_path / f"first{suffix}", context)
    fresh = tmp_path / "fresh.json"
    report = imported(fresh, fmt, tmp_path / f"first{suffix}")
    assert report.unanchored == [] and report.added > 0
    assert report.articles_added == len(articles)
    second = exported(fresh, fmt, tmp_path / f"first{suffix}".replace("first", "second"), context)
    renamed = {name.replace("second", "first"): data for name, data in second.items()}
    assert renamed == first
    with open_db(fresh) as store:
        for ann in store.annotations():
            assert ann.attrs["imported"]["format"] == fmt
    again = imported(fresh, fmt, tmp_path / f"first{suffix}")
    assert again.added == 0 and again.already_there == report.added


def test_ids_annotators_and_speakers_come_back_from_jsonl(tmp_path, context):
    db, articles, anns = build(tmp_path)
    exported(db, "jsonl", tmp_path / "out.jsonl", context)
    fresh = tmp_path / "fresh.json"
    imported(fresh, "jsonl", tmp_path / "out.jsonl")
    with open_db(fresh) as store:
        back = {a.id: a for a in store.annotations()}
    for ann in anns:
        got = back[ann.id]
        assert (got.label, got.start, got.end, got.text, got.annotator) == (ann.label, ann.start, ann.end, ann.text, ann.annotator)
        assert got.attrs.get("note") == ann.attrs.get("note")
        assert got.attrs.get("status") == ann.attrs.get("status")
        speaker = ann.attrs.get("speaker")
        if speaker and "start" in speaker:
            assert (got.attrs["speaker"]["start"], got.attrs["speaker"]["end"]) == (speaker["start"], speaker["end"])


def test_a_span_re_anchors_by_its_text_and_context_or_is_listed():
    text = "The mayor said yes. Later the mayor said no. The mayor left."
    second = text.index("the mayor said no") + len("the ")
    # Offsets from an older version of the text (shifted by 7), context that points at the second "mayor".
    moved = IncomingSpan(label="CLAIM", start=second - 7, end=second - 7 + 5, text="mayor",
                         prefix="Later the ", suffix=" said no")
    assert anchor(text, moved) == (second, second + 5)
    assert anchor(text, IncomingSpan(label="CLAIM", start=4, end=9, text="mayor")) == (4, 9)  # already right
    assert anchor(text, IncomingSpan(label="CLAIM", start=0, end=5, text="governor")) is None
    assert anchor(text, IncomingSpan(label="CLAIM", start=50, end=500)) is None  # no text, offsets outside


def test_a_short_span_whose_context_disagrees_is_listed_rather_than_guessed():
    # The rule corrected articles use: "mayor" recurs by chance, so without its context it is not the same place.
    text = "The mayor said yes. Later the mayor said no. The mayor left."
    elsewhere = IncomingSpan(label="CLAIM", start=80, end=85, text="mayor",
                             prefix="a statement from the deputy ", suffix=" of the northern district")
    assert anchor(text, elsewhere) is None
    # With no context at all, the offsets are all there is to go by: the nearest occurrence.
    assert anchor(text, IncomingSpan(label="CLAIM", start=28, end=33, text="mayor")) == (30, 35)


def test_what_cannot_be_anchored_is_listed_and_not_stored(tmp_path):
    db = tmp_path / "db.json"
    incoming = Incoming(
        [IncomingSpan(label="QUOTE", start=0, end=5, text="Ferry"),
         IncomingSpan(label="QUOTE", start=10, end=30, text="words nowhere in it")],
        text=FERRY, source="ferry.txt",
    )
    with open_db(db) as store:
        report = import_records(store, [incoming], fmt="jsonl", file="x.jsonl", annotator="ines", base=tmp_path)
        assert report.added == 1 and len(report.unanchored) == 1
        assert "words nowhere in it" in report.unanchored[0]
        assert [a.text for a in store.annotations()] == ["Ferry"]


def test_prodigy_and_doccano_lines_import(tmp_path):
    text = "Rain closed the bypass road, officials said."
    lines = [
        {"text": text, "spans": [{"start": 0, "end": 27, "label": "CLAIM", "token_start": 0, "token_end": 4}],
         "answer": "accept"},
        {"text": text + " Again.", "spans": [{"start": 0, "end": 4, "label": "CLAIM"}], "answer": "reject"},
        {"text": "Schools shut early, the council said.", "label": [[0, 18, "CLAIM"]]},
        {"text": "The bridge reopens on Monday.", "entities": [{"id": 1, "start_offset": 0, "end_offset": 10,
                                                             "label": "CLAIM"}], "relations": []},
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    db = tmp_path / "db.json"
    report = imported(db, "jsonl", path)
    assert report.added == 3 and report.articles_added == 3  # the rejected answer is skipped
    with open_db(db) as store:
        texts = sorted(a.text for a in store.annotations())
        assert texts == ["Rain closed the bypass road", "Schools shut early", "The bridge"]
        assert {a.origin for a in store.annotations()} == {"import:jsonl"}
        assert {a.annotator for a in store.annotations()} == {"importer"}


def test_the_commands_print_one_line_and_refuse_to_overwrite(tmp_path):
    db, articles, anns = build(tmp_path)
    out = tmp_path / "out.csv"
    run = lambda *args: subprocess.run([str(ANNOTTY), *args], capture_output=True, text=True, timeout=120)
    done = run("export", str(db), "--format", "csv", "--out", str(out))
    assert done.returncode == 0 and done.stdout.startswith(f"wrote {out}: {len(anns)} annotation(s)")
    again = run("export", str(db), "--format", "csv", "--out", str(out))
    assert again.returncode == 2 and again.stderr.strip().count("\n") == 0
    assert "exists; give --force" in again.stderr
    missing = run("export", str(tmp_path / "nope.json"), "--format", "csv")
    assert missing.returncode == 2 and "no such database file" in missing.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("label,start,end,text,source\nQUOTE,0,5,Nowhere,ferry-strike.txt\n")
    listed = run("import", str(bad), "--format", "csv", "--db", str(tmp_path / "new.json"))
    assert listed.returncode == 1 and "1 not anchored" in listed.stdout and "Nowhere" in listed.stdout


def annotate_from(folder: Path) -> Path:
    """A database as `annotty corpus/ --db corp.json` run in *folder* leaves it: relative sources."""
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "article-01.txt").write_text(FERRY, encoding="utf-8")
    article = Article.from_text(FERRY, "corpus/article-01.txt")
    start = FERRY.index("40% of sailings")
    with open_db(folder / "corp.json") as store:
        store.apply([Op.put_article(article), Op.put(Annotation.create(
            article_id=article.id, source=article.source, article_text=article.text, label="CLAIM",
            start=start, end=start + 15, annotator="alice"))])
    return folder / "corp.json"


@pytest.mark.parametrize("fmt", ["csv", "w3c", "jsonl", "brat"])
def test_an_export_written_to_another_folder_imports_from_the_folder_annotty_ran_in(tmp_path, fmt):
    annotate_from(tmp_path)
    (tmp_path / "ex").mkdir()
    out = Path("ex") / ("out" + FORMATS[fmt].SUFFIX if FORMATS[fmt].SUFFIX else "brat")
    run = lambda *args: subprocess.run([str(ANNOTTY), *args], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    done = run("export", "corp.json", "--format", fmt, "--out", str(out))
    assert done.returncode == 0, done.stderr
    done = run("import", str(out), "--format", fmt, "--db", "imp3.json")
    assert done.returncode == 0, done.stderr
    assert "imported 1 annotation(s)" in done.stdout and "1 article(s) added" in done.stdout
    with open_db(tmp_path / "imp3.json") as store:
        [ann] = store.annotations()
        assert ann.text == "40% of sailings" and store.article(ann.article_id).text == FERRY


def test_a_relative_source_of_an_older_csv_is_found_from_the_folder_annotty_ran_in(tmp_path, monkeypatch):
    (tmp_path / "ex").mkdir()
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "ferry.txt").write_text(FERRY, encoding="utf-8")
    start = FERRY.index("40% of sailings")
    (tmp_path / "ex" / "old.csv").write_text(f"label,start,end,text,source\nCLAIM,{start},{start + 15},40% of sailings,"
                                             "corpus/ferry.txt\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = imported(tmp_path / "new.json", "csv", Path("ex/old.csv"))
    assert report.added == 1 and report.unanchored == []
