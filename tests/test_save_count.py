"""The status bar's save field counts what the file holds from the moment the reader opens it."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press, status_of, until, view_of


BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
CLAIMS = ["Opponents dispute", "The study also found", "The decision came", "The financing plan", "According to the"]


pytestmark = pytest.mark.usefixtures("no_analysis")  # the model plays no part here



async def test_reopening_shows_the_count_the_file_holds_before_any_key(make_app) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=(110, 32)) as pilot:
        await annotations_loaded(pilot)
        for phrase in CLAIMS:
            view_of(app).move_to(TEXT.index(phrase))
            await press(pilot, "c")
        await until(pilot, lambda: status_of(app).saving == "5 annotations saved", "saving the five claims")
        await press(pilot, "ctrl+q")

    again = make_app([BRIDGE], annotator="alice")
    async with again.run_test(size=(110, 32)) as pilot:
        await annotations_loaded(pilot)
        await until(pilot, lambda: again.saves.pending == 0, "the opening save")
        await pilot.pause(0.3)  # let the writer's last report arrive
        assert status_of(again).saving == "5 annotations saved"


async def test_the_count_is_of_the_annotators_own_annotations_not_the_teams(make_app) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=(110, 32)) as pilot:
        await annotations_loaded(pilot)
        for phrase in CLAIMS:
            view_of(app).move_to(TEXT.index(phrase))
            await press(pilot, "c")
        await until(pilot, lambda: status_of(app).saving == "5 annotations saved", "saving alice's five claims")
        await press(pilot, "ctrl+q")

    carol = make_app([BRIDGE], annotator="carol")
    async with carol.run_test(size=(110, 32)) as pilot:
        await annotations_loaded(pilot)
        await until(pilot, lambda: carol.saves.pending == 0, "the opening save")
        await pilot.pause(0.3)
        assert status_of(carol).saving == "0 annotations saved", "alice's five are not carol's"
        view_of(carol).move_to(TEXT.index(CLAIMS[0]))
        await press(pilot, "c")
        await until(pilot, lambda: status_of(carol).saving == "1 annotation saved", "carol's one claim saved")
