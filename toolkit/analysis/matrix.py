"""Trainee x item mark matrices: the shape every classical test statistic starts from."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class ScoreMatrix:
    """Marks of one assignment, one row per trainee and one column per item.

    Attributes:
        marks: complete cases only (no missing mark), float.
        max_scores: maximum mark of each column of ``marks``.
        dropped_items: items left out, with the reason (``not graded`` or ``no marks``).
        n_incomplete: trainees left out because one of their kept items is not graded yet.
        notes: plain sentences explaining what was left out.
    """

    marks: pd.DataFrame
    max_scores: pd.Series
    dropped_items: dict[str, str] = field(default_factory=dict)
    n_incomplete: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.marks)


def graded_marks(scores: pd.DataFrame) -> pd.Series:
    """The mark of each score row, or NaN where it still waits for a hand grade.

    nbgrader counts an ungraded manual answer as 0; for statistics it is missing, not wrong.
    """
    mark = scores["score"].astype(float)
    if "needs_manual_grade" in scores.columns:
        pending = scores["needs_manual_grade"].astype(bool)
        if "manual_score" in scores.columns:
            pending &= scores["manual_score"].isna()
        mark = mark.mask(pending)
    return mark


def score_matrix(
    scores: pd.DataFrame, assignment: str, items: pd.DataFrame | None = None
) -> ScoreMatrix:
    """Build the complete-case matrix of ``assignment``.

    Args:
        scores: gradebook score rows (trainee, assignment, item, score, max_score,
            optionally needs_manual_grade and manual_score).
        assignment: the assignment to pivot.
        items: the gradebook's item table; items listed there with no score row at all are
            reported as dropped (``no marks``).
    """
    rows = scores[scores["assignment"] == assignment]
    marks = (
        rows.assign(mark=graded_marks(rows))
        .drop_duplicates(["trainee", "item"])
        .set_index(["trainee", "item"])["mark"]
        .unstack("item")
    )
    marks.columns = marks.columns.astype(str)
    maxima = rows.groupby("item")["max_score"].first().astype(float)
    notes: list[str] = []
    dropped: dict[str, str] = {}
    if items is not None:
        listed = items.loc[items["assignment"] == assignment, "item"].astype(str)
        for item in sorted(set(listed) - set(marks.columns)):
            dropped[item] = "no marks"
    for item in marks.columns[marks.isna().all()]:
        dropped[str(item)] = "not graded"
    if dropped:
        notes.append(
            f"{len(dropped)} item(s) left out of the item statistics because no trainee has a "
            f"graded mark for them: {', '.join(sorted(dropped))}."
        )
    marks = marks.drop(columns=[c for c in marks.columns if c in dropped])
    complete = marks.notna().all(axis=1)
    n_incomplete = int((~complete).sum())
    if n_incomplete:
        notes.append(
            f"{n_incomplete} trainee(s) left out of reliability and item statistics because an "
            "answer of theirs still waits for a hand grade."
        )
    marks = marks[complete].astype(float)
    marks.columns.name = None
    return ScoreMatrix(
        marks=marks,
        max_scores=maxima.reindex(marks.columns).astype(float),
        dropped_items=dropped,
        n_incomplete=n_incomplete,
        notes=notes,
    )


def rest_scores(marks: pd.DataFrame) -> np.ndarray:
    """Rest-of-test score of each trainee for each item: total minus the item (s x p)."""
    values = marks.to_numpy(dtype=float)
    return values.sum(axis=1, keepdims=True) - values
