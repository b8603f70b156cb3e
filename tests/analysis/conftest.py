"""Builders of gradebook-shaped score frames for the analysis tests."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from toolkit.course.curriculum import Curriculum


def score_rows(
    marks: dict[str, Sequence[float | None]],
    maxima: dict[str, float],
    *,
    assignment: str = "a1",
    trainees: Sequence[str] | None = None,
    cohort: str | Sequence[str] = "c1",
    pending: Sequence[tuple[str, str]] = (),
) -> pd.DataFrame:
    """Score rows (one per trainee and item) from columns of marks; None = ungraded manual."""
    n = len(next(iter(marks.values())))
    ids = list(trainees or [f"t{i:02d}" for i in range(n)])
    cohorts = [cohort] * n if isinstance(cohort, str) else list(cohort)
    rows = []
    for item, column in marks.items():
        for trainee, value, group in zip(ids, column, cohorts, strict=True):
            waiting = value is None or (trainee, item) in pending
            rows.append(
                {
                    "trainee": trainee,
                    "assignment": assignment,
                    "item": item,
                    "auto_score": None,
                    "manual_score": None if waiting else value,
                    "extra_credit": None,
                    "needs_manual_grade": waiting,
                    "max_score": maxima[item],
                    "score": 0.0 if waiting else float(value),
                    "cohort": group,
                }
            )
    return pd.DataFrame(rows)


def item_rows(maxima: dict[str, float], assignment: str = "a1") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "assignment": assignment,
                "notebook": item.split("/")[0],
                "grade_id": item.split("/")[-1],
                "item": item,
                "max_score": m,
                "kind": "auto",
            }
            for item, m in maxima.items()
        ]
    )


def curriculum_of(
    item_competencies: dict[str, Sequence[str]],
    competencies: Sequence[dict[str, str]],
    *,
    topics: Sequence[str] = (),
    threshold: float = 0.7,
) -> Curriculum:
    """A :class:`Curriculum` from {item -> [competency]} and competency rows (``id``, ``statement``,
    optionally ``module`` and ``topic`` by name); ``topics`` lists the framework's topic names
    (default: the competencies')."""
    names = list(dict.fromkeys([*topics, *(c["topic"] for c in competencies if c.get("topic"))]))
    topic_id = {name: i for i, name in enumerate(names, start=1)}
    return Curriculum(
        competencies=pd.DataFrame(
            [
                (c["id"], c["statement"], c.get("module", ""), topic_id.get(c.get("topic", "")))
                for c in competencies
            ],
            columns=["competency", "statement", "module", "topic"],
        ),
        items=pd.DataFrame(
            [(item, c) for item, comps in item_competencies.items() for c in comps],
            columns=["item", "competency"],
        ),
        topics=pd.DataFrame(list(topic_id.items()), columns=["name", "topic"])[["topic", "name"]],
        assignments=pd.DataFrame(columns=["assignment", "role", "title"]),
        mastery_threshold=threshold,
    )
