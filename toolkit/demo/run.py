"""``cttk demo``: a synthetic academy through the real pipeline.

Fresh workspace -> nbgrader generate_assignment -> synthetic trainees and rosters -> submissions
written as trainees would -> nbgrader autograde -> simulated hand grading through nbgrader's API ->
a papermill cohort report per cohort.
"""

from __future__ import annotations

import shutil
import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.autograde import autograde_assignments
from toolkit.course.curriculum import load_curriculum
from toolkit.course.layout import Course
from toolkit.course.nbgrader_ops import (
    add_students,
    gradebook,
    release_assignments,
    set_manual_grade,
)
from toolkit.course.rosters import write_roster
from toolkit.demo.outcomes import demo_outcomes_report, simulate_followup
from toolkit.demo.people import synthetic_trainees
from toolkit.demo.submission import Profile, plan_assignment, reflection_quality, write_submission
from toolkit.errors import CourseError, GradingError, WorkspaceError
from toolkit.outcomes.followup import FOLLOWUP
from toolkit.reports import ReportPaths, cohort_report, gaps_report
from toolkit.reports.pdf import no_pdf_reason
from toolkit.settings import COURSE_ID, DEMO_COHORTS, DEMO_SEED, DEMO_TRAINEES

#: How much lower (in ability units) trainees stand on the pre-test than after the course.
LEARNING_EFFECT = 0.9

COPIED = ["nbgrader_config.py", "source", "release", "course"]
#: Written into every demo workspace; --force only ever deletes a folder that holds it.
MARKER = ".cttk-demo-workspace"
SIMULATED_COMMENT = "Simulated instructor grade (demo data, not a real assessment)."


@dataclass
class DemoResult:
    workspace: Path
    trainees: pd.DataFrame
    reports: dict[str, ReportPaths] = field(default_factory=dict)  # cohort -> its report
    gaps: ReportPaths | None = None  # the curriculum-gaps report across the cohorts
    outcomes: ReportPaths | None = None  # the field-outcomes report (synthetic effect)
    sandbox: list[tuple[str, str]] = field(default_factory=list)  # layers that graded them
    pdf: bool = False  # whether the reports were printed to PDF
    seconds: dict[str, float] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)


def prepare_workspace(workspace: Path, repo: Path, *, force: bool) -> Path:
    """Check and create the workspace: never inside the repository, never over files unasked."""
    workspace = workspace.resolve()
    if workspace == repo or repo in workspace.parents:
        raise WorkspaceError(
            "the demo workspace is inside the course repository",
            hint="choose a folder outside it with --workspace DIR",
            path=workspace,
        )
    if workspace.exists():
        if not workspace.is_dir():
            raise WorkspaceError("the workspace is a file", hint="choose a folder", path=workspace)
        if any(workspace.iterdir()):
            if not force:
                raise WorkspaceError(
                    "the workspace is not empty",
                    hint="choose an empty folder with --workspace DIR, or add --force to replace it",
                    path=workspace,
                )
            if not (workspace / MARKER).is_file():
                raise WorkspaceError(
                    "the folder is not an earlier demo workspace, so --force will not delete it",
                    hint="choose an empty folder with --workspace DIR",
                    path=workspace,
                )
            shutil.rmtree(workspace)
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / MARKER).write_text("created by cttk demo; safe to delete\n", encoding="utf-8")
    return workspace


def _copy_course(repo: Path, workspace: Path) -> None:
    for name in COPIED:
        src = repo / name
        if src.is_dir():
            shutil.copytree(
                src,
                workspace / name,
                ignore=shutil.ignore_patterns("cohorts", ".ipynb_checkpoints", "__pycache__"),
            )
        elif src.is_file():
            shutil.copy2(src, workspace / name)


def _pretests(root: Path) -> list[str]:
    """Assignments taken before the course (role ``pretest`` in the curriculum map, if any)."""
    try:
        roles = load_curriculum(root).roles()
    except CourseError:
        return []
    return [a for a, role in roles.items() if role == "pretest"]


def cohort_names(n: int) -> list[str]:
    return [f"2026-{string.ascii_uppercase[i % 26]}{i // 26 or ''}" for i in range(n)]


def run_demo(
    *,
    course_dir: Path,
    workspace: Path,
    cohorts: int = DEMO_COHORTS,
    trainees: int = DEMO_TRAINEES,
    seed: int = DEMO_SEED,
    force: bool = False,
    profiles: dict[str, Profile] | None = None,
    assignments: list[str] | None = None,
    progress: bool = True,
    workers: int | None = None,
    pdf: bool = True,
    say: Callable[[str], None] = print,
) -> DemoResult:
    """Run a synthetic academy through ``course_dir`` (a course root: its ``source/``, ``course/`` and
    configuration are copied into ``workspace``) and return where everything is."""
    if cohorts < 1 or trainees < 1:
        raise WorkspaceError("the demo needs at least one cohort of at least one trainee")
    repo = Course.open(course_dir).root
    todo = assignments or Course(repo).assignments()
    for a in todo:
        Course(repo).check_assignment(a)
    ws = prepare_workspace(workspace, repo, force=force)
    result = DemoResult(workspace=ws, trainees=pd.DataFrame())
    clock = time.perf_counter()

    _copy_course(repo, ws)
    course = Course.open(ws)
    say(f"Workspace: {ws}")
    release_assignments(course.root, todo)
    result.seconds["release"] = time.perf_counter() - clock

    rng = np.random.default_rng(seed)
    people = synthetic_trainees(cohort_names(cohorts), trainees, rng)
    people["profile"] = people["trainee"].map(profiles or {}).fillna("model")
    for cohort, group in people.groupby("cohort"):
        write_roster(course.root, str(cohort), group)
    add_students(course.gradebook_url, COURSE_ID, people.to_dict("records"))
    result.trainees = people

    clock = time.perf_counter()
    plans = {a: plan_assignment(course, a) for a in todo}
    before = set(_pretests(course.root))
    for assignment, plan in plans.items():
        # the pre-test is taken before the course: the trainees know less then
        shift = -LEARNING_EFFECT if assignment in before else 0.0
        for row in people.itertuples(index=False):
            write_submission(
                plan,
                course.submitted / row.trainee / assignment,
                ability=row.ability + shift,
                rng=rng,
                profile=row.profile,
            )
    if FOLLOWUP in plans:
        simulate_followup(course, people, rng)
    result.seconds["submissions"] = time.perf_counter() - clock
    say(f"Wrote {len(people) * len(todo)} submissions of {len(people)} trainees.")

    clock = time.perf_counter()
    # The demo grades submissions it wrote itself, so it grades them with whatever layers this
    # machine has; where kernels cannot be isolated the run's summary says so.
    batches = autograde_assignments(
        course.root, todo, progress=progress, workers=workers, no_isolation=True
    )
    for batch in batches:
        result.failed += [f"{batch.assignment}/{r.student}: {r.reason}" for r in batch.failed]
        if batch.layers is not None:
            result.sandbox = batch.layers.describe()
    result.seconds["autograde"] = time.perf_counter() - clock
    if result.failed:
        raise GradingError(f"{len(result.failed)} demo submissions failed: {result.failed[0]}")

    with gradebook(course.gradebook_url, COURSE_ID) as gb:
        for assignment, plan in plans.items():
            manual = [s for s in plan.solutions if s.cell_type == "markdown" and s.points > 0]
            for row in people.itertuples(index=False):
                quality = reflection_quality(row.profile, row.ability)
                for cell in manual:
                    noisy = (
                        np.clip(quality + rng.normal(0, 0.1), 0, 1)
                        if row.profile == "model"
                        else quality
                    )
                    set_manual_grade(
                        gb,
                        assignment=assignment,
                        notebook=cell.notebook,
                        student=row.trainee,
                        grade_id=cell.grade_id,
                        score=float(np.round(noisy * cell.points * 2) / 2),
                        comment=SIMULATED_COMMENT,
                    )

    clock = time.perf_counter()
    why_not = no_pdf_reason() if pdf else None
    if why_not:
        say(f"Reports are made without PDFs: {why_not}.")
        pdf = False
    result.pdf = pdf
    names = sorted(people["cohort"].unique())
    for cohort in names:
        result.reports[cohort] = cohort_report(course.root, cohort, pdf=pdf)
    result.gaps = gaps_report(course.root, names, pdf=pdf)
    result.outcomes = demo_outcomes_report(course, people, rng, pdf=pdf)
    result.seconds["reports"] = time.perf_counter() - clock
    return result
