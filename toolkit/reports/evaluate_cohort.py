"""The cohort evaluation: every table, figure input and headline figure of a cohort report.

:func:`evaluate_cohort` does the analysis and applies privacy (pseudonyms, suppression);
:func:`summary_of` gives its ``summary.json``; :func:`toolkit.reports.cohort_report` runs the
template.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit.analysis import (
    ItemFlags,
    cohort_mastery,
    coverage_gaps,
    curriculum_actions,
    item_gaps,
    item_statistics,
    learning_gain,
    option_point_biserial,
    performance_gaps,
    test_statistics,
    totals,
    trainee_mastery,
)
from toolkit.data.course_data import CourseData
from toolkit.reports.disclose import pseudonym, pseudonym_key, suppress
from toolkit.settings import MASTERY_TARGET, POST_TEST, PRE_TEST, SUPPRESSION_THRESHOLD

ALPHA_CI_METHOD = "Feldt F-based 95% interval (pingouin.cronbach_alpha)"
NO_MAP = (
    "The course has no curriculum map (course/curriculum.yaml): competency mastery, "
    "per-competency gain and curriculum gaps by competency cannot be computed."
)


def num(x: Any, digits: int = 4) -> float | None:
    """A JSON-safe rounded number: None for missing, NaN or infinite."""
    if x is None:
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return round(value, digits) if math.isfinite(value) else None


def suppressed_note(what: str, n: int, threshold: int) -> str:
    return f"{what}: figures suppressed because fewer than {threshold} trainees ({n} < {threshold})"


@dataclass
class CohortEvaluation:
    """Everything a cohort report shows, already suppressed and pseudonymised."""

    cohort: str
    threshold: int
    names: bool
    n_trainees: int
    totals: pd.DataFrame
    tests: pd.DataFrame
    items: pd.DataFrame
    options: pd.DataFrame | None
    gain: pd.DataFrame | None
    trainee_mastery: pd.DataFrame | None
    mastery: pd.DataFrame | None
    performance: pd.DataFrame | None
    coverage: pd.DataFrame | None
    item_gaps: pd.DataFrame
    actions: pd.DataFrame
    participation: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        """The whole cohort is below the threshold."""
        return 0 < self.n_trainees < self.threshold or self.n_trainees == 0


def _label(data: CourseData, names: bool) -> dict[str, str]:
    """Display label of each trainee: a pseudonym, or the name in the instructor's variant."""
    if names:
        return {
            r.trainee: f"{r.first_name} {r.last_name} ({r.trainee})".strip()
            for r in data.trainees.itertuples(index=False)
        }
    key = pseudonym_key()
    return {t: pseudonym(t, key) for t in data.trainees["trainee"]}


def _participation(sub: CourseData, threshold: int) -> pd.DataFrame:
    """Trainees by agency (suppressed; complementary, since the cohort total is shown)."""
    column = "agency" if "agency" in sub.trainees.columns else None
    if column is None or sub.trainees.empty:
        return pd.DataFrame(columns=["agency", "n", "suppressed"])
    counts = sub.trainees[column].fillna("(none)").value_counts().rename_axis("agency")
    table = counts.reset_index(name="n").sort_values("agency", ignore_index=True)
    return suppress(table, columns=["n"], threshold=threshold, total=True)


def evaluate_cohort(
    data: CourseData,
    cohort: str,
    *,
    threshold: int = SUPPRESSION_THRESHOLD,
    names: bool = False,
    pre: str = PRE_TEST,
    post: str = POST_TEST,
    flags: ItemFlags | None = None,
    target: float = MASTERY_TARGET,
) -> CohortEvaluation:
    """Analyse one cohort for its report (see :class:`CohortEvaluation`)."""
    sub = data.cohort(cohort)
    notes: list[str] = []
    n_trainees = len(sub.trainees)
    if n_trainees == 0:
        notes.append(f"Cohort {cohort} has no trainees: there is nothing to report.")
    elif n_trainees < threshold:
        notes.append(suppressed_note(f"Cohort {cohort}", n_trainees, threshold))
    without = sorted(set(sub.trainees["trainee"]) - set(sub.scores["trainee"]))
    if without:
        notes.append(f"{len(without)} trainee(s) on the roster have no graded submission.")
    small = n_trainees < threshold
    label = _label(sub, names)
    tot = totals(sub.scores)
    tests = test_statistics(sub.scores, sub.items)
    items = item_statistics(sub.scores, sub.items, flags)
    for frame in (tests, items):
        hide = frame["n"] < threshold
        if hide.any() or small:
            stat_cols = [
                c
                for c in frame.columns
                if c not in ("assignment", "item", "n", "max_score", "notes", "note")
            ]
            frame[stat_cols] = frame[stat_cols].astype(object)
            frame.loc[hide | small, stat_cols] = None
            if "flags" in frame:
                frame["flags"] = [f if isinstance(f, list) else [] for f in frame["flags"]]
    for row in tests.itertuples():
        if row.n < threshold and row.n > 0:
            row.notes.append(suppressed_note(row.assignment, row.n, threshold))
    options = None
    if sub.responses is not None and not small:
        options = option_point_biserial(sub.responses, tot)
        options = options[options["n"] >= threshold].reset_index(drop=True)
    gain = learning_gain(sub.scores, items=sub.items, cmap=sub.curriculum, pre=pre, post=post)
    if gain.empty:
        gain = None
        notes.append(f"No learning gain: the course has no scores for both {pre} and {post}.")
    else:
        hide = gain["n_matched"] < threshold
        figures = [
            c
            for c in gain.columns
            if c not in ("scope", "n_matched", "n_pre_only", "n_post_only", "note")
        ]
        gain[figures] = gain[figures].astype(object)
        gain.loc[hide, figures] = None
        gain.loc[hide, "note"] = "suppressed: fewer matched trainees than the threshold"
    trainee_m = mastery = performance = coverage = None
    if sub.curriculum is None:
        notes.append(NO_MAP)
    else:
        cmap = sub.curriculum
        trainee_m = trainee_mastery(sub.scores, sub.items, cmap, exclude_assignments=[pre])
        mastery = cohort_mastery(trainee_m, sub.trainees)
        mastery = mastery.merge(cmap.competencies[["competency", "statement"]], on="competency")
        hide = mastery["n"] < threshold
        mastery.loc[hide, ["n_mastered", "mastery_rate", "ci_low", "ci_high"]] = None
        performance = performance_gaps(
            mastery[~hide].drop(columns="statement"), cmap, target=target
        )
        coverage = coverage_gaps(cmap, data.items)
        trainee_m = trainee_m.assign(trainee=trainee_m["trainee"].map(label))
        if small:
            trainee_m = trainee_m.iloc[0:0]
    igaps = item_gaps(items[items["n"] >= threshold].dropna(subset=["facility"]))
    actions = curriculum_actions(
        performance=performance,
        coverage=coverage,
        items=igaps,
        tests=tests.dropna(subset=["alpha"]),
    )
    return CohortEvaluation(
        cohort=cohort,
        threshold=threshold,
        names=names,
        n_trainees=n_trainees,
        totals=tot.iloc[0:0] if small else tot.assign(trainee=tot["trainee"].map(label)),
        tests=tests,
        items=items,
        options=options,
        gain=gain,
        trainee_mastery=trainee_m,
        mastery=mastery,
        performance=performance,
        coverage=coverage,
        item_gaps=igaps,
        actions=actions,
        participation=_participation(sub, threshold),
        notes=notes,
    )


def _item_summary(row: Any) -> dict[str, Any]:
    return {
        "item": row.item,
        "n": int(row.n),
        "facility": num(row.facility),
        "sd": num(row.sd),
        "discrimination": num(row.discrimination),
        "discriminative_efficiency": num(row.discriminative_efficiency),
        "effective_weight": num(row.effective_weight),
        "flags": list(row.flags),
        "unstable": bool(row.unstable) if row.unstable is not None else None,
        "note": row.note or None,
    }


def _band(x: Any) -> str | None:
    """A text label, or None where the frame holds a missing value (NaN, None or 'nan')."""
    if not isinstance(x, str) or x in ("", "nan", "None"):
        return None
    return x


def _gain_summary(ev: CohortEvaluation, pre: str, post: str) -> dict[str, Any] | None:
    if ev.gain is None:
        return None

    def one(row: Any) -> dict[str, Any]:
        return {
            "scope": row.scope,
            "n_matched": int(row.n_matched),
            "n_pre_only": int(row.n_pre_only),
            "n_post_only": int(row.n_post_only),
            "mean_pre_pct": num(row.mean_pre_pct),
            "mean_post_pct": num(row.mean_post_pct),
            "hake_gain": num(row.hake_gain),
            "hake_gain_individual": num(row.hake_gain_individual),
            "gain_band": _band(row.gain_band),
            "cohen_dz": num(row.cohen_dz),
            "hedges_corrected": bool(row.hedges_corrected) if row.hedges_corrected else False,
            "effect_band": _band(row.effect_band),
            "t": num(row.t),
            "p_value": num(row.t_p, 6),
            "wilcoxon_w": num(row.wilcoxon_w),
            "wilcoxon_p": num(row.wilcoxon_p, 6),
            "note": row.note or None,
        }

    rows = [one(r) for r in ev.gain.itertuples(index=False)]
    return {"pre": pre, "post": post, **rows[0], "competencies": rows[1:]}


def summary_of(ev: CohortEvaluation, *, pre: str = PRE_TEST, post: str = POST_TEST) -> dict:
    """The JSON-safe headline figures of a :class:`CohortEvaluation` (no NaN: null + notes)."""
    assignments = []
    for row in ev.tests.itertuples(index=False):
        its = ev.items[ev.items["assignment"] == row.assignment]
        ci = [num(row.alpha_ci_low), num(row.alpha_ci_high)]
        assignments.append(
            {
                "assignment": row.assignment,
                "n": int(row.n),
                "max_score": num(row.max_score),
                "mean_pct": num(row.mean_pct),
                "median_pct": num(row.median_pct),
                "sd_pct": num(row.sd_pct),
                "skewness": num(row.skewness),
                "kurtosis": num(row.kurtosis),
                "alpha": num(row.alpha),
                "alpha_ci": ci if None not in ci else None,
                "alpha_ci_method": ALPHA_CI_METHOD,
                "alpha_band": row.alpha_band,
                "error_ratio": num(row.error_ratio),
                "sem": num(row.sem),
                "n_alpha": int(row.n_alpha) if row.n_alpha is not None else None,
                "notes": list(row.notes),
                "items": [_item_summary(i) for i in its.itertuples(index=False)],
            }
        )
    competencies = []
    if ev.mastery is not None:
        competencies = [
            {
                "competency": r.competency,
                "statement": r.statement,
                "n": int(r.n),
                "n_mastered": None if pd.isna(r.n_mastered) else int(r.n_mastered),
                "mastery_rate": num(r.mastery_rate),
                "ci": None if pd.isna(r.ci_low) else [num(r.ci_low), num(r.ci_high)],
                "ci_method": "Wilson 95%",
            }
            for r in ev.mastery.itertuples(index=False)
        ]
    return {
        "cohort": ev.cohort,
        "n_trainees": ev.n_trainees,
        "threshold": ev.threshold,
        "names": ev.names,
        "suppressed": ev.suppressed,
        "definitions": "evaluation/STATISTICS.md",
        "assignments": assignments,
        "competencies": competencies,
        "gain": _gain_summary(ev, pre, post),
        "gaps": {
            "performance": None if ev.performance is None else len(ev.performance),
            "coverage": None if ev.coverage is None else len(ev.coverage),
            "items": len(ev.item_gaps),
        },
        "actions": [
            {"priority": int(r.priority), "area": r.area, "action": r.action}
            for r in ev.actions.itertuples(index=False)
        ],
        "notes": list(ev.notes),
    }
