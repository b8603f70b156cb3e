"""Everything a report needs about a course, loaded once: gradebook frames joined with rosters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .analysis.curriculum import CurriculumMap
from .course import Course
from .errors import CourseError
from .gradebook import load_gradebook
from .rosters import cohorts_of, load_rosters
from .settings import MASTERY_THRESHOLD


@dataclass(frozen=True)
class CourseData:
    """Gradebook and rosters of one course. ``trainees`` carries each trainee's ``cohort``;
    ``scores`` carries it too, so a cohort filter is one boolean mask."""

    trainees: pd.DataFrame
    items: pd.DataFrame
    submissions: pd.DataFrame
    scores: pd.DataFrame
    #: the curriculum map, None when the course has none
    curriculum: CurriculumMap | None = None
    #: widget responses (toolkit.responses_data columns), None when unavailable
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


def load_course_data(
    course_dir: str | Path,
    gradebook_url: str | None = None,
    *,
    curriculum: bool = True,
    responses: bool = False,
) -> CourseData:
    """Load the gradebook (default: the course's) and the rosters of ``course_dir``; with
    ``curriculum`` the curriculum map (if any), with ``responses`` the widget responses (if the
    course has any and :mod:`toolkit.responses_data` is installed)."""
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
        trainees=trainees,
        items=frames.items,
        submissions=frames.submissions,
        scores=scores,
        curriculum=load_curriculum(course.root) if curriculum else None,
        responses=load_widget_responses(course.root) if responses else None,
    )


CURRICULUM_FILE = "course/curriculum.yaml"


def curriculum_from_document(doc: Any) -> CurriculumMap:
    """A :class:`CurriculumMap` from the parsed curriculum YAML.

    Accepted shape: ``competencies`` as a list of mappings (or a mapping by id) with ``id``,
    ``statement``, ``module``, ``topic`` and ``items``; optional top-level ``items``
    ({item: [competency ids]}), ``threshold`` (or ``mastery_threshold``) and ``topics``.
    """
    if not isinstance(doc, dict):
        raise CourseError("the curriculum map is not a mapping", hint="see course/curriculum.yaml")
    comps = doc.get("competencies") or []
    if isinstance(comps, dict):
        comps = [{"id": key, **(value or {})} for key, value in comps.items()]
    table: list[dict[str, Any]] = []
    mapping: dict[str, list[str]] = {}
    for comp in comps:
        if not isinstance(comp, dict) or "id" not in comp:
            raise CourseError("a competency of the curriculum map has no id")
        cid = str(comp["id"])
        topic = comp.get("topic", comp.get("framework_topic", ""))
        table.append(
            {
                "competency": cid,
                "statement": str(comp.get("statement", "")),
                "module": str(comp.get("module", "")),
                "topic": str(topic or ""),
            }
        )
        for item in comp.get("items") or []:
            mapping.setdefault(str(item), []).append(cid)
    for item, ids in (doc.get("items") or {}).items():
        mapping.setdefault(str(item), []).extend(str(i) for i in (ids or []))
    threshold = doc.get("threshold", doc.get("mastery_threshold", MASTERY_THRESHOLD))
    topics = doc.get("topics") or (doc.get("framework") or {}).get("topics") or []
    topics = [str(t.get("id", t)) if isinstance(t, dict) else str(t) for t in topics]
    try:
        return CurriculumMap.from_mapping(mapping, table, threshold=float(threshold), topics=topics)
    except ValueError as exc:
        raise CourseError(str(exc), hint="fix course/curriculum.yaml") from None


def load_curriculum(course_dir: str | Path) -> CurriculumMap | None:
    """The course's curriculum map, or None when ``course/curriculum.yaml`` does not exist."""
    import yaml

    path = Path(course_dir) / CURRICULUM_FILE
    if not path.is_file():
        return None
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CourseError(
            "the curriculum map is not valid YAML", path=path, hint=str(exc).splitlines()[0]
        ) from None
    return curriculum_from_document(doc)


def load_widget_responses(course_dir: str | Path) -> pd.DataFrame | None:
    """Widget responses of the course, or None when they cannot be had (module or files absent).

    A response loader that fails is not fatal for a report: per-option statistics are left out.
    """
    try:
        from .responses_data import load_responses
    except ImportError:
        return None
    try:
        frame = load_responses(course_dir)
    except Exception:
        return None
    return frame if len(frame) else None
