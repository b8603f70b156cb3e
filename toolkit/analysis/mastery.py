"""Competency mastery per trainee and per cohort (``docs/statistics.md#mastery``).

A trainee masters a competency when their share of the points of its items is at or above the map's
threshold. A cohort's ``mastery_rate`` is the share of its assessed trainees who master it, with a
Wilson interval (statsmodels ``proportion_confint(method="wilson")``,
``docs/statistics.md#wilson-interval``) at :data:`toolkit.settings.INTERVAL_LEVEL`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from toolkit.analysis.matrix import graded_marks
from toolkit.course.curriculum import Curriculum
from toolkit.settings import INTERVAL_LEVEL

TRAINEE_COLUMNS = ["trainee", "competency", "points", "max_points", "share", "mastered"]
COHORT_COLUMNS = ["cohort", "competency", "n", "n_mastered", "mastery_rate", "ci_low", "ci_high"]


def trainee_mastery(
    scores: pd.DataFrame,
    items: pd.DataFrame,
    curriculum: Curriculum,
    *,
    exclude_assignments: Sequence[str] = (),
) -> pd.DataFrame:
    """Share of each competency's points each trainee earned, over their graded items.

    Args:
        scores: gradebook score rows.
        items: the gradebook's item table (to resolve the map's item keys).
        curriculum: the curriculum map.
        exclude_assignments: assignments that do not count (the pre-test: it measures the start).

    Returns:
        trainee, competency, points, max_points, share, mastered (columns :data:`TRAINEE_COLUMNS`);
        a trainee appears for a competency only if one of its items is graded for them.
    """
    links = curriculum.resolve(items)
    links = links[~links["assignment"].isin(list(exclude_assignments))]
    rows = scores.assign(mark=graded_marks(scores)).dropna(subset=["mark"])
    rows = rows.merge(links, on=["assignment", "item"], how="inner")
    if rows.empty:
        return pd.DataFrame(columns=TRAINEE_COLUMNS)
    out = rows.groupby(["trainee", "competency"], as_index=False).agg(
        points=("mark", "sum"), max_points=("max_score", "sum")
    )
    out["share"] = out["points"] / out["max_points"].where(out["max_points"] > 0)
    out["mastered"] = out["share"] >= curriculum.mastery_threshold - 1e-12
    return out[TRAINEE_COLUMNS]


def wilson(successes: int, n: int) -> tuple[float | None, float | None]:
    """Wilson interval of a proportion at the level of the settings (None when n is 0)."""
    if n <= 0:
        return None, None
    low, high = proportion_confint(
        successes, n, alpha=round(1 - INTERVAL_LEVEL, 9), method="wilson"
    )
    return float(low), float(high)


def cohort_mastery(mastery: pd.DataFrame, cohorts: pd.DataFrame) -> pd.DataFrame:
    """Mastery rate of each cohort and competency with its Wilson interval.

    Args:
        mastery: output of :func:`trainee_mastery`.
        cohorts: trainee, cohort (one row per trainee is used; repeats are ignored).
    """
    cohort_of = cohorts[["trainee", "cohort"]].drop_duplicates("trainee")
    joined = mastery.drop(columns="cohort", errors="ignore").merge(
        cohort_of, on="trainee", how="inner"
    )
    rows = []
    for (cohort, competency), group in joined.groupby(["cohort", "competency"], sort=True):
        n, k = len(group), int(group["mastered"].sum())
        low, high = wilson(k, n)
        rows.append((cohort, competency, n, k, k / n if n else None, low, high))
    return pd.DataFrame(rows, columns=COHORT_COLUMNS)
