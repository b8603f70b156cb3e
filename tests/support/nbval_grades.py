"""A pytest plugin for nbval: every grade cell of a source notebook must earn its full points.

nbval (``--nbval-lax``) fails a cell that raises. nbgrader is stricter: it also gives 0 to a grade
cell that writes to stderr, and a number as the cell's result is its (partial) score. With this
plugin loaded (``-p tests.support.nbval_grades``) each grade cell is scored by nbgrader's own rule
from the outputs nbval collected, and the test fails unless the cell earns all its points. So one
nbval run over ``source/`` checks both that the notebooks run and that their solutions pass.
"""

from __future__ import annotations

import copy
from collections.abc import Generator
from typing import Any

import pytest
from nbgrader.utils import determine_grade, is_grade


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    result = yield
    cell = getattr(item, "cell", None)
    outputs = getattr(item, "test_outputs", None)
    if cell is None or outputs is None or cell.cell_type != "code" or not is_grade(cell):
        return result
    graded = copy.deepcopy(cell)
    graded.outputs = outputs
    score, points = determine_grade(graded)
    if score != points:
        grade_id = cell.metadata["nbgrader"].get("grade_id", "?")
        shown = [o.get("text", o.get("data", "")) for o in outputs]
        raise AssertionError(
            f"grade cell {grade_id} scores {score} of {points} with the solutions in: {shown}"
        )
    return result
