"""The layer key (L): mine by default, then everyone's with whose in the margin, each annotator, gold; --blind."""

from __future__ import annotations

from pathlib import Path

from annotations.article import load
from annotations.model import CLAIM, QUOTE, Annotation
from annotations.store import Op, open_db

from app_helpers import annotations_loaded, press, record_notifications, status_of, view_of

TEXT = "The ferry will run all winter, the council said.\n\nTickets rose by 12 per cent this year.\n"


def _db(tmp_path: Path) -> Path:
    path = tmp_path / "ferry.txt"
    path.write_text(TEXT, encoding="utf-8")
    article = load(str(path))

    def ann(who: str, exact: str, label: str) -> Annotation:
        start = TEXT.index(exact)
        return Annotation.create(article_id=article.id, source=article.source, article_text=TEXT, label=label,
                                 start=start, end=start + len(exact), annotator=who)

    with open_db(tmp_path / "annotations.json") as store:
        store.apply([Op.put_article(article), Op.put(ann("ana", "The ferry will run all winter", CLAIM)),
                     Op.put(ann("ben", "Tickets rose by 12 per cent this year.", CLAIM)),
                     Op.put(ann("gold", "The ferry will run all winter", QUOTE))])
    return path


def _shown(app) -> list[tuple[str, str]]:
    return sorted((a.annotator, a.label) for a in app.session.annotations)


async def test_the_layer_key_cycles_whose_annotations_show(make_app, tmp_path):
    app = make_app([_db(tmp_path)], annotator="ana", model="none")
    async with app.run_test(size=(100, 30)) as pilot:
        await annotations_loaded(pilot)
        assert _shown(app) == [("ana", CLAIM)]
        view = view_of(app)
        assert view._gutter(0, 10) == "C "
        await press(pilot, "L")  # everyone's
        assert _shown(app) == [("ana", CLAIM), ("ben", CLAIM), ("gold", QUOTE)]
        assert view._gutter(0, 10) == "*+ "  # a claim and a quote, by two annotators
        tickets = TEXT.index("Tickets")
        assert view._gutter(tickets, tickets + 10) == "CB "
        view.move_to(tickets + 2)
        await pilot.pause()
        assert "CLAIM (ben's)" in status_of(app).under_cursor
        await press(pilot, "L")
        assert _shown(app) == [("ben", CLAIM)]
        await press(pilot, "L")
        assert _shown(app) == [("gold", QUOTE)]
        await press(pilot, "L")
        assert _shown(app) == [("ana", CLAIM)]
        assert view._gutter(0, 10) == "C "


async def test_the_layer_notice_says_whose_annotations_show(make_app, tmp_path):
    app = make_app([_db(tmp_path)], annotator="ana", model="none")
    async with app.run_test(size=(100, 30)) as pilot:
        await annotations_loaded(pilot)
        said = record_notifications(app)
        await press(pilot, "L", "L", "L", "L")
        assert [note.split(";")[0] for note in said] == [
            "showing everyone's annotations", "showing ben's annotations", "showing gold annotations",
            "showing your annotations (ana)",
        ]


async def test_blind_annotation_never_shows_a_colleagues_work(make_app, tmp_path):
    app = make_app([_db(tmp_path)], annotator="ana", model="none", blind=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await annotations_loaded(pilot)
        await press(pilot, "L", "L", "L")
        assert _shown(app) == [("ana", CLAIM)]


async def test_blind_statistics_count_only_ones_own_work(make_app, tmp_path):
    from tui.screens.stats import StatsScreen

    app = make_app([_db(tmp_path)], annotator="ana", model="none", blind=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await annotations_loaded(pilot)
        await press(pilot, "percent_sign")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        for _ in range(300):
            if screen.shown:
                break
            await pilot.pause(0.05)
        rows = {(table.by, tuple(map(str, row))) for table in screen.shown for row in table.rows}
    shown = "\n".join(f"{name}: {row}" for name, row in sorted(rows))
    assert "ben" not in shown and "gold" not in shown, shown
    assert any(name == "annotator" and row[0] == "ana" for name, row in rows), shown
    assert not any(name == "label" and row[0] == QUOTE for name, row in rows), "gold's quote is not counted"
