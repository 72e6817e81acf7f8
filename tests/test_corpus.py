"""Working through a corpus: the Corpus API (lazy reads, status, resume), and in the app the corpus
screen (o), done marks (D), the next article not done (J), statistics (%), the status bar's position,
the edges of < and >, and resuming where the annotator left off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press, record_notifications, status_of, until, view_of

from annotations.article import Article, load
from annotations.corpus import DONE, IN_PROGRESS, NEW, Corpus
from annotations.model import QUOTE, Annotation
from annotations.store import Op, open_db
from tui.screens.corpus import CorpusScreen, CorpusTable
from tui.screens.reader import ReaderScreen
from tui.screens.stats import StatsScreen

SIZE = (100, 30)


def story(number: int, title: str | None = None) -> str:
    title = title or f"Story {number:05d} about the harbour"
    return f"{title}\n\nThe council met on Monday about item {number}. \"It is late,\" the mayor said.\n"


def write_corpus(folder: Path, count: int, titles: dict[int, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, count + 1):
        (folder / f"{number:05d}.txt").write_text(story(number, (titles or {}).get(number)), encoding="utf-8")
    return folder


def progress_docs(db: Path) -> list[dict]:
    return list(json.loads(db.read_text(encoding="utf-8")).get("progress", {}).values())


# ---- the Corpus API -------------------------------------------------------------------


def test_nothing_is_read_up_front_and_each_article_once(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", 50)
    paths = sorted(str(p) for p in folder.iterdir())
    reads: list[str] = []

    def loader(path: str) -> Article:
        reads.append(path)
        return load(path)

    with open_db(tmp_path / "db.json") as store:
        corpus = Corpus(paths, store, "ann", loader=loader)
        assert len(corpus) == 50 and reads == []
        assert corpus.status(7) == NEW and reads == [], "a status never needs the file"
        assert corpus.ref(3).title == "Story 00004 about the harbour"
        corpus.ref(3)
        assert reads == [paths[3]]
        assert [a.title for a in store.articles()] == ["Story 00004 about the harbour"], "stored as it is seen"
        counts = corpus.counts(3)
        assert (counts.quotes, counts.claims, counts.pending_text) == (0, 0, "?")


def test_done_marks_resume_and_next_not_done_survive_a_new_corpus(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", 5)
    paths = sorted(str(p) for p in folder.iterdir())
    with open_db(tmp_path / "db.json") as store:
        corpus = Corpus(paths, store, "ann")
        articles = [load(p) for p in paths]
        store.apply([corpus.opened(1, articles[1]), corpus.set_done(1, articles[1], True),
                     corpus.set_done(2, articles[2], True), corpus.opened(3, articles[3])])
        assert corpus.next_not_done(0) == 3
        store.apply([corpus.set_done(2, articles[2], False)])

        again = Corpus(paths, store, "ann")  # a new run: everything from the file
        assert [again.status(i) for i in range(5)] == [NEW, DONE, NEW, IN_PROGRESS, NEW]
        assert again.resume_index() == 3
        assert again.next_not_done(0) == 2
        assert again.next_not_done(4) == 0, "it goes round"
        assert again.done_count() == 1
        assert Corpus(paths, store, "ben").resume_index() == 0, "another annotator starts at the top"
        assert again.annotators() == ["ann"]
        store.apply([Corpus(paths, store, "ben").opened(4, articles[4])])
        again.refresh()
        assert again.annotators() == ["ann", "ben"]
        assert again.status(4, "ben") == IN_PROGRESS


def test_a_changed_file_is_not_the_article_that_was_done(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", 2)
    paths = sorted(str(p) for p in folder.iterdir())
    with open_db(tmp_path / "db.json") as store:
        corpus = Corpus(paths, store, "ann")
        store.apply([corpus.set_done(0, load(paths[0]), True)])
        Path(paths[0]).write_text(story(1, "Rewritten story"), encoding="utf-8")
        again = Corpus(paths, store, "ann")
        assert again.status(0) == DONE, "unread, the path decides"
        again.ref(0)
        assert again.status(0) == NEW, "read, the text decides"


# ---- in the app ---------------------------------------------------------------------


def test_a_blind_corpus_counts_and_lists_only_the_annotators_own_work(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", 3)
    paths = sorted(str(p) for p in folder.iterdir())
    first = load(paths[0])
    quote = first.text.index("It is late,")
    with open_db(tmp_path / "annotations.json") as store:
        ben = Corpus(paths, store, "ben")
        store.apply([Op.put_article(first), ben.set_done(0, first, True),
                     Op.put(Annotation.create(article_id=first.id, source=first.source, article_text=first.text,
                                              label=QUOTE, start=quote, end=quote + len("It is late,"),
                                              annotator="ben"))])
        seeing = Corpus(paths, store, "ann")
        assert seeing.annotators() == ["ann", "ben"] and seeing.counts(0).quotes == 1
        blind = Corpus(paths, store, "ann", blind=True)
        assert blind.annotators() == ["ann"], "no column tells what a colleague has done"
        assert blind.counts(0).quotes == 0, "a colleague's quote is not counted"
        assert blind.status(0) == NEW


async def test_a_blind_app_gives_its_corpus_the_blind_flag(make_app, tmp_path: Path) -> None:
    app = make_app([write_corpus(tmp_path / "c", 2)], annotator="ann", blind=True)
    assert app.corpus.blind


async def test_the_status_bar_keeps_position_and_status_whatever_the_title(make_app, tmp_path: Path) -> None:
    long_title = "A very long headline " * 12
    folder = write_corpus(tmp_path / "c", 3, {1: long_title.strip()})
    app = make_app([folder])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = status_of(app)
        assert bar.corpus == "1/3 in progress"
        line = bar.render().plain
        assert "[1/3 in progress]" in line
        assert "…" in line, "the title is what gets cut"
        assert len(line) <= 80


async def test_greater_past_the_last_and_less_before_the_first_say_so(make_app, tmp_path: Path) -> None:
    app = make_app([write_corpus(tmp_path / "c", 2)])
    async with app.run_test(size=SIZE) as pilot:
        said = record_notifications(app)
        await press(pilot, "less_than_sign")
        assert any("first article" in s for s in said)
        await press(pilot, "greater_than_sign", "greater_than_sign")
        assert any("last article (2 of 2)" in s for s in said)
        assert status_of(app).corpus.startswith("2/2")


async def test_greater_less_and_j_step_over_an_article_that_cannot_be_read(make_app, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", 3)
    (folder / "00002.txt").write_bytes(b"\x00\x01binary\x00" * 40)  # a stray binary in the folder
    app = make_app([folder], annotator="ann")
    async with app.run_test(size=SIZE) as pilot:
        said = record_notifications(app)
        await press(pilot, "greater_than_sign")
        assert status_of(app).corpus.startswith("3/3"), "> went on past the unreadable article"
        assert any(s.startswith("skipped ") and "00002.txt" in s for s in said), said
        await press(pilot, "less_than_sign")
        assert status_of(app).corpus.startswith("1/3"), "< went back past it"
        await press(pilot, "J")
        assert status_of(app).corpus.startswith("3/3"), "J went on past it"
        said.clear()
        await press(pilot, "greater_than_sign")
        assert any("last article (3 of 3)" in s for s in said), said


async def test_capital_d_marks_done_and_again_not_done_and_it_is_saved(make_app, tmp_path: Path) -> None:
    app = make_app([write_corpus(tmp_path / "c", 3)], annotator="ann")
    db = tmp_path / "annotations.json"
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        await press(pilot, "D")
        assert status_of(app).corpus == "1/3 done"
        assert app.saves.flush(5)
        assert [(d["kind"], d["annotator"]) for d in progress_docs(db) if d["kind"] == "done"] == [("done", "ann")]
        await press(pilot, "D")
        assert status_of(app).corpus == "1/3 in progress"
        assert app.saves.flush(5)
        assert [d for d in progress_docs(db) if d["kind"] == "done"] == []


async def test_capital_j_opens_the_next_article_not_done(make_app, tmp_path: Path) -> None:
    app = make_app([write_corpus(tmp_path / "c", 4)])
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "greater_than_sign", "D", "greater_than_sign", "D", "less_than_sign", "less_than_sign")
        assert status_of(app).corpus.startswith("1/4")
        await press(pilot, "J")
        assert status_of(app).corpus.startswith("4/4"), "2 and 3 are done"
        await press(pilot, "J")
        assert status_of(app).corpus.startswith("1/4"), "it goes round"


async def test_reopening_the_corpus_resumes_at_the_article_and_cursor_left(make_app, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", 5)
    app = make_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "greater_than_sign", "greater_than_sign")
        await annotations_loaded(pilot)
        await press(pilot, "w", "w", "w")
        cursor = view_of(app).cursor
        assert cursor > 0
        await press(pilot, "ctrl+q")
    again = make_app([folder])
    async with again.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        assert status_of(again).corpus.startswith("3/5")
        await until(pilot, lambda: view_of(again).cursor == cursor, "the cursor to come back")


async def test_o_lists_the_articles_and_enter_opens_one(make_app, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", 6, {4: "Ferry timetable cut"})
    app = make_app([folder], annotator="ann")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "D", "o")
        screen = app.screen
        assert isinstance(screen, CorpusScreen)
        table = screen.query_one(CorpusTable)
        assert len(table.rows) == 6
        assert "1 of 6 done" in str(screen.query_one("#done-count").render())
        await until(pilot, lambda: all(i in table.counts for i in range(6)), "the rows' counts")
        assert table.counts[1] == ("0", "0", "?"), "never analysed: pending is not known"
        lines = [table.render_line(y).text for y in range(6)]
        assert lines[0].startswith(" done") and "Story 00001 about the harbour" in lines[0]
        assert lines[3].startswith(" new") and "Ferry timetable cut" in lines[3] and "00004.txt" in lines[3]
        await press(pilot, "f")  # status: new
        assert len(table.rows) == 5
        await press(pilot, "f", "f")  # in progress, done
        assert table.rows == [0]
        await press(pilot, "f", "slash")
        await pilot.press(*"ferry")
        await pilot.pause()
        await until(pilot, lambda: table.rows == [3], "the title filter")
        await press(pilot, "enter")  # enter in the filter opens the match
        assert isinstance(app.screen, ReaderScreen)
        assert status_of(app).corpus.startswith("4/6")
        assert status_of(app).title == "Ferry timetable cut"


async def test_o_sorts_and_shows_a_column_per_annotator(make_app, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", 3, {2: "Aardvark census"})
    paths = sorted(str(p) for p in folder.iterdir())
    db = tmp_path / "annotations.json"
    with open_db(db) as store:
        ben = Corpus(paths, store, "ben")
        store.apply([ben.set_done(2, load(paths[2]), True)])
    app = make_app([folder], annotator="ann")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        table = app.screen.query_one(CorpusTable)
        await until(pilot, lambda: table.columns == ["ann", "ben"], "a column per annotator")
        assert "ben" in app.screen.query_one("#header").render().plain
        await press(pilot, "s")  # by title
        await until(pilot, lambda: table.rows[0] == 1, "the sort by title")
        await press(pilot, "a")  # ben's status
        assert table.annotator == "ben"
        await press(pilot, "f", "f", "f")  # done
        assert table.rows == [2]
        await press(pilot, "escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_a_corpus_of_ten_thousand_articles_lists_them_all(make_app, tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    for number in range(10_000):
        (folder / f"{number:05d}.txt").write_text(f"Article {number}\n\nText of article {number}.\n", encoding="utf-8")
    app = make_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        assert status_of(app).corpus == "1/10000 in progress"
        await press(pilot, "o")
        screen = app.screen
        assert isinstance(screen, CorpusScreen)
        table = screen.query_one(CorpusTable)
        assert len(table.rows) == 10_000
        assert "0 of 10,000 done" in str(screen.query_one("#done-count").render())
        await press(pilot, "end")
        assert table.rows[table.cursor] == 9_999
        await until(pilot, lambda: 9_999 in table.counts, "the last row's counts")
        assert len(table.counts) < 200, "only the rows drawn are read"


async def test_percent_shows_the_statistics(make_app, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", 2)
    paths = sorted(str(p) for p in folder.iterdir())
    first = load(paths[0])
    with open_db(tmp_path / "annotations.json") as store:
        start = first.text.index('"It is late,"')
        store.apply([Op.put_article(first), Op.put(Annotation.create(
            article_id=first.id, source=first.source, article_text=first.text, label=QUOTE, start=start,
            end=start + len('"It is late,"'), annotator="ben"))])
    app = make_app([folder], annotator="ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "D", "percent_sign")
        assert isinstance(app.screen, StatsScreen)
        screen = app.screen
        for _ in range(300):
            if screen.shown:
                break
            await pilot.pause(0.05)
        shown = {table.by: table.rows for table in screen.shown}
        assert shown["label"] == [(QUOTE, 1)]
        assert [row[0] for row in shown["annotator"]] == ["ann", "ben"]
        assert shown["annotator"][0][-1] == 1, "ann's article done"
        await press(pilot, "escape")
        assert isinstance(app.screen, ReaderScreen)


@pytest.mark.parametrize("key", ["o", "D", "J", "%"])
def test_help_lists_the_corpus_keys(key: str) -> None:
    from tui.screens.help import GROUPS

    binding = next(b for b in ReaderScreen.BINDINGS if b.key == {"%": "percent_sign"}.get(key, key))
    assert binding.id in GROUPS["Articles"]


def test_a_folder_lists_the_same_articles_as_rglob_did(tmp_path: Path) -> None:
    """article_paths walks with os.scandir (no stat per file); the list is what Path.rglob gave."""
    from annotations.article import ARTICLE_SUFFIXES, article_paths
    from annotations.natural import natural_key

    root = tmp_path / "corpus"
    (root / "2026" / "may").mkdir(parents=True)
    (root / ".drafts").mkdir()
    for name in ("a.txt", "B.HTML", ".hidden.txt", "notes.pdf", "2026/x.md", "2026/may/y.htm", ".drafts/z.txt"):
        (root / name).write_text("Title\n\nText.\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "linked.txt").write_text("Linked\n", encoding="utf-8")
    (root / "link").symlink_to(outside, target_is_directory=True)
    (root / "file-link.txt").symlink_to(root / "a.txt")
    expected = sorted((str(p) for p in root.rglob("*")
                       if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".")),
                      key=natural_key)  # the corpus's order: 2 before 10
    assert article_paths([str(root)]) == expected
    assert article_paths([str(root) + "/"]) == expected


async def test_the_command_palette_opens_the_corpus_screen(make_app, tmp_path: Path) -> None:
    app = make_app([write_corpus(tmp_path / "c", 3)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in "List of articles":
            await pilot.press("space" if ch == " " else ch)
        await pilot.pause(0.5)
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, CorpusScreen), "the corpus screen")


# ---- natural order and the filter's enter --------------------------------------------


async def test_s_sorts_titles_in_natural_order(make_app, tmp_path: Path) -> None:
    # The files' order is the reverse of the titles' numbers: 00001.txt holds "Report Number 12".
    folder = write_corpus(tmp_path / "c", 12, {n: f"Report Number {13 - n}" for n in range(1, 13)})
    app = make_app([folder], annotator="ann")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o", "s")
        screen = app.screen
        table = screen.query_one(CorpusTable)
        assert screen.sort == "title"
        await until(pilot, lambda: table.rows[0] == 11, "the sort by title")
        titles = [screen.corpus.refs[i].shown_title for i in table.rows]
        assert titles == [f"Report Number {n}" for n in range(1, 13)]


async def test_enter_in_the_title_filter_opens_the_only_match(make_app, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", 5, {3: "Ferry timetable cut"})
    app = make_app([folder], annotator="ann")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o", "slash")
        await pilot.press(*"timetable")
        table = app.screen.query_one(CorpusTable)
        await until(pilot, lambda: table.rows == [2], "the title filter")
        await press(pilot, "enter")
        assert isinstance(app.screen, ReaderScreen)
        assert status_of(app).title == "Ferry timetable cut"


async def test_enter_in_a_filter_that_matches_nothing_stays_on_the_corpus_screen(make_app, tmp_path: Path) -> None:
    app = make_app([write_corpus(tmp_path / "c", 3)], annotator="ann")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o", "slash")
        await pilot.press(*"zzz")
        table = app.screen.query_one(CorpusTable)
        await until(pilot, lambda: table.rows == [], "the title filter")
        await press(pilot, "enter")
        assert isinstance(app.screen, CorpusScreen) and table.has_focus


def test_a_folder_opens_its_articles_in_natural_order(tmp_path: Path) -> None:
    from annotations.article import article_paths

    folder = tmp_path / "reports"
    folder.mkdir()
    for n in (10, 2, 1, 11, 3):
        (folder / f"report-{n}.txt").write_text(f"Report {n}\n\nText.\n", encoding="utf-8")
    assert [Path(p).name for p in article_paths([str(folder)])] == [
        "report-1.txt", "report-2.txt", "report-3.txt", "report-10.txt", "report-11.txt"]


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_highlighted_row_stays_on_screen_at_the_end_of_a_long_list(make_app, tmp_path: Path, size) -> None:
    """End (and down past the screen) scrolls until the highlighted row shows: no horizontal scrollbar may
    take the last line of the list, hiding the row the cursor is on."""
    folder = write_corpus(tmp_path / "c", 40)
    app = make_app([folder], annotator="ann")
    async with app.run_test(size=size) as pilot:
        await press(pilot, "o")
        table = app.screen.query_one(CorpusTable)
        await press(pilot, "end")
        screen = [strip.text for strip in app.screen._compositor.render_strips()]
        assert any("Story 00040" in line for line in screen), screen
        await press(pilot, "home")
        for _ in range(size[1]):
            await press(pilot, "down")
        screen = [strip.text for strip in app.screen._compositor.render_strips()]
        number = table.rows[table.cursor] + 1
        assert any(f"Story {number:05d}" in line for line in screen), (number, screen)


async def test_greater_on_the_last_readable_article_says_it_is_the_last(make_app, tmp_path: Path) -> None:
    """Only unreadable files after the article: `>` names them and says there is no article to go on to
    (it said only "skipped ...", which reads as if it had gone past them to another article)."""
    folder = write_corpus(tmp_path / "c", 3)
    (folder / "00003.txt").write_bytes(b"\x00\x01binary\x00" * 40)
    app = make_app([folder], annotator="ann")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "greater_than_sign")
        assert status_of(app).corpus.startswith("2/3")
        said = record_notifications(app)
        await press(pilot, "greater_than_sign")
        assert status_of(app).corpus.startswith("2/3")
        assert any(s.startswith("skipped ") and "00003.txt" in s for s in said), said
        assert any("last article that can be read" in s for s in said), said


async def test_a_title_filter_typed_in_one_burst_keeps_every_letter(make_app, tmp_path: Path) -> None:
    """`/` and the title after it in one write (a paste, a laggy link): the letters that arrive before the
    filter has focus are the filter's too (the first was lost: "/20" filtered by "0")."""
    from test_keys_in_a_burst import type_at_once

    folder = write_corpus(tmp_path / "c", 30, {20: "Ferry 20 timetable", 3: "Ferry 0 notes"})
    app = make_app([folder], annotator="ann")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        screen = app.screen
        assert isinstance(screen, CorpusScreen)
        type_at_once(app, "slash", "2", "0")
        field = screen.query_one("#title-filter")
        await until(pilot, lambda: field.has_focus and len(field.value) >= 1, "the filter")
        await pilot.pause(0.2)
        assert field.value == "20"
        table = screen.query_one(CorpusTable)
        assert table.rows == [19]
        await press(pilot, "x")
        assert field.value == "20x", "typed slowly, letters go into the filter as before"


async def test_after_tab_back_to_the_rows_their_keys_work_again(make_app, tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "c", 5)
    app = make_app([folder], annotator="ann")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        screen = app.screen
        await press(pilot, "slash", "1", "tab")
        table = screen.query_one(CorpusTable)
        assert table.has_focus
        await press(pilot, "f")
        assert screen.query_one("#title-filter").value == "1"
        assert screen.status_filter != "all", "f on the rows cycles the status filter"
