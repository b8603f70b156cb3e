"""Feedback pages that carry scores, never hidden tests or answer keys.

nbgrader's feedback page is the autograded notebook: hidden tests restored, with their ``# Key:``
explanations, ``correct=`` values and outputs. The pre- and post-test are parallel forms, so a
pre-test page would hand out post-test answers. ``cttk feedback`` therefore runs nbgrader's
``GenerateFeedback`` with its own preprocessors, whatever the course's configuration says:

1. nbgrader's ``GetGrades`` (each graded cell's score from the gradebook);
2. :class:`HideTests`: each test cell shows "score x of y" in place of its code and outputs;
   the outputs of cells run after a test that ran in the kernel are dropped too (trainee code can
   see a test as it runs and print it later). With ``explain`` (``cttk feedback ASSIGNMENT
   --explain``, for after the post-test) the tests and their explanations are shown;
3. the sanitiser :class:`toolkit.reports.sanitize.ActiveContentFilter`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat.notebooknode import NotebookNode
from traitlets import Bool

from toolkit.autograde.scoring import grader_calls
from toolkit.course.gradebook_file import check_gradebook
from toolkit.course.layout import Course
from toolkit.course.nbgrader_ops import ensure_tools_on_path, load_config
from toolkit.errors import GradingError

HIDDEN = "# Test hidden: its code and answer key are released by your instructor later."
DROPPED = "[outputs of this cell are not returned: they were made after a hidden test ran]"


def _is_test(cell: Any) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _score_line(cell: Any) -> str:
    meta = cell.metadata.get("nbgrader", {})
    score, points = meta.get("score"), meta.get("points")
    if score is None:
        return "Score: not graded yet."
    return f"Score: {float(score):g} of {float(points or 0):g} points."


class HideTests(Preprocessor):  # type: ignore[misc]
    """Replace every test cell's code and outputs by its score (see the module docstring)."""

    enabled = Bool(True).tag(config=True)
    explain = Bool(False, help="Show the hidden tests and their explanations.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: Any) -> tuple[NotebookNode, Any]:
        if self.explain:
            return nb, resources
        kernel_saw_test = False
        for cell in nb.cells:
            if _is_test(cell):
                # Widget tests are scored outside the kernel and never sent to it.
                kernel_saw_test = kernel_saw_test or grader_calls(cell.source) is None
                cell.source = HIDDEN
                cell.outputs = [
                    NotebookNode(output_type="stream", name="stdout", text=_score_line(cell))
                ]
            elif cell.cell_type == "code" and kernel_saw_test and cell.get("outputs"):
                cell.outputs = [NotebookNode(output_type="stream", name="stdout", text=DROPPED)]
        return nb, resources


def feedback_preprocessors() -> list[str]:
    """The preprocessors ``cttk feedback`` gives nbgrader's GenerateFeedback, in order."""
    return [
        "nbgrader.preprocessors.GetGrades",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
        f"{HideTests.__module__}.HideTests",
        "toolkit.reports.sanitize.ActiveContentFilter",
    ]


def generate_feedback(course_dir: str | Path, assignment: str, *, explain: bool = False) -> Path:
    """Write the feedback pages of every autograded submission of ``assignment``; return the
    folder they are written under.

    Raises:
        CourseError: no course, or an unknown assignment.
        GradingError: nbgrader could not write the pages.
    """
    course = Course.open(course_dir)
    name = course.check_assignment(assignment)
    check_gradebook(course.gradebook_url, write=True)  # nbgrader writes feedback records into it
    ensure_tools_on_path()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = load_config(course.root)
    config.GenerateFeedback.preprocessors = feedback_preprocessors()
    config.HideTests.explain = explain
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.generate_feedback(name, force=True)
    if not result.get("success"):
        log = (result.get("error") or result.get("log") or "").strip().splitlines()
        last = next((line for line in reversed(log) if line.strip()), "no log")
        raise GradingError(f"nbgrader generate_feedback failed: {last}")
    return course.root / "feedback"
