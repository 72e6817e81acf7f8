"""The adjudication screen: agreed items merged, each decision key, undo and redo, the gold written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotations import cli
from annotations.article import load
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import Op, open_db

TEXT = ("Kellworth ferry\n\nThe port will close at noon, the harbour master said.\n\n"
        "\"We have no choice,\" said Ines Moreau. Traffic fell by 12 per cent.\n\nFishermen were angry.\n")


def _ann(article, who: str, exact: str, label: str = CLAIM, speaker: str | None = None, cut: int = 0) -> Annotation:
    start = article.text.index(exact)
    attrs = {"speaker": {"text": speaker}} if speaker else {}
    return Annotation.create(article_id=article.id, source=article.source, article_text=article.text, label=label,
                             start=start, end=start + len(exact) - cut, annotator=who, attrs=attrs)


@pytest.fixture
def adjudication(tmp_path, monkeypatch, shared_pipeline):
    from tui.app import AnnottyApp

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "ferry.txt"
    path.write_text(TEXT, encoding="utf-8")
    article = load(str(path))
    quote = '"We have no choice,"'
    with open_db(tmp_path / "team.json") as store:
        store.apply([Op.put_article(article)] + [Op.put(a) for a in [
            _ann(article, "ana", "The port will close at noon"), _ann(article, "ben", "The port will close at noon"),
            _ann(article, "ana", quote, QUOTE, "Ines Moreau"), _ann(article, "ben", quote, QUOTE, "the harbour master"),
            _ann(article, "ana", "Traffic fell by 12 per cent."), _ann(article, "ben", "Traffic fell by 12 per cent.", cut=1),
            _ann(article, "ben", "Fishermen were angry."),
        ]])
    args = cli.adjudicate_parser().parse_args([str(path), "--db", "team.json", "--as", "gold"])
    app = AnnottyApp([str(path)], args, article)

    def gold() -> list[dict]:
        assert app.saves.flush(5)
        docs = json.loads((tmp_path / "team.json").read_text())["annotations"].values()
        return sorted((d for d in docs if not d.get("deleted") and d["annotator"] == "gold"), key=lambda d: d["start"])

    def gold_rejections() -> list[dict]:
        assert app.saves.flush(5)
        docs = json.loads((tmp_path / "team.json").read_text()).get("rejections", {}).values()
        return [d for d in docs if d["annotator"] == "gold"]

    return app, article, gold, gold_rejections


async def corpus_counted(pilot, screen) -> str:
    """The progress line, once the corpus has been counted (off the event loop)."""
    for _ in range(250):
        progress = str(screen.query_one("#progress").render())
        if "counting" not in progress:
            return progress
        await pilot.pause(0.02)
    raise AssertionError(f"the corpus was never counted: {progress}")


async def test_the_first_paint_does_not_wait_for_the_corpus_to_be_counted(adjudication, monkeypatch):
    import threading

    from tui.screens import adjudication as screen_module
    from test_first_paint import record_first_frame

    app, article, gold, gold_rejections = adjudication
    gate = threading.Event()
    counted_off_the_loop: list[bool] = []
    real = screen_module.compare

    def compare(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            counted_off_the_loop.append(True)
            gate.wait(10)  # the count is held until the first frame is drawn
        return real(*args, **kwargs)

    monkeypatch.setattr(screen_module, "compare", compare)
    first = record_first_frame(app, lambda: str(app.screen.query_one("#progress").render()))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(250):
            if first:
                break
            await pilot.pause(0.02)
        gate.set()
        assert first and "0 of 3 disagreements settled" in first[0] and "corpus: counting" in first[0], first
        for _ in range(250):  # the worker may reach the count only after the first frame
            if counted_off_the_loop:
                break
            await pilot.pause(0.02)
        assert counted_off_the_loop, "the corpus is counted on a worker thread"
        assert "corpus: 0 of 3" in await corpus_counted(pilot, app.screen)


async def test_agreed_items_go_to_gold_and_each_key_settles_one_disagreement(adjudication):
    from tui.screens.adjudication import AdjudicationScreen

    app, article, gold, gold_rejections = adjudication
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AdjudicationScreen)
        assert [d["text"] for d in gold()] == ["The port will close at noon"]
        assert gold()[0]["origin"] == "adjudicated" and len(gold()[0]["attrs"]["adjudicated_from"]) == 2
        progress = await corpus_counted(pilot, screen)
        assert "0 of 3 disagreements settled" in progress and "corpus: 0 of 3" in progress

        await pilot.press("1")  # the quote: ana's speaker
        await pilot.pause()
        quote = [d for d in gold() if d["label"] == QUOTE]
        assert quote and quote[0]["attrs"]["speaker"]["text"] == "Ines Moreau"
        await pilot.press("2")  # the claim's boundaries: ben's
        await pilot.pause()
        assert "Traffic fell by 12 per cent" in [d["text"] for d in gold()]
        await pilot.press("n")  # only ben tagged the last sentence: none
        await pilot.pause()
        assert [(r["start"], r["end"]) for r in gold_rejections()] == [
            (article.text.index("Fishermen"), article.text.index("Fishermen") + len("Fishermen were angry."))]
        assert "3 of 3 disagreements settled" in str(screen.query_one("#progress").render())

        await pilot.press("u")  # the none is taken back
        await pilot.pause()
        assert gold_rejections() == []
        assert "2 of 3" in str(screen.query_one("#progress").render())
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert len(gold_rejections()) == 1
        await pilot.press("u", "u")  # and the claim decision
        await pilot.pause()
        assert "Traffic fell by 12 per cent" not in [d["text"] for d in gold()]


async def test_take_all_and_a_missing_version_say_what_happened(adjudication):
    app, article, gold, _ = adjudication
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("b")  # the quote: both speakers' versions
        await pilot.pause()
        assert len([d for d in gold() if d["label"] == QUOTE]) == 2
        await pilot.press("j")  # from the claim (the next open one) to "only ben"
        await pilot.press("1")  # ana has nothing there
        await pilot.pause()
        assert "ana has nothing here" in str(screen.query_one("#notice").render())
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert "this is the last article" in str(screen.query_one("#notice").render())


# -- a new decision on a disagreement replaces the earlier one ------------------------------------

async def _back_to(pilot, screen, row: int) -> None:
    """Move the cursor up (k) to *row*: a decision moves it on to the next open disagreement."""
    for _ in range(5):
        if screen.query_one("#list").highlighted == row:
            return
        await pilot.press("k")
        await pilot.pause()
    assert screen.query_one("#list").highlighted == row


def _exported(tmp_path: Path) -> dict[str, list[tuple]]:
    """The gold items of a jsonl and a csv export of the database: (label, start, end, speaker)."""
    import csv

    from annotations.formats import ExportContext, Filters, export

    found = {}
    with open_db(tmp_path / "team.json") as store:
        for fmt in ("jsonl", "csv"):
            out = tmp_path / f"gold.{fmt}"
            export(store, fmt, out, filters=Filters(annotators=frozenset({"gold"})), force=True,
                   context=ExportContext())
            if fmt == "jsonl":
                rows = [s for line in out.read_text().splitlines() for s in json.loads(line)["spans"]
                        if s["label"] != "SPEAKER"]
                found[fmt] = sorted((s["label"], s["start"], s["end"], s.get("speaker", "")) for s in rows)
            else:
                with out.open(newline="", encoding="utf-8") as handle:
                    rows = list(csv.DictReader(handle))
                found[fmt] = sorted((r["label"], int(r["start"]), int(r["end"]), r["speaker"]) for r in rows)
    return found


async def test_each_new_decision_replaces_the_one_before_in_the_file_and_the_export(adjudication, tmp_path):
    app, article, gold, gold_rejections = adjudication
    quote = '"We have no choice,"'
    start = article.text.index(quote)
    span = (start, start + len(quote))
    agreed = "The port will close at noon"
    port = (CLAIM, article.text.index(agreed), article.text.index(agreed) + len(agreed), "")
    speakers = {"1": "Ines Moreau", "2": "the harbour master"}
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        # 1->2, 2->1, 1->n, n->1, 1->2, 2->n, n->2: each on the quote's disagreement (the first row)
        for key in ["1", "2", "1", "n", "1", "2", "n", "2"]:
            await _back_to(pilot, screen, 0)
            await pilot.press(key)
            await pilot.pause()
            quotes = [(d["start"], d["end"], d["attrs"]["speaker"]["text"]) for d in gold() if d["label"] == QUOTE]
            rejections = [(r["start"], r["end"]) for r in gold_rejections()]
            if key == "n":
                assert (quotes, rejections) == ([], [span]), key
            else:
                assert (quotes, rejections) == ([(*span, speakers[key])], []), key
            assert "1 of 3 disagreements settled" in str(screen.query_one("#progress").render())
        exported = _exported(tmp_path)
        assert exported["jsonl"] == exported["csv"] == sorted([port, (QUOTE, *span, "the harbour master")])

        await pilot.press("u")  # one step back: the "none" before the last "2", the rejection again
        await pilot.pause()
        assert [d for d in gold() if d["label"] == QUOTE] == [] and len(gold_rejections()) == 1
        await pilot.press("u")  # and the "2" before it
        await pilot.pause()
        assert [d["attrs"]["speaker"]["text"] for d in gold() if d["label"] == QUOTE] == ["the harbour master"]
        assert gold_rejections() == []

    # The replaced gold annotations are deleted as the store deletes (tombstones), under the adjudicator.
    docs = json.loads((tmp_path / "team.json").read_text())["annotations"].values()
    tombstones = [d for d in docs if d.get("deleted")]
    assert tombstones and all(d["deleted_by"] == "gold" for d in tombstones), tombstones


async def test_taking_the_only_version_then_none_leaves_only_the_rejection(adjudication, tmp_path):
    app, article, gold, gold_rejections = adjudication
    angry = (article.text.index("Fishermen"), article.text.index("Fishermen") + len("Fishermen were angry."))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        await _back_to(pilot, screen, 2)  # only ben tagged the last sentence
        await pilot.press("2")
        await pilot.pause()
        assert [(d["start"], d["end"]) for d in gold() if d["label"] == CLAIM][1:] == [angry]
        await _back_to(pilot, screen, 2)
        await pilot.press("n")
        await pilot.pause()
        assert "settled: none" in str(screen.query_one("#notice").render())
        assert angry not in [(d["start"], d["end"]) for d in gold()]
        assert [(r["start"], r["end"]) for r in gold_rejections()] == [angry]
        assert angry not in [(s, e) for _, s, e, _ in _exported(tmp_path)["csv"]]
        await _back_to(pilot, screen, 2)
        await pilot.press("n")  # the same decision again changes nothing
        await pilot.pause()
        assert "already settled: none" in str(screen.query_one("#notice").render())
        assert [(r["start"], r["end"]) for r in gold_rejections()] == [angry]


LONG_TEXT = ("Harbour dredging\n\n"
             "The council said the dredging of the inner harbour would cost far more than the figure it gave last spring.\n\n"
             "\"Nobody in this town was told the true cost of the dredging before the vote,\" said Mara Olsen.\n\n"
             "Shipping through the inner harbour fell by a third over the winter months of the year.\n")


@pytest.mark.parametrize("width", [80, 60])
async def test_every_row_of_the_list_fits_on_its_line(tmp_path, monkeypatch, shared_pipeline, width):
    """Each disagreement is one line of the list at 80 and 60 columns: its number, its kind and as much
    of its text as there is room for, cut with an ellipsis, never wrapped onto a second line."""
    from tui.app import AnnottyApp
    from textual.widgets import OptionList

    monkeypatch.chdir(tmp_path)
    path = tmp_path / "dredging.txt"
    path.write_text(LONG_TEXT, encoding="utf-8")
    article = load(str(path))
    claim = "The council said the dredging of the inner harbour would cost far more than the figure it gave last spring."
    quote = "\"Nobody in this town was told the true cost of the dredging before the vote,\""
    shipping = "Shipping through the inner harbour fell by a third over the winter months of the year."
    with open_db(tmp_path / "team.json") as store:
        store.apply([Op.put_article(article)] + [Op.put(a) for a in [
            _ann(article, "ana", claim), _ann(article, "ben", claim, QUOTE),
            _ann(article, "ana", quote, QUOTE, "Mara Olsen"), _ann(article, "ben", quote, QUOTE, "the council"),
            _ann(article, "ana", shipping), _ann(article, "ben", shipping, cut=1),
        ]])
    args = cli.adjudicate_parser().parse_args([str(path), "--db", "team.json", "--as", "gold"])
    app = AnnottyApp([str(path)], args, article)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one("#list", OptionList)
        assert listing.option_count == 3
        strips = app.screen._compositor.render_strips()
        lines = [strip.text.rstrip() for strip in strips[listing.region.y:listing.region.bottom]]
    inside = [line.strip("▊▎▔▁ ") for line in lines]  # the list's border left out
    rows = [line for line in inside if line]
    expected = [(1, "same span, different label", claim), (2, "same span and label, different speaker", quote),
                (3, "overlapping boundaries", shipping)]
    assert len(rows) == len(expected), f"a row took more than one line: {rows}"
    for row, (number, kind, text) in zip(rows, expected):
        assert len(row) <= width - 4
        assert row.startswith(f"· {number:>3} {kind}"), row
        shown = row.split(kind, 1)[1].strip()
        assert shown.endswith("…") and text.startswith(shown[:-1]), f"the text is cut with an ellipsis: {row!r}"
