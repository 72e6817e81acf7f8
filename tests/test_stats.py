"""`annotty stats`: the counts of a fixture database with two annotators, built here through the store API,
in each of the three outputs (JSON lines, plain text when piped, Rich tables on a terminal)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from annotations.analysis import Analysis
from annotations.article import Article
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.stats import print_rich, summarise, tables
from annotations.store import Op, open_db
from annotations.suggest import Suggestion

ANNOTTY = Path(sys.executable).parent / "annotty"

HARBOUR = Article.from_text("Harbour fees rise\n\nThe port said fees rise 4 percent. \"We had no choice,\" Ada Kemp said.\n",
                            "/corpus/harbour.txt")
CLINIC = Article.from_text("Clinic hours cut\n\nThe clinic closes at noon on Fridays, the board said.\n",
                           "/corpus/clinic.txt")


def tag(article: Article, label: str, phrase: str, who: str, **extra) -> Annotation:
    start = article.text.index(phrase)
    ann = Annotation.create(article_id=article.id, source=article.source, article_text=article.text, label=label,
                            start=start, end=start + len(phrase), annotator=who, attrs=extra.pop("attrs", {}),
                            origin=extra.pop("origin", "manual"))
    return ann


def suggestion(article: Article, label: str, phrase: str, confidence: float = 0.9, kind: str = "direct") -> Suggestion:
    start = article.text.index(phrase)
    return Suggestion(label=label, start=start, end=start + len(phrase), text=phrase, speaker=None, cue=None,
                      kind=kind, confidence=confidence, reasons=("test",), rule="test")


@pytest.fixture
def team_db(tmp_path: Path) -> Path:
    """Two annotators over two articles: ann tags three things and finishes the harbour article, ben tags two,
    accepts a suggestion and rejects one."""
    db = tmp_path / "team.json"
    with open_db(db) as store:
        ops = [Op.put_article(HARBOUR), Op.put_article(CLINIC)]
        ops += [Op.put(tag(HARBOUR, QUOTE, '"We had no choice,"', "ann", attrs={"speaker": {"text": "Ada Kemp"}})),
                Op.put(tag(HARBOUR, CLAIM, "fees rise 4 percent", "ann", attrs={"status": "true"})),
                Op.put(tag(CLINIC, CLAIM, "The clinic closes at noon on Fridays", "ann")),
                Op.put(tag(HARBOUR, CLAIM, "fees rise 4 percent", "ben", attrs={"status": "false"})),
                Op.put(tag(CLINIC, QUOTE, "the board said", "ben", origin="suggest:quote-cue-after@0.90")),
                Op.put(tag(CLINIC, "PERSON", "board", "ben"))]  # an entity correction: not an annotation
        ops += [Op.rejection(HARBOUR.id, "ben", QUOTE, 0, 7),
                Op.mark_done(HARBOUR.id, "ann", HARBOUR.source, "2026-01-01T00:00:00+00:00"),
                Op.opened(CLINIC.id, "ben", CLINIC.source, "2026-01-02T00:00:00+00:00")]
        store.apply(ops)
    return db


def rows(found, by):
    table = next(t for t in found if t.by == by)
    return [dict(zip(table.columns, row)) for row in table.rows]


def test_the_summary_counts_labels_annotators_articles_statuses_and_suggestions(team_db: Path) -> None:
    # The harbour article is analysed (cached): three suggestions, one taken, one rejected, one under the
    # threshold, one indirect, one pending. The clinic's analysis is not cached.
    cached = Analysis(suggestions=[
        suggestion(HARBOUR, CLAIM, "fees rise 4 percent"),  # taken by ann and ben
        suggestion(HARBOUR, QUOTE, "Harbour"),  # rejected by ben (0..7)
        suggestion(HARBOUR, QUOTE, "Ada Kemp said", confidence=0.2),  # under the threshold
        suggestion(HARBOUR, QUOTE, "The port said", kind="indirect"),  # not offered by default
        suggestion(HARBOUR, CLAIM, "The port said fees rise"),  # pending
    ])
    with open_db(team_db) as store:
        summary = summarise(store, lambda article: cached if article.id == HARBOUR.id else None, 0.5)
    found = tables(summary)
    assert rows(found, "label") == [{"label": CLAIM, "annotations": 3}, {"label": QUOTE, "annotations": 2}]
    assert rows(found, "annotator") == [
        {"annotator": "ann", "annotations": 3, "quotes": 1, "claims": 2, "accepted": 0, "rejected": 0,
         "articles done": 1},
        {"annotator": "ben", "annotations": 2, "quotes": 1, "claims": 1, "accepted": 1, "rejected": 1,
         "articles done": 0},
    ]
    articles = {row["title"]: row for row in rows(found, "article")}
    assert articles["Harbour fees rise"] == {"title": "Harbour fees rise", "source": "/corpus/harbour.txt",
                                             "annotations": 3, "quotes": 1, "claims": 2, "annotators": "ann, ben",
                                             "done by": "ann"}
    assert articles["Clinic hours cut"]["annotations"] == 2
    assert articles["Clinic hours cut"]["done by"] == ""
    assert rows(found, "status") == [{"status": "false", "claims": 1}, {"status": "true", "claims": 1},
                                     {"status": "unchecked", "claims": 1}]
    assert rows(found, "suggestions") == [{"accepted": 1, "rejected": 1, "pending": "1", "articles analysed": 1}]
    assert summary.corrections == 1


def test_pending_is_unknown_when_no_article_was_analysed(team_db: Path) -> None:
    with open_db(team_db) as store:
        found = tables(summarise(store, lambda article: None))
    assert rows(found, "suggestions")[0]["pending"] == "?"


def test_by_names_one_table(team_db: Path) -> None:
    with open_db(team_db) as store:
        summary = summarise(store)
    assert [t.by for t in tables(summary, "status")] == ["status"]
    assert [t.by for t in tables(summary)] == ["label", "annotator", "article", "status", "suggestions"]


def annotty(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"), "XDG_CONFIG_HOME": str(home / "config"),
           "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run([str(ANNOTTY), *args], capture_output=True, text=True, env=env, timeout=120)


def test_the_verb_prints_json_lines_and_plain_text_when_piped(team_db: Path, tmp_path: Path) -> None:
    done = annotty("stats", str(team_db), "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert {"table": "label", "label": "CLAIM", "annotations": 3} in lines
    assert {"table": "annotator", "annotator": "ben", "annotations": 2, "quotes": 1, "claims": 1, "accepted": 1,
            "rejected": 1, "articles done": 0} in lines
    assert {"table": "suggestions", "accepted": 1, "rejected": 1, "pending": "?", "articles analysed": 0} in lines

    plain = annotty("stats", str(team_db), "--by", "annotator", home=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.splitlines()[:4] == [
        "# Per annotator",
        "annotator\tannotations\tquotes\tclaims\taccepted\trejected\tarticles done",
        "ann\t3\t1\t2\t0\t0\t1",
        "ben\t2\t1\t1\t1\t1\t0",
    ]
    assert "\x1b" not in plain.stdout


def test_the_verb_refuses_a_missing_database_in_one_line(tmp_path: Path) -> None:
    done = annotty("stats", str(tmp_path / "nothing.json"), home=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no such database" in done.stderr
    assert not (tmp_path / "nothing.json").exists()


def test_rich_tables_show_titles_as_text_not_markup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = Article.from_text("[bold]Mayor[/] quits\n\nThe mayor quit.\n", "/corpus/odd.txt")
    db = tmp_path / "odd.json"
    with open_db(db) as store:
        store.apply([Op.put_article(odd), Op.put(tag(odd, CLAIM, "The mayor quit.", "ann"))])
        print_rich(tables(summarise(store), "article"), Console(width=200, force_terminal=True))
    assert "[bold]Mayor[/] quits" in capsys.readouterr().out


def test_the_verb_says_a_folder_is_not_a_database(tmp_path: Path) -> None:
    done = annotty("stats", str(tmp_path), home=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "is a folder, not a database file" in done.stderr


LONG_TITLE = "Harbour board votes to raise mooring fees for the third year running despite protests"


async def test_the_statistics_screen_at_80_columns_has_distinct_headers_and_one_line_titles(
        make_app, tmp_path: Path) -> None:
    """`%` at 80 columns: no two headers cut to the same "annotat…", a long title cut to one line."""
    from tui.screens.stats import StatsScreen

    path = tmp_path / "harbour-fees-and-the-board.txt"
    path.write_text(f"{LONG_TITLE}\n\nThe port said fees rise 4 percent. \"We had no choice,\" Ada Kemp said.\n",
                    encoding="utf-8")
    article = Article.from_text(path.read_text(encoding="utf-8"), str(path))
    with open_db(tmp_path / "annotations.json") as store:
        store.apply([Op.put_article(article), Op.put(tag(article, CLAIM, "fees rise 4 percent", "ann")),
                     Op.put(tag(article, QUOTE, '"We had no choice,"', "ben"))])
    app = make_app([path], annotator="ann")
    async with app.run_test(size=(80, 50)) as pilot:
        await pilot.press("percent_sign")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        for _ in range(300):
            if screen.shown:
                break
            await pilot.pause(0.05)
        await pilot.pause()
        from textual.geometry import Region

        body = screen.query_one("#stats-body")
        assert body.size.width <= 76  # the screen's border and padding inside 80 columns
        lines = [strip.text for strip in body.render_lines(Region(0, 0, body.size.width, body.size.height))]
    shown = "\n".join(lines)
    assert "annotat…" not in shown and "annota…" not in shown, shown
    per_annotator = next(i for i, line in enumerate(lines) if "Per annotator" in line)
    header = next(line for line in lines[per_annotator + 1:] if "annotator" in line)
    cells = [cell.strip() for cell in header.strip(" │┃|").replace("┃", "│").split("│") if cell.strip()]
    assert len(cells) == len(set(cells)) == 7 and "…" not in "".join(cells), header
    title_lines = [line for line in lines if "Harbour" in line or "third year" in line or "protests" in line]
    assert len(title_lines) == 1 and "Harbour" in title_lines[0] and "…" in title_lines[0], shown
    assert "-board.txt" in title_lines[0], "a path cut at its start keeps the file's name"
    assert not any("label" in line and "Annotations per" not in line and "┃" not in line for line in lines), \
        "a table's title on one line"


def test_articles_are_listed_in_the_order_their_folder_opens_them(tmp_path: Path) -> None:
    """Not in the order they were first stored (6, 9, 7, 10, ...): by file in natural order, as the corpus."""
    from annotations.article import article_paths, load

    folder = tmp_path / "reports"
    folder.mkdir()
    numbers = [6, 9, 7, 10, 11, 8, 30, 20, 1, 2]
    for n in numbers:
        (folder / f"report-{n}.txt").write_text(f"Report Number {n}\n\nThe port said fees rise {n} percent.\n",
                                                encoding="utf-8")
    with open_db(tmp_path / "db.json") as store:
        store.apply([Op.put_article(load(str(folder / f"report-{n}.txt"))) for n in numbers])
        found = tables(summarise(store), "article")
    opened = [load(p).title for p in article_paths([str(folder)])]
    assert [row[0] for row in found[0].rows] == opened == [f"Report Number {n}" for n in sorted(numbers)]


def test_the_verb_says_in_one_line_that_a_file_holds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "empty.json"
    db.write_text('{"annotations": {}}', encoding="utf-8")  # as a colleague's run that tagged nothing leaves it
    for extra in ([], ["--json"], ["--by", "label"]):
        done = annotty("stats", str(db), *extra, home=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout == "", "no tables of headers alone"
        assert done.stderr == f"annotty stats: no annotations in {db}\n"
