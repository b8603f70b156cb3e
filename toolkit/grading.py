"""Grading helpers for hidden tests: score an exercise from the response file against a key.

A hidden test cell ends with an expression such as::

    grade_choice("legal.s1.type", correct="Labour trafficking", points=1)

which evaluates to a number between 0 and ``points``. nbgrader reads that number as the cell's
(partial) score. These helpers never raise: a missing, corrupt, oversized or wrong-shaped response
scores 0 and prints one line saying why (on stdout, because anything on stderr zeroes the whole cell).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from typing import Any

from .errors import ResponseError
from .responses import read_store, store_path


def _record(key: str, kind: str, folder: str | os.PathLike[str] | None) -> dict[str, Any] | None:
    try:
        store = read_store(store_path(folder))
    except ResponseError as exc:
        print(f"[{key}] 0 points: {exc}")
        return None
    record = store["exercises"].get(key)
    if record is None:
        print(f"[{key}] 0 points: not answered")
        return None
    if not isinstance(record, dict) or record.get("kind") != kind:
        print(f"[{key}] 0 points: saved answer is not a {kind} answer")
        return None
    return record


def _clamp(score: float, points: float) -> float:
    return round(min(max(score, 0.0), float(points)), 4)


def grade_choice(
    key: str,
    *,
    correct: str | Collection[str],
    points: float = 1,
    folder: str | os.PathLike[str] | None = None,
) -> float:
    """Full points when the saved choice is ``correct`` (or one of several accepted), else 0."""
    record = _record(key, "choice", folder)
    if record is None:
        return 0.0
    value = record.get("value")
    choice = value.get("choice") if isinstance(value, dict) else None
    if not isinstance(choice, str):
        print(f"[{key}] 0 points: saved answer has no choice")
        return 0.0
    accepted = {correct} if isinstance(correct, str) else set(correct)
    return _clamp(points if choice in accepted else 0.0, points)


def checklist_score(selected: Collection[str], correct: Collection[str], points: float) -> float:
    """Hits minus false alarms, as a share of the correct options, floored at 0.

    When nothing is correct ("none of these apply") the only right answer is an empty selection.
    """
    chosen, key = set(selected), set(correct)
    if not key:
        return float(points) if not chosen else 0.0
    hits, false_alarms = len(chosen & key), len(chosen - key)
    return _clamp(points * (hits - false_alarms) / len(key), points)


def grade_checklist(
    key: str,
    *,
    correct: Collection[str],
    points: float = 1,
    folder: str | os.PathLike[str] | None = None,
) -> float:
    """Partial credit for a checklist: see :func:`checklist_score`."""
    record = _record(key, "checklist", folder)
    if record is None:
        return 0.0
    value = record.get("value")
    selected = value.get("selected") if isinstance(value, dict) else None
    if not isinstance(selected, list) or not all(isinstance(s, str) for s in selected):
        print(f"[{key}] 0 points: saved answer is not a list of options")
        return 0.0
    return checklist_score(selected, correct, points)


def total(*scores: float) -> float:
    """Sum several exercise scores into one cell score (rounded like the parts)."""
    return round(sum(scores), 4)


__all__: Sequence[str] = ["checklist_score", "grade_checklist", "grade_choice", "total"]
