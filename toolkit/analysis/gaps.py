"""Curriculum gaps (``docs/statistics.md#gaps``), each with its evidence.

- performance gap: a cohort's mastery rate of a competency below the target (``clear`` when the
  whole Wilson interval is below it, ``possible`` when only the rate is);
- coverage gap: a competency assessed by no item or fewer than the minimum, a topic with no item;
- item gap: an item with a flag from :func:`toolkit.analysis.items.item_statistics`;
- drift (``docs/statistics.md#drift``): an item (full marks) or competency (mastery) whose rate changes across cohorts more than
  sampling explains: chi-square test of homogeneity and a linear-by-linear trend test
  (Cochran-Armitage style) over the cohort order, p adjusted by Benjamini-Hochberg.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests

from toolkit.analysis.mastery import cohort_mastery, trainee_mastery, trainee_tracks
from toolkit.analysis.matrix import graded_marks
from toolkit.course.curriculum import Curriculum
from toolkit.settings import (
    DRIFT_ALPHA,
    INTERVAL_LEVEL,
    MASTERY_TARGET,
    MIN_ITEMS_PER_COMPETENCY,
)

PERFORMANCE_COLUMNS = [
    "cohort",
    "competency",
    "statement",
    "module",
    "n",
    "mastery_rate",
    "ci_low",
    "ci_high",
    "target",
    "severity",
    "evidence",
]
COVERAGE_COLUMNS = ["kind", "name", "module", "n_items", "items", "evidence"]
ITEM_GAP_COLUMNS = [
    "assignment",
    "item",
    "n",
    "facility",
    "discrimination",
    "discriminative_efficiency",
    "flags",
    "evidence",
]
DRIFT_COLUMNS = [
    "kind",
    "name",
    "cohorts",
    "n",
    "rates",
    "chi2",
    "chi2_p",
    "trend_z",
    "trend_p",
    "p_adjusted",
    "drift",
    "evidence",
]


def _pct(x: float | None) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{100 * x:.0f}%"


def performance_gaps(
    cohort_mastery: pd.DataFrame, curriculum: Curriculum, *, target: float = MASTERY_TARGET
) -> pd.DataFrame:
    """Cohort x competency rows whose mastery rate is below ``target``."""
    rows = cohort_mastery.merge(curriculum.competencies, on="competency", how="left")
    rows = rows[rows["mastery_rate"].notna() & (rows["mastery_rate"] < target)].copy()
    rows["target"] = target
    rows["severity"] = np.where(rows["ci_high"] < target, "clear", "possible")
    rows["evidence"] = [
        f"{r.n_mastered:.0f} of {r.n:.0f} trainees of cohort {r.cohort} reached the mastery threshold of "
        f"{_pct(curriculum.mastery_threshold)} (rate {_pct(r.mastery_rate)}, "
        f"Wilson {INTERVAL_LEVEL:.0%} CI "
        f"{_pct(r.ci_low)}-{_pct(r.ci_high)}; target {_pct(target)})"
        for r in rows.itertuples(index=False)
    ]
    return rows[PERFORMANCE_COLUMNS].reset_index(drop=True)


def coverage_gaps(
    curriculum: Curriculum, items: pd.DataFrame, *, min_items: int = MIN_ITEMS_PER_COMPETENCY
) -> pd.DataFrame:
    """Competencies assessed by fewer than ``min_items`` items; topics no item assesses."""
    links = curriculum.resolve(items)
    per = links.groupby("competency")["item"].apply(lambda s: sorted(set(s)))
    rows = []
    for comp in curriculum.competencies.itertuples(index=False):
        assessed = per.get(comp.competency, [])
        if len(assessed) < min_items:
            rows.append(
                (
                    "competency",
                    comp.competency,
                    comp.module,
                    len(assessed),
                    assessed,
                    f"competency {comp.competency} ({comp.statement}) is assessed by "
                    f"{len(assessed)} item(s); at least {min_items} are needed",
                )
            )
    comp_topic = curriculum.competencies.set_index("competency")["topic"]
    assessed_topics = set(links["competency"].map(comp_topic))
    for topic, name in curriculum.topics.itertuples(index=False):
        if topic not in assessed_topics:
            rows.append(
                ("topic", name, "", 0, [], f"framework topic {name!r} has no assessed item")
            )
    for key in curriculum.unmatched(items):
        rows.append(
            (
                "map entry",
                key,
                "",
                0,
                [],
                f"the curriculum map names item {key!r}, which is not in the gradebook",
            )
        )
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


@dataclass(frozen=True)
class CompetencyGaps:
    """Mastery of each competency and the gaps it shows (see :func:`competency_gaps`)."""

    #: share of each competency's points each trainee earned (:func:`trainee_mastery`)
    per_trainee: pd.DataFrame
    #: mastery rate of each cohort and competency with its Wilson interval (:func:`cohort_mastery`)
    per_cohort: pd.DataFrame
    #: cohort x competency rows below the target (:func:`performance_gaps`)
    performance: pd.DataFrame
    #: competencies assessed by too few items, topics assessed by none (:func:`coverage_gaps`)
    coverage: pd.DataFrame
    #: mastery rate of each cohort, track and competency (None when the map has no tracks or
    #: the roster no roles)
    per_track: pd.DataFrame | None = None


def competency_gaps(
    scores: pd.DataFrame,
    items: pd.DataFrame,
    trainees: pd.DataFrame,
    curriculum: Curriculum,
    *,
    exclude_assignments: Sequence[str] = (),
    target: float = MASTERY_TARGET,
    min_items: int = MIN_ITEMS_PER_COMPETENCY,
    min_group: int = 0,
) -> CompetencyGaps:
    """Mastery per trainee and per cohort, and the performance and coverage gaps, in one pass.

    ``trainees`` gives each trainee's cohort and, with a ``role`` column, their track: when the
    map has tracks, each trainee is scored on the items of their track only (a core trainee's
    pandas exercises count neither for nor against them). A cohort smaller than ``min_group`` is
    not tested for a performance gap. ``exclude_assignments`` (the pre-test) do not count towards
    mastery.
    """
    tracks = (
        trainee_tracks(trainees, curriculum)
        if curriculum.tracks and "role" in trainees.columns
        else None
    )
    per_trainee = trainee_mastery(
        scores, items, curriculum, exclude_assignments=exclude_assignments, tracks=tracks
    )
    per_cohort = cohort_mastery(per_trainee, trainees)
    per_track = None if tracks is None else cohort_mastery(per_trainee, trainees, by_track=True)
    performance = performance_gaps(
        per_cohort[per_cohort["n"] >= min_group], curriculum, target=target
    )
    coverage = coverage_gaps(curriculum, items, min_items=min_items)
    return CompetencyGaps(per_trainee, per_cohort, performance, coverage, per_track)


def cohort_facility(scores: pd.DataFrame) -> pd.DataFrame:
    """Facility of each assignment in each cohort: the mean share of the maximum over the
    cohort's graded items (``scores`` carries a ``cohort`` column), with ``n`` trainees."""
    rate = scores["score"] / scores["max_score"].where(scores["max_score"] > 0)
    return (
        scores.assign(rate=rate)
        .groupby(["assignment", "cohort"], as_index=False)
        .agg(facility=("rate", "mean"), n=("trainee", "nunique"))
    )


def item_gaps(item_stats: pd.DataFrame) -> pd.DataFrame:
    """Items with at least one flag, with the figures behind the flag."""
    flagged = item_stats[item_stats["flags"].map(len) > 0].copy()
    flagged["evidence"] = [
        f"{', '.join(r.flags)}: facility {r.facility:.2f}, discrimination "
        + ("n/a" if pd.isna(r.discrimination) else f"{r.discrimination:.2f}")
        + f" (n={r.n})"
        for r in flagged.itertuples(index=False)
    ]
    return flagged[ITEM_GAP_COLUMNS].reset_index(drop=True)


def trend_tests(successes: Sequence[int], totals: Sequence[int]) -> dict[str, float | None]:
    """Chi-square homogeneity test and linear-by-linear trend test of k ordered proportions."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    table = np.column_stack([k, n - k])
    out: dict[str, float | None] = {"chi2": None, "chi2_p": None, "trend_z": None, "trend_p": None}
    if len(k) < 2 or (table.sum(axis=0) == 0).any():
        return out
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    trend = Table(table).test_ordinal_association(
        row_scores=np.arange(len(k), dtype=float), col_scores=np.array([1.0, 0.0])
    )
    out.update(
        chi2=float(chi2), chi2_p=float(p), trend_z=float(trend.zscore), trend_p=float(trend.pvalue)
    )
    return out


def _drift_row(kind: str, name: str, group: pd.DataFrame, order: list[str]) -> dict[str, object]:
    group = group.set_index("cohort").reindex(order).dropna()
    k = group["successes"].astype(int).tolist()
    n = group["n"].astype(int).tolist()
    tests = trend_tests(k, n)
    rates = [round(a / b, 4) if b else None for a, b in zip(k, n, strict=True)]
    return {
        "kind": kind,
        "name": name,
        "cohorts": list(group.index),
        "n": n,
        "rates": rates,
        **tests,
    }


def drift(
    scores: pd.DataFrame,
    cohort_order: Sequence[str],
    *,
    mastery: pd.DataFrame | None = None,
    min_n: int = 1,
    alpha: float = DRIFT_ALPHA,
) -> pd.DataFrame:
    """Drift of item full-mark rates and competency mastery rates across ordered cohorts.

    Args:
        scores: score rows with a ``cohort`` column.
        cohort_order: cohorts from first to last (the trend's order).
        mastery: trainee mastery joined with ``cohort`` (optional: competency drift).
        min_n: cohorts with fewer trainees on an item are left out of its test.
        alpha: significance after Benjamini-Hochberg adjustment over all tests.
    """
    order = [c for c in cohort_order]
    rows: list[dict[str, object]] = []
    marked = scores.assign(mark=graded_marks(scores)).dropna(subset=["mark"])
    marked = marked[marked["cohort"].isin(order)]
    marked = marked.assign(full=marked["mark"] >= marked["max_score"] - 1e-9)
    by_item = marked.groupby(["assignment", "item", "cohort"], as_index=False).agg(
        successes=("full", "sum"), n=("full", "size")
    )
    by_item = by_item[by_item["n"] >= min_n]
    for (assignment, item), group in by_item.groupby(["assignment", "item"], sort=True):
        if group["cohort"].nunique() >= 2:
            rows.append(_drift_row("item", f"{assignment}: {item}", group, order))
    if mastery is not None and not mastery.empty:
        by_comp = (
            mastery[mastery["cohort"].isin(order)]
            .groupby(["competency", "cohort"], as_index=False)
            .agg(successes=("mastered", "sum"), n=("mastered", "size"))
        )
        by_comp = by_comp[by_comp["n"] >= min_n]
        for competency, group in by_comp.groupby("competency", sort=True):
            if group["cohort"].nunique() >= 2:
                rows.append(_drift_row("competency", str(competency), group, order))
    frame = pd.DataFrame(rows, columns=DRIFT_COLUMNS[:-3])
    p = frame["trend_p"].where(frame["trend_p"].notna(), frame["chi2_p"]) if len(frame) else []
    frame["p_adjusted"] = None
    frame["drift"] = False
    tested = pd.Series(p, dtype=float).notna().to_numpy() if len(frame) else np.array([], bool)
    if tested.any():
        raw = pd.Series(p, dtype=float)[tested]
        reject, adjusted, _, _ = multipletests(raw.to_numpy(), alpha=alpha, method="fdr_bh")
        frame.loc[tested, "p_adjusted"] = adjusted
        frame.loc[tested, "drift"] = reject
    frame["evidence"] = [
        f"{r.kind} {r.name}: rates "
        + ", ".join(
            f"{c} {_pct(x)} (n={m})" for c, x, m in zip(r.cohorts, r.rates, r.n, strict=True)
        )
        + (
            "; trend p=" + f"{r.trend_p:.3g}"
            if r.trend_p is not None and not pd.isna(r.trend_p)
            else "; not testable (every trainee scored alike)"
        )
        + (
            f", adjusted p={r.p_adjusted:.3g}"
            if r.p_adjusted is not None and not pd.isna(r.p_adjusted)
            else ""
        )
        for r in frame.itertuples(index=False)
    ]
    frame["drift"] = frame["drift"].astype(bool)
    return frame[DRIFT_COLUMNS]
