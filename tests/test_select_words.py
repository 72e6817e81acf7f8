"""`v` then `w`: the selection grows a word at a time and never takes the next word's first letter."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import annotations_loaded, press, view_of

from annotations.model import CLAIM

BRIDGE = Path(__file__).resolve().parent.parent / "tui" / "sample" / "harbour-bridge-vote.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
SIZE = (100, 30)
PHRASE = "Port Callow's councillors voted"


pytestmark = pytest.mark.usefixtures("no_analysis")  # the model plays no part here


def selected(app) -> str:
    return TEXT[slice(*view_of(app).selection)]


async def test_v_then_w_selects_whole_words_and_c_tags_just_them(make_app) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(app).move_to(TEXT.index(PHRASE))
        await press(pilot, "v", "w")
        assert selected(app) == "Port ", "the first word and the gap after it, not the next word's first letter"
        await press(pilot, "w", "w")
        assert selected(app) == "Port Callow's councillors "
        await press(pilot, "c")
        (claim,) = app.session.annotations
        assert (claim.label, TEXT[claim.start:claim.end]) == (CLAIM, "Port Callow's councillors")


async def test_w_without_a_selection_still_goes_to_the_next_word(make_app) -> None:
    app = make_app([BRIDGE], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view_of(app).move_to(TEXT.index(PHRASE))
        await press(pilot, "w")
        assert view_of(app).cursor == TEXT.index("Callow's")
        await press(pilot, "v", "w", "b")
        assert selected(app) == "C", "b goes back to the word start the selection began at"


@pytest.mark.parametrize(("text", "word", "then"), [
    ("Prices rose 6.4 million in a year.\n", "6", "6."),
    ("The U.S. trade office said so.\n", "U", "U."),
    ("It cost a million, they said.\n", "million", "million, "),
])
async def test_v_w_on_a_short_word_selects_just_it_and_w_goes_on(make_app, tmp_path, text, word, then) -> None:
    article = tmp_path / "short.txt"
    article.write_text("Short words\n\n" + text, encoding="utf-8")
    full = article.read_text(encoding="utf-8")
    app = make_app([article], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        view.move_to(full.index(word))
        await press(pilot, "v", "w")
        assert full[slice(*view.selection)].rstrip() == word
        await press(pilot, "w")
        assert full[slice(*view.selection)] == then, "the next w takes the next word"


async def test_the_selection_always_ends_with_the_character_under_the_cursor(make_app, tmp_path) -> None:
    article = tmp_path / "flood.txt"
    article.write_text("Flood report\n\nThe council published the 2019 flood report on Monday.\n", encoding="utf-8")
    full = article.read_text(encoding="utf-8")
    app = make_app([article], annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await annotations_loaded(pilot)
        view = view_of(app)
        begin = full.index("2019")
        view.move_to(begin)
        steps = []
        for keys in (["v"], ["w", "w"], ["l"] * 5, ["h"], ["b"], ["shift+right"] * 2, ["l"]):
            await press(pilot, *keys)
            start, end = view.selection
            steps.append((full[start:end], full[view.cursor]))
            assert (start, end) == (begin, view.cursor + 1), f"after {keys}: the cursor's character ends the selection"
        await press(pilot, "c")
        (claim,) = app.session.annotations
    # w stops on the gap after a word (never the next word's first letter), so five l end on the r of "repor".
    assert steps == [("2", "2"), ("2019 flood ", " "), ("2019 flood repor", "r"), ("2019 flood repo", "o"),
                     ("2019 flood r", "r"), ("2019 flood rep", "p"), ("2019 flood repo", "o")]
    assert full[claim.start:claim.end] == "2019 flood repo", "the tag is the selection shown, the cursor's character included"
