"""Competency mastery per trainee and per cohort (``docs/statistics.md#mastery``).

A trainee masters a competency when their share of the points of its items is at or above the map's
threshold. A cohort's ``mastery_rate`` is the share of its assessed trainees who master it, with a
Wilson interval (statsmodels ``proportion_confint(method="wilson")``,
``docs/statistics.md#wilson-interval``) at :data:`toolkit.settings.INTERVAL_LEVEL`.

**Tracks.** A trainee's track (``core`` or ``analyst``) comes from their roster role through the
map's ``tracks`` (:func:`trainee_tracks`). Given the tracks, :func:`trainee_mastery` counts for
each trainee only the items of their track (a core trainee's pandas exercises count neither for
nor against them) and adds a ``track`` column; :func:`cohort_mastery` then reports each cohort,
track and competency (``by_track=True``). Without tracks, every item counts for everyone, as
before.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from toolkit.analysis.matrix import graded_marks
from toolkit.course.curriculum import TRACKS, Curriculum
from toolkit.settings import DEFAULT_TRACK, INTERVAL_LEVEL

TRAINEE_COLUMNS = ["trainee", "competency", "points", "max_points", "share", "mastered"]
COHORT_COLUMNS = ["cohort", "competency", "n", "n_mastered", "mastery_rate", "ci_low", "ci_high"]


TRACK_COLUMNS = ["trainee", "track"]


def trainee_tracks(trainees: pd.DataFrame, curriculum: Curriculum) -> pd.DataFrame:
    """Each trainee's track from their roster ``role`` (columns :data:`TRACK_COLUMNS`); a
    trainee without a role, or with a role no track lists, is on the default track."""
    roles = trainees.drop_duplicates("trainee")
    role = roles["role"] if "role" in roles else pd.Series([None] * len(roles), index=roles.index)
    return pd.DataFrame(
        {
            "trainee": roles["trainee"].to_numpy(),
            "track": [curriculum.track_of_role(r) for r in role],
        }
    )


def trainee_mastery(
    scores: pd.DataFrame,
    items: pd.DataFrame,
    curriculum: Curriculum,
    *,
    exclude_assignments: Sequence[str] = (),
    tracks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of each competency's points each trainee earned, over their graded items.

    Args:
        scores: gradebook score rows.
        items: the gradebook's item table (to resolve the map's item keys).
        curriculum: the curriculum map.
        exclude_assignments: assignments that do not count (the pre-test: it measures the start).
        tracks: trainee, track (:func:`trainee_tracks`). When given, each trainee is scored only
            on the items of their track and the result has a ``track`` column; trainees missing
            from it are on the default track.

    Returns:
        trainee, competency, points, max_points, share, mastered (columns :data:`TRAINEE_COLUMNS`,
        then ``track`` when ``tracks`` is given); a trainee appears for a competency only if one
        of its items (of their track) is graded for them.
    """
    columns = TRAINEE_COLUMNS if tracks is None else [*TRAINEE_COLUMNS, "track"]
    rows = scores.assign(mark=graded_marks(scores)).dropna(subset=["mark"])
    if tracks is None:
        links = curriculum.resolve(items)
        keys = ["trainee", "competency"]
    else:
        track_of = dict(zip(tracks["trainee"], tracks["track"], strict=True))
        rows = rows.assign(track=[track_of.get(t, DEFAULT_TRACK) for t in rows["trainee"]])
        links = pd.concat(
            [curriculum.resolve(items, track).assign(track=track) for track in TRACKS],
            ignore_index=True,
        )
        keys = ["trainee", "competency", "track"]
    links = links[~links["assignment"].isin(list(exclude_assignments))]
    rows = rows.merge(links, on=[c for c in ("assignment", "item", "track") if c in links])
    if rows.empty:
        return pd.DataFrame(columns=columns)
    out = rows.groupby(keys, as_index=False).agg(
        points=("mark", "sum"), max_points=("max_score", "sum")
    )
    out["share"] = out["points"] / out["max_points"].where(out["max_points"] > 0)
    out["mastered"] = out["share"] >= curriculum.mastery_threshold - 1e-12
    return out[columns]


def wilson(successes: int, n: int) -> tuple[float | None, float | None]:
    """Wilson interval of a proportion at the level of the settings (None when n is 0)."""
    if n <= 0:
        return None, None
    low, high = proportion_confint(
        successes, n, alpha=round(1 - INTERVAL_LEVEL, 9), method="wilson"
    )
    return float(low), float(high)


def cohort_mastery(
    mastery: pd.DataFrame, cohorts: pd.DataFrame, *, by_track: bool = False
) -> pd.DataFrame:
    """Mastery rate of each cohort and competency with its Wilson interval.

    Args:
        mastery: output of :func:`trainee_mastery` (with its ``track`` column when ``by_track``).
        cohorts: trainee, cohort (one row per trainee is used; repeats are ignored).
        by_track: one row per cohort, track and competency (a ``track`` column after ``cohort``).
    """
    cohort_of = cohorts[["trainee", "cohort"]].drop_duplicates("trainee")
    joined = mastery.drop(columns="cohort", errors="ignore").merge(
        cohort_of, on="trainee", how="inner"
    )
    groups = ["cohort", "track", "competency"] if by_track else ["cohort", "competency"]
    rows = []
    for key, group in joined.groupby(groups, sort=True):
        n, k = len(group), int(group["mastered"].sum())
        low, high = wilson(k, n)
        rows.append((*key, n, k, k / n if n else None, low, high))
    columns = [*groups, *COHORT_COLUMNS[2:]]
    return pd.DataFrame(rows, columns=columns)
