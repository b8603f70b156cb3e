""" "What to change in the curriculum": plain-language actions derived from the gaps.

Each action names what to change, where (module, item), why (the evidence) and how urgent it is,
so that an academy director can act on it without reading the statistics; ``n`` is the size of the
smallest group of trainees its evidence rests on (None when it rests on the curriculum alone), so
that a report can withhold an action whose evidence comes from too small a group.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from toolkit.analysis.items import FLAG_NEGATIVE, FLAG_TOO_EASY, FLAG_TOO_HARD, FLAG_WEAK
from toolkit.settings import ALPHA_UNSATISFACTORY

ACTION_COLUMNS = ["priority", "area", "action", "evidence", "n"]

_ITEM_ACTIONS = {
    FLAG_NEGATIVE: (
        1,
        "Check the answer key and the test of item {item} now: stronger trainees "
        "score lower on it than weaker ones.",
    ),
    FLAG_TOO_HARD: (
        2,
        "Item {item} is too hard: check that the module teaches what it asks, and "
        "that its wording is clear.",
    ),
    FLAG_WEAK: (
        3,
        "Item {item} does not separate trainees who know the material from those who "
        "do not: rewrite it (clearer case facts, more plausible wrong options).",
    ),
    FLAG_TOO_EASY: (
        4,
        "Item {item} is too easy to tell anyone apart: make the case harder or replace it.",
    ),
}


def _smallest(sizes: Any) -> int | None:
    """The smallest of one group size or a list of them (None when none is known)."""
    values = sizes if isinstance(sizes, list | tuple | pd.Series) else [sizes]
    known = [int(v) for v in values if v is not None and not pd.isna(v)]
    return min(known) if known else None


def curriculum_actions(
    performance: pd.DataFrame | None = None,
    coverage: pd.DataFrame | None = None,
    items: pd.DataFrame | None = None,
    drift: pd.DataFrame | None = None,
    tests: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Actions sorted by priority (1 = do first), with the evidence behind each: one per
    competency that falls short (all its cohorts together), coverage gap, flagged item, drift
    and unreliable test."""
    rows: list[tuple[int, str, str, str, int | None]] = []
    if performance is not None and not performance.empty:
        # one action per competency, naming every cohort that falls short (not one per cohort)
        for competency, group in performance.groupby("competency", sort=True):
            first = group.iloc[0]
            where = f" in module {first.module}" if first.module else ""
            cohorts = ", ".join(str(c) for c in group["cohort"])
            plural = "cohorts" if len(group) > 1 else "cohort"
            urgency = 1 if (group["severity"] == "clear").any() else 3
            rows.append(
                (
                    urgency,
                    f"competency {competency}",
                    f"Re-teach '{first.statement or competency}'{where}: too few trainees of "
                    f"{plural} {cohorts} master it. Add worked cases and practice before the "
                    "post-test.",
                    "; ".join(str(e) for e in group["evidence"]),
                    _smallest(group["n"]),
                )
            )
    if coverage is not None:
        for r in coverage.itertuples(index=False):
            if r.kind == "competency":
                text = (
                    f"Add assessed items for competency {r.name}"
                    + (f" in module {r.module}" if r.module else "")
                    + ": with so few items its mastery cannot be measured reliably."
                )
            elif r.kind == "topic":
                text = (
                    f"The framework topic '{r.name}' is not assessed anywhere: add a "
                    "competency and items for it, or record why it is out of scope."
                )
            else:
                text = f"Fix the curriculum map: it names item {r.name}, which no assignment has."
            rows.append((2, f"coverage: {r.name}", text, r.evidence, None))
    if items is not None:
        for r in items.itertuples(index=False):
            for flag in r.flags:
                if flag in _ITEM_ACTIONS:
                    urgency, text = _ITEM_ACTIONS[flag]
                    rows.append(
                        (
                            urgency,
                            f"item {r.item}",
                            text.format(item=r.item),
                            r.evidence,
                            _smallest(r.n),
                        )
                    )
                    break
    if drift is not None:
        for r in drift[drift["drift"]].itertuples(index=False):
            rows.append(
                (
                    2,
                    f"drift: {r.name}",
                    f"Results on {r.kind} {r.name} changed across cohorts beyond chance: find "
                    "out what changed (instructor, materials, item wording) and keep what "
                    "works.",
                    r.evidence,
                    _smallest(r.n),
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
                        "individuals: add items and rewrite the weak ones.",
                        f"Cronbach's alpha {r.alpha:.2f} (below {ALPHA_UNSATISFACTORY}, Moodle's "
                        "unsatisfactory)",
                        _smallest(r.n),
                    )
                )
    frame = pd.DataFrame(rows, columns=ACTION_COLUMNS)
    return frame.sort_values("priority", kind="stable", ignore_index=True)
