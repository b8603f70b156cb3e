"""Released notebooks collapse the code that builds a widget; the source notebooks keep it."""

from __future__ import annotations

from pathlib import Path

import nbformat

from toolkit.course.widget_cells import (
    hide_widget_sources,
    is_instructor_cell,
    strip_instructor_cells,
)
from toolkit.exercises.keys import exercise_specs


def _hidden(cell: nbformat.NotebookNode) -> bool:
    return bool(cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"))


def test_only_widget_building_cells_are_hidden() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from toolkit.exercises import Choice as Pick, grade_choice"),
        nbformat.v4.new_code_cell('Pick("x.q1", "Which?", ["a", "b"])'),
        nbformat.v4.new_code_cell("import pandas as pd\ndf = pd.DataFrame()"),
        nbformat.v4.new_markdown_cell('Choice("x.q2", "Which?", ["a", "b"])'),
        nbformat.v4.new_code_cell(
            'grade_choice("x.q1", correct="a")',
            metadata={"nbgrader": {"grade": True, "grade_id": "q1", "points": 1}},
        ),
    ]
    assert hide_widget_sources(nb) == 1
    assert [_hidden(c) for c in nb.cells] == [False, True, False, False, False]


def test_the_release_hides_every_widget_and_the_source_shows_them(repo_root: Path) -> None:
    for source in sorted((repo_root / "source").glob("*/*.ipynb")):
        released = repo_root / "release" / source.parent.name / source.name
        src = nbformat.read(source, as_version=4)
        rel = nbformat.read(released, as_version=4)
        widget_cells = {s.cell for s in exercise_specs(src)}
        shipped = [c for c in src.cells if not is_instructor_cell(c)]
        for s_cell, r_cell in zip(shipped, rel.cells, strict=True):
            grade_id = s_cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            assert not _hidden(s_cell), (source.name, grade_id)
            assert _hidden(r_cell) == (grade_id in widget_cells), (source.name, grade_id)


def test_instructor_notes_are_stripped_from_the_release_and_kept_in_the_source(
    repo_root: Path,
) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Part 1\n\nFor the instructor to read aloud."),
        nbformat.v4.new_markdown_cell("## For the instructor: sources\n\n- A source."),
        nbformat.v4.new_markdown_cell("**For the instructor.** Grade generously."),
        nbformat.v4.new_markdown_cell(
            "For the instructor: a tracked cell stays.",
            metadata={"nbgrader": {"locked": True, "grade_id": "x", "solution": False}},
        ),
    ]
    assert strip_instructor_cells(nb) == 2
    assert [c.source[:10] for c in nb.cells] == ["## Part 1\n", "For the in"]
    notes = 0
    for source in sorted((repo_root / "source").glob("*/*.ipynb")):
        released = repo_root / "release" / source.parent.name / source.name
        notes += sum(map(is_instructor_cell, nbformat.read(source, as_version=4).cells))
        rel = nbformat.read(released, as_version=4)
        assert not any("for the instructor" in c.source.casefold() for c in rel.cells), source.name
    assert notes >= 10  # the sources keep theirs
