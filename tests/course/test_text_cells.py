"""``cttk validate`` finds a markdown cell pasted twice and a manually graded answer cell whose
question is missing, and passes a reflection with its prompt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat

from tests.course.test_authoring import POST, PRE, authoring, make_course
from toolkit.validate.cells import check_text_cells

BRIEFING = (
    "## Part 4: looking after yourself (1 point)\n\nHearing accounts like these affects people."
)
PROMPT = (
    "## Part 5: reflection (3 points, graded by your instructor)\n\n"
    "In four to six sentences: what did you do first, and why?"
)


def _answer() -> Any:
    meta = {
        "grade": True,
        "solution": True,
        "locked": False,
        "grade_id": "reflection",
        "points": 3,
        "schema_version": 3,
    }
    return nbformat.v4.new_markdown_cell("**Rubric (3 points).**", metadata={"nbgrader": meta})


def _notebook(*texts: str) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(t) for t in texts] + [_answer()]
    return nb


def test_a_reflection_with_its_prompt_passes() -> None:
    assert check_text_cells({"nb": _notebook(BRIEFING, PROMPT)}) == []


def test_a_pasted_copy_in_place_of_the_question_fails_twice() -> None:
    found = [str(f) for f in check_text_cells({"nb": _notebook(BRIEFING, BRIEFING)})]
    assert any("nb: cell 1: repeats markdown cell 0" in f for f in found), found
    assert any("nb: reflection: the manually graded answer cell has no prompt" in f for f in found)


def test_a_prompt_without_a_question_or_with_other_points_fails() -> None:
    for text in (
        "## Part 5: reflection (3 points, graded by your instructor)",  # no question
        "## Part 5: reflection (2 points)\n\nIn four to six sentences: what did you do first?",
    ):
        found = [str(f) for f in check_text_cells({"nb": _notebook(BRIEFING, text)})]
        assert [f for f in found if "no prompt" in f], text
    nb = _notebook(PROMPT)
    nb.cells.insert(1, nbformat.v4.new_code_cell("x = 1"))  # the prompt is not right above
    assert [str(f) for f in check_text_cells({"nb": nb}) if "no prompt" in str(f)]


def test_validate_reports_them_under_authoring(tmp_path: Path, repo_root: Path) -> None:
    root = make_course(tmp_path, repo_root, PRE, POST)
    path = root / "source" / "a9" / "post.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells += [nbformat.v4.new_markdown_cell(BRIEFING) for _ in range(2)] + [_answer()]
    nbformat.write(nb, path)
    found = authoring(root)
    assert any(f.startswith("[authoring] post: cell ") and "repeats markdown" in f for f in found)
    assert any(f.startswith("[authoring] post: reflection: ") for f in found), found
