"""A small course workspace with realistic submissions of one assignment (tests and benchmark)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from toolkit.course.layout import Course
from toolkit.course.nbgrader_ops import release_assignments
from toolkit.demo.submission import AssignmentPlan, Profile, plan_assignment, write_submission

ASSIGNMENT = "01_legal_foundations"
LATE = "2031-01-01 10:00:00.000000 UTC"


def make_course(
    repo: Path, dest: Path, assignment: str = ASSIGNMENT, *, late_zero: bool = True
) -> Course:
    """Copy the course (config and one assignment) to ``dest`` and release the assignment.

    With ``late_zero``, a late submission scores 0 (nbgrader's ``zero`` penalty), so that late
    penalties are part of what two gradebooks are compared on.
    """
    dest.mkdir(parents=True, exist_ok=True)
    config = (repo / "nbgrader_config.py").read_text(encoding="utf-8")
    if late_zero:
        config += '\nc.LateSubmissionPlugin.penalty_method = "zero"\n'
    (dest / "nbgrader_config.py").write_text(config, encoding="utf-8")
    for part in ("source", "release"):
        shutil.copytree(repo / part / assignment, dest / part / assignment)
    course = Course.open(dest)
    release_assignments(course.root, [assignment])
    return course


def set_duedate(course: Course, assignment: str, duedate: str) -> None:
    """Give the assignment a due date in the gradebook (for late penalties)."""
    from toolkit.course.nbgrader_ops import gradebook

    with gradebook(course.gradebook_url) as gb:
        gb.update_or_create_assignment(assignment, duedate=duedate)


def write_submissions(
    course: Course,
    n: int,
    assignment: str = ASSIGNMENT,
    *,
    seed: int = 7,
    late: tuple[int, ...] = (),
    plan: AssignmentPlan | None = None,
) -> list[str]:
    """``n`` trainees' submissions of mixed ability (partial credit included); indices in ``late``
    are submitted after the due date. Returns the trainee ids."""
    plan = plan or plan_assignment(course, assignment)
    rng = np.random.default_rng(seed)
    profiles: list[Profile] = ["right", "wrong", "model"]
    ids = []
    for i in range(n):
        trainee = f"t{i:03d}"
        kwargs = {"timestamp": LATE} if i in late else {}
        write_submission(
            plan,
            course.submitted / trainee / assignment,
            ability=float(rng.normal(0, 1)),
            rng=rng,
            profile=profiles[i % 3] if i < 3 else "model",
            **kwargs,
        )
        ids.append(trainee)
    return ids


def benchmark_courses(
    repo: Path, base: Path, names: tuple[str, ...], n: int, *, late: tuple[int, ...] = ()
) -> list[str]:
    """A course under ``base/pristine`` with ``n`` submissions (due date set, ``late`` indices
    late), copied once to ``base/<name>`` for each of ``names`` (one per contender of a
    benchmark). Returns the trainee ids."""
    base.mkdir(parents=True, exist_ok=True)
    pristine = make_course(repo, base / "pristine")
    set_duedate(pristine, ASSIGNMENT, "2030-01-01 00:00:00 UTC")
    ids = write_submissions(pristine, n, late=late)
    for name in names:
        shutil.copytree(pristine.root, base / name)
    return ids
