"""The legend breaks only between entries, and the status bar never cuts a hint in the middle,
at the widths people use."""

from __future__ import annotations

import re

import pytest
from rich.style import Style
from textual.app import App, ComposeResult

from tui.widgets.legend import Legend, LegendEntry
from tui.widgets.status_bar import StatusBar

WIDTHS = [40, 60, 80, 100, 120]
LABELS = [("PERSON", 15), ("ORG", 13), ("GPE", 1), ("FAC", 2), ("DATE", 21), ("TIME", 7), ("CARDINAL", 11),
          ("MONEY", 12), ("ORDINAL", 2), ("WORK_OF_ART", 1), ("EVENT", 3), ("LAW", 1)]
LINKING = "linking speaker: move to the speaker, press @ (esc cancels)"
SUGGESTED = "suggested CLAIM by Eleanor Vasquez-Hale 0.85 (a/x)"


class Bottom(App):
    def compose(self) -> ComposeResult:
        yield Legend()
        yield StatusBar()


def rows_of(app, widget) -> list[str]:
    strips = app.screen._compositor.render_strips()
    region = widget.region
    return [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("count", [5, 9, 12])
async def test_no_legend_entry_is_split_across_lines(width: int, count: int) -> None:
    app = Bottom()
    async with app.run_test(size=(width, 10)) as pilot:
        legend = app.query_one(Legend)
        legend.update_entries([LegendEntry(label, n, Style(), False) for label, n in LABELS[:count]], True)
        await pilot.pause()
        rows = [row.strip() for row in rows_of(app, legend)]
        assert 1 <= len(rows) <= 2
        entries = [f"{i} {label} {n}" if i <= 9 else f"{label} {n}" for i, (label, n) in enumerate(LABELS[:count], 1)]
        shown = [item for row in rows for item in row.split("  ") if item]
        more = re.fullmatch(r"\+(\d+) more", shown[-1])
        if more:
            shown.pop()
            assert len(shown) + int(more.group(1)) == count
        assert shown == entries[: len(shown)], f"{rows} split an entry"


def status_row(app) -> str:
    return rows_of(app, app.query_one(StatusBar))[0]


@pytest.mark.parametrize("width", WIDTHS[1:])
@pytest.mark.parametrize("under_cursor", [
    f"{LINKING} | QUOTE by Ms Vasquez-Hale | PERSON: Eleanor Vasquez-Hale",
    f"QUOTE | {SUGGESTED} | PERSON: Eleanor Vasquez-Hale",
], ids=["linking", "suggestion"])
async def test_a_hint_in_the_status_bar_keeps_its_keys_whole(width: int, under_cursor: str) -> None:
    app = Bottom()
    async with app.run_test(size=(width, 10)) as pilot:
        bar = app.query_one(StatusBar)
        bar.title = "Port Callow council narrowly backs £48m harbour bridge after six-hour debate"
        bar.analysis, bar.saving, bar.database, bar.position = "84 entities", "0 annotations saved", "team/annotations.json", "17%"
        bar.under_cursor = under_cursor
        await pilot.pause()
        row = status_row(app)
        assert "0 annotations saved" in row and row.rstrip().endswith("17%"), row
        if under_cursor.startswith("linking"):
            assert "press @ (esc cancels)" in row, row
        else:
            assert "QUOTE | suggested" in row and "(a/x)" in row, "the tag under the cursor stays, the hint keeps its keys"
        assert len(row) <= width


async def test_a_save_state_wider_than_the_bar_leaves_nothing_else_and_still_renders() -> None:
    app = Bottom()
    async with app.run_test(size=(40, 10)) as pilot:
        bar = app.query_one(StatusBar)
        bar.position, bar.analysis = "17%", "84 entities"
        bar.saving = "save failed: [Errno 28] No space left on device (3 unsaved, retrying)"
        for under_cursor in ("PERSON: Eleanor Vasquez-Hale", LINKING, f"QUOTE | {SUGGESTED}"):
            bar.under_cursor = under_cursor
            await pilot.pause()
            assert "save failed" in status_row(app)


@pytest.mark.parametrize("width", WIDTHS[1:])
async def test_a_long_save_error_gives_up_its_file_name_before_the_unsaved_count_or_the_position(width: int) -> None:
    app = Bottom()
    async with app.run_test(size=(width, 10)) as pilot:
        bar = app.query_one(StatusBar)
        bar.title = "Port Callow council narrowly backs £48m harbour bridge after six-hour debate"
        bar.analysis, bar.database, bar.position, bar.under_cursor = "84 entities", "team.json", "17%", "CLAIM"
        bar.saving = ("save failed: read-only database /home/alice/projects/harbour/team-annotations.json "
                      "(chmod u+w to save) (2 unsaved, retrying)")
        await pilot.pause()
        row = status_row(app)
        assert "save failed:" in row, row
        assert "(2 unsaved, retrying)" in row and row.rstrip().endswith("17%"), row
        assert len(row) <= width


async def test_the_status_bar_draws_its_line_without_textuals_content_pipeline(monkeypatch) -> None:
    """The bar changes on nearly every cursor move: its line is drawn by Rich from its Text
    (Textual's general path for a widget's content took a millisecond a frame), and shows the same."""
    from textual.widget import Widget

    app = Bottom()
    async with app.run_test(size=(100, 10)) as pilot:
        bar = app.query_one(StatusBar)
        general: list[Widget] = []
        render_content = Widget._render_content

        def counted(self, *args, **kwargs):
            general.append(self)
            return render_content(self, *args, **kwargs)

        monkeypatch.setattr(Widget, "_render_content", counted)
        bar.title, bar.saving, bar.position = "Harbour vote", "3 annotations saved", "12%"
        for word in ("PERSON: Eleanor Vasquez-Hale", SUGGESTED, "QUOTE by Ms Vasquez-Hale"):
            bar.under_cursor = word
            await pilot.pause()
            assert status_row(app) == bar.render().plain.ljust(100)
        assert bar not in general


async def test_the_entity_under_the_cursor_outlasts_the_analysis_count() -> None:
    app = Bottom()
    async with app.run_test(size=(120, 10)) as pilot:
        bar = app.query_one(StatusBar)
        bar.title = "Health board and GPs at odds over £2.4m cut to Brackenford walk-in clinic"
        bar.analysis, bar.saving, bar.database, bar.position = "131 entities", "0 annotations saved", "annotations.json", "3%"
        bar.under_cursor = "suggested CLAIM by the health trust 1.00 (a/x) | ORG: St Aldhelm's Hospital"
        await pilot.pause()
        row = status_row(app)
        assert "(a/x) | ORG: St Aldhelm's Hospital" in row, "what is under the cursor stays while the count goes"
        assert "131 entities" not in row and "0 annotations saved" in row and row.rstrip().endswith("3%"), row
