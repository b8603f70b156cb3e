"""Learning gain of matched trainees, pre-test vs post-test.

``hake_gain`` (``docs/statistics.md#hake_gain``) is the class gain
<g> = (mean post% - mean pre%) / (100 - mean pre%); ``hake_gain_individual`` the mean of individual
gains (trainees with pre = 100% left out); ``cohen_dz`` (``docs/statistics.md#cohen_dz``) = mean
change / sd of change, times Hedges' J = 1 - 3 / (4 (n - 1) - 1) when n is below
:data:`~toolkit.settings.HEDGES_BELOW`; the paired t-test and the Wilcoxon signed-rank test are
scipy's. ``change`` is the mean change in percentage points with its t interval
(``change_ci_low``, ``change_ci_high``) at :data:`~toolkit.settings.INTERVAL_LEVEL`. Bands and limits come from :mod:`toolkit.settings`.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from toolkit.analysis.matrix import graded_marks
from toolkit.course.curriculum import Curriculum
from toolkit.settings import (
    EFFECT_LARGE,
    EFFECT_MEDIUM,
    EFFECT_SMALL,
    GAIN_HIGH,
    GAIN_LOW,
    HEDGES_BELOW,
    INTERVAL_LEVEL,
    POST_TEST,
    PRE_TEST,
)

OVERALL = "overall"

GAIN_COLUMNS = [
    "scope",
    "n_matched",
    "n_pre_only",
    "n_post_only",
    "mean_pre_pct",
    "mean_post_pct",
    "change",
    "change_ci_low",
    "change_ci_high",
    "hake_gain",
    "hake_gain_individual",
    "gain_band",
    "cohen_dz",
    "hedges_corrected",
    "effect_band",
    "t",
    "t_p",
    "wilcoxon_w",
    "wilcoxon_p",
    "note",
]


def gain_band(g: float | None) -> str | None:
    """Hake's bands: low below :data:`GAIN_LOW`, high above :data:`GAIN_HIGH`, medium between."""
    if g is None or not math.isfinite(g):
        return None
    return "low" if g < GAIN_LOW else "high" if g > GAIN_HIGH else "medium"


def effect_band(d: float | None) -> str | None:
    """Cohen's bands of |d|: negligible, small, medium, large (from the settings' sizes)."""
    if d is None or not math.isfinite(d):
        return None
    size = abs(d)
    return (
        "large"
        if size >= EFFECT_LARGE
        else "medium"
        if size >= EFFECT_MEDIUM
        else "small"
        if size >= EFFECT_SMALL
        else "negligible"
    )


def hedges_j(n: int) -> float:
    """Hedges' small-sample correction for d_z (df = n - 1)."""
    return 1.0 - 3.0 / (4.0 * (n - 1) - 1.0)


def _none(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(float(x)) else None


def paired_gain(pre: pd.Series, post: pd.Series, scope: str = OVERALL) -> dict[str, object]:
    """Gain statistics of two Series of percentages indexed by trainee (matched on the index)."""
    matched = pre.index.intersection(post.index)
    n = len(matched)
    row: dict[str, object] = dict.fromkeys(GAIN_COLUMNS)
    row.update(
        scope=scope,
        n_matched=n,
        n_pre_only=len(pre.index.difference(post.index)),
        n_post_only=len(post.index.difference(pre.index)),
        hedges_corrected=False,
    )
    notes: list[str] = []
    if n == 0:
        row["note"] = "no trainee took both the pre-test and the post-test"
        return row
    a = pre.loc[matched].to_numpy(dtype=float)
    b = post.loc[matched].to_numpy(dtype=float)
    m_pre, m_post = float(a.mean()), float(b.mean())
    row.update(mean_pre_pct=m_pre, mean_post_pct=m_post)
    if m_pre < 100:
        row["hake_gain"] = (m_post - m_pre) / (100.0 - m_pre)
    else:
        notes.append("class gain undefined: the mean pre-test score is 100%")
    room = a < 100
    if room.any():
        row["hake_gain_individual"] = float(np.mean((b[room] - a[room]) / (100.0 - a[room])))
    if (~room).any():
        notes.append(
            f"{int((~room).sum())} trainee(s) with 100% on the pre-test left out of the "
            "mean of individual gains"
        )
    row["gain_band"] = gain_band(row["hake_gain"])  # type: ignore[arg-type]
    diff = b - a
    sd = float(diff.std(ddof=1)) if n > 1 else math.nan
    change = float(diff.mean())
    row["change"] = change
    if n > 1 and math.isfinite(sd):
        half = float(stats.t.ppf(0.5 + INTERVAL_LEVEL / 2, n - 1)) * sd / math.sqrt(n)
        row.update(change_ci_low=change - half, change_ci_high=change + half)
    if n < 2:
        notes.append("effect size and tests need at least two matched trainees")
    elif sd == 0:
        notes.append("every trainee changed by the same amount: effect size and t-test undefined")
    else:
        dz = float(diff.mean()) / sd
        if n < HEDGES_BELOW:
            dz *= hedges_j(n)
            row["hedges_corrected"] = True
        row["cohen_dz"] = dz
        row["effect_band"] = effect_band(dz)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            t = stats.ttest_rel(b, a)
        row.update(t=_none(t.statistic), t_p=_none(t.pvalue))
    if n >= 2 and np.any(diff != 0):
        w = stats.wilcoxon(b, a)
        row.update(wilcoxon_w=_none(w.statistic), wilcoxon_p=_none(w.pvalue))
    row["note"] = "; ".join(notes)
    return row


def _pct(rows: pd.DataFrame) -> pd.Series:
    """Percentage of points per trainee over the given score rows (graded marks only)."""
    rows = rows.assign(mark=graded_marks(rows)).dropna(subset=["mark"])
    sums = rows.groupby("trainee")[["mark", "max_score"]].sum()
    sums = sums[sums["max_score"] > 0]
    return 100.0 * sums["mark"] / sums["max_score"]


def learning_gain(
    scores: pd.DataFrame,
    *,
    items: pd.DataFrame | None = None,
    curriculum: Curriculum | None = None,
    pre: str = PRE_TEST,
    post: str = POST_TEST,
) -> pd.DataFrame:
    """Gain overall and per competency (columns :data:`GAIN_COLUMNS`, ``scope`` first).

    Per competency, a trainee's pre% and post% are over that competency's items in each test.
    Returns an empty frame when either test has no score rows.
    """
    pre_rows = scores[scores["assignment"] == pre]
    post_rows = scores[scores["assignment"] == post]
    if pre_rows.empty or post_rows.empty:
        return pd.DataFrame(columns=GAIN_COLUMNS)
    out = [paired_gain(_pct(pre_rows), _pct(post_rows), OVERALL)]
    if curriculum is not None and items is not None:
        links = curriculum.resolve(items)
        for competency in curriculum.competencies["competency"]:
            mine = links[links["competency"] == competency]
            pre_items = mine.loc[mine["assignment"] == pre, "item"]
            post_items = mine.loc[mine["assignment"] == post, "item"]
            if pre_items.empty or post_items.empty:
                continue
            out.append(
                paired_gain(
                    _pct(pre_rows[pre_rows["item"].isin(pre_items)]),
                    _pct(post_rows[post_rows["item"].isin(post_items)]),
                    str(competency),
                )
            )
    return pd.DataFrame(out, columns=GAIN_COLUMNS)
