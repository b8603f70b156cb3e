"""Released notebooks collapse the code that builds a widget; the source notebooks keep it."""

from __future__ import annotations

from pathlib import Path

import nbformat

from toolkit.course.widget_cells import hide_widget_sources
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
        for s_cell, r_cell in zip(src.cells, rel.cells, strict=True):
            grade_id = s_cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            assert not _hidden(s_cell), (source.name, grade_id)
            assert _hidden(r_cell) == (grade_id in widget_cells), (source.name, grade_id)
