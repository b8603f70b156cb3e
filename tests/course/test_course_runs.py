"""The repository's course passes its own validation: every released notebook scores zero when
left blank, and release/ is in sync. (That every source notebook scores full marks with its
solutions in is checked where the notebooks run once, under nbval: see tests/support/nbval_grades.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.course.layout import Course
from toolkit.validate import ValidationReport

pytestmark = pytest.mark.slow


def _labels(root: Path) -> set[str]:
    course = Course.open(root)
    return {f"{a}/{p.stem}" for a in course.assignments() for p in course.notebooks(a)}


def test_validate_passes_on_the_repository(repo_report: ValidationReport) -> None:
    assert [str(f) for f in repo_report.findings] == []


def test_every_released_notebook_scores_zero_when_blank(
    repo_report: ValidationReport, repo_root: Path
) -> None:
    runs = repo_report.runs["blank"]
    assert {r.label for r in runs} == _labels(repo_root)
    ungraded = ("10_reaction_survey", "11_followup")
    graded = [r for r in runs if not r.label.startswith(ungraded)]
    for run in runs:
        assert run.failure == "", run.label
        assert all(cell.score == 0 for cell in run.cells), (run.label, run.cells)
    assert all(run.cells for run in graded), "every graded assignment has autograded cells"


def test_the_survey_has_no_grade_cells(repo_report: ValidationReport) -> None:
    survey = [r for r in repo_report.runs["blank"] if r.label.startswith("10_reaction_survey")]
    assert len(survey) == 1 and survey[0].cells == []
