"""What every grading helper shares: read the saved answer, score it, never fail because of it.

A hidden test cell ends with an expression such as::

    total(
        grade_choice("legal.s1.type", correct="Labour trafficking", points=1),
        grade_checklist("legal.s1.elements", correct=["Act", "Means", "Purpose"], points=1),
    )

which evaluates to a number between 0 and the cell's points. nbgrader reads that number as the
cell's (partial) score. Each ``grade_<kind>`` helper and its scoring rule live in the kind's
module (:mod:`toolkit.exercises.kinds`); notebooks import them from :mod:`toolkit.exercises`.

The response file is trainee-controlled. A missing, corrupt, oversized or wrong-shaped response,
or an exercise that was never answered, scores 0 and prints one line saying why **on stdout**
(anything on stderr zeroes the whole cell): :func:`grade_saved` does that for every helper. A
helper never raises because of a response; a key written wrongly in the hidden test is the
author's mistake and raises :class:`~toolkit.errors.GradingError`, so ``cttk validate`` finds it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Collection
from typing import Any

from toolkit.errors import CttkError, GradingError
from toolkit.exercises.store import check_exercise_id, read_store, store_path

Folder = str | os.PathLike[str] | None


def zero_points(exercise: object, why: str) -> float:
    """Score 0 and say why on one line of stdout."""
    print(f"[{exercise}] 0 points: {why}")
    return 0.0


def clamp(score: float, points: float) -> float:
    """``score`` within ``[0, points]``, rounded to 4 decimals; 0 when it is not finite."""
    if not math.isfinite(score):
        return 0.0
    return round(min(max(score, 0.0), float(points)), 4)


def check_points(exercise: str, points: object) -> float:
    """``points`` as a float if it is a positive finite number, else a :class:`GradingError`."""
    if isinstance(points, bool) or not isinstance(points, int | float) or not points > 0:
        raise GradingError(f"grading {exercise}: points must be a positive number, not {points!r}")
    if not math.isfinite(points):
        raise GradingError(f"grading {exercise}: points must be finite")
    return float(points)


def accepted(correct: str | Collection[str]) -> set[str]:
    """The answers a key accepts: one text, or any of several."""
    return {correct} if isinstance(correct, str) else set(correct)


def grade_saved(exercise: str, kind: str, folder: Folder, score: Callable[[Any], float]) -> float:
    """Load the saved value of ``exercise``, check it is a ``kind`` answer, and ``score`` it; any
    problem with the response scores 0 with a message."""
    try:
        check_exercise_id(exercise)
        store = read_store(store_path(folder))
        record = store["exercises"].get(exercise)
        if record is None:
            return zero_points(exercise, "not answered (no saved answer for this exercise)")
        if not isinstance(record, dict) or record.get("kind") != kind:
            return zero_points(exercise, f"the saved answer is not a {kind} answer")
        return score(record.get("value"))
    except CttkError as exc:
        return zero_points(exercise, exc.message)
    except Exception as exc:  # never let a hostile response break the cell
        return zero_points(
            exercise, f"the saved answer cannot be graded ({exc.__class__.__name__})"
        )


def total(*scores: float) -> float:
    """Sum several exercise scores into one cell score (rounded like the parts)."""
    return round(sum(float(s) for s in scores if isinstance(s, int | float)), 4)
