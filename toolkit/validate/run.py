"""``validate_course``: every check of ``cttk validate`` over one course root."""

from __future__ import annotations

import shutil
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from toolkit.course.curriculum import UNGRADED_ROLES, Curriculum, load_curriculum
from toolkit.course.layout import Course, copy_assignment_folder
from toolkit.errors import CttkError
from toolkit.exercises.keys import read_notebook
from toolkit.settings import VALIDATE_WORKERS
from toolkit.validate.cells import check_text_cells
from toolkit.validate.findings import Finding
from toolkit.validate.forms import check_core_track, check_pairs
from toolkit.validate.mapping import check_map, graded_items, read_assignments
from toolkit.validate.notebook_runs import (
    RunResult,
    restore_hidden_tests,
    run_many,
    scratch_dir,
    write_right_answers,
)
from toolkit.validate.options import check_option_cues
from toolkit.validate.release import check_release
from toolkit.validate.widgets import check_response_files, check_widgets

#: Every check, in the order they run. ``authoring`` looks for cues that give keys away (see
#: :mod:`toolkit.validate.options`) and checks the map's tracks and parallel forms
#: (:mod:`toolkit.validate.forms`). ``solutions`` runs each source notebook with its solutions
#: and right answers (full marks expected); ``blank`` runs each released notebook unanswered with its
#: hidden tests restored (zero expected).
CHECKS = ("map", "authoring", "widgets", "responses", "release", "solutions", "blank")


@dataclass
class ValidationReport:
    """What ``cttk validate`` found, with the executions it ran (for tests and reports)."""

    findings: list[Finding] = field(default_factory=list)
    runs: dict[str, list[RunResult]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.findings


def _execution_findings(kind: str, results: list[RunResult]) -> list[Finding]:
    out = []
    for r in results:
        if r.failure:
            out.append(
                Finding(
                    kind,
                    r.label,
                    f"the notebook did not run ({r.failure}): run it in Jupyter and fix it",
                )
            )
            continue
        for c in r.cells:
            if kind == "solutions" and c.score != c.max_score:
                why = f" ({c.detail})" if c.detail else ""
                out.append(
                    Finding(
                        kind,
                        f"{r.label}/{c.grade_id}",
                        f"scores {c.score:g} of {c.max_score:g} with the solutions in{why}: fix the solution, the key or the test",
                    )
                )
            if kind == "blank" and c.score != 0:
                out.append(
                    Finding(
                        kind,
                        f"{r.label}/{c.grade_id}",
                        f"a blank notebook scores {c.score:g} of {c.max_score:g}: make the test fail loudly when unanswered",
                    )
                )
    return out


def check_authoring(
    curriculum: Curriculum | None, notebooks: dict[str, dict[str, Any]]
) -> list[Finding]:
    """The authoring checks: duplicated markdown cells and manually graded answers without a
    prompt in every assignment, option cues in every graded assignment, and with a readable map,
    the core track and the parallel pre/post forms."""
    roles = curriculum.roles() if curriculum is not None else {}
    out: list[Finding] = []
    for assignment, nbs in notebooks.items():
        out += check_text_cells(nbs)
        if roles.get(assignment) != "survey":
            out += check_option_cues(assignment, nbs)
    if curriculum is not None:
        graded = [i for nbs in notebooks.values() for i in graded_items(nbs)]
        out += check_core_track(curriculum, graded)
        out += check_pairs(curriculum, notebooks)
    return out


def validate_course(
    course_dir: str | Path = ".",
    *,
    checks: Collection[str] = CHECKS,
    workers: int = VALIDATE_WORKERS,
) -> ValidationReport:
    """Run ``checks`` (default: all of :data:`CHECKS`) on the course at ``course_dir``.

    Raises:
        CourseError: ``course_dir`` is not a course (no nbgrader_config.py).
    """
    start = time.perf_counter()
    course = Course.open(course_dir)
    report = ValidationReport()
    unknown = set(checks) - set(CHECKS)
    if unknown:
        raise CttkError(
            f"unknown check(s): {', '.join(sorted(unknown))}",
            hint=f"choose from {', '.join(CHECKS)}",
        )
    notebooks = read_assignments(course.source) if course.source.is_dir() else {}
    try:
        curriculum = load_curriculum(course.root)
        roles = curriculum.roles()
    except CttkError as exc:
        report.findings.append(Finding("map", "course/curriculum.yaml", str(exc)))
        curriculum, roles = None, {}
    if "map" in checks and curriculum is not None:
        report.findings += check_map(curriculum, notebooks)
    if "authoring" in checks:
        report.findings += check_authoring(curriculum, notebooks)
    if "widgets" in checks:
        for assignment, nbs in notebooks.items():
            report.findings += check_widgets(
                assignment, nbs, survey=roles.get(assignment) in UNGRADED_ROLES
            )
    if "responses" in checks:
        report.findings += check_response_files(course.root)

    scratch = scratch_dir("cttk-validate-")
    try:
        if "release" in checks:
            report.findings += check_release(course.root, list(notebooks), scratch)
        jobs: dict[str, list[tuple[str, Path]]] = {"solutions": [], "blank": []}
        for assignment in notebooks:
            if "solutions" in checks:
                folder = copy_assignment_folder(
                    course.source / assignment, scratch / "solutions" / assignment
                )
                for path in sorted(folder.glob("*.ipynb")):
                    write_right_answers(read_notebook(path), folder)
                    jobs["solutions"].append((f"{assignment}/{path.stem}", path))
            released = course.release / assignment
            if "blank" in checks and released.is_dir():
                folder = copy_assignment_folder(released, scratch / "blank" / assignment)
                for path in sorted(folder.glob("*.ipynb")):
                    source = course.source / assignment / path.name
                    if source.is_file():
                        nb = restore_hidden_tests(read_notebook(path), read_notebook(source))
                        nbformat.write(nb, path)
                        jobs["blank"].append((f"{assignment}/{path.stem}", path))
        everything = jobs["solutions"] + jobs["blank"]
        results = run_many(everything, workers=workers)
        report.runs["solutions"] = results[: len(jobs["solutions"])]
        report.runs["blank"] = results[len(jobs["solutions"]) :]
        for kind in ("solutions", "blank"):
            report.findings += _execution_findings(kind, report.runs[kind])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report.seconds = time.perf_counter() - start
    return report
