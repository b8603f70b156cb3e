"""Grading helpers for hidden tests: score an exercise from the response file against a key.

A hidden test cell ends with an expression such as::

    total(
        grade_choice("legal.s1.type", correct="Labour trafficking", points=1),
        grade_checklist("legal.s1.elements", correct=["Act", "Means", "Purpose"], points=1),
    )

which evaluates to a number between 0 and the cell's points. nbgrader reads that number as the
cell's (partial) score.

Scoring rules (``points`` is the exercise's maximum):

- **choice**: all points when the saved choice is accepted, else 0.
- **checklist**: (hits - false alarms) / number of correct options, floored at 0
  (:func:`checklist_score`).
- **matching**: the share of the key's pairs that the trainee matched correctly
  (:func:`matching_score`); extra pairs for items not in the key are ignored.
- **ordering**: Kendall's tau between the saved and the correct order, floored at 0
  (:func:`ordering_score`): one pair of neighbours swapped in five steps gives 0.8 of the points;
  a reversed or random order gives 0.
- **roleplay**: the sum of the scores that the key gives each decision on the counted path (the
  last completed attempt, else the latest one), each scene counted once, clamped to
  ``[0, points]`` (:func:`roleplay_score`). Scores saved in the trainee's file are never read.

The response file is trainee-controlled. A missing, corrupt, oversized or wrong-shaped response,
or an exercise that was never answered, scores 0 and prints one line saying why **on stdout**
(anything on stderr zeroes the whole cell). The helpers never raise because of a response; a key
written wrongly in the hidden test is the author's mistake and raises
:class:`~toolkit.errors.GradingError`, so ``cttk validate`` finds it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from itertools import combinations
from typing import Any

from toolkit.errors import CttkError, GradingError
from toolkit.exercises.store import check_key, read_store, store_path
from toolkit.exercises.values import (
    counted_attempt,
    parse_checklist,
    parse_choice,
    parse_matching,
    parse_ordering,
    parse_roleplay,
)

Folder = str | os.PathLike[str] | None


def _zero(key: object, why: str) -> float:
    print(f"[{key}] 0 points: {why}")
    return 0.0


def _clamp(score: float, points: float) -> float:
    if not math.isfinite(score):
        return 0.0
    return round(min(max(score, 0.0), float(points)), 4)


def _check_points(key: str, points: object) -> float:
    if isinstance(points, bool) or not isinstance(points, int | float) or not points > 0:
        raise GradingError(f"grading {key}: points must be a positive number, not {points!r}")
    if not math.isfinite(points):
        raise GradingError(f"grading {key}: points must be finite")
    return float(points)


def _grade(key: str, kind: str, folder: Folder, score: Callable[[Any], float]) -> float:
    """Load the saved value of ``key``, check it is a ``kind`` answer, and score it; any problem
    with the response scores 0 with a message."""
    try:
        check_key(key)
        store = read_store(store_path(folder))
        record = store["exercises"].get(key)
        if record is None:
            return _zero(key, "not answered (no saved answer for this exercise)")
        if not isinstance(record, dict) or record.get("kind") != kind:
            return _zero(key, f"the saved answer is not a {kind} answer")
        return score(record.get("value"))
    except CttkError as exc:
        return _zero(key, exc.message)
    except Exception as exc:  # never let a hostile response break the cell
        return _zero(key, f"the saved answer cannot be graded ({exc.__class__.__name__})")


def _accepted(correct: str | Collection[str]) -> set[str]:
    return {correct} if isinstance(correct, str) else set(correct)


# -- pure scoring rules -----------------------------------------------------------------------
def checklist_score(selected: Collection[str], correct: Collection[str], points: float) -> float:
    """Hits minus false alarms, as a share of the correct options, floored at 0.

    When nothing is correct ("none of these apply") the only right answer is an empty selection.
    """
    chosen, key = set(selected), set(correct)
    if not key:
        return float(points) if not chosen else 0.0
    hits, false_alarms = len(chosen & key), len(chosen - key)
    return _clamp(points * (hits - false_alarms) / len(key), points)


def matching_score(
    pairs: Mapping[str, str], correct: Mapping[str, str | Collection[str]], points: float
) -> float:
    """The share of the key's left items matched to an accepted right item."""
    if not correct:
        return float(points)
    right = sum(1 for left, ok in correct.items() if pairs.get(left) in _accepted(ok))
    return _clamp(points * right / len(correct), points)


def kendall_tau(order: Sequence[str], correct: Sequence[str]) -> float:
    """Kendall's tau between two orders of the same items (1 same order, -1 reversed)."""
    rank = {item: i for i, item in enumerate(order)}
    pairs = list(combinations(correct, 2))
    if not pairs:
        return 1.0
    concordant = sum(1 for a, b in pairs if rank[a] < rank[b])
    return (2 * concordant - len(pairs)) / len(pairs)


def ordering_score(order: Sequence[str], correct: Sequence[str], points: float) -> float:
    """``points`` times Kendall's tau of ``order`` against ``correct``, floored at 0; 0 when the
    order does not hold exactly the key's items."""
    if sorted(order) != sorted(correct):
        return 0.0
    return _clamp(points * kendall_tau(order, correct), points)


def roleplay_score(
    path: Sequence[tuple[str, str]],
    scores: Mapping[str, Mapping[str, float]],
    points: float,
) -> float:
    """Sum of the key's score for each decision on ``path`` (first visit of a scene only; a
    decision the key does not list scores 0), clamped to ``[0, points]``."""
    seen: set[str] = set()
    earned = 0.0
    for scene, choice in path:
        if scene in seen:
            continue
        seen.add(scene)
        earned += float(scores.get(scene, {}).get(choice, 0.0))
    return _clamp(earned, points)


def decision_best(scores: Mapping[str, Mapping[str, float]], scene: str, choice: str) -> bool:
    """Whether ``choice`` is a best-scoring decision of ``scene`` according to the key."""
    options = scores.get(scene, {})
    return bool(options) and choice in options and options[choice] >= max(options.values())


# -- helpers for hidden tests -----------------------------------------------------------------
def grade_choice(
    key: str, *, correct: str | Collection[str], points: float = 1, folder: Folder = None
) -> float:
    """Full points when the saved choice is ``correct`` (or one of several accepted), else 0."""
    points = _check_points(key, points)
    accepted = _accepted(correct)

    def score(value: Any) -> float:
        choice, _why = parse_choice(value)
        return _clamp(points if choice in accepted else 0.0, points)

    return _grade(key, "choice", folder, score)


def grade_checklist(
    key: str, *, correct: Collection[str], points: float = 1, folder: Folder = None
) -> float:
    """Partial credit for a checklist: see :func:`checklist_score`."""
    points = _check_points(key, points)
    if isinstance(correct, str):
        raise GradingError(f"grading {key}: give the correct options as a list")
    return _grade(
        key, "checklist", folder, lambda v: checklist_score(parse_checklist(v), correct, points)
    )


def grade_matching(
    key: str,
    *,
    correct: Mapping[str, str | Collection[str]],
    points: float = 1,
    folder: Folder = None,
) -> float:
    """Partial credit for a matching: see :func:`matching_score`. ``correct`` maps each left item
    to its right item (or to several accepted right items)."""
    points = _check_points(key, points)
    if not isinstance(correct, Mapping):
        raise GradingError(f"grading {key}: give the correct pairs as a dict left -> right")
    return _grade(
        key, "matching", folder, lambda v: matching_score(parse_matching(v), correct, points)
    )


def grade_ordering(
    key: str, *, correct: Sequence[str], points: float = 1, folder: Folder = None
) -> float:
    """Partial credit for an ordering: see :func:`ordering_score`."""
    points = _check_points(key, points)
    if isinstance(correct, str) or len(set(correct)) != len(correct):
        raise GradingError(f"grading {key}: give the correct order as a list without repeats")

    def score(value: Any) -> float:
        order = parse_ordering(value)
        if sorted(order) != sorted(correct):
            return _zero(key, "the saved order does not hold this exercise's steps")
        return ordering_score(order, correct, points)

    return _grade(key, "ordering", folder, score)


def grade_roleplay(
    key: str,
    *,
    scores: Mapping[str, Mapping[str, float]],
    points: float = 1,
    folder: Folder = None,
) -> float:
    """Score the counted attempt of a role-play: see :func:`roleplay_score`. ``scores`` maps each
    scene id to ``{choice label: score}``."""
    points = _check_points(key, points)
    if not isinstance(scores, Mapping) or not all(
        isinstance(s, Mapping)
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in s.values())
        for s in scores.values()
    ):
        raise GradingError(f"grading {key}: give scores as {{scene: {{choice: number}}}}")

    def score(value: Any) -> float:
        attempt = counted_attempt(parse_roleplay(value))
        if attempt is None or not attempt.path:
            return _zero(key, "the role-play was not started")
        if not attempt.completed:
            print(f"[{key}] no attempt was completed; the latest attempt counts as far as it went")
        return roleplay_score(attempt.path, scores, points)

    return _grade(key, "roleplay", folder, score)


def total(*scores: float) -> float:
    """Sum several exercise scores into one cell score (rounded like the parts)."""
    return round(sum(float(s) for s in scores if isinstance(s, int | float)), 4)


#: Grading helper for each response kind (the names hidden tests call).
GRADERS: Mapping[str, Callable[..., float]] = {
    "choice": grade_choice,
    "checklist": grade_checklist,
    "matching": grade_matching,
    "ordering": grade_ordering,
    "roleplay": grade_roleplay,
}

__all__: Sequence[str] = [
    "GRADERS",
    "checklist_score",
    "decision_best",
    "grade_checklist",
    "grade_choice",
    "grade_matching",
    "grade_ordering",
    "grade_roleplay",
    "kendall_tau",
    "matching_score",
    "ordering_score",
    "roleplay_score",
    "total",
]
