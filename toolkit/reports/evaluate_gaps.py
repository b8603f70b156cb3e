"""The curriculum gaps evaluation across cohorts (what ``templates/curriculum_gaps.ipynb`` shows)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit.analysis import (
    ItemFlags,
    cohort_mastery,
    coverage_gaps,
    curriculum_actions,
    drift,
    item_gaps,
    item_statistics,
    performance_gaps,
    test_statistics,
    totals,
    trainee_mastery,
)
from toolkit.data.course_data import CourseData
from toolkit.reports.disclose import suppress
from toolkit.reports.evaluate_cohort import NO_MAP, num
from toolkit.settings import MASTERY_TARGET, PRE_TEST, SUPPRESSION_THRESHOLD


@dataclass
class GapsEvaluation:
    """Cross-cohort tables, suppressed for evaluators."""

    cohorts: list[str]
    threshold: int
    target: float
    overview: pd.DataFrame
    facility: pd.DataFrame
    mastery: pd.DataFrame | None
    performance: pd.DataFrame | None
    coverage: pd.DataFrame | None
    item_gaps: pd.DataFrame
    drift: pd.DataFrame
    tests: pd.DataFrame
    actions: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def evaluate_gaps(
    data: CourseData,
    cohorts: Sequence[str] | None = None,
    *,
    threshold: int = SUPPRESSION_THRESHOLD,
    target: float = MASTERY_TARGET,
    pre: str = PRE_TEST,
    flags: ItemFlags | None = None,
) -> GapsEvaluation:
    """Gaps of the curriculum over ``cohorts`` (default: all, in name order = trend order)."""
    order = list(cohorts) if cohorts else data.cohorts
    notes: list[str] = []
    sizes = data.trainees.groupby("cohort")["trainee"].size()
    kept = [c for c in order if sizes.get(c, 0) >= threshold]
    for c in order:
        if c not in kept:
            notes.append(
                f"Cohort {c} has fewer than {threshold} trainees: left out of every "
                "figure below (its size is suppressed too)."
            )
    ids = set(data.trainees.loc[data.trainees["cohort"].isin(kept), "trainee"])
    scores = data.scores[data.scores["trainee"].isin(ids)]
    tot = totals(scores).merge(data.trainees[["trainee", "cohort"]], on="trainee")
    per = tot.groupby("cohort").agg(mean_pct=("pct", "mean")).reindex(order)
    overview = pd.DataFrame(
        {
            "cohort": order,
            "n": [int(sizes.get(c, 0)) for c in order],
            "mean_pct": per["mean_pct"].to_numpy(),
        }
    )
    overview = suppress(overview, columns=["n", "mean_pct"], threshold=threshold, total=True)
    total_row = {
        "cohort": "all shown cohorts",
        "n": len(ids),
        "mean_pct": tot["pct"].mean() if len(tot) else None,
        "suppressed": False,
    }
    overview = pd.concat([overview, pd.DataFrame([total_row])], ignore_index=True)
    fac = item_statistics(scores, data.items, flags)
    facility = (
        scores.assign(rate=scores["score"] / scores["max_score"].where(scores["max_score"] > 0))
        .groupby(["assignment", "cohort"], as_index=False)["rate"]
        .mean()
        .rename(columns={"rate": "facility"})
    )
    tests = test_statistics(scores, data.items)
    mastery = performance = coverage = None
    trainee_m = None
    if data.curriculum is None:
        notes.append(NO_MAP)
    else:
        cmap = data.curriculum
        trainee_m = trainee_mastery(scores, data.items, cmap, exclude_assignments=[pre])
        trainee_m = trainee_m.merge(data.trainees[["trainee", "cohort"]], on="trainee")
        mastery = cohort_mastery(trainee_m, data.trainees)
        hide = mastery["n"] < threshold
        mastery.loc[hide, ["n_mastered", "mastery_rate", "ci_low", "ci_high"]] = None
        performance = performance_gaps(mastery[~hide], cmap, target=target)
        coverage = coverage_gaps(cmap, data.items)
    flagged = item_gaps(fac[fac["n"] >= threshold].dropna(subset=["facility"]))
    drifts = drift(scores, kept, mastery=trainee_m, min_n=threshold)
    actions = curriculum_actions(
        performance=performance,
        coverage=coverage,
        items=flagged,
        drift=drifts,
        tests=tests.dropna(subset=["alpha"]),
    )
    return GapsEvaluation(
        cohorts=order,
        threshold=threshold,
        target=target,
        overview=overview,
        facility=facility,
        mastery=mastery,
        performance=performance,
        coverage=coverage,
        item_gaps=flagged,
        drift=drifts,
        tests=tests,
        actions=actions,
        notes=notes,
    )


def gaps_summary(ev: GapsEvaluation) -> dict[str, Any]:
    """JSON-safe headline figures of the gaps report."""

    def records(frame: pd.DataFrame | None, columns: list[str]) -> list[dict[str, Any]] | None:
        if frame is None:
            return None
        out = []
        for row in frame[columns].to_dict("records"):
            out.append({k: (num(v) if isinstance(v, float) else v) for k, v in row.items()})
        return out

    return {
        "cohorts": ev.cohorts,
        "threshold": ev.threshold,
        "target": ev.target,
        "definitions": "evaluation/STATISTICS.md",
        "overview": records(ev.overview, ["cohort", "n", "mean_pct", "suppressed"]),
        "performance_gaps": records(
            ev.performance,
            [
                "cohort",
                "competency",
                "n",
                "mastery_rate",
                "ci_low",
                "ci_high",
                "severity",
                "evidence",
            ],
        ),
        "coverage_gaps": records(ev.coverage, ["kind", "name", "n_items", "evidence"]),
        "item_gaps": records(
            ev.item_gaps,
            ["assignment", "item", "n", "facility", "discrimination", "flags", "evidence"],
        ),
        "drift": records(
            ev.drift[ev.drift["drift"]], ["kind", "name", "trend_p", "p_adjusted", "evidence"]
        ),
        "n_drift_tests": len(ev.drift),
        "actions": records(ev.actions, ["priority", "area", "action", "evidence"]),
        "notes": list(ev.notes),
    }
