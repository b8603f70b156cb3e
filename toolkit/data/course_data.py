"""Everything a report needs about a course, loaded once: gradebook frames joined with rosters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.course.curriculum import CURRICULUM_FILE, Curriculum, load_curriculum
from toolkit.course.layout import Course
from toolkit.course.rosters import cohorts_of, load_rosters
from toolkit.data.gradebook import load_gradebook
from toolkit.errors import CourseError


@dataclass(frozen=True)
class CourseData:
    """Gradebook and rosters of one course. ``trainees`` carries each trainee's ``cohort``;
    ``scores`` carries it too, so a cohort filter is one boolean mask."""

    trainees: pd.DataFrame
    items: pd.DataFrame
    submissions: pd.DataFrame
    scores: pd.DataFrame
    #: the curriculum map, None when the course has none
    curriculum: Curriculum | None = None
    #: widget responses (toolkit.data.responses columns), None when unavailable
    responses: pd.DataFrame | None = None

    def cohort(self, cohort: str) -> CourseData:
        """The same data restricted to one cohort's trainees."""
        keep = self.trainees["cohort"] == cohort
        ids = set(self.trainees.loc[keep, "trainee"])
        return CourseData(
            trainees=self.trainees[keep].reset_index(drop=True),
            items=self.items,
            submissions=self.submissions[self.submissions["trainee"].isin(ids)].reset_index(
                drop=True
            ),
            scores=self.scores[self.scores["trainee"].isin(ids)].reset_index(drop=True),
            curriculum=self.curriculum,
            responses=None
            if self.responses is None
            else self.responses[self.responses["trainee"].isin(ids)].reset_index(drop=True),
        )

    @property
    def cohorts(self) -> list[str]:
        return sorted(self.trainees["cohort"].unique().tolist())

    def check_cohort(self, cohort: str) -> str:
        """``cohort`` if the course has it.

        Raises:
            CourseError: no trainee of the course is in ``cohort``.
        """
        if cohort not in self.cohorts:
            raise CourseError(
                f"unknown cohort {cohort!r}", hint=f"choose one of: {', '.join(self.cohorts)}"
            )
        return cohort


def load_course_data(
    course_dir: str | Path,
    gradebook_url: str | None = None,
    *,
    curriculum: bool = True,
    responses: bool = False,
) -> CourseData:
    """Load the gradebook (default: the course's) and the rosters of ``course_dir``; with
    ``curriculum`` the curriculum map (if the course has one: :func:`load_curriculum` reads and
    checks it), with ``responses`` the widget responses (if the course has any and
    :mod:`toolkit.data.responses` is installed)."""
    course = Course.open(course_dir)
    frames = load_gradebook(gradebook_url or course.gradebook_url)
    rosters = load_rosters(course.root)
    trainees = frames.trainees.copy()
    trainees["cohort"] = cohorts_of(trainees["trainee"], rosters)
    if not rosters.empty:
        extra = rosters[["trainee", "agency", "role"]]
        trainees = trainees.merge(extra, on="trainee", how="left")
    cohort = dict(zip(trainees["trainee"], trainees["cohort"], strict=True))
    scores = frames.scores.assign(cohort=frames.scores["trainee"].map(cohort))
    with_map = curriculum and (course.root / CURRICULUM_FILE).is_file()
    return CourseData(
        trainees=trainees,
        items=frames.items,
        submissions=frames.submissions,
        scores=scores,
        curriculum=load_curriculum(course.root) if with_map else None,
        responses=load_widget_responses(course.root) if responses else None,
    )


def load_widget_responses(course_dir: str | Path) -> pd.DataFrame | None:
    """Widget responses of the course, or None when they cannot be had (module or files absent).

    A response loader that fails is not fatal for a report: per-option statistics are left out.
    """
    try:
        from toolkit.data.responses import load_responses
    except ImportError:
        return None
    try:
        frame = load_responses(course_dir)
    except Exception:
        return None
    return frame if len(frame) else None
