"""Everything a report needs about a course, loaded once: gradebook frames joined with rosters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .course import Course
from .gradebook import load_gradebook
from .rosters import cohorts_of, load_rosters


@dataclass(frozen=True)
class CourseData:
    """Gradebook and rosters of one course. ``trainees`` carries each trainee's ``cohort``;
    ``scores`` carries it too, so a cohort filter is one boolean mask."""

    trainees: pd.DataFrame
    items: pd.DataFrame
    submissions: pd.DataFrame
    scores: pd.DataFrame

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
        )

    @property
    def cohorts(self) -> list[str]:
        return sorted(self.trainees["cohort"].unique().tolist())


def load_course_data(course_dir: str | Path, gradebook_url: str | None = None) -> CourseData:
    """Load the gradebook (default: the course's) and the rosters of ``course_dir``."""
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
    return CourseData(
        trainees=trainees, items=frames.items, submissions=frames.submissions, scores=scores
    )
