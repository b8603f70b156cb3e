""" "What to change in the curriculum": plain-language actions derived from the gaps.

Each action names what to change, where (module, item), why (the evidence) and how urgent it is,
so that an academy director can act on it without reading the statistics; ``n`` is the size of the
smallest group of trainees its evidence rests on (None when it rests on the curriculum alone), so
that a report can withhold an action whose evidence comes from too small a group.

The actions are honest about their evidence (see ``docs/reading-the-reports.md``):

- a competency whose post-test score fell below its pre-test score comes first;
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
from toolkit.settings import ALPHA_UNSATISFACTORY, UNSTABLE_BELOW

ACTION_COLUMNS = ["priority", "area", "action", "evidence", "n", "status"]
#: ``status`` of an action: the evidence is clear, or the interval still reaches the target.
CLEAR = "act"
UNCERTAIN = "uncertain"
#: Overall scope of the gain table (:data:`toolkit.analysis.gain.OVERALL`).
_OVERALL = "overall"

_ITEM_ACTIONS = {
    FLAG_NEGATIVE: (
        1,
        "Check the answer key and the test of item {item} before the next cohort: stronger "
        "trainees scored lower on it than weaker ones.",
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


def _falls(gain: pd.DataFrame | None) -> list[tuple[int, str, str, str, int | None, str]]:
    """Competencies whose matched trainees scored lower on the post-test than on the pre-test."""
    rows: list[tuple[int, str, str, str, int | None, str]] = []
    if gain is None or gain.empty:
        return rows
    scoped = gain[gain["scope"] != _OVERALL].dropna(subset=["mean_pre_pct", "mean_post_pct"])
    for r in scoped.itertuples(index=False):
        pre, post = float(r.mean_pre_pct), float(r.mean_post_pct)
        if post < pre:
            rows.append(
                (
                    0,
                    f"competency {r.scope}",
                    f"Scores on competency {r.scope} fell from the pre-test to the post-test: "
                    "review what its module teaches and the post-test items on it before the "
                    "next cohort.",
                    f"mean {pre:.0f}% on the pre-test, {post:.0f}% on the post-test "
                    f"({r.n_matched} matched trainees)",
                    _smallest(r.n_matched),
                    CLEAR,
                )
            )
    return rows


def _performance(performance: pd.DataFrame) -> list[tuple[int, str, str, str, int | None, str]]:
    """One action per competency that falls short (all its cohorts together)."""
    rows: list[tuple[int, str, str, str, int | None, str]] = []
    for competency, group in performance.groupby("competency", sort=True):
        first = group.iloc[0]
        cohorts = ", ".join(str(c) for c in group["cohort"])
        plural = "cohorts" if len(group) > 1 else "cohort"
        evidence = "; ".join(str(e) for e in group["evidence"])
        if (group["severity"] == "clear").any():
            text = (
                f"For the next cohort, strengthen the teaching of competency {competency}"
                f"{_where(first.module)} with worked cases and practice: too few trainees of "
                f"{plural} {cohorts} mastered it."
            )
            rows.append(
                (1, f"competency {competency}", text, evidence, _smallest(group["n"]), CLEAR)
            )
        else:
            text = (
                f"Uncertain: competency {competency}{_where(first.module)} is below target in "
                f"{plural} {cohorts}, but its interval still reaches the target. Watch it in the "
                "next cohort before changing the module."
            )
            rows.append(
                (5, f"competency {competency}", text, evidence, _smallest(group["n"]), UNCERTAIN)
            )
    return rows


def _coverage(coverage: pd.DataFrame) -> list[tuple[int, str, str, str, int | None, str]]:
    rows: list[tuple[int, str, str, str, int | None, str]] = []
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
        rows.append((2, f"coverage: {r.name}", text, r.evidence, None, CLEAR))
    return rows


def _items(
    items: pd.DataFrame, pretest: str | None, unstable_below: int
) -> list[tuple[int, str, str, str, int | None, str]]:
    rows: list[tuple[int, str, str, str, int | None, str]] = []
    for r in items.itertuples(index=False):
        n = _smallest(r.n)
        if n is None or n < unstable_below:
            continue  # provisional: shown in the item table, not an action
        for flag in r.flags:
            if flag in _DIFFICULTY and pretest is not None and r.assignment == pretest:
                continue
            if flag in _ITEM_ACTIONS:
                urgency, text = _ITEM_ACTIONS[flag]
                rows.append(
                    (urgency, f"item {r.item}", text.format(item=r.item), r.evidence, n, CLEAR)
                )
                break
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
) -> pd.DataFrame:
    """Actions sorted by priority (0 = do first), with the evidence behind each.

    Args:
        performance, coverage, items, drift, tests: the gap tables (items: flagged items with
            their ``n``; tests: whole-test statistics with ``alpha_band``).
        gain: the learning-gain table; a competency whose post-test mean is below its pre-test
            mean makes the first action.
        pretest: the pre-test assignment, whose items get no difficulty action.
        unstable_below: item flags resting on fewer trainees are provisional, not actions.

    Returns:
        columns :data:`ACTION_COLUMNS`; ``status`` is :data:`CLEAR` or :data:`UNCERTAIN`.
    """
    rows = _falls(gain)
    if performance is not None and not performance.empty:
        rows += _performance(performance)
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
                )
            )
    if tests is not None:
        for r in tests.itertuples(index=False):
            if r.alpha_band == "unsatisfactory":
                rows.append(
                    (
                        3,
                        f"test {r.assignment}",
                        f"The scores of {r.assignment} are not reliable enough to judge "
                        "individuals: add items and rewrite the weak ones before the next "
                        "cohort.",
                        f"Cronbach's alpha {r.alpha:.3f}, below Moodle's unsatisfactory line "
                        f"of {ALPHA_UNSATISFACTORY}",
                        _smallest(r.n),
                        CLEAR,
                    )
                )
    frame = pd.DataFrame(rows, columns=ACTION_COLUMNS)
    return frame.sort_values("priority", kind="stable", ignore_index=True)
