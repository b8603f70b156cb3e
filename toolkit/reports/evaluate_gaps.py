"""The curriculum gaps evaluation across cohorts (what ``templates/curriculum_gaps.ipynb`` shows).

:func:`evaluate_gaps` computes a :class:`GapsEvaluation` whose tables declare their disclosure class;
:func:`toolkit.reports.disclose.disclose` makes it showable; :func:`gaps_summary` gives the
disclosed evaluation's ``summary.json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit import analysis
from toolkit.analysis import ItemFlags
from toolkit.data.course_data import CourseData, load_course_data
from toolkit.reports.disclose import CONTEXT, Aggregate, Counts, Evaluation, Table, disclose
from toolkit.reports.evaluate_cohort import FINDINGS, MASTERY, NO_MAP, NO_PEOPLE, TESTS
from toolkit.reports.executive import gaps_executive, summary_envelope
from toolkit.reports.summary import definitions, records
from toolkit.settings import (
    DRIFT_ALPHA,
    MASTERY_TARGET,
    MIN_ITEMS_PER_COMPETENCY,
    PRE_TEST,
    SUPPRESSION_THRESHOLD,
)

TOTAL_ROW = "all shown cohorts"


@dataclass(frozen=True, kw_only=True)
class GapsEvaluation(Evaluation):
    """Cross-cohort tables, as computed over the cohorts of at least ``min_group`` trainees."""

    cohorts: list[str] = field(metadata=CONTEXT)
    target: float = field(metadata=CONTEXT)
    flags: ItemFlags = field(metadata=CONTEXT)
    min_items: int = field(metadata=CONTEXT)
    drift_alpha: float = field(metadata=CONTEXT)
    overview: Table
    facility: Table
    mastery: Table | None
    performance: Table | None
    coverage: Table | None
    item_gaps: Table
    drift: Table
    tests: Table
    actions: Table


def evaluate_gaps(
    data: CourseData,
    cohorts: Sequence[str] | None = None,
    *,
    min_group: int = SUPPRESSION_THRESHOLD,
    target: float = MASTERY_TARGET,
    pre: str = PRE_TEST,
    flags: ItemFlags | None = None,
    min_items: int = MIN_ITEMS_PER_COMPETENCY,
    drift_alpha: float = DRIFT_ALPHA,
) -> GapsEvaluation:
    """Gaps of the curriculum over ``cohorts`` (default: all, in name order = trend order).

    No pooled or compared figure rests on a group smaller than ``min_group`` (give it the
    suppression threshold): smaller cohorts are left out of every figure but their size, a cohort's
    mastery of a competency enters the performance gaps, and a cohort's rate on an item or a
    competency enters a drift test, only from that many trainees.
    """
    flags = flags or ItemFlags()
    order = list(cohorts) if cohorts else data.cohorts
    notes: list[str] = []
    sizes = data.trainees.groupby("cohort")["trainee"].size()
    kept = [c for c in order if sizes.get(c, 0) >= min_group]
    for c in order:
        if c not in kept:
            notes.append(
                f"Cohort {c} has fewer than {min_group} trainees: left out of every "
                "figure below (its size is suppressed too)."
            )
    ids = set(data.trainees.loc[data.trainees["cohort"].isin(kept), "trainee"])
    scores = data.scores[data.scores["trainee"].isin(ids)]
    tot = analysis.totals(scores).merge(data.trainees[["trainee", "cohort"]], on="trainee")
    per = tot.groupby("cohort").agg(mean_pct=("pct", "mean")).reindex(order)
    overview = pd.DataFrame(
        {
            "cohort": [*order, TOTAL_ROW],
            "n": [*(int(sizes.get(c, 0)) for c in order), len(ids)],
            "mean_pct": [*per["mean_pct"], tot["pct"].mean() if len(tot) else None],
        }
    )
    facility = analysis.cohort_facility(scores)
    mastery = performance = coverage = trainee_m = None
    curriculum = data.curriculum
    if curriculum is None:
        notes.append(NO_MAP)
    else:
        gaps = analysis.competency_gaps(
            scores,
            data.items,
            data.trainees,
            curriculum,
            exclude_assignments=[pre],
            target=target,
            min_items=min_items,
            min_group=min_group,
        )
        mastery, performance, coverage = gaps.per_cohort, gaps.performance, gaps.coverage
        trainee_m = gaps.per_trainee.merge(data.trainees[["trainee", "cohort"]], on="trainee")
    tests = analysis.test_statistics(scores, data.items)
    flagged = analysis.item_gaps(
        analysis.item_statistics(scores, data.items, flags, pretest=pre).dropna(subset=["facility"])
    )
    drifts = analysis.drift(scores, kept, mastery=trainee_m, min_n=min_group, alpha=drift_alpha)
    actions = analysis.curriculum_actions(
        performance=performance,
        coverage=coverage,
        items=flagged,
        drift=drifts,
        tests=tests.dropna(subset=["alpha"]),
        pretest=pre,
        # a status rests on the latest cohort with a mastery result (not one left out as small)
        cohorts=None if mastery is None else [c for c in kept if c in set(mastery["cohort"])],
        unstable_below=flags.unstable_n,
    )
    return GapsEvaluation(
        subject=f"Cohorts {', '.join(order)}",
        min_group=min_group,
        notes=notes,
        cohorts=order,
        target=target,
        flags=flags,
        min_items=min_items,
        drift_alpha=drift_alpha,
        overview=Table(overview, Counts(n="n", figures=("mean_pct",))),
        facility=Table(facility, Aggregate(n="n", shown=("assignment", "cohort"))),
        mastery=None if mastery is None else Table(mastery, MASTERY),
        performance=None if performance is None else Table(performance, FINDINGS),
        coverage=None if coverage is None else Table(coverage, NO_PEOPLE),
        item_gaps=Table(flagged, FINDINGS),
        drift=Table(drifts, FINDINGS),
        tests=Table(tests, TESTS),
        actions=Table(actions, FINDINGS),
    )


def gaps_summary(ev: GapsEvaluation) -> dict[str, Any]:
    """JSON-safe headline figures of a disclosed :class:`GapsEvaluation`."""
    drifts = ev.drift.frame
    disclosure = ev.disclosure
    assert disclosure is not None  # the frames above were readable
    body = {
        "cohorts": ev.cohorts,
        "threshold": disclosure.threshold,
        "target": ev.target,
        "definitions": definitions(
            "facility", "discrimination", "mastery", "wilson-interval", "gaps", "drift"
        ),
        "overview": records(ev.overview.frame, ["cohort", "n", "mean_pct", "suppressed"]),
        "performance_gaps": records(
            None if ev.performance is None else ev.performance.frame,
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
        "coverage_gaps": records(
            None if ev.coverage is None else ev.coverage.frame,
            ["kind", "name", "n_items", "evidence"],
        ),
        "item_gaps": records(
            ev.item_gaps.frame,
            ["assignment", "item", "n", "facility", "discrimination", "flags", "evidence"],
        ),
        "drift": records(
            drifts[drifts["drift"]], ["kind", "name", "trend_p", "p_adjusted", "evidence"]
        ),
        "n_drift_tests": len(drifts),
        "actions": records(ev.actions.frame, ["priority", "area", "action", "evidence", "status"]),
        "notes": ev.all_notes(),
    }
    return summary_envelope(gaps_executive(ev), body)


def disclosed_gaps_evaluation(
    *,
    course_dir: str,
    cohorts: Sequence[str] = (),
    threshold: int = SUPPRESSION_THRESHOLD,
    target: float = MASTERY_TARGET,
    pre: str = PRE_TEST,
    gradebook_url: str | None = None,
) -> GapsEvaluation:
    """What a curriculum-gaps report shows: the course loaded, its cohorts evaluated (no cohort
    below ``threshold`` pooled) and the evaluation passed through
    :func:`~toolkit.reports.disclose.disclose`. The template holds only this."""
    data = load_course_data(course_dir, gradebook_url)
    evaluation = evaluate_gaps(
        data, list(cohorts) or None, min_group=threshold, target=target, pre=pre
    )
    return disclose(evaluation, threshold=threshold)
