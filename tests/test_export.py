"""Every export read back by its format's own consumer and compared field by field with the database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.formats import FORMATS, ExportContext, ExportError, Filters, export
from annotations.formats.csvfile import guard, unguard
from annotations.model import NOT_ENTITY, QUOTE
from annotations.store import open_db
from export_fixture import build

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def context() -> ExportContext:
    return ExportContext()  # one model load for the module


@pytest.fixture
def fixture(tmp_path):
    db, articles, anns = build(tmp_path)
    return tmp_path, db, articles, anns


def run_export(db: Path, fmt: str, out: Path, context: ExportContext, **kwargs) -> int:
    with open_db(db) as store:
        return export(store, fmt, out, context=context, **kwargs)


def by_text(anns):
    return {(a.label, a.text): a for a in anns}


# -- CSV, read by pandas ----------------------------------------------------------------

def test_csv_reads_back_in_pandas_field_by_field(fixture, context):
    import pandas as pd

    folder, db, articles, anns = fixture
    out = folder / "out.csv"
    assert run_export(db, "csv", out, context) == len(anns)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8")
    assert len(frame) == len(anns)
    titles = {a.id: a.title for a in articles}
    for row in frame.to_dict("records"):
        ann = next(a for a in anns if a.id == row["id"])
        assert unguard(row["text"]) == ann.text
        assert (row["label"], int(row["start"]), int(row["end"])) == (ann.label, ann.start, ann.end)
        assert row["title"] == titles[ann.article_id]
        assert row["annotator"] == ann.annotator
        assert unguard(row["note"]) == (ann.attrs.get("note") or "")
        assert row["status"] == (ann.attrs.get("status") or "")
        assert row["created"] == ann.created and row["modified"] == ann.modified
        speaker = ann.attrs.get("speaker")
        assert row["speaker"] == ((speaker.get("name") or speaker["text"]) if speaker else "")
    # A note with a comma, quotes and a line break survives; a formula never reaches a spreadsheet as one.
    notes = set(frame["note"])
    assert 'Check "premature", said twice,\nat the briefing' in notes
    assert "'=SUM(A1:A3) is not a formula here" in notes
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in frame.to_numpy().ravel())


@pytest.mark.parametrize("cell", ["=1+1", "+44 20", "-3", "@here", "'=x", "''-y", "plain", "'quoted", ""])
def test_csv_formula_guard_is_undone_exactly(cell):
    assert unguard(guard(cell)) == cell
    assert not guard(cell).startswith(("=", "+", "-", "@"))


# -- JSONL, read with srsly (what Prodigy uses) and rebuilt as a spaCy Doc ----------------

def test_jsonl_is_prodigy_span_format_with_relations_and_doccano_labels(fixture, context):
    import srsly
    from spacy.tokens import Doc

    folder, db, articles, anns = fixture
    out = folder / "out.jsonl"
    assert run_export(db, "jsonl", out, context) == len(articles)
    lines = list(srsly.read_jsonl(out))
    assert [line["text"] for line in lines] == [a.text for a in articles]
    nlp = context.pipeline()
    for line, article in zip(lines, articles):
        assert line["answer"] == "accept"
        assert line["meta"]["source"] == article.source and line["meta"]["title"] == article.title
        words = [t["text"] for t in line["tokens"]]
        spaces = [t["ws"] for t in line["tokens"]]
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        assert doc.text == article.text  # the tokens rebuild the text exactly
        assert [t["id"] for t in line["tokens"]] == list(range(len(words)))
        mine = [a for a in anns if a.article_id == article.id]
        annotated = [s for s in line["spans"] if "id" in s]
        assert sorted(s["id"] for s in annotated) == sorted(a.id for a in mine)
        for entry in line["spans"]:
            tokens = doc[entry["token_start"]:entry["token_end"] + 1]
            assert tokens.start_char <= entry["start"] and entry["end"] <= tokens.end_char
        for entry in annotated:
            ann = next(a for a in mine if a.id == entry["id"])
            assert (entry["start"], entry["end"], entry["label"]) == (ann.start, ann.end, ann.label)
            assert entry["annotator"] == ann.annotator
        for rel in line["relations"]:
            assert rel["label"] == "SPEAKER"
            assert rel["head"] == rel["head_span"]["token_end"] and rel["child"] == rel["child_span"]["token_end"]
            speaker = article.text[rel["child_span"]["start"]:rel["child_span"]["end"]]
            assert speaker in {"Ásta Jóhannsdóttir", "Colm Ó Riain"}
        assert line["label"] == [[s["start"], s["end"], s["label"]] for s in line["spans"]]
    ferry = lines[0]
    assert len(ferry["relations"]) == 3  # two quotes by Ásta Jóhannsdóttir, one by Colm Ó Riain


# -- spaCy DocBin, loaded by spaCy and checked by `spacy debug data` ---------------------

def test_docbin_loads_with_spans_entities_corrections_and_speakers(fixture, context):
    from spacy.tokens import DocBin

    from annotations.formats.docbin import SPANS_KEY, SPEAKERS_KEY, register_extensions

    folder, db, articles, anns = fixture
    out = folder / "out.spacy"
    assert run_export(db, "spacy", out, context) == len(articles)
    register_extensions()
    docs = list(DocBin().from_disk(out).get_docs(context.pipeline().vocab))
    assert [d.text for d in docs] == [a.text for a in articles]
    ferry = docs[0]
    spans = {(s.label_, s.text): s for s in ferry.spans[SPANS_KEY]}
    expected = [a for a in anns if a.article_id == articles[0].id and not a.is_entity]
    assert set(spans) == {(a.label, a.text) for a in expected}
    assert spans[(QUOTE, "premature")]._.annotty_speaker == "Colm Ó Riain"
    assert spans[(QUOTE, "We have waited eleven months for a fair offer,")]._.annotty_speaker == "Ásta Jóhannsdóttir"
    assert {s.text for s in ferry.spans[SPEAKERS_KEY]} == {"Ásta Jóhannsdóttir", "Colm Ó Riain"}
    ents = {(e.text, e.label_) for e in ferry.ents}
    assert ("Colm Ó Riain", "PERSON") in ents  # the correction
    assert not any(e.text == "Monday" for e in ferry.ents)  # NOT_ENTITY removed the model's DATE
    assert ferry.user_data["annotty"]["article_id"] == articles[0].id


def test_entities_the_reader_cached_are_used_without_running_the_model(fixture, context, monkeypatch):
    from spacy.tokens import DocBin

    from annotations.analysis import Analyser, Analysis
    from annotations.model import Entity

    folder, db, articles, anns = fixture
    roads = articles[1]
    analyser = Analyser(context.model)
    version = analyser._installed_version()
    start = roads.text.index("bypass road")
    fake = Analysis(entities=[Entity(start, start + len("bypass road"), "FAC", "bypass road")],
                    sentences=[(0, len(roads.text))])
    analyser.cache.put(fake.to_json(), *analyser._key(roads.id, version))
    out = folder / "out.spacy"
    run_export(db, "spacy", out, context)
    docs = list(DocBin().from_disk(out).get_docs(context.pipeline().vocab))
    assert [(e.text, e.label_) for e in docs[1].ents] == [("bypass road", "FAC")]
    assert len(list(docs[1].sents)) == 1
    assert any(e.label_ != "FAC" for e in docs[0].ents)  # the other article went through the model


def test_docbin_passes_spacy_debug_data(fixture, context, tmp_path):
    folder, db, articles, anns = fixture
    out = folder / "out.spacy"
    run_export(db, "spacy", out, context)
    config = tmp_path / "config.cfg"
    python = sys.executable
    subprocess.run([python, "-m", "spacy", "init", "config", str(config), "--lang", "en",
                    "--pipeline", "ner,spancat", "--force"], check=True, capture_output=True, text=True, timeout=120)
    text = config.read_text().replace('spans_key = "sc"', 'spans_key = "annotty"')
    config.write_text(text)
    result = subprocess.run(
        [python, "-m", "spacy", "debug", "data", str(config), "--paths.train", str(out), "--paths.dev", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    lines = [" ".join(line.split()) for line in output.splitlines()]
    assert any("Corpus is loadable" in line for line in lines), output
    assert any(f"{len(articles)} training docs" in line for line in lines), output
    assert any(line.startswith("annotty") and "'QUOTE'" in line and "'CLAIM'" in line for line in lines), output
    assert any("Span characteristics for spans_key 'annotty'" in line for line in lines), output
    assert any("No entities consisting of or starting/ending with whitespace" in line for line in lines), output
    assert any("No entities crossing sentence boundaries" in line for line in lines), output
    # The one error a two-article corpus must give: too few examples to train on, never a format problem.
    errors = [line for line in lines if "\u2718" in line and "error" not in line]
    assert errors and all("Low number of examples to train" in line for line in errors), errors


# -- brat, parsed by brat-peek ------------------------------------------------------------

def brat_peek_reader():
    """brat-peek's reader module. Its package __init__ also imports its plotting module (seaborn,
    matplotlib), which reading needs nothing of, so the reader is loaded on its own."""
    import importlib.util

    package = importlib.util.find_spec("peek")
    path = Path(package.submodule_search_locations[0]) / "ann_structure.py"
    spec = importlib.util.spec_from_file_location("peek_ann_structure", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_brat_reads_back_with_brat_peek(fixture, context):
    peek = brat_peek_reader()

    folder, db, articles, anns = fixture
    out = folder / "brat"
    assert run_export(db, "brat", out, context) == len(articles)
    assert (out / "annotation.conf").is_file()
    for article in articles:
        ann_path = next(out.glob(f"*-{article.id[:10]}.ann"))
        assert ann_path.with_suffix(".txt").read_text(encoding="utf-8") == article.text
        document = peek.AnnDocument(str(ann_path), txt=False)
        entities = document.anns["entities"]
        mine = [a for a in anns if a.article_id == article.id]
        kept = [e for e in entities if e.tag != "SPEAKER"]
        assert len(kept) == len(mine)
        for entity in kept:
            start, end = entity.span[0][0], entity.span[-1][1]
            ann = next(a for a in mine if (a.start, a.end, a.label) == (start, end, entity.tag))
            fragments = " ".join(article.text[s:e] for s, e in entity.span)
            assert entity.text == fragments
            if "\n" in ann.text:
                assert len(entity.span) == 2  # the quote over two paragraphs
            attrs = {a.tag: a.arguments[1] for a in entity.attr}
            assert attrs["Annotator"] == ann.annotator
            assert attrs.get("Status") == ann.attrs.get("status")
            notes = [n.note for n in entity.notes]
            assert notes == ([" ".join(ann.attrs["note"].split())] if ann.attrs.get("note") else [])
        names = {e.name: e for e in entities}
        for relation in document.anns["relations"]:
            quote = names[relation.arg1.split(":")[1]]
            speaker = names[relation.arg2.split(":")[1]]
            assert relation.tag == "Speaker" and quote.tag == QUOTE and speaker.tag == "SPEAKER"
            ann = next(a for a in mine if (a.start, a.end) == (quote.span[0][0], quote.span[-1][1]))
            assert speaker.span[0] == (ann.attrs["speaker"]["start"], ann.attrs["speaker"]["end"])


# -- W3C Web Annotation, expanded by pyld against the context -----------------------------

OA = "http://www.w3.org/ns/oa#"


def expand(path: Path) -> list[dict]:
    from pyld import jsonld

    context = json.loads((DATA / "anno-context.jsonld").read_text())

    def loader(url, options=None):
        assert url == "http://www.w3.org/ns/anno.jsonld", url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    return jsonld.expand(json.loads(path.read_text(encoding="utf-8")), {"documentLoader": loader})


def test_w3c_is_valid_json_ld_and_follows_the_model(fixture, context):
    folder, db, articles, anns = fixture
    out = folder / "out.jsonld"
    assert run_export(db, "w3c", out, context) == len(anns)
    raw = json.loads(out.read_text(encoding="utf-8"))
    assert raw["type"] == "AnnotationCollection" and raw["total"] == len(anns)
    page = raw["first"]
    assert page["type"] == "AnnotationPage" and page["partOf"] == raw["id"]
    for item in page["items"]:
        # The model's MUSTs for the properties used.
        assert item["type"] == "Annotation" and item["id"].startswith("urn:uuid:")
        assert item["target"]["type"] == "SpecificResource" and item["target"]["source"]
        assert item["created"].endswith("Z") and item["modified"].endswith("Z")
        assert all(b["type"] == "TextualBody" and isinstance(b["value"], str) for b in item["body"])
    expanded = expand(out)
    collection = expanded[0]
    page = collection["http://www.w3.org/ns/activitystreams#first"][0]
    items = page["http://www.w3.org/ns/activitystreams#items"][0]["@list"]
    assert len(items) == len(anns)
    for item in items:
        assert item["@type"] == [OA + "Annotation"]
        ann = next(a for a in anns if item["@id"] == f"urn:uuid:{a.id}")
        target = item[OA + "hasTarget"][0]
        selectors = {s["@type"][0]: s for s in target[OA + "hasSelector"]}
        quote = selectors[OA + "TextQuoteSelector"]
        assert quote[OA + "exact"][0]["@value"] == ann.text
        assert quote[OA + "prefix"][0]["@value"] == ann.prefix and quote[OA + "suffix"][0]["@value"] == ann.suffix
        position = selectors[OA + "TextPositionSelector"]
        assert int(position[OA + "start"][0]["@value"]) == ann.start
        assert int(position[OA + "end"][0]["@value"]) == ann.end
        bodies = {b[OA + "hasPurpose"][0]["@id"]: b["http://www.w3.org/1999/02/22-rdf-syntax-ns#value"][0]["@value"]
                  for b in item[OA + "hasBody"]}
        assert bodies[OA + "tagging"] == ann.label
        assert bodies.get(OA + "commenting") == ann.attrs.get("note")
        assert bodies.get(OA + "assessing") == ann.attrs.get("status")
        creator = item["http://purl.org/dc/terms/creator"][0]
        assert creator["http://xmlns.com/foaf/0.1/nick"][0]["@value"] == ann.annotator


def test_w3c_without_annotations_is_a_collection_with_no_page(tmp_path, context):
    db = tmp_path / "empty.json"
    with open_db(db) as store:
        store.put_article(build(tmp_path)[1][0])  # an article, and no annotation kept by the filter
    out = tmp_path / "none.jsonld"
    run_export(db, "w3c", out, context, filters=Filters(labels=frozenset({"NOTHING"})))
    raw = json.loads(out.read_text())
    assert raw["total"] == 0 and "first" not in raw
    assert expand(out)[0]["@type"] == ["http://www.w3.org/ns/activitystreams#OrderedCollection"]


# -- UIMA CAS XMI, read by dkpro-cassis ------------------------------------------------------

def test_xmi_reads_back_with_cassis(fixture, context):
    from cassis import load_cas_from_xmi, load_typesystem

    from annotations.formats.xmi import ENTITY_TYPE, RELATION_TYPE, SPAN_TYPE

    folder, db, articles, anns = fixture
    out = folder / "xmi"
    assert run_export(db, "xmi", out, context) == len(articles)
    with open(out / "TypeSystem.xml", "rb") as handle:
        ts = load_typesystem(handle)
    for article in articles:
        with open(next(out.glob(f"*-{article.id[:10]}.xmi")), "rb") as handle:
            cas = load_cas_from_xmi(handle, typesystem=ts)
        assert cas.sofa_string == article.text  # offsets survive the emoji (UTF-16 in the file)
        mine = [a for a in anns if a.article_id == article.id and not a.is_entity]
        spans = [s for s in cas.select(SPAN_TYPE) if s.label != "SPEAKER"]
        assert len(spans) == len(mine)
        for span in spans:
            ann = next(a for a in mine if a.id == span.annotty_id)
            assert (span.begin, span.end, span.label, span.get_covered_text()) == (ann.start, ann.end, ann.label, ann.text)
            assert span.annotator == ann.annotator
            assert span.status == ann.attrs.get("status") and span.note == ann.attrs.get("note")
        for relation in cas.select(RELATION_TYPE):
            assert relation.Governor.label == QUOTE and relation.Dependent.label == "SPEAKER"
        ents = {(e.get_covered_text(), e.value) for e in cas.select(ENTITY_TYPE)}
        if article is articles[0]:
            assert ("Colm Ó Riain", "PERSON") in ents
            assert len(list(cas.select(RELATION_TYPE))) == 3
        assert not any(text == "Monday" for text, _ in ents)


# -- filters, safety ---------------------------------------------------------------------------

def test_filters_keep_only_what_is_asked(fixture, context):
    import pandas as pd

    folder, db, articles, anns = fixture
    out = folder / "bob.csv"
    run_export(db, "csv", out, context, filters=Filters(annotators=frozenset({"bob"}), labels=frozenset({"CLAIM"})))
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(frame["annotator"]) == {"bob"} and set(frame["label"]) == {"CLAIM"}
    assert len(frame) == sum(1 for a in anns if a.annotator == "bob" and a.label == "CLAIM")
    run_export(db, "csv", folder / "roads.csv", context, filters=Filters(sources=frozenset({articles[1].source})))
    assert set(pd.read_csv(folder / "roads.csv", dtype=str)["article_id"]) == {articles[1].id}
    run_export(db, "csv", folder / "false.csv", context, filters=Filters(statuses=frozenset({"misleading"})))
    assert list(pd.read_csv(folder / "false.csv", dtype=str)["status"]) == ["misleading"]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_an_existing_output_is_kept_without_force(fixture, context, fmt):
    folder, db, articles, anns = fixture
    out = folder / f"existing{FORMATS[fmt].SUFFIX}"
    if FORMATS[fmt].KIND == "folder":
        out.mkdir()
        (out / "keep.txt").write_text("mine")
    else:
        out.write_text("mine")
    with pytest.raises(ExportError, match="exists; give --force"):
        run_export(db, fmt, out, context)
    assert (out / "keep.txt").read_text() == "mine" if out.is_dir() else out.read_text() == "mine"
    run_export(db, fmt, out, context, force=True)
    assert not (out / "keep.txt").exists() if out.is_dir() else out.read_bytes() != b"mine"


def test_a_failing_export_leaves_no_partial_file(fixture, context, monkeypatch):
    from annotations.formats import csvfile

    folder, db, articles, anns = fixture

    def broken(ann):
        raise RuntimeError("disk went away")

    monkeypatch.setattr(csvfile, "speaker_name", broken)
    with pytest.raises(RuntimeError):
        run_export(db, "csv", folder / "out.csv", context)
    assert sorted(p.name for p in folder.iterdir()) == ["ferry-strike.txt", "roads.txt", "team.json", "team.json.lock"]


def test_force_never_replaces_a_folder_that_is_not_an_export(fixture, context):
    folder, db, articles, anns = fixture
    out = folder / "notes"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work")
    with pytest.raises(ExportError, match="does not look like an export"):
        run_export(db, "brat", out, context, force=True)
    assert (out / "thesis.docx").read_text() == "years of work"


def test_out_dash_writes_a_one_file_export_to_standard_output_and_refuses_a_folder(fixture) -> None:
    folder, db, _, _ = fixture
    annotty = Path(sys.executable).parent / "annotty"

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([str(annotty), "export", str(db), *args], cwd=folder, capture_output=True,
                              timeout=120, check=False, stdin=subprocess.DEVNULL)

    for fmt in ("csv", "w3c"):
        piped = run("--format", fmt, "--out", "-")
        assert piped.returncode == 0, piped.stderr
        written = run("--format", fmt, "--out", str(folder / f"file.{fmt}"))
        assert written.returncode == 0, written.stderr
        assert piped.stdout == (folder / f"file.{fmt}").read_bytes(), "the same bytes as the file export"
        assert piped.stderr.decode().startswith("wrote standard output: ")
    assert not (folder / "-").exists(), "no file named '-'"

    refused = run("--format", "brat", "--out", "-")
    assert refused.returncode == 2 and refused.stdout == b""
    assert refused.stderr.decode().count("\n") == 1 and "folder" in refused.stderr.decode(), refused.stderr
    assert not (folder / "-").exists()


def test_a_misspelt_claim_status_is_refused_rather_than_exporting_nothing(fixture) -> None:
    folder, db, _, _ = fixture
    annotty = Path(sys.executable).parent / "annotty"
    done = subprocess.run([str(annotty), "export", str(db), "--format", "csv", "--status", "flase"], cwd=folder,
                          capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "flase" in done.stderr and "unverifiable" in done.stderr, done.stderr
    assert not db.with_suffix(".csv").exists()


def test_out_dash_into_a_pipe_closed_early_ends_quietly(tmp_path: Path) -> None:
    from annotations.article import Article
    from annotations.model import CLAIM, Annotation
    from annotations.store import Op

    text = "Fares rose by 12 per cent, the operator said.\n" * 40
    article = Article.from_text(text, str(tmp_path / "fares.txt"))
    db = tmp_path / "big.json"
    with open_db(db) as store:  # far more than a pipe's buffer of CSV rows
        store.apply([Op.put_article(article)] + [
            Op.put(Annotation.create(article_id=article.id, source=article.source, article_text=text, label=CLAIM,
                                     start=i % 1000, end=i % 1000 + 40, annotator=f"a{i}")) for i in range(2000)])
    annotty = Path(sys.executable).parent / "annotty"
    done = subprocess.run(f"{annotty} export {db} --format csv --out - | head -c 10 > /dev/null; "
                          "echo status ${PIPESTATUS[0]} >&2", shell=True, executable="/bin/bash", cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
    assert done.stderr.strip() == "status 0", done.stderr


def test_filters_that_match_nothing_say_so_and_name_what_the_file_holds(fixture) -> None:
    folder, db, _, _ = fixture
    annotty = Path(sys.executable).parent / "annotty"
    done = subprocess.run([str(annotty), "export", str(db), "--format", "csv", "--label", "QOUTE", "--out", "-"],
                          cwd=folder, capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr  # an empty export is still a valid one
    warning = [line for line in done.stderr.splitlines() if "nothing matched" in line]
    assert len(warning) == 1 and "QUOTE" in warning[0] and "labels" in warning[0], done.stderr


def test_articles_that_match_no_article_of_the_file_say_so(fixture) -> None:
    """`--articles` naming a file the database never read: the warning says that, not only which labels
    and annotators the file holds (which reads as if a label filter were wrong)."""
    folder, db, _, _ = fixture
    annotty = Path(sys.executable).parent / "annotty"
    done = subprocess.run([str(annotty), "export", str(db), "--format", "csv", "--articles", "nosuch.txt", "--out", "-"],
                          cwd=folder, capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    warning = [line for line in done.stderr.splitlines() if "nothing matched" in line]
    assert len(warning) == 1 and "nosuch.txt" in warning[0] and "article" in warning[0], done.stderr
