"""Matching: pair each item on the left (e.g. a victim's needs) with one on the right (services).

- Widget: ``Matching(exercise, prompt, left, right, *, shuffle=True)``: one labelled dropdown per
  left item, offering the right items in an order drawn for the trainee and the exercise
  (:mod:`toolkit.exercises.shuffle`; ``shuffle=False`` keeps the written order); a right item may
  be used for several left items, and setting a dropdown back to "(choose)" unmatches it.
- Saved value: ``{"pairs": {left: right, ...}}`` with only the matched left items.
- Key: ``grade_matching(exercise, correct={left: right}, points=1)``; a left item may map to a
  list of accepted right items.
- Score: the share of the key's left items matched to an accepted right item; pairs for items
  not in the key are ignored (:func:`matching_score`).
- Option rows: one per pair, ``"left->right"``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from toolkit.errors import CttkError, GradingError
from toolkit.exercises.grading import Folder, accepted, check_points, clamp, grade_saved
from toolkit.exercises.kinds.base import (
    ExerciseKind,
    Outcome,
    Row,
    listed,
    saved_field,
    saved_value_error,
    texts_in,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

    import numpy as np

    from toolkit.exercises.keys import AnswerKey, ExerciseSpec
    from toolkit.exercises.widget import Exercise

#: What an unmatched dropdown shows.
UNMATCHED = "(choose)"


def parse_matching(value: Any) -> dict[str, str]:
    """The ``left -> right`` pairs of a saved matching answer."""
    pairs = saved_field(value, "matching", "pairs")
    if not isinstance(pairs, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()
    ):
        raise saved_value_error("matching", "field 'pairs' is not a mapping of texts to texts")
    return dict(pairs)


def matching_score(
    pairs: Mapping[str, str], correct: Mapping[str, str | Collection[str]], points: float
) -> float:
    """The share of the key's left items matched to an accepted right item."""
    if not correct:
        return float(points)
    right = sum(1 for left, ok in correct.items() if pairs.get(left) in accepted(ok))
    return clamp(points * right / len(correct), points)


def grade_matching(
    exercise: str,
    *,
    correct: Mapping[str, str | Collection[str]],
    points: float = 1,
    folder: Folder = None,
) -> float:
    """Partial credit for a matching: see :func:`matching_score`. ``correct`` maps each left item
    to its right item (or to several accepted right items)."""
    points = check_points(exercise, points)
    if not isinstance(correct, Mapping):
        raise GradingError(f"grading {exercise}: give the correct pairs as a dict left -> right")
    return grade_saved(
        exercise, "matching", folder, lambda v: matching_score(parse_matching(v), correct, points)
    )


def matching_rows(value: Any, key: AnswerKey | None) -> tuple[list[Row], float | None]:
    pairs = parse_matching(value)
    if key is None:
        return [
            {"option": f"{left}->{right}", "correct": None} for left, right in pairs.items()
        ], None
    correct: Mapping[str, Any] = key.correct if isinstance(key.correct, Mapping) else {}
    rows: list[Row] = [
        {
            "option": f"{left}->{right}",
            "correct": right in texts_in(correct[left]) if left in correct else None,
        }
        for left, right in pairs.items()
    ]
    return rows, matching_score(pairs, correct, key.points)


def simulate_matching(
    spec: ExerciseSpec, key: AnswerKey, rng: np.random.Generator, outcome: Outcome
) -> Any:
    """Right: the key's pairs; wrong: each need matched to a service that does not meet it."""
    correct: dict[str, Any] = dict(key.correct or {})
    right_items = [str(r) for r in spec.args.get("right") or []]
    if outcome == "right":
        return {"pairs": {left: listed(ok)[0] for left, ok in correct.items()}}
    pairs = {}
    for left in spec.options:
        wrong = [r for r in right_items if r not in listed(correct.get(left))]
        if wrong:
            pairs[str(left)] = str(rng.choice(wrong))
    return {"pairs": pairs}


def matching_key_strays(spec: ExerciseSpec, correct: Any) -> str | None:
    if not isinstance(correct, dict):
        return None
    lefts = set(spec.args.get("left") or spec.options)
    rights = set(spec.args.get("right") or [])
    strays = [k for k in correct if k not in lefts]
    strays += [r for v in correct.values() for r in listed(v) if r not in rights]
    return str(strays[0]) if strays else None


def matching_widget() -> type[Exercise]:
    import ipywidgets as widgets

    from toolkit.exercises.shuffle import display_order
    from toolkit.exercises.widget import Exercise

    class Matching(Exercise):
        """One labelled dropdown per left item, offering the right items."""

        kind: ClassVar[str] = "matching"

        def __init__(
            self,
            exercise: str,
            prompt: str,
            left: Sequence[str],
            right: Sequence[str],
            *,
            shuffle: bool = True,
            folder: str | os.PathLike[str] | None = None,
        ) -> None:
            super().__init__(exercise, prompt, folder=folder)
            if (
                not left
                or not right
                or len(set(left)) != len(left)
                or len(set(right)) != len(right)
            ):
                raise CttkError(
                    f"exercise {exercise}: give distinct left items and distinct right items"
                )
            if UNMATCHED in right:
                raise CttkError(f"exercise {exercise}: {UNMATCHED!r} cannot be a right item")
            self.left, self.right = list(left), list(right)
            #: The right items in the order each dropdown offers them.
            self.shown = display_order(self.right, exercise) if shuffle else list(self.right)
            self.dropdowns = [
                widgets.Dropdown(
                    options=[UNMATCHED, *self.shown],
                    value=UNMATCHED,
                    description=item,
                    tooltip=f"Match: {item}",
                    style={"description_width": "initial"},
                    layout=widgets.Layout(width="auto"),
                )
                for item in self.left
            ]
            for dropdown in self.dropdowns:
                dropdown.observe(self._on_change, names="value")
            self._finish(self.dropdowns)

        def answer(self) -> dict[str, Any]:
            return {
                "pairs": {
                    item: d.value
                    for item, d in zip(self.left, self.dropdowns, strict=True)
                    if d.value != UNMATCHED
                }
            }

        def restore(self, value: Any) -> None:
            pairs = parse_matching(value)
            if any(k not in self.left or v not in self.right for k, v in pairs.items()):
                raise ValueError("saved pairs do not fit this exercise")
            for item, dropdown in zip(self.left, self.dropdowns, strict=True):
                dropdown.value = pairs.get(item, UNMATCHED)

    return Matching


KIND = ExerciseKind(
    name="matching",
    widget_name="Matching",
    structure=("left", "right"),
    widget_factory=matching_widget,
    grader=grade_matching,
    parse=parse_matching,
    score=matching_score,
    option_rows=matching_rows,
    simulate=simulate_matching,
    key_strays=matching_key_strays,
)
