""" "What to change in the curriculum": plain-language actions derived from the gaps.

Each action names what to change, where (module, item), why (the evidence) and how urgent it is,
so that an academy director can act on it without reading the statistics; ``n`` is the size of the
smallest group of trainees its evidence rests on (None when it rests on the curriculum alone), so
that a report can withhold an action whose evidence comes from too small a group.

The actions are honest about their evidence (see ``docs/reading-the-reports.md``):

- a competency whose post-test score fell below its pre-test score, or did not rise above it
  (the same whole percentage), comes first;
- within a priority the most severe comes first (a competency with the lowest mastery rate and
  interval, an item with the lowest discrimination), not the alphabet;
- across cohorts, a competency's status rests on the latest cohort, and its action states the
  trend from the first cohort to the latest;
- an item with several flags gets the action of its most severe flag;
- a test whose alpha is below the line but whose interval reaches it is *uncertain*;
- a competency below target whose interval still reaches the target is *uncertain* (``status``),
  to be checked with the next cohort, not re-taught;
- item flags that rest on fewer trainees than the stability line (``unstable_below``) are
  provisional: they are not actions;
- the pre-test is meant to be hard: its items get no difficulty action (too hard, too easy);
- the wording is for the reader of a finished cohort: changes apply to the next cohort.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from toolkit.analysis.items import FLAG_NEGATIVE, FLAG_TOO_EASY, FLAG_TOO_HARD, FLAG_WEAK
from toolkit.settings import (
    ALPHA_UNSATISFACTORY,
    INTERVAL_LEVEL,
    NO_GAIN_CEILING_PCT,
    UNSTABLE_BELOW,
)

ACTION_COLUMNS = ["priority", "area", "action", "evidence", "n", "status"]
#: Hidden sort key within a priority: lower is more severe (dropped from the result).
_KEY = "_severity"
Row = tuple[int, str, str, str, int | None, str, float]
#: ``status`` of an action: the evidence is clear, or the interval still reaches the target.
CLEAR = "act"
UNCERTAIN = "uncertain"
#: Overall scope of the gain table (:data:`toolkit.analysis.gain.OVERALL`).
_OVERALL = "overall"

_ITEM_ACTIONS = {
    FLAG_NEGATIVE: (
        1,
        "Check the answer key and the test of item {item} before the next cohort: stronger "
        "trainees did no better on it than weaker ones (its discrimination is below zero).",
    ),
    FLAG_TOO_HARD: (
        2,
        "Item {item} was too hard: check that the module teaches what it asks and that its "
        "wording is clear before the next cohort.",
    ),
    FLAG_WEAK: (
        3,
        "Item {item} did not separate trainees who know the material from those who do not: "
        "rewrite it (clearer case facts, more plausible wrong options).",
    ),
    FLAG_TOO_EASY: (
        4,
        "Item {item} was too easy to tell anyone apart: make the case harder or replace it.",
    ),
}
#: Flags about difficulty, which a pre-test is expected to show.
_DIFFICULTY = frozenset({FLAG_TOO_HARD, FLAG_TOO_EASY})


def _smallest(sizes: Any) -> int | None:
    """The smallest of one group size or a list of them (None when none is known)."""
    values = sizes if isinstance(sizes, list | tuple | pd.Series) else [sizes]
    known = [int(v) for v in values if v is not None and not pd.isna(v)]
    return min(known) if known else None


def _where(module: Any) -> str:
    return f" (module {module})" if isinstance(module, str) and module else ""


def _falls(gain: pd.DataFrame | None) -> list[Row]:
    """Competencies whose matched trainees scored lower on the post-test than on the pre-test,
    or no higher (the same whole percentage): no gain is as urgent as a fall, except at the
    ceiling (a pre-test mean of ``NO_GAIN_CEILING_PCT`` or more leaves little room to rise)."""
    rows: list[Row] = []
    if gain is None or gain.empty:
        return rows
    scoped = gain[gain["scope"] != _OVERALL].dropna(subset=["mean_pre_pct", "mean_post_pct"])
    for r in scoped.itertuples(index=False):
        pre, post = float(r.mean_pre_pct), float(r.mean_post_pct)
        if round(post) > round(pre):
            continue
        if round(post) == round(pre) and pre >= NO_GAIN_CEILING_PCT:
            continue  # already at the ceiling before the course
        if round(post) < round(pre):
            verb = "fell from the pre-test to the post-test"
        else:
            verb = "did not rise from the pre-test to the post-test (no gain)"
        rows.append(
            (
                0,
                f"competency {r.scope}",
                f"Scores on competency {r.scope} {verb}: review what its module teaches and the "
                "post-test items on it before the next cohort.",
                f"mean {pre:.0f}% on the pre-test, {post:.0f}% on the post-test "
                f"({r.n_matched} matched trainees)",
                _smallest(r.n_matched),
                CLEAR,
                post - pre,
            )
        )
    return rows


def _rate(x: Any) -> str:
    return "n/a" if x is None or pd.isna(x) else f"{100 * float(x):.0f}%"


def _performance(performance: pd.DataFrame, cohorts: list[str] | None = None) -> list[Row]:
    """One action per competency that falls short; with several cohorts its status rests on the
    latest cohort (``cohorts`` in order; else the order of the rows) and the action states the
    trend from the first cohort to the latest."""
    rows: list[Row] = []
    order = list(cohorts) if cohorts else list(dict.fromkeys(str(c) for c in performance["cohort"]))
    latest_cohort = order[-1] if order else None
    for competency, group in performance.groupby("competency", sort=True):
        group = group.assign(
            _order=[order.index(str(c)) if str(c) in order else -1 for c in group["cohort"]]
        )
        group = group.sort_values("_order", kind="stable")
        first, last = group.iloc[0], group.iloc[-1]
        evidence = "; ".join(str(e) for e in group["evidence"])
        n = _smallest(group["n"])
        area = f"competency {competency}"
        where = _where(first.module)
        key = float(last.mastery_rate) if pd.notna(last.mastery_rate) else 1.0
        key += (float(last.ci_high) if pd.notna(last.ci_high) else 1.0) / 100
        if len(order) > 1 and str(last.cohort) != latest_cohort:
            text = (
                f"Competency {competency}{where} was below target in cohort {last.cohort} but "
                f"not in the latest cohort {latest_cohort}: watch it in the next cohort."
            )
            rows.append((5, area, text, evidence, n, UNCERTAIN, key))
            continue
        trend = ""
        if len(group) > 1 and pd.notna(first.mastery_rate) and pd.notna(last.mastery_rate):
            a, b = float(first.mastery_rate), float(last.mastery_rate)
            word = (
                "rose"
                if round(100 * b) > round(100 * a)
                else ("fell" if round(100 * b) < round(100 * a) else "stayed")
            )
            trend = (
                f" Its mastery rate stayed at {_rate(b)} from cohort {first.cohort} to cohort "
                f"{last.cohort}."
                if word == "stayed"
                else f" Its mastery rate {word} from {_rate(a)} in cohort {first.cohort} to "
                f"{_rate(b)} in cohort {last.cohort}."
            )
        if last.severity == "clear":
            text = (
                f"For the next cohort, strengthen the teaching of competency {competency}{where} "
                f"with worked cases and practice: too few trainees of cohort {last.cohort} "
                f"mastered it ({_rate(last.mastery_rate)}, interval {_rate(last.ci_low)}-"
                f"{_rate(last.ci_high)}).{trend}"
            )
            rows.append((1, area, text, evidence, n, CLEAR, key))
        else:
            text = (
                f"Uncertain: competency {competency}{where} is below target in cohort "
                f"{last.cohort}, but its interval still reaches the target. Watch it in the "
                f"next cohort before changing the module.{trend}"
            )
            rows.append((5, area, text, evidence, n, UNCERTAIN, key))
    return rows


def _coverage(coverage: pd.DataFrame) -> list[Row]:
    rows: list[Row] = []
    for r in coverage.itertuples(index=False):
        if r.kind == "competency":
            text = (
                f"Add assessed items for competency {r.name}{_where(r.module)}: with so few "
                "items its mastery cannot be measured reliably."
            )
        elif r.kind == "topic":
            text = (
                f"The framework topic '{r.name}' is not assessed anywhere: add a competency and "
                "items for it, or record why it is out of scope."
            )
        else:
            text = f"Fix the curriculum map: it names item {r.name}, which no assignment has."
        rows.append((2, f"coverage: {r.name}", text, r.evidence, None, CLEAR, 0.0))
    return rows


def _items(items: pd.DataFrame, pretest: str | None, unstable_below: int) -> list[Row]:
    """One action per flagged item: its most severe flag decides the action."""
    rows: list[Row] = []
    for r in items.itertuples(index=False):
        n = _smallest(r.n)
        if n is None or n < unstable_below:
            continue  # provisional: shown in the item table, not an action
        pre = pretest is not None and r.assignment == pretest
        usable = [f for f in r.flags if f in _ITEM_ACTIONS and not (pre and f in _DIFFICULTY)]
        if not usable:
            continue
        urgency, text = min(_ITEM_ACTIONS[f] for f in usable)
        disc = getattr(r, "discrimination", None)
        key = float(disc) if disc is not None and pd.notna(disc) else 0.0
        rows.append(
            (urgency, f"item {r.item}", text.format(item=r.item), r.evidence, n, CLEAR, key)
        )
    return rows


def curriculum_actions(
    performance: pd.DataFrame | None = None,
    coverage: pd.DataFrame | None = None,
    items: pd.DataFrame | None = None,
    drift: pd.DataFrame | None = None,
    tests: pd.DataFrame | None = None,
    *,
    gain: pd.DataFrame | None = None,
    pretest: str | None = None,
    unstable_below: int = UNSTABLE_BELOW,
    cohorts: list[str] | None = None,
) -> pd.DataFrame:
    """Actions sorted by priority (0 = do first), with the evidence behind each.

    Args:
        performance, coverage, items, drift, tests: the gap tables (items: flagged items with
            their ``n``; tests: whole-test statistics with ``alpha_band``).
        gain: the learning-gain table; a competency whose post-test mean is below its pre-test
            mean makes the first action.
        pretest: the pre-test assignment, whose items get no difficulty action.
        unstable_below: item flags resting on fewer trainees are provisional, not actions.
        cohorts: the cohorts in order (oldest first); a competency's status rests on the last.

    Returns:
        columns :data:`ACTION_COLUMNS`; ``status`` is :data:`CLEAR` or :data:`UNCERTAIN`.
    """
    rows = _falls(gain)
    if performance is not None and not performance.empty:
        rows += _performance(performance, cohorts)
    if coverage is not None:
        rows += _coverage(coverage)
    if items is not None:
        rows += _items(items, pretest, unstable_below)
    if drift is not None:
        for r in drift[drift["drift"].astype(bool)].itertuples(index=False):
            rows.append(
                (
                    2,
                    f"drift: {r.name}",
                    f"Results on {r.kind} {r.name} changed across cohorts beyond chance: find "
                    "out what changed (instructor, materials, item wording) and keep what "
                    "works.",
                    r.evidence,
                    _smallest(r.n),
                    CLEAR,
                    0.0,
                )
            )
    if tests is not None:
        for r in tests.itertuples(index=False):
            if r.alpha_band != "unsatisfactory":
                continue
            high = getattr(r, "alpha_ci_high", None)
            low = getattr(r, "alpha_ci_low", None)
            interval = ""
            if high is not None and pd.notna(high) and low is not None and pd.notna(low):
                interval = f", {INTERVAL_LEVEL:.0%} CI {float(low):.2f} to {float(high):.2f}"
            evidence = (
                f"Cronbach's alpha {r.alpha:.3f}{interval}, below Moodle's unsatisfactory line "
                f"of {ALPHA_UNSATISFACTORY}"
            )
            if high is not None and pd.notna(high) and float(high) >= ALPHA_UNSATISFACTORY:
                text = (
                    f"Uncertain: the reliability of {r.assignment} is below the line, but its "
                    "interval still reaches it. Check it with the next cohort; rewrite the weak "
                    "items meanwhile."
                )
                rows.append(
                    (5, f"test {r.assignment}", text, evidence, _smallest(r.n), UNCERTAIN, r.alpha)
                )
            else:
                text = (
                    f"The scores of {r.assignment} are not reliable enough to judge individuals: "
                    "add items and rewrite the weak ones before the next cohort."
                )
                rows.append(
                    (3, f"test {r.assignment}", text, evidence, _smallest(r.n), CLEAR, r.alpha)
                )
    frame = pd.DataFrame(rows, columns=[*ACTION_COLUMNS, _KEY])
    frame[_KEY] = pd.to_numeric(frame[_KEY], errors="coerce").fillna(0.0)
    frame = frame.sort_values(["priority", _KEY], kind="stable", ignore_index=True)
    return frame[ACTION_COLUMNS]
