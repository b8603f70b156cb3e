"""Grade many submissions of one assignment with nbgrader's autograde converter.

Each submission is graded by nbgrader itself (``NbGraderAPI.autograde``), so the gradebook holds
exactly what ``nbgrader autograde`` would write. A submission that cannot be graded is recorded
with its reason and never stops the batch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm.auto import tqdm

from ..course import Course, check_name
from ..errors import CttkError
from ..nbgrader_ops import api, autograde_one


@dataclass(frozen=True)
class SubmissionResult:
    student: str
    status: str  # "graded" or "failed"
    seconds: float
    reason: str = ""


@dataclass
class BatchResult:
    assignment: str
    results: list[SubmissionResult] = field(default_factory=list)

    @property
    def graded(self) -> list[str]:
        return [r.student for r in self.results if r.status == "graded"]

    @property
    def failed(self) -> list[SubmissionResult]:
        return [r for r in self.results if r.status == "failed"]


def submitted_students(course: Course, assignment: str) -> list[str]:
    """Trainees with a submission folder for ``assignment``."""
    if not course.submitted.is_dir():
        return []
    return sorted(p.name for p in course.submitted.iterdir() if (p / assignment).is_dir())


def autograde_batch(
    course_dir: str | Path,
    assignment: str,
    students: list[str] | None = None,
    *,
    progress: bool = True,
) -> BatchResult:
    """Autograde ``students`` (default: every submission) of ``assignment``, one after another."""
    course = Course.open(course_dir)
    course.check_assignment(assignment)
    todo = students if students is not None else submitted_students(course, assignment)
    nbapi = api(course.root)
    result = BatchResult(assignment)
    for student in tqdm(todo, desc=f"autograde {assignment}", unit="sub", disable=not progress):
        start = time.perf_counter()
        try:
            check_name(student, "trainee id")
            autograde_one(nbapi, assignment, student)
        except CttkError as exc:
            result.results.append(
                SubmissionResult(student, "failed", time.perf_counter() - start, str(exc))
            )
        else:
            result.results.append(SubmissionResult(student, "graded", time.perf_counter() - start))
    return result
