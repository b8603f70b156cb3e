"""The outcomes report's evaluation: every table and figure, computed, then disclosed.

:func:`evaluate_outcomes` reads the agency data, the roll-out and (optionally) the victim-support
records and the course's follow-up answers, and returns an :class:`OutcomesEvaluation` whose tables
declare their disclosure rule: agency figures of a public file are shown as computed
(``NoPeople``); victim-support and follow-up figures rest on groups of cases or trainees and are
blanked below the threshold (``Aggregate``). :func:`disclosed_outcomes_evaluation` is the one call
the template makes; :func:`outcomes_summary` builds ``summary.json`` from the disclosed evaluation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import CourseError
from toolkit.outcomes import followup
from toolkit.outcomes.estimate import DidResult, its_table, staggered_did
from toolkit.outcomes.rollout import read_rollout
from toolkit.outcomes.ucr import AgencyData, read_agency_data
from toolkit.outcomes.victims import read_victim_support, victim_support_summary
from toolkit.reports.disclose import (
    CONTEXT,
    Aggregate,
    Evaluation,
    NoPeople,
    Table,
    disclose,
)
from toolkit.reports.executive import summary_envelope
from toolkit.reports.render import format_p
from toolkit.reports.summary import num
from toolkit.settings import (
    EXECUTIVE_ACTIONS,
    INTERVAL_LEVEL,
    OUTCOMES_MDE_POWER,
    OUTCOMES_PRETREND_ALPHA,
    OUTCOMES_SMALL_COUNT,
    OUTCOMES_SMALL_COUNT_SHARE,
    SUPPRESSION_THRESHOLD,
)


@dataclass(frozen=True, kw_only=True)
class OutcomesEvaluation(Evaluation):
    """Levels 3 and 4 of one programme: agency results and follow-up behaviour."""

    yearly: Table
    event_study: Table
    its: Table
    problems: Table
    victim_support: Table | None = None
    application: Table | None = None
    intention: Table | None = None
    supervisor: Table | None = None
    behaviours: Table | None = None
    barriers: Table | None = None
    did: dict[str, Any] = field(default_factory=dict, metadata=CONTEXT)
    data: dict[str, Any] = field(default_factory=dict, metadata=CONTEXT)
    limitations: list[str] = field(default_factory=list, metadata=CONTEXT)
    headline: list[str] = field(default_factory=list, metadata=CONTEXT)
    actions: list[str] = field(default_factory=list, metadata=CONTEXT)
    synthetic: str = field(default="", metadata=CONTEXT)
    threshold: int = field(default=SUPPRESSION_THRESHOLD, metadata=CONTEXT)


def yearly_table(panel: pd.DataFrame, rollout: pd.DataFrame) -> pd.DataFrame:
    """Per year, trained and comparison agencies that reported: agencies, offences, cleared, the
    pooled clearance rate (%) and the share of agency-years with small counts."""
    trained = panel["ori"].isin(set(rollout["ori"]))
    frame = panel.assign(group=trained.map({True: "trained", False: "comparison"}))
    out = (
        frame.groupby(["year", "group"], as_index=False)
        .agg(
            agencies=("ori", "nunique"),
            offences=("offences", "sum"),
            cleared=("cleared", "sum"),
            small_count_share=("small_count", "mean"),
        )
        .sort_values(["year", "group"], ignore_index=True)
    )
    out["clearance_rate"] = (100.0 * out["cleared"] / out["offences"]).where(out["offences"] > 0)
    return out[
        ["year", "group", "agencies", "offences", "cleared", "clearance_rate", "small_count_share"]
    ]


def did_context(did: DidResult, *, alpha: float = OUTCOMES_PRETREND_ALPHA) -> dict[str, Any]:
    """The ``att`` of ``summary.json`` (before the event study is added)."""
    passed = None if math.isnan(did.pretrend_p) else bool(did.pretrend_p >= alpha)
    return {
        "estimate": num(did.estimate),
        "ci_low": num(did.ci_low),
        "ci_high": num(did.ci_high),
        "se": num(did.se),
        "level": INTERVAL_LEVEL,
        "unit": "percentage points of clearance rate",
        "method": did.method,
        "trained_agencies": did.trained,
        "comparison_agencies": did.comparison,
        "minimum_detectable_effect": num(did.mde),
        "mde_power": OUTCOMES_MDE_POWER,
        "pretrend": {
            "statistic": num(did.pretrend_stat),
            "df": did.pretrend_df,
            "p_value": num(did.pretrend_p),
            "alpha": alpha,
            "passed": passed,
        },
        "attributable": bool(did.estimated and passed is True),
        "limitation": did.limitation,
    }


def _limitations(data: AgencyData, did: DidResult, analysed: pd.DataFrame) -> list[str]:
    notes = []
    if did.limitation:
        notes.append(f"No effect is estimated: {did.limitation}.")
    elif did.pretrend_df == 0 or math.isnan(did.pretrend_p):
        notes.append(
            "No pre-trend test was possible (no trained agency reported two years before "
            "training): the change cannot be attributed to training."
        )
    elif did.pretrend_p < OUTCOMES_PRETREND_ALPHA:
        notes.append(
            f"Cannot attribute: trained and comparison agencies already moved differently before "
            f"training (pre-trend test p = {did.pretrend_p:.3f} < {OUTCOMES_PRETREND_ALPHA})."
        )
    if did.estimated:
        notes.append(
            f"Minimum detectable effect: with this many agencies and years, only a change of about "
            f"{did.mde:.1f} percentage points or more would be found {OUTCOMES_MDE_POWER:.0%} of the "
            "time; smaller real changes can go unseen."
        )
    small = float(analysed["small_count"].mean()) if len(analysed) else float("nan")
    if not math.isnan(small) and small > OUTCOMES_SMALL_COUNT_SHARE:
        notes.append(
            f"Small counts: {small:.0%} of the agency-years analysed had fewer than "
            f"{OUTCOMES_SMALL_COUNT} offences, so yearly rates are very noisy."
        )
    notes.append(
        f"Not reported: {data.not_reported()} agency-years between {data.first_year} and "
        f"{data.last_year} are absent from the file; they are treated as missing, never as zero."
    )
    kinds = data.problems["problem"].value_counts()
    for problem, count in kinds.items():
        notes.append(f"Data problem found: {problem} in {count} agency-year(s) (listed below).")
    return notes


def _headline(
    did: DidResult, context: dict[str, Any], synthetic: str
) -> tuple[list[str], list[str]]:
    """What happened, and what to change, in plain sentences."""
    label = f" ({synthetic})" if synthetic else ""
    if not did.estimated:
        return (
            [f"The effect of training on case clearance could not be estimated{label}."],
            [
                "Collect agency data covering years before and after training for more trained "
                "and comparison agencies, then run this report again."
            ],
        )
    what = (
        f"In trained agencies the yearly clearance rate changed by {did.estimate:+.1f} percentage "
        f"points after training compared with agencies not yet trained ({INTERVAL_LEVEL:.0%} "
        f"interval {did.ci_low:+.1f} to {did.ci_high:+.1f}){label}."
    )
    lines = [what]
    actions = []
    if not context["attributable"]:
        lines.append("This change cannot be attributed to training (see the pre-trend test).")
        actions.append(
            "Do not report this figure as an effect of training; compare agencies that are more "
            "alike, or wait for more years of data."
        )
    elif did.ci_low > 0:
        lines.append("The interval lies above zero: clearance improved after training.")
        actions.append("Keep the programme and extend it to agencies not yet trained.")
    elif did.ci_high < 0:
        lines.append("The interval lies below zero: clearance fell after training.")
        actions.append("Review what trained agencies changed in practice; look at the barriers.")
    else:
        lines.append(
            f"The interval includes zero: no change as large as {did.mde:.1f} points is likely "
            "to have gone unseen, smaller ones may have."
        )
        actions.append(
            "Look at the follow-up (level 3): if officers do not apply the training, results "
            "cannot follow; address the most common barriers first."
        )
    return lines, actions


#: What to change when a barrier is ticked by many follow-up respondents.
BARRIER_ACTIONS = {
    "Lack of support from my supervisor": "Brief supervisors on the course and ask them to plan "
    "with their officers where to use it.",
    "Agency policy or procedures": "Review with command staff the procedures that stand in the "
    "way of screening, referral and joint case plans.",
    "Not enough time": "Build screening and referral into existing routines instead of adding "
    "steps.",
    "Lack of tools or resources": "Provide the tools the course assumes: screening checklists, "
    "referral contacts, case-plan templates.",
    "Few chances to use it in my role": "Offer the course first to roles that meet possible "
    "victims, and a short refresher before first use.",
}
#: A barrier ticked by at least this share of respondents gets its action on page one.
BARRIER_ACTION_SHARE = 0.3
#: A competency applied by fewer than this share of respondents is named on page one.
LOW_APPLICATION = 0.5


def level3_headline(ev: OutcomesEvaluation) -> tuple[list[str], list[str]]:
    """Page-one sentences about behaviour on the job, from the *disclosed* level-3 tables (a
    suppressed group contributes nothing), and the actions they lead to."""
    lines, actions = _level3(ev)
    return lines, [action for action, _ in actions]


def _level3(ev: OutcomesEvaluation) -> tuple[list[str], list[tuple[str, str]]]:
    """Page-one sentences about behaviour on the job, and each action with its own evidence."""
    if ev.application is None:
        return (
            ["Behaviour on the job is not measured yet: the course has no follow-up answers."],
            [
                (
                    "Release the follow-up assignment about three months after the course.",
                    "no follow-up answers in this course",
                )
            ],
        )
    applied = ev.application.frame.dropna(subset=["applying_share"])
    if applied.empty:
        return (["Too few follow-up answers to report behaviour on the job."], [])
    low = applied.loc[applied["applying_share"].idxmin()]
    high = applied.loc[applied["applying_share"].idxmax()]
    lines = [
        f"On the job, the share of followed-up trainees applying a competency ranges from "
        f"{low['applying_share']:.0%} ({low['competency']}) to {high['applying_share']:.0%} "
        f"({high['competency']})."
    ]
    actions: list[tuple[str, str]] = []
    weak = applied[applied["applying_share"] < LOW_APPLICATION]
    if not weak.empty:
        actions.append(
            (
                f"Give {', '.join(map(str, weak['competency']))} practice closer to the job, and "
                "ask supervisors to follow it up.",
                "applied on the job by "
                + ", ".join(
                    f"{r.applying_share:.0%} ({r.competency})" for r in weak.itertuples(index=False)
                )
                + f" of followed-up trainees, under {LOW_APPLICATION:.0%}",
            )
        )
    if ev.barriers is not None:
        barriers = ev.barriers.frame.dropna(subset=["share"]).sort_values("share", ascending=False)
        if not barriers.empty:
            top = barriers.iloc[0]
            lines.append(
                f"Most often in the way: {top['barrier']} ({top['share']:.0%} of respondents)."
            )
            for rec in barriers.itertuples(index=False):
                if rec.share >= BARRIER_ACTION_SHARE and rec.barrier in BARRIER_ACTIONS:
                    actions.append(
                        (
                            BARRIER_ACTIONS[str(rec.barrier)],
                            f"{rec.share:.0%} of follow-up respondents ticked "
                            f"\u201c{rec.barrier}\u201d",
                        )
                    )
    return lines, actions


def evaluate_outcomes(
    agency_data: str | Path,
    rollout: str | Path,
    *,
    victim_support: str | Path | None = None,
    responses: pd.DataFrame | None = None,
    competencies: list[str] | None = None,
    synthetic: str = "",
    threshold: int = SUPPRESSION_THRESHOLD,
) -> OutcomesEvaluation:
    """Every table of the outcomes report, undisclosed."""
    data = read_agency_data(agency_data)
    plan = read_rollout(rollout, data)
    did = staggered_did(data.panel, plan)
    context = did_context(did)
    analysed = data.panel[data.panel["clearance_rate"].notna()]
    victims = None
    if victim_support is not None:
        records = read_victim_support(victim_support, set(data.panel["ori"]))
        victims = Table(
            victim_support_summary(records, plan), Aggregate(n="cases", shown=("group", "period"))
        )
    level3: dict[str, Table] = {}
    if responses is not None and responses["exercise"].str.startswith("followup.", na=False).any():
        comps = competencies or []
        level3 = {
            "application": Table(
                followup.application(responses, comps), Aggregate(shown=("competency",))
            ),
            "intention": Table(
                followup.against_intention(responses, comps), Aggregate(shown=("competency",))
            ),
            "supervisor": Table(
                followup.supervisor(responses, comps), Aggregate(shown=("competency",))
            ),
            "behaviours": Table(followup.behaviours(responses), Aggregate(shown=("behaviour",))),
            "barriers": Table(followup.barriers(responses), Aggregate(shown=("barrier",))),
        }
    headline, actions = _headline(did, context, synthetic)
    return OutcomesEvaluation(
        subject="agencies",
        yearly=Table(yearly_table(data.panel, plan), NoPeople()),
        event_study=Table(did.event_study, NoPeople()),
        its=Table(its_table(data.panel, plan), NoPeople()),
        problems=Table(data.problems, NoPeople()),
        victim_support=victims,
        did=context,
        data={
            "rows": data.rows,
            "agencies": data.agencies,
            "agency_years": len(data.panel),
            "agency_years_with_rate": len(analysed),
            "not_reported_agency_years": data.not_reported(),
            "first_year": data.first_year,
            "last_year": data.last_year,
            "trained_agencies": len(plan),
            "officers_trained": int(plan["officers_trained"].sum()),
        },
        limitations=_limitations(data, did, analysed),
        headline=headline,
        actions=actions,
        synthetic=synthetic,
        threshold=threshold,
        application=level3.get("application"),
        intention=level3.get("intention"),
        supervisor=level3.get("supervisor"),
        behaviours=level3.get("behaviours"),
        barriers=level3.get("barriers"),
    )


def course_followup(course_dir: str | Path | None) -> tuple[pd.DataFrame | None, list[str]]:
    """The course's response frame and competency ids, or (None, []) without a course or
    answers."""
    if not course_dir:
        return None, []
    from toolkit.course.curriculum import load_curriculum
    from toolkit.data.course_data import load_widget_responses

    responses = load_widget_responses(course_dir)
    try:
        competencies = list(load_curriculum(Path(course_dir)).competencies["competency"])
    except CourseError:  # no curriculum map: level 3 per competency cannot be shown
        competencies = []
    return responses, competencies


def disclosed_outcomes_evaluation(
    agency_data: str,
    rollout: str,
    *,
    victim_support: str | None = None,
    course_dir: str | None = None,
    synthetic: str = "",
    threshold: int = SUPPRESSION_THRESHOLD,
) -> OutcomesEvaluation:
    """Load, evaluate and disclose: the one call of the outcomes template."""
    responses, competencies = course_followup(course_dir)
    evaluation = evaluate_outcomes(
        agency_data,
        rollout,
        victim_support=victim_support,
        responses=responses,
        competencies=competencies,
        synthetic=synthetic,
        threshold=threshold,
    )
    return disclose(evaluation, threshold=threshold)


def _json(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return num(value)
    return str(value)


def _records(table: Table | None) -> list[dict[str, Any]]:
    if table is None:
        return []
    return [
        {str(k): _json(v) for k, v in row.items()} for row in table.frame.to_dict(orient="records")
    ]


def outcomes_executive(ev: OutcomesEvaluation) -> dict[str, Any]:
    """Page one of the outcomes report, in the shape every report's executive block has (see
    :func:`toolkit.reports.executive.executive_html`): what happened, the key figures, and what
    to change with its evidence."""
    behaviour, changes = _level3(ev)
    did = ev.did
    headline = [*ev.headline, *behaviour]
    if ev.synthetic:
        headline.insert(0, f"SYNTHETIC: {ev.synthetic}. These figures describe no real programme.")
    figures: list[dict[str, Any]] = []
    if did["estimate"] is not None:
        caveats = [
            "synthetic" if ev.synthetic else "",
            "" if did["attributable"] else "not attributable to training",
        ]
        label = "; ".join(c for c in caveats if c)
        figures.append(
            {
                "label": "change in clearance rate" + (f" ({label})" if label else ""),
                "value": f"{did['estimate']:+.1f} points",
                "detail": f"{did['level']:.0%} interval {did['ci_low']:+.1f} to "
                f"{did['ci_high']:+.1f}",
            }
        )
        pre = did["pretrend"]
        verdict = {True: "passed", False: "failed"}.get(pre["passed"], "not possible")
        detail = "" if pre["p_value"] is None else format_p(pre["p_value"])
        figures.append({"label": "pre-trend test", "value": verdict, "detail": detail})
        figures.append(
            {
                "label": "agencies",
                "value": f"{did['trained_agencies']} trained",
                "detail": f"{did['comparison_agencies']} for comparison",
            }
        )
    results = ev.headline[0].rstrip(".") if ev.headline else ""
    pairs = [(text, results) for text in ev.actions] + changes
    actions = [
        {
            "priority": i + 1,
            "area": "results" if i < len(ev.actions) else "behaviour",
            "action": text,
            "evidence": evidence,
            "status": "act",
        }
        for i, (text, evidence) in enumerate(pairs)
    ]
    return {
        "title": "Field outcomes report: behaviour on the job and results in the agencies",
        "headline": headline,
        "figures": figures,
        "competencies": None,
        "actions": actions[:EXECUTIVE_ACTIONS],
        "more_actions": max(0, len(actions) - EXECUTIVE_ACTIONS),
        "reaction": None,
    }


def outcomes_summary(ev: OutcomesEvaluation) -> dict[str, Any]:
    """``summary.json``: the effect, its event study and limits, data problems, level 3."""
    att = dict(ev.did)
    att["event_study"] = _records(ev.event_study)
    behaviour, changes = level3_headline(ev)
    return summary_envelope(
        outcomes_executive(ev),
        {
            "report": "outcomes",
            "synthetic": ev.synthetic or None,
            "att": att,
            "headline": [*ev.headline, *behaviour],
            "actions": [*ev.actions, *changes],
            "limitations": ev.limitations,
            "data": ev.data,
            "data_problems": ev.problems.frame["problem"].value_counts().to_dict(),
            "small_count_below": OUTCOMES_SMALL_COUNT,
            "threshold": ev.threshold,
            "victim_support": _records(ev.victim_support),
            "level3": {
                "application": _records(ev.application),
                "against_intention": _records(ev.intention),
                "supervisor": _records(ev.supervisor),
                "behaviours": _records(ev.behaviours),
                "barriers": _records(ev.barriers),
            },
        },
    )
