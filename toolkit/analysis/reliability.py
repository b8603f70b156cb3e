"""Whole-test statistics per assignment.

mean, median, sd, skewness (G1), kurtosis (G2), ``alpha`` (Cronbach's, Moodle's CIC,
``docs/statistics.md#alpha``) with Feldt's F-based interval (pingouin) at
:data:`~toolkit.settings.INTERVAL_LEVEL`, ``error_ratio`` = sqrt(1 - alpha) and ``sem``
(``docs/statistics.md#sem``) = sd * sqrt(1 - alpha). Alpha's bands are Moodle's, from
:mod:`toolkit.settings`.
"""

from __future__ import annotations

import math
import warnings

import pandas as pd
import pingouin as pg

from toolkit.analysis.matrix import ScoreMatrix, score_matrix
from toolkit.analysis.scores import totals
from toolkit.settings import ALPHA_SATISFACTORY, ALPHA_UNSATISFACTORY, INTERVAL_LEVEL

TEST_COLUMNS = [
    "assignment",
    "n",
    "max_score",
    "mean",
    "median",
    "sd",
    "mean_pct",
    "median_pct",
    "sd_pct",
    "skewness",
    "kurtosis",
    "n_alpha",
    "n_items",
    "alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "alpha_band",
    "error_ratio",
    "sem",
    "notes",
]


def alpha_band(alpha: float | None) -> str | None:
    """Moodle's reading of alpha: satisfactory above :data:`ALPHA_SATISFACTORY`, unsatisfactory
    below :data:`ALPHA_UNSATISFACTORY`, else doubtful."""
    if alpha is None or not math.isfinite(alpha):
        return None
    if alpha > ALPHA_SATISFACTORY:
        return "satisfactory"
    if alpha < ALPHA_UNSATISFACTORY:
        return "unsatisfactory"
    return "doubtful"


def cronbach(matrix: ScoreMatrix) -> tuple[float | None, tuple[float, float] | None, str | None]:
    """Cronbach's alpha and Feldt's interval of a complete-case matrix, or a reason why not."""
    s, p = matrix.marks.shape
    if p < 2:
        return None, None, "alpha needs at least two graded items"
    if s < 3:
        return None, None, "alpha needs at least three trainees with every item graded"
    if float(matrix.marks.sum(axis=1).var(ddof=1)) == 0.0:
        return None, None, "alpha is undefined: every trainee has the same total"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        alpha, ci = pg.cronbach_alpha(data=matrix.marks, nan_policy="listwise", ci=INTERVAL_LEVEL)
    if not math.isfinite(alpha):
        return None, None, "alpha is undefined for these marks"
    return float(alpha), (float(ci[0]), float(ci[1])), None


def _finite(x: float) -> float | None:
    return float(x) if x is not None and math.isfinite(float(x)) else None


def assignment_statistics(
    scores: pd.DataFrame, assignment: str, items: pd.DataFrame | None = None
) -> dict[str, object]:
    """One row of :func:`test_statistics` (see there)."""
    rows = scores[scores["assignment"] == assignment]
    tot = totals(rows)
    notes: list[str] = []
    if items is not None and (items["assignment"] == assignment).any():
        max_score = float(items.loc[items["assignment"] == assignment, "max_score"].sum())
    else:
        max_score = float(tot["max_score"].max()) if len(tot) else math.nan
    n = len(tot)
    points = tot["score"].astype(float)
    pct = 100.0 * points / max_score if max_score > 0 else points * math.nan
    sd = float(points.std(ddof=1)) if n > 1 else math.nan
    if n == 0:
        notes.append("no trainee submitted this assignment")
    elif n < 3:
        notes.append("skewness needs 3 trainees and kurtosis 4")
    matrix = score_matrix(rows, assignment, items)
    notes.extend(matrix.notes)
    alpha, ci, why = cronbach(matrix)
    if why:
        notes.append(why)
    error_ratio = math.sqrt(1 - alpha) if alpha is not None and alpha <= 1 else None
    if alpha is not None and alpha < 0:
        notes.append("alpha is negative: items do not measure one thing; check the keys")
    sem = sd * error_ratio if error_ratio is not None and math.isfinite(sd) else None
    return {
        "assignment": assignment,
        "n": n,
        "max_score": _finite(max_score),
        "mean": _finite(points.mean()) if n else None,
        "median": _finite(points.median()) if n else None,
        "sd": _finite(sd),
        "mean_pct": _finite(pct.mean()) if n else None,
        "median_pct": _finite(pct.median()) if n else None,
        "sd_pct": _finite(pct.std(ddof=1)) if n > 1 else None,
        "skewness": _finite(points.skew()) if n > 2 else None,
        "kurtosis": _finite(points.kurt()) if n > 3 else None,
        "n_alpha": matrix.n,
        "n_items": int(matrix.marks.shape[1]),
        "alpha": alpha,
        "alpha_ci_low": ci[0] if ci else None,
        "alpha_ci_high": ci[1] if ci else None,
        "alpha_band": alpha_band(alpha),
        "error_ratio": error_ratio,
        "sem": sem,
        "notes": notes,
    }


def test_statistics(scores: pd.DataFrame, items: pd.DataFrame | None = None) -> pd.DataFrame:
    """Whole-test statistics of every assignment in ``scores`` (and ``items``).

    Totals count every submission with nbgrader's score; ``alpha`` and ``sem`` use the trainees
    whose every item is graded (``n_alpha``). Missing figures are None with a sentence in ``notes``.
    """
    names = set(scores["assignment"].astype(str))
    if items is not None:
        names |= set(items["assignment"].astype(str))
    rows = [assignment_statistics(scores, a, items) for a in sorted(names)]
    frame = pd.DataFrame(rows, columns=TEST_COLUMNS)
    return frame.astype({"n": int, "n_alpha": int, "n_items": int}) if len(frame) else frame


test_statistics.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
