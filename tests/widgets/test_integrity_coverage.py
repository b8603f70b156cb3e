"""The autograde integrity check covers every grader: a grade cell ending with any kind's grader must
produce a score, and the probe fingerprints the modules the graders live in and are imported from.

Before the kinds registry, the list of scoring functions was written by hand and lacked
``grade_matching``, ``grade_ordering`` and ``grade_roleplay``, so a cell such as module 03's
``first_contact_test`` was never checked."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from toolkit.autograde.verify import expects_number, fingerprinted_modules, missing_result
from toolkit.exercises.keys import answer_keys, read_notebook
from toolkit.exercises.registry import KINDS

REPO = Path(__file__).resolve().parents[2]
CALLS = {
    "grade_choice": 'grade_choice("x.a", correct="A", points=1)',
    "grade_checklist": 'grade_checklist("x.a", correct=["A"], points=1)',
    "grade_matching": 'grade_matching("x.a", correct={"A": "B"}, points=1)',
    "grade_ordering": 'grade_ordering("x.a", correct=["A", "B"], points=1)',
    "grade_roleplay": 'grade_roleplay("x.a", scores={"start": {"go": 1}}, points=1)',
    "grade_text": 'grade_text("x.a", points=1)',
}


def test_every_registered_grader_is_listed_here() -> None:
    assert sorted(k.grader_name for k in KINDS.values()) == sorted(CALLS)


@pytest.mark.parametrize("grader", sorted(CALLS))
@pytest.mark.parametrize("style", ["name", "attribute"])
def test_a_cell_ending_with_a_grader_must_produce_a_score(grader: str, style: str) -> None:
    if style == "name":
        code = f"from toolkit.exercises import {grader}\n\n{CALLS[grader]}"
    else:
        code = f"import toolkit.exercises as ex\n\nex.{CALLS[grader]}"
    source = f"# Checked (1 point).\n### BEGIN HIDDEN TESTS\n{code}\n### END HIDDEN TESTS"
    assert expects_number(source)
    assert missing_result(source, []) == (
        "the test cell produced no score although its last line computes one"
    )
    score = [{"output_type": "execute_result", "data": {"text/plain": "1.0"}}]
    assert missing_result(source, score) is None


def test_module_03_first_contact_test_is_checked() -> None:
    nb = read_notebook(
        REPO / "source" / "03_victim_centred_response" / "victim_centred_response.ipynb"
    )
    [cell] = [
        c
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "first_contact_test"
    ]
    assert expects_number(cell.source)


def test_every_hidden_test_that_grades_a_widget_is_checked() -> None:
    checked = 0
    for path in sorted((REPO / "source").glob("*/*.ipynb")):
        for cell in read_notebook(path).cells:
            if answer_keys(nbformat.v4.new_notebook(cells=[cell])):
                assert expects_number(cell.source), (path.name, cell.metadata["nbgrader"])
                checked += 1
    assert checked > 50


def test_the_probe_fingerprints_where_the_graders_live() -> None:
    modules = fingerprinted_modules()
    assert {k.grader.__module__ for k in KINDS.values()} <= set(modules)
    assert {"toolkit.exercises", "toolkit.exercises.grading", "toolkit.exercises.registry"} <= set(
        modules
    )
