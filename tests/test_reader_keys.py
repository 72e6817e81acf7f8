"""Every key of the reader, pressed in a headless app on a real article; positions checked against the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_helpers import press, record_notifications, status_of, view_of
from rich.style import Style

from annotations.nlp import parse
from tui.keymap import config_path
from tui.main import main
from tui.screens.help import HelpScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.article_view import ArticleView
from tui.widgets.entity_panel import EntityPanel
from tui.widgets.find_bar import FindBar
from tui.widgets.legend import Legend

EXAMPLES = Path(__file__).resolve().parent.parent / "tui" / "sample"
BRIDGE = EXAMPLES / "harbour-bridge-vote.txt"
CLINIC = EXAMPLES / "clinic-funding-dispute.txt"
TEXT = BRIDGE.read_text(encoding="utf-8")
SIZE = (100, 30)

# Starts of the first paragraphs, found by their opening words.
HEADLINE = 0
SECOND_PARAGRAPH = TEXT.index("Port Callow's councillors voted")
THIRD_PARAGRAPH = TEXT.index("The decision came shortly")
THIRD_PARAGRAPH_SECOND_SENTENCE = TEXT.index("Supporters of the scheme")


def plain(widget) -> str:
    """What a widget shows, as plain text lines."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


# ---- character and line motions ------------------------------------------------


async def test_l_h_and_arrows_move_one_character(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await press(pilot, "l", "l", "right")
        assert view.cursor == 3
        await press(pilot, "h", "left")
        assert view.cursor == 1
        await press(pilot, "h", "h", "left")
        assert view.cursor == 0, "the cursor stops at the start of the text"


async def test_j_and_k_move_by_line_keeping_the_column(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await press(pilot, *"lllll")
        await press(pilot, "j")
        # The line after the headline is the empty line between the two newlines.
        assert view.cursor == TEXT.index("\n") + 1
        await press(pilot, "j")
        # The column is remembered across the short empty line.
        assert view.cursor == SECOND_PARAGRAPH + 5
        await press(pilot, "k", "k")
        assert view.cursor == 5
        await press(pilot, "k")
        assert view.cursor == 0, "k on the first line goes to its start"


async def test_j_moves_to_the_next_wrapped_line_of_a_long_paragraph(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await press(pilot, "right_curly_bracket")
        first_line = view.line_of(view.cursor)
        await press(pilot, "j")
        assert view.line_of(view.cursor) == first_line + 1
        assert SECOND_PARAGRAPH < view.cursor < THIRD_PARAGRAPH


# ---- word, sentence and paragraph motions -------------------------------------


def word_starts(text: str) -> list[int]:
    """Where a reader's eye sees words start: after white space, and at each punctuation mark."""
    return [m.start() for m in re.finditer(r"\w+(?:['’]\w+)*|[^\w\s]", text)]


async def test_w_and_b_move_to_word_starts(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await press(pilot, "w")
        assert view.cursor == TEXT.index("Callow")
        await press(pilot, "w", "w")
        assert view.cursor == TEXT.index("narrowly")
        await press(pilot, "b")
        assert view.cursor == TEXT.index("council")
        # Across the paragraph break: from the last word of the headline to the next paragraph.
        headline_end = TEXT.index("\n")
        view.move_to(TEXT.rindex("debate", 0, headline_end))
        await press(pilot, "w")
        assert view.cursor == SECOND_PARAGRAPH
        # "Callow's" is one word; the pound sign before "48m" is its own stop.
        await press(pilot, "w")
        assert view.cursor == SECOND_PARAGRAPH + len("Port ")
        await press(pilot, "w")
        assert TEXT[view.cursor:].startswith("councillors")


async def test_w_visits_every_word_start_in_order(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        expected = [s for s in word_starts(TEXT) if s > 0][:40]
        seen = []
        for _ in expected:
            await pilot.press("w")
            seen.append(view.cursor)
        await pilot.pause()
        assert seen == expected


async def test_paragraph_keys_jump_to_paragraph_starts(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await press(pilot, "right_curly_bracket")
        assert view.cursor == SECOND_PARAGRAPH
        await press(pilot, "right_curly_bracket")
        assert view.cursor == THIRD_PARAGRAPH
        view.move_to(THIRD_PARAGRAPH + 40)
        await press(pilot, "left_curly_bracket")
        assert view.cursor == THIRD_PARAGRAPH
        await press(pilot, "left_curly_bracket", "left_curly_bracket")
        assert view.cursor == HEADLINE
        await press(pilot, "G", "right_curly_bracket")
        assert view.cursor == len(TEXT), "no paragraph after the last: the cursor stays"


async def test_sentence_keys_before_entities_use_punctuation(make_app, monkeypatch) -> None:
    # Hold the analysis back so the fallback sentences are the ones in use.
    monkeypatch.setattr(ReaderScreen, "analyse", lambda self, article: None)
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await press(pilot, "right_parenthesis")
        assert view.cursor == SECOND_PARAGRAPH
        await press(pilot, "right_parenthesis", "right_parenthesis")
        assert view.cursor == THIRD_PARAGRAPH_SECOND_SENTENCE
        await press(pilot, "left_parenthesis")
        assert view.cursor == THIRD_PARAGRAPH


async def test_sentence_keys_after_entities_use_the_model_sentences(make_app, wait_for_entities) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        view = view_of(app)
        view.move_to(THIRD_PARAGRAPH)
        await press(pilot, "right_parenthesis")
        assert view.cursor == THIRD_PARAGRAPH_SECOND_SENTENCE
        await press(pilot, "left_parenthesis", "left_parenthesis")
        view.move_to(HEADLINE)
        await press(pilot, "right_parenthesis")
        assert view.cursor == SECOND_PARAGRAPH, (
            "a sentence must not run across a paragraph break: the model's sentences join the "
            "headline to the first paragraph (annotations/nlp.py analyse() keeps doc.sents as they are)"
        )


# ---- whole-text and page motions ------------------------------------------------


async def test_g_and_G(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await press(pilot, "G")
        assert view.cursor == len(TEXT)
        assert status_of(app).position == "100%"
        top, bottom = view.visible_offsets()
        assert top <= len(TEXT) <= bottom + 1, "the end is scrolled into view"
        await press(pilot, "g")
        assert view.cursor == 0 and view.scroll_offset.y == 0
        assert status_of(app).position == "0%"


async def test_space_moves_a_screen_down_and_keeps_the_cursor_visible(make_app, wait_for_entities) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        # The legend grows when entities arrive; wait so the view's height is settled.
        await wait_for_entities(pilot)
        view = view_of(app)
        height = view.size.height
        assert view.line_count > 2 * height, "the example must be longer than two screens"
        await press(pilot, "space")
        line = view.line_of(view.cursor)
        assert line == height - 1
        await press(pilot, "space")
        line = view.line_of(view.cursor)
        assert line == 2 * (height - 1)
        assert view.scroll_offset.y <= line < view.scroll_offset.y + height


def expected_after(key: str, view: ArticleView) -> int:
    """Where each named key must put the cursor when it starts at the third paragraph's start."""
    line = view.line_of(THIRD_PARAGRAPH)
    height = view.size.height
    return {
        "down": view._lines[line + 1][0],
        "up": view._lines[line - 1][0],
        "home": 0,
        "end": len(TEXT),
        "pagedown": view._lines[line + height - 1][0],
        "pageup": 0,
    }[key]


@pytest.mark.parametrize("key", ["down", "up", "home", "end", "pagedown", "pageup"])
async def test_named_keys_move_the_cursor(make_app, wait_for_entities, key: str) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        view = view_of(app)
        view.move_to(THIRD_PARAGRAPH)
        await pilot.pause()
        expected = expected_after(key, view)
        await press(pilot, key)
        assert view.cursor == expected, (
            f"{key} must move the cursor; ArticleView inherits ScrollableContainer's bindings "
            "(up, down, home, end, pageup, pagedown), which win over the reader's while the view "
            "has focus and only scroll (tui/widgets/article_view.py: class ArticleView needs inherit_bindings=False)"
        )


# ---- find ---------------------------------------------------------------------


async def test_find_jumps_to_the_first_match_after_the_cursor_and_n_N_step(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        matches = [m.start() for m in re.finditer("wester quay", TEXT, re.IGNORECASE)]
        assert len(matches) >= 3
        view.move_to(matches[0] + 1)
        await press(pilot, "slash", *"Wester QUAY", "enter")
        assert view.cursor == matches[1], "enter goes to the first match after the cursor, ignoring case"
        assert app.focused is view
        await press(pilot, "n")
        assert view.cursor == matches[2]
        await press(pilot, "N", "N")
        assert view.cursor == matches[0]


async def test_find_wraps_at_the_end_and_the_find_bar_says_so(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        bar = app.screen.query_one(FindBar)
        matches = [m.start() for m in re.finditer("tern", TEXT)]
        await press(pilot, "G", "slash", *"tern", "enter")
        assert view.cursor == matches[0]
        assert bar.count_text == f"1/{len(matches)}  wrapped to the start"
        await press(pilot, "N")
        assert view.cursor == matches[-1]
        assert bar.count_text == f"{len(matches)}/{len(matches)}  wrapped to the end"


async def test_find_with_no_match_says_so_and_stays(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        messages = record_notifications(app)
        view = view_of(app)
        await press(pilot, "w", "slash", *"zeppelin", "enter")
        assert view.cursor == TEXT.index("Callow")
        assert "no matches" in messages


async def test_n_before_any_find_explains(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        messages = record_notifications(app)
        await press(pilot, "n")
        assert view_of(app).cursor == 0
        assert any("press /" in m for m in messages)


async def test_escape_closes_find_without_moving(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await press(pilot, "slash", *"bridge", "escape")
        assert view.cursor == 0
        assert app.focused is view
        await press(pilot, "l")
        assert view.cursor == 1, "keys reach the reader again after esc"


# ---- entities -----------------------------------------------------------------


async def test_e_and_E_step_through_entities(make_app, wait_for_entities, nlp) -> None:
    starts = sorted({e.start_char for e in parse(nlp, TEXT).ents if e.text.strip()})
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        count = await wait_for_entities(pilot)
        assert count == len(parse(nlp, TEXT).ents)
        view = view_of(app)
        visited = []
        for _ in range(6):
            await pilot.press("e")
            visited.append(view.cursor)
        await pilot.pause()
        assert visited == [s for s in starts if s > 0][:6]
        await press(pilot, "E")
        assert view.cursor == visited[-2]
        # The status bar names the entity under the cursor.
        entity = next(e for e in parse(nlp, TEXT).ents if e.start_char == view.cursor)
        assert f"{entity.label_}: {entity.text}" in status_of(app).under_cursor


def style_at(view: ArticleView, offset: int) -> Style:
    """The style the view draws the character at *offset* with (it must be on screen, ASCII line)."""
    line = view.line_of(offset)
    strip = view.render_line(line - int(view.scroll_offset.y))
    column = 2 + offset - view._lines[line][0]  # after the two-cell gutter
    x = 0
    for segment in strip:
        if x <= column < x + len(segment.text):
            return segment.style
        x += len(segment.text)
    raise AssertionError(f"offset {offset} is not drawn")


async def test_H_toggles_highlighting_and_e_then_finds_nothing(make_app, wait_for_entities) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        view = view_of(app)
        mayor = TEXT.index("Eleanor Vasquez-Hale")
        plain_word = TEXT.index("championed")
        assert style_at(view, mayor) != style_at(view, plain_word)
        await press(pilot, "H")
        assert view.show_entities is False
        assert "highlighting off" in plain(app.screen.query_one(Legend))
        assert style_at(view, mayor) == style_at(view, plain_word)
        await press(pilot, "e")
        assert view.cursor == 0, "hidden entities are not visited"
        await press(pilot, "H")
        assert view.show_entities is True
        assert style_at(view, mayor) != style_at(view, plain_word)


async def test_digits_toggle_labels_in_the_legend(make_app, wait_for_entities, nlp) -> None:
    doc = parse(nlp, TEXT)
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        view = view_of(app)
        legend = app.screen.query_one(Legend)
        shown = plain(legend)
        assert re.search(r"1 PERSON \d+", shown), shown
        persons = [e.start_char for e in doc.ents if e.label_ == "PERSON"]
        assert f"1 PERSON {len(persons)}" in shown
        await press(pilot, "1")
        assert "PERSON" in view.hidden_labels
        assert style_at(view, TEXT.index("Eleanor Vasquez-Hale")) == style_at(view, TEXT.index("championed"))
        # e skips the hidden label.
        view.move_to(TEXT.index("The mayor,"))
        await press(pilot, "e")
        assert view.cursor not in persons
        assert view.cursor == min(e.start_char for e in doc.ents if e.label_ != "PERSON" and e.start_char > TEXT.index("The mayor,"))
        await press(pilot, "1")
        assert "PERSON" not in view.hidden_labels
        await press(pilot, "9", "8")
        assert len(view.hidden_labels) == 2


async def test_entity_panel_enter_jumps_to_the_next_occurrence(make_app, wait_for_entities, nlp) -> None:
    doc = parse(nlp, TEXT)
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        view = view_of(app)
        panel = app.screen.query_one(EntityPanel)
        await press(pilot, "p")
        assert panel.display and app.focused is panel
        await press(pilot, "down")
        chosen = panel.get_option_at_index(panel.highlighted).id.split("\0", 1)[1]
        occurrences = sorted(e.start_char for e in doc.ents if e.text == chosen)
        assert len(occurrences) >= 2, "the first entry is the most frequent entity"
        await press(pilot, "enter")
        assert view.cursor == occurrences[0]
        await press(pilot, "enter")
        assert view.cursor == occurrences[1]
        await press(pilot, "p")
        assert not panel.display and app.focused is view


async def test_entity_panel_enter_right_after_p_picks_the_first_entry(make_app, wait_for_entities) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_entities(pilot)
        view = view_of(app)
        await press(pilot, "p", "enter")
        assert view.cursor != 0, (
            "p then enter should jump to the first entity of the panel: the panel opens with no "
            "entry highlighted, so enter does nothing (tui/widgets/entity_panel.py / reader toggle)"
        )


# ---- help, quitting, articles -----------------------------------------------------


def screen_text(app) -> str:
    from textual.widgets import Static

    return "\n".join(plain(static) for static in app.screen.query(Static))


async def test_question_mark_lists_binding_ids_and_esc_closes(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        for binding_id in ("next-word", "next-paragraph", "toggle-highlighting", "find", "quit", "next-article"):
            assert re.search(rf"\b{binding_id}\b", shown), binding_id
        assert re.search(r"^\s*w\s+Next word\s+next-word", shown, re.MULTILINE), shown
        await press(pilot, "escape")
        assert isinstance(app.screen, ReaderScreen)
        await press(pilot, "l")
        assert view_of(app).cursor == 1


async def test_ctrl_q_quits(make_app) -> None:
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


def folder_of_two(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "a-bridge.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b-clinic.txt").write_text(CLINIC.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


async def test_greater_and_less_switch_articles_in_a_folder(make_app, tmp_path: Path) -> None:
    clinic = CLINIC.read_text(encoding="utf-8")
    app = make_app([folder_of_two(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        status = status_of(app)
        assert view.text == TEXT
        assert (status.title, status.corpus) == (TEXT.splitlines()[0], "1/2 in progress")
        await press(pilot, "w", "greater_than_sign")
        assert view.text == clinic
        assert view.cursor == 0
        assert (status.title, status.corpus) == (clinic.splitlines()[0], "2/2 in progress")
        await press(pilot, "greater_than_sign")
        assert view.text == clinic, "no article after the last"
        await press(pilot, "less_than_sign")
        assert view.text == TEXT
        assert status.corpus.startswith("1/2")


# ---- remapped keys ------------------------------------------------------------------


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


async def test_remapped_key_works_and_help_shows_it(make_app) -> None:
    write_config('[keys]\nnext-word = "ctrl+w"\n')
    app = make_app([BRIDGE])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app)
        await press(pilot, "ctrl+w")
        assert view.cursor == TEXT.index("Callow")
        await press(pilot, "question_mark")
        assert re.search(r"^\s*ctrl\+w\s+Next word\s+next-word", screen_text(app), re.MULTILINE)


def test_broken_config_file_is_a_one_line_error(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_config('[keys]\nnext-word = "ctrl+w\n')
    assert main([str(BRIDGE), "--db", str(tmp_path / "db.json")]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("annotty: ") and err.count("\n") == 1, err
    assert str(path) in err
    assert "Traceback" not in err


def test_config_file_with_wrong_types_is_a_one_line_error(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    write_config("[keys]\nnext-word = 3\n")
    assert main([str(BRIDGE), "--db", str(tmp_path / "db.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("annotty: ") and err.count("\n") == 1 and "[keys]" in err, err
