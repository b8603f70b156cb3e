"""Item statistics, computed as Moodle's quiz statistics report does.

``facility`` (``docs/statistics.md#facility``) = mean mark / max; ``sd`` (``docs/statistics.md#sd``)
= sd of marks / max; ``discrimination`` (``docs/statistics.md#discrimination``) = Pearson
correlation of the item mark with the rest of the test (total minus the item);
``discriminative_efficiency`` (``docs/statistics.md#discriminative_efficiency``) = cov(item, rest) /
the largest covariance the two marginals allow; ``effective_weight`` = Moodle's
100 * sqrt(cov(item, total)) / sum of the same over items (blank when the covariance is negative).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.analysis.matrix import graded_marks, rest_scores, score_matrix
from toolkit.settings import (
    DISCRIMINATION_WEAK,
    EFFICIENCY_DUBIOUS,
    FACILITY_TOO_EASY,
    FACILITY_TOO_HARD,
    UNSTABLE_BELOW,
)


@dataclass(frozen=True)
class ItemFlags:
    """Thresholds of the item flags (defaults: :mod:`toolkit.settings`)."""

    too_hard: float = FACILITY_TOO_HARD
    too_easy: float = FACILITY_TOO_EASY
    weak: float = DISCRIMINATION_WEAK
    dubious_efficiency: float = EFFICIENCY_DUBIOUS
    #: below this many trainees the figures are shown as unstable
    unstable_n: int = UNSTABLE_BELOW

    def describe(self) -> str:
        """The flags in a sentence, with these thresholds (for a report's prose)."""
        return (
            f'facility below {self.too_hard} "{FLAG_TOO_HARD}", above {self.too_easy} '
            f'"{FLAG_TOO_EASY}"; discrimination below {self.weak} "{FLAG_WEAK}", below 0 '
            f'"{FLAG_NEGATIVE}"; discriminative efficiency below {self.dubious_efficiency} '
            f'"{FLAG_DUBIOUS}"'
        )


FLAG_TOO_HARD = "too hard"
FLAG_TOO_EASY = "too easy"
FLAG_WEAK = "weak discrimination"
FLAG_NEGATIVE = "negative: check the key"
FLAG_DUBIOUS = "dubious efficiency"

ITEM_COLUMNS = [
    "assignment",
    "item",
    "max_score",
    "n",
    "facility",
    "sd",
    "n_used",
    "discrimination",
    "discriminative_efficiency",
    "effective_weight",
    "flags",
    "unstable",
    "note",
]


def _column_cov(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Column-wise sample covariance (s-1) of two s x p arrays."""
    s = a.shape[0]
    ac = a - a.mean(axis=0)
    bc = b - b.mean(axis=0)
    return (ac * bc).sum(axis=0) / (s - 1)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.full(num.shape, np.nan)
    ok = den > 1e-12
    out[ok] = num[ok] / den[ok]
    return out


def correlation_statistics(marks: pd.DataFrame) -> pd.DataFrame:
    """discrimination, discriminative_efficiency and effective_weight of a complete matrix."""
    x = marks.to_numpy(dtype=float)
    s, p = x.shape
    empty = np.full(p, np.nan)
    if s < 3 or p < 2:
        return pd.DataFrame(
            {
                "discrimination": empty,
                "discriminative_efficiency": empty,
                "effective_weight": empty,
            },
            index=marks.columns,
        )
    rest = rest_scores(marks)
    cov = _column_cov(x, rest)
    var_x = x.var(axis=0, ddof=1)
    var_r = rest.var(axis=0, ddof=1)
    discrimination = _ratio(cov, np.sqrt(var_x * var_r))
    cov_max = _column_cov(np.sort(x, axis=0), np.sort(rest, axis=0))
    efficiency = _ratio(cov, cov_max)
    total = x.sum(axis=1, keepdims=True)
    cov_total = _column_cov(x, np.repeat(total, p, axis=1))
    root = np.where(cov_total >= 0, np.sqrt(np.clip(cov_total, 0, None)), np.nan)
    weight_sum = np.nansum(root)
    weight = 100.0 * root / weight_sum if weight_sum > 0 else empty
    return pd.DataFrame(
        {
            "discrimination": discrimination,
            "discriminative_efficiency": efficiency,
            "effective_weight": weight,
        },
        index=marks.columns,
    )


def flags_of(
    facility: float, discrimination: float, efficiency: float, cfg: ItemFlags
) -> list[str]:
    """The flags of one item (``docs/statistics.md#facility``, ``#discrimination``)."""
    flags: list[str] = []
    if pd.notna(facility):
        if facility < cfg.too_hard:
            flags.append(FLAG_TOO_HARD)
        elif facility > cfg.too_easy:
            flags.append(FLAG_TOO_EASY)
    if pd.notna(discrimination):
        if discrimination < 0:
            flags.append(FLAG_NEGATIVE)
        elif discrimination < cfg.weak:
            flags.append(FLAG_WEAK)
    if pd.notna(efficiency) and efficiency < cfg.dubious_efficiency and FLAG_NEGATIVE not in flags:
        flags.append(FLAG_DUBIOUS)
    return flags


def _one_assignment(
    scores: pd.DataFrame, assignment: str, items: pd.DataFrame | None, cfg: ItemFlags
) -> pd.DataFrame:
    rows = scores[scores["assignment"] == assignment]
    matrix = score_matrix(rows, assignment, items)
    graded = rows.assign(mark=graded_marks(rows)).dropna(subset=["mark"])
    per_item = graded.groupby("item").agg(
        n=("mark", "size"),
        mean=("mark", "mean"),
        sd=("mark", "std"),
        max_score=("max_score", "first"),
    )
    if items is not None:
        listed = items[items["assignment"] == assignment].set_index("item")["max_score"]
        per_item = per_item.reindex(per_item.index.union(listed.index))
        per_item["max_score"] = per_item["max_score"].fillna(listed)
        per_item["n"] = per_item["n"].fillna(0)
    maxima = per_item["max_score"].where(per_item["max_score"] > 0)
    out = pd.DataFrame(
        {
            "assignment": assignment,
            "item": per_item.index.astype(str),
            "max_score": per_item["max_score"].to_numpy(dtype=float),
            "n": per_item["n"].to_numpy(dtype=int),
            "facility": (per_item["mean"] / maxima).to_numpy(dtype=float),
            "sd": (per_item["sd"] / maxima).to_numpy(dtype=float),
        }
    )
    corr = correlation_statistics(matrix.marks).reindex(out["item"])
    out["n_used"] = matrix.n if len(matrix.marks.columns) else 0
    out.loc[~out["item"].isin(matrix.marks.columns), "n_used"] = 0
    for column in ("discrimination", "discriminative_efficiency", "effective_weight"):
        out[column] = corr[column].to_numpy(dtype=float)
    notes = []
    flags = []
    for row in out.itertuples(index=False):
        note = ""
        if row.item in matrix.dropped_items:
            note = f"{matrix.dropped_items[row.item]}: no statistics"
        elif row.n_used < 3:
            note = "fewer than 3 trainees with every item graded: no correlations"
        elif pd.notna(row.sd) and row.sd == 0:
            note = "every trainee has the same mark: no discrimination"
        notes.append(note)
        flags.append(flags_of(row.facility, row.discrimination, row.discriminative_efficiency, cfg))
    out["flags"] = flags
    out["unstable"] = out["n"] < cfg.unstable_n
    out["note"] = notes
    return out


def item_statistics(
    scores: pd.DataFrame,
    items: pd.DataFrame | None = None,
    flags: ItemFlags | None = None,
    *,
    pretest: str | None = None,
) -> pd.DataFrame:
    """Item statistics of every assignment: one row per item (columns :data:`ITEM_COLUMNS`).

    ``n`` counts graded marks of the item (facility and sd use them all); ``n_used`` counts the
    trainees whose every item is graded (the correlations use them). ``flags`` is a list of the
    item's flags (:func:`flags_of`); ``unstable`` marks n below ``flags.unstable_n``. The items of
    ``pretest`` get no difficulty flag (too hard, too easy): a pre-test is meant to be hard.
    """
    cfg = flags or ItemFlags()
    names = set(scores["assignment"].astype(str))
    if items is not None:
        names |= set(items["assignment"].astype(str))
    frames = [_one_assignment(scores, a, items, cfg) for a in sorted(names)]
    if not frames:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    out = pd.concat(frames, ignore_index=True)[ITEM_COLUMNS]
    if pretest is not None:
        pre = out["assignment"].astype(str) == pretest
        out.loc[pre, "flags"] = pd.Series(
            [
                [f for f in fl if f not in (FLAG_TOO_HARD, FLAG_TOO_EASY)]
                for fl in out.loc[pre, "flags"]
            ],
            index=out.index[pre],
            dtype=object,
        )
    return out


OPTION_COLUMNS = [
    "assignment",
    "exercise",
    "option",
    "correct",
    "n",
    "n_chose",
    "share",
    "point_biserial",
]


def option_point_biserial(
    responses: pd.DataFrame, totals: pd.DataFrame, *, kinds: Collection[str]
) -> pd.DataFrame:
    """Point-biserial correlation of "chose this option" with the total, for every option.

    Args:
        responses: widget responses (trainee, assignment, exercise, kind, option, correct, ...);
            only rows of the ``kinds`` given are used, one row per chosen option.
        totals: trainee, assignment, score (from :func:`toolkit.analysis.totals`).
        kinds: the exercise kinds whose rows are options picked from a list (the registry's
            :func:`~toolkit.exercises.registry.option_kinds`).

    Returns:
        one row per option chosen by anyone (columns :data:`OPTION_COLUMNS`); ``n`` is the trainees
        with a total for the assignment, ``point_biserial`` NaN when nobody or everybody chose it.
    """
    choice = responses[responses["kind"].isin(list(kinds))]
    rows = []
    for (assignment, exercise), group in choice.groupby(["assignment", "exercise"], sort=True):
        tot = totals[totals["assignment"] == assignment].set_index("trainee")["score"]
        if tot.empty:
            continue
        total = tot.to_numpy(dtype=float)
        for option, chosen in group.groupby("option", sort=True):
            picked = tot.index.isin(chosen["trainee"]).astype(float)
            r = np.nan
            if 0 < picked.sum() < len(picked) and np.std(total) > 0:
                r = float(np.corrcoef(picked, total)[0, 1])
            rows.append(
                {
                    "assignment": assignment,
                    "exercise": exercise,
                    "option": str(option),
                    "correct": bool(chosen["correct"].astype("boolean").fillna(False).any()),
                    "n": len(picked),
                    "n_chose": int(picked.sum()),
                    "share": float(picked.mean()),
                    "point_biserial": r,
                }
            )
    return pd.DataFrame(rows, columns=OPTION_COLUMNS)


def course_option_statistics(
    responses: pd.DataFrame, totals: pd.DataFrame, options: pd.DataFrame
) -> pd.DataFrame:
    """:func:`option_point_biserial` over the options the course lists, chosen or not.

    Args:
        responses: widget responses (as for :func:`option_point_biserial`).
        totals: trainee, assignment, score.
        options: assignment, exercise, options (the course's list, in order), correct (the
            options the key accepts): one row per exercise to analyse. Option text comes only from
            here: a response naming an option the course does not list is ignored.

    Returns:
        one row per listed option (columns :data:`OPTION_COLUMNS`); ``n`` is the trainees with a
        total for the assignment, ``n_chose`` how many of them chose the option.
    """
    rows = []
    for spec in options.itertuples(index=False):
        tot = totals[totals["assignment"] == spec.assignment].set_index("trainee")["score"]
        if tot.empty:
            continue
        total = tot.to_numpy(dtype=float)
        mine = responses[
            (responses["assignment"] == spec.assignment) & (responses["exercise"] == spec.exercise)
        ]
        accepted = {str(o) for o in spec.correct}
        for option in spec.options:
            chosen = mine.loc[mine["option"].astype(str) == str(option), "trainee"]
            picked = tot.index.isin(chosen).astype(float)
            r = np.nan
            if 0 < picked.sum() < len(picked) and np.std(total) > 0:
                r = float(np.corrcoef(picked, total)[0, 1])
            rows.append(
                {
                    "assignment": spec.assignment,
                    "exercise": spec.exercise,
                    "option": str(option),
                    "correct": str(option) in accepted,
                    "n": len(picked),
                    "n_chose": int(picked.sum()),
                    "share": float(picked.mean()),
                    "point_biserial": r,
                }
            )
    return pd.DataFrame(rows, columns=OPTION_COLUMNS)
