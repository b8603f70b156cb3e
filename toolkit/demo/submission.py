"""Make a trainee's submission as a trainee would: the released notebook with code written into the
solution cells, and widget answers saved exactly as the widgets save them.

A keyed widget gets its kind's simulated answer (``simulate`` of the kind in
:mod:`toolkit.exercises.registry`), right or wrong as the trainee's ability makes likely; a
widget with no key (a survey question) gets an opinion (:func:`simulate_opinion`)."""

from __future__ import annotations

import re
import shutil
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import nbformat
import numpy as np

from toolkit.course.layout import Course, copy_assignment_folder
from toolkit.errors import CourseError
from toolkit.exercises.keys import (
    AnswerKey,
    ExerciseSpec,
    keyed_exercises,
    read_notebook,
)
from toolkit.exercises.kinds.base import Outcome
from toolkit.exercises.registry import get_kind
from toolkit.exercises.store import save_answer

Profile = Literal["model", "right", "wrong"]
_MARKER = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*$")

REFLECTIONS = [
    "I am not sure. It seems like the young person chose to do it, so it may not be trafficking.",
    "Because Jamie is under 18, consent does not matter and the act and purpose are enough. "
    "I would speak to Jamie calmly and call child services.",
    "For a child, the recruitment or harbouring plus the purpose of commercial sex is enough: no "
    "force, fraud or coercion has to be shown, so Jamie's consent changes nothing. Young people "
    "often do not see themselves as victims and may be attached to the person exploiting them. I "
    "would make sure Jamie is safe, fed and somewhere private, explain plainly who I am and what "
    "happens next, avoid any blame, involve a trained child interviewer and a victim-service "
    "advocate, and make no promises I cannot keep.",
]
#: What a simulated trainee may write in a survey's "why" box (mostly nothing).
COMMENTS = [
    "The case studies felt close to what we see on patrol.",
    "More time on interviewing with an interpreter would help.",
    "The data exercises were hard but useful for our analysts.",
    "I would like a session with our local NGO partners.",
    "",
    "",
]


@dataclass(frozen=True)
class SolutionCell:
    notebook: str
    grade_id: str
    cell_type: str
    right: str
    points: float


@dataclass
class AssignmentPlan:
    """What can be simulated in one assignment, read once from source/ and release/."""

    assignment: str
    release_dir: Path
    released: dict[str, Any]  # notebook name -> released NotebookNode
    exercises: list[tuple[ExerciseSpec, AnswerKey]] = field(default_factory=list)
    opinions: list[ExerciseSpec] = field(default_factory=list)  # widgets with no key (surveys)
    solutions: list[SolutionCell] = field(default_factory=list)


def _strip_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if not _MARKER.match(line))


def plan_assignment(course: Course, assignment: str) -> AssignmentPlan:
    release_dir = course.release / course.check_assignment(assignment)
    plan = AssignmentPlan(assignment, release_dir, {})
    for src_path in course.notebooks(assignment):
        rel_path = release_dir / src_path.name
        if not rel_path.is_file():
            raise CourseError(
                f"{src_path.name} of {assignment} has not been released",
                hint="run: cttk release --all",
                path=rel_path,
            )
        source = read_notebook(src_path)
        plan.released[src_path.stem] = read_notebook(rel_path)
        keyed, unkeyed = keyed_exercises(source)
        plan.exercises += keyed
        plan.opinions += unkeyed
        for cell in source.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution"):
                plan.solutions.append(
                    SolutionCell(
                        notebook=src_path.stem,
                        grade_id=meta["grade_id"],
                        cell_type=cell.cell_type,
                        right=_strip_markers(cell.source),
                        points=float(meta.get("points", 0) or 0),
                    )
                )
    return plan


def difficulty(item: str) -> float:
    """A stable difficulty per item (same for every cohort and seed): mostly easy, some hard."""
    rng = np.random.default_rng(zlib.crc32(item.encode()))
    return float(rng.normal(-0.6, 0.9))


def p_right(ability: float, item: str) -> float:
    return float(1.0 / (1.0 + np.exp(-1.4 * (ability - difficulty(item)))))


def _outcome(profile: Profile, ability: float, item: str, rng: np.random.Generator) -> Outcome:
    if profile != "model":
        return profile
    return "right" if rng.random() < p_right(ability, item) else "wrong"


def simulate_opinion(spec: ExerciseSpec, rng: np.random.Generator, ability: float) -> Any | None:
    """A survey answer (an exercise with no key), from its kind's ``simulate_unkeyed``: a little
    higher for trainees who did well, with an occasional comment. None for kinds a survey does
    not use (nothing is saved for them)."""
    simulate = get_kind(spec.kind).simulate_unkeyed
    if simulate is None:
        return None
    return simulate(spec, rng, ability, lambda: str(rng.choice(COMMENTS)))


def reflection_quality(profile: Profile, ability: float) -> float:
    """Share of the reflection's points an instructor would give (0..1)."""
    if profile == "right":
        return 1.0
    if profile == "wrong":
        return 0.0
    return float(np.clip(1.0 / (1.0 + np.exp(-1.2 * (ability + 0.3))), 0.0, 1.0))


def write_submission(
    plan: AssignmentPlan,
    dest: Path,
    *,
    ability: float,
    rng: np.random.Generator,
    profile: Profile = "model",
    timestamp: str = "2026-11-20 10:00:00.000000 UTC",
) -> None:
    """Write ``dest`` (submitted/<trainee>/<assignment>/) as the trainee would have left it."""
    if dest.exists():
        shutil.rmtree(dest)
    copy_assignment_folder(plan.release_dir, dest)
    by_cell = {(s.notebook, s.grade_id): s for s in plan.solutions}
    for name, released in plan.released.items():
        nb = nbformat.from_dict(released)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            sol = by_cell.get((name, meta.get("grade_id", "")))
            if sol is None:
                continue
            if sol.cell_type == "markdown":
                quality = reflection_quality(profile, ability)
                cell.source = REFLECTIONS[min(2, int(quality * 3))]
            elif _outcome(profile, ability, f"{plan.assignment}/{sol.grade_id}", rng) == "right":
                cell.source = sol.right
        nbformat.write(nb, dest / f"{name}.ipynb")
    for spec, key in plan.exercises:
        outcome = _outcome(profile, ability, f"{plan.assignment}/{spec.exercise}", rng)
        value = get_kind(spec.kind).simulate(spec, key, rng, outcome)
        save_answer(spec.exercise, spec.kind, value, folder=dest)
    for spec in plan.opinions:
        opinion = simulate_opinion(spec, rng, ability)
        if opinion is not None:
            save_answer(spec.exercise, spec.kind, opinion, folder=dest)
    (dest / "timestamp.txt").write_text(timestamp + "\n", encoding="utf-8")
