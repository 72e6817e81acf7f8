"""A chunk of a long analysis costs in proportion to the chunk: only the lines on screen that hold
one of its entities are drawn again, and the corrections, the legend and the view are updated
for the chunk alone."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from annotations.entities import corrected_entities
from annotations.history import Create
from annotations.model import NOT_ENTITY, Annotation, Entity
from annotations.nlp import ChunkResult
from tui.screens import reader as reader_module
from tui.widgets.legend import Legend

PARAGRAPH = (
    "Councillor Aled Hughes told the harbour commission on Tuesday that Calder Mutual Bank "
    "had lent 4,100 pounds to the Wrenfield Teachers Union, a claim the union denies."
)
WORDS = ("Aled Hughes", "Calder Mutual Bank", "Tuesday", "Wrenfield Teachers Union")
LABELS = {"Aled Hughes": "PERSON", "Calder Mutual Bank": "ORG", "Tuesday": "DATE", "Wrenfield Teachers Union": "ORG"}


def long_text() -> str:
    return "Harbour loans\n\n" + "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(300))


def chunks_of(text: str, size: int = 5_000) -> list[ChunkResult]:
    """Chunks of about *size* at paragraph starts, each with the entities a model would find."""
    starts = [m.start() for m in re.finditer(r"(?<=\n\n)", text)]
    bounds, chunk_start = [], 0
    for start in starts:
        if start - chunk_start >= size:
            bounds.append((chunk_start, start))
            chunk_start = start
    bounds.append((chunk_start, len(text)))
    chunks = []
    for start, end in bounds:
        found = sorted(
            (Entity(m.start(), m.end(), LABELS[m.group()], m.group())
             for m in re.finditer("|".join(WORDS), text[start:end])),
            key=lambda e: e.start,
        )
        chunks.append(ChunkResult(start, end, [Entity(start + e.start, start + e.end, e.label, e.text) for e in found], []))
    return chunks


async def open_without_model(make_app, tmp_path: Path, pilot_size=(100, 30)):
    path = tmp_path / "long.txt"
    path.write_text(long_text(), encoding="utf-8")
    return make_app([path], model="no_such_pipeline")  # no analysis: the chunks come from the test


async def test_a_chunk_redraws_only_the_lines_on_screen_that_hold_its_entities(make_app, tmp_path: Path) -> None:
    app = await open_without_model(make_app, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        reader, view = app.screen, app.screen.view
        chunks = chunks_of(view.text)
        drawn: list[int] = []
        original = view._render_text_line

        def counting(line: int, width: int):
            drawn.append(line)
            return original(line, width)

        view._render_text_line = counting
        far = chunks[-1]
        reader._chunk_done(reader.article, far)
        await pilot.pause()
        assert drawn == [], f"a chunk far below the screen redrew lines {drawn}"
        assert reader.entities == far.entities

        reader._chunk_done(reader.article, chunks[0])
        await pilot.pause()
        top, bottom = view.visible_offsets()
        holding = {view.line_of(o) for e in chunks[0].entities if e.start < bottom for o in range(e.start, e.end)}
        assert drawn and set(drawn) <= holding, f"redrew {sorted(set(drawn))}, entities on {sorted(holding)}"
        assert view.entities_at(chunks[0].entities[0].start) == [chunks[0].entities[0]]


async def test_each_chunk_costs_its_own_entities_and_the_result_is_the_whole_correction(
    make_app, tmp_path: Path, monkeypatch
) -> None:
    app = await open_without_model(make_app, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        reader, view = app.screen, app.screen.view
        text = view.text
        chunks = chunks_of(text)
        assert len(chunks) >= 5
        # A person's corrections over entities of two chunks: one removed, one relabelled.
        first, middle = chunks[0].entities[0], chunks[len(chunks) // 2].entities[1]
        corrections = [
            Annotation.create(article_id=reader.article.id, source="t", article_text=text, label=label,
                              start=e.start, end=e.end, annotator=app.session.annotator)
            for label, e in ((NOT_ENTITY, first), ("GPE", middle))
        ]
        for correction in corrections:
            app.session.apply(Create(correction))
        await pilot.pause()  # the session's event reaches the reader, which shows the corrections

        corrected_sizes: list[int] = []

        def counting_corrected(model, annotations):
            model = list(model)
            corrected_sizes.append(len(model))
            return corrected_entities(model, annotations)

        monkeypatch.setattr(reader_module, "corrected_entities", counting_corrected)
        full_sets: list[int] = []
        set_entities = view.set_entities
        monkeypatch.setattr(view, "set_entities", lambda entities: (full_sets.append(1), set_entities(entities)))

        order = chunks[len(chunks) // 2:] + chunks[:len(chunks) // 2][::-1]  # as nearest-first would
        for chunk in order:
            reader._chunk_done(reader.article, chunk)
        await pilot.pause()

        assert corrected_sizes == [len(c.entities) for c in order], "each chunk corrected its own entities only"
        assert full_sets == [], "no chunk handed every entity to the view again"
        model = sorted((e for c in chunks for e in c.entities), key=lambda e: (e.start, e.end))
        expected = corrected_entities(model, corrections)
        assert reader.entities == expected
        assert view._entities == expected
        assert view.entity_starts == [e.start for e in expected]
        assert first not in reader.entities
        assert Entity(middle.start, middle.end, "GPE", middle.text) in reader.entities
        assert +reader._label_counts == Counter(e.label for e in expected)
        legend = str(app.screen.query_one(Legend).render())
        assert f"PERSON {sum(e.label == 'PERSON' for e in expected)}" in legend


async def test_new_counts_of_the_same_width_do_not_lay_the_screen_out_again(make_app, tmp_path: Path) -> None:
    app = await open_without_model(make_app, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        reader = app.screen
        legend = app.screen.query_one(Legend)
        layouts: list[bool] = []
        original = legend.refresh

        def recording(*args, layout: bool = False, **kwargs):
            layouts.append(layout)
            return original(*args, layout=layout, **kwargs)

        legend.refresh = recording
        chunks = chunks_of(reader.view.text)
        reader._chunk_done(reader.article, chunks[0])  # new labels: the legend may grow
        reader._chunk_done(reader.article, chunks[1])  # counts with more digits
        layouts.clear()
        reader._chunk_done(reader.article, chunks[2])  # counts of the same widths
        assert layouts == [False]
