"""A pytest plugin for nbval: each source notebook runs once, with its widgets answered rightly,
and every grade cell must earn its full points as nbgrader scores it.

Load it with ``-p tests.support.nbval_grades`` beside ``--nbval-lax``. Before the first cell of a
notebook runs, the plugin copies the notebook's assignment folder (data files included) to a
temporary folder, saves there the right answer to every keyed widget (as ``cttk validate`` does),
and moves the kernel into that folder, so ``source/`` itself is never written to. After each grade
cell (a hidden test, not a solution) it scores the outputs nbval collected with nbgrader's own
rule (an error or any stderr output is 0, a number is the score, nothing is full marks) and fails
the test unless the cell earned all its points.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from collections.abc import Generator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbgrader.utils import determine_grade, is_grade, is_solution

from toolkit.validate.notebook_runs import write_right_answers

_SETUP_TIMEOUT = 60
_scratch: list[Path] = []


def _answer_in_scratch(notebook: Any) -> None:
    """Copy the notebook's folder to a scratch folder with the right answers saved, and move the
    notebook's kernel there."""
    source = Path(str(notebook.fspath))
    scratch = Path(tempfile.mkdtemp(prefix="cttk-nbval-"))
    _scratch.append(scratch)
    folder = scratch / source.parent.name
    shutil.copytree(source.parent, folder)
    write_right_answers(nbformat.read(source, as_version=4), folder)
    kernel = notebook.kernel
    msg_id = kernel.execute_cell_input(f"import os; os.chdir({json.dumps(str(folder))})", False)
    kernel.await_reply(msg_id, timeout=_SETUP_TIMEOUT)


def _check_full_marks(cell: Any, outputs: list[Any]) -> None:
    graded = copy.deepcopy(cell)
    graded.outputs = outputs
    score, points = determine_grade(graded)
    if score != points:
        grade_id = cell.metadata["nbgrader"].get("grade_id", "?")
        shown = [o.get("text", o.get("data", "")) for o in outputs]
        raise AssertionError(
            f"grade cell {grade_id} scores {score} of {points} with the solutions in: {shown}"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    cell = getattr(item, "cell", None)
    notebook = item.parent
    if cell is not None and not getattr(notebook, "cttk_answered", False):
        notebook.cttk_answered = True  # type: ignore[union-attr]
        _answer_in_scratch(notebook)
    result = yield
    outputs = getattr(item, "test_outputs", None)
    if (
        cell is not None
        and outputs is not None
        and cell.cell_type == "code"
        and is_grade(cell)
        and not is_solution(cell)
    ):
        _check_full_marks(cell, outputs)
    return result


def pytest_sessionfinish(session: pytest.Session) -> None:
    for folder in _scratch:
        shutil.rmtree(folder, ignore_errors=True)
