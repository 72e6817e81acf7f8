"""The garbage collector waits while the app starts: a full pass through the objects start-up makes
(modules, styles, widgets) held the first paint up. It is on again from the first frame, with those
objects left out of its passes, and verbs never turn it off."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import tui.main as entry
from annotations import cli
from test_first_paint import SAMPLE, record_first_frame


@pytest.fixture
def collector_restored():
    yield
    gc.unfreeze()
    gc.enable()


def test_main_holds_the_collector_off_while_the_app_runs_and_turns_it_on_after(monkeypatch, collector_restored) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(entry, "run_app", lambda argv: seen.append(gc.isenabled()) or 0)
    assert entry.main(["article.txt"]) == 0
    assert seen == [False] and gc.isenabled()

    def failing(argv):
        raise RuntimeError("no terminal")

    monkeypatch.setattr(entry, "run_app", failing)
    with pytest.raises(RuntimeError):
        entry.main(["article.txt"])
    assert gc.isenabled(), "on again however the app ends"


def test_verbs_run_with_the_collector_on(monkeypatch, collector_restored) -> None:
    seen: list[bool] = []
    monkeypatch.setattr(cli, "run_verb", lambda argv, verbs: seen.append(gc.isenabled()) or 0)
    assert entry.main(["stats", "annotations.json"]) == 0
    assert seen == [True]


async def test_the_app_turns_the_collector_on_with_its_first_frame(make_app, collector_restored) -> None:
    app = make_app([SAMPLE])
    first = record_first_frame(app, gc.isenabled)
    gc.disable()  # as main() leaves it
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert first == [False], "off until the first frame"
        assert gc.isenabled() and gc.get_freeze_count() > 0, "on, with the start-up's objects set aside"


async def test_an_app_started_with_the_collector_on_leaves_it_alone(make_app, collector_restored) -> None:
    app = make_app([SAMPLE])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert gc.isenabled() and gc.get_freeze_count() == 0, "tests and other callers keep their collector"
