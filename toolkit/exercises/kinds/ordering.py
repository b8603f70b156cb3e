"""Ordering: put the steps of a procedure (e.g. a joint case plan) in the right order.

- Widget: ``Ordering(exercise, prompt, items, *, shuffle=True)``: a numbered list with "Move up"
  and "Move down" buttons on each row, and a button to save the order as it stands. The list
  starts in an order drawn for the trainee and the exercise, never the written one
  (:mod:`toolkit.exercises.shuffle`); ``shuffle=False`` starts in the written order.
- Saved value: ``{"order": [items, first to last]}`` (every item exactly once).
- Key: ``grade_ordering(exercise, correct=[items in order], points=1)``.
- Score: ``points`` times Kendall's tau between the saved and the correct order, floored at 0
  (:func:`ordering_score`): one pair of neighbours swapped in five steps gives 0.8 of the points;
  a reversed or random order gives 0.
- Option rows: one per position with the item placed there, correct when the key has the same
  item at that position.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any, ClassVar

from toolkit.errors import CttkError, GradingError
from toolkit.exercises.grading import Folder, check_points, clamp, grade_saved, zero_points
from toolkit.exercises.kinds.base import (
    ExerciseKind,
    Outcome,
    Row,
    listed,
    saved_field,
    saved_texts,
    saved_value_error,
)

if TYPE_CHECKING:
    import os

    import numpy as np

    from toolkit.exercises.keys import AnswerKey, ExerciseSpec
    from toolkit.exercises.widget import Exercise


def parse_ordering(value: Any) -> list[str]:
    """The items of a saved ordering answer, first to last (no repeats)."""
    order = saved_texts(saved_field(value, "ordering", "order"), "ordering", "order")
    if len(set(order)) != len(order):
        raise saved_value_error("ordering", "repeats an item")
    return order


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
    return clamp(points * kendall_tau(order, correct), points)


def grade_ordering(
    exercise: str, *, correct: Sequence[str], points: float = 1, folder: Folder = None
) -> float:
    """Partial credit for an ordering: see :func:`ordering_score`."""
    points = check_points(exercise, points)
    if isinstance(correct, str) or len(set(correct)) != len(correct):
        raise GradingError(f"grading {exercise}: give the correct order as a list without repeats")

    def score(value: Any) -> float:
        order = parse_ordering(value)
        if sorted(order) != sorted(correct):
            return zero_points(exercise, "the saved order does not hold this exercise's steps")
        return ordering_score(order, correct, points)

    return grade_saved(exercise, "ordering", folder, score)


def ordering_rows(value: Any, key: AnswerKey | None) -> tuple[list[Row], float | None]:
    order = parse_ordering(value)
    if key is None:
        return [
            {"option": item, "correct": None, "position": i + 1} for i, item in enumerate(order)
        ], None
    correct = [c for c in key.correct or [] if isinstance(c, str)]
    rows: list[Row] = [
        {"option": item, "correct": i < len(correct) and correct[i] == item, "position": i + 1}
        for i, item in enumerate(order)
    ]
    return rows, ordering_score(order, correct, key.points)


def simulate_ordering(
    spec: ExerciseSpec, key: AnswerKey, rng: np.random.Generator, outcome: Outcome
) -> Any:
    """Right: the key's order; wrong: a shuffled plan no better than chance (tau <= 0), else the
    reverse."""
    correct = [str(c) for c in key.correct or []]
    if outcome == "right":
        return {"order": correct}
    for _ in range(20):
        order = [str(x) for x in rng.permutation(correct)]
        if kendall_tau(order, correct) <= 0:
            return {"order": order}
    return {"order": correct[::-1]}


def ordering_key_strays(spec: ExerciseSpec, correct: Any) -> str | None:
    items = list(spec.args.get("items") or spec.options)
    if sorted(map(str, listed(correct))) != sorted(map(str, items)):
        extra = [c for c in listed(correct) if c not in items]
        return str(extra[0]) if extra else "an order that leaves out some items"
    return None


def ordering_widget() -> type[Exercise]:
    import ipywidgets as widgets

    from toolkit.exercises.shuffle import display_order
    from toolkit.exercises.widget import Exercise

    class Ordering(Exercise):
        """A numbered list of items, each with "Move up" and "Move down" buttons, and a button to
        save the order as it stands (for a trainee who thinks the shown order is already right).

        The buttons stay in place while the items move through the rows, so a keyboard user can
        press the same button again to keep moving.
        """

        kind: ClassVar[str] = "ordering"

        def __init__(
            self,
            exercise: str,
            prompt: str,
            items: Sequence[str],
            *,
            shuffle: bool = True,
            folder: str | os.PathLike[str] | None = None,
        ) -> None:
            super().__init__(exercise, prompt, folder=folder)
            if len(items) < 2 or len(set(items)) != len(items):
                raise CttkError(f"exercise {exercise}: give at least two distinct items")
            self.items = list(items)
            #: The start order (written order when ``shuffle`` is false).
            self.shown = (
                display_order(self.items, exercise, avoid_written=True)
                if shuffle
                else list(self.items)
            )
            self.order = list(self.shown)
            self.labels = [widgets.Label() for _ in self.items]
            self.up = [self._button("Move up", i, -1) for i in range(len(self.items))]
            self.down = [self._button("Move down", i, +1) for i in range(len(self.items))]
            self.up[0].disabled = True
            self.down[-1].disabled = True
            self.confirm = widgets.Button(
                description="Save this order",
                tooltip="Save the order shown as your answer",
                layout=widgets.Layout(width="auto"),
            )
            self.confirm.on_click(lambda _b: self._save(self.answer()))
            rows = [
                widgets.HBox([u, d, label])
                for u, d, label in zip(self.up, self.down, self.labels, strict=True)
            ]
            self._render()
            self._finish([*rows, self.confirm])

        def _button(self, text: str, row: int, step: int) -> widgets.Button:
            button = widgets.Button(description=text, layout=widgets.Layout(width="auto"))
            button.on_click(lambda _b: self.move(row, step))
            return button

        def _render(self) -> None:
            for row, item in enumerate(self.order):
                self.labels[row].value = f"{row + 1}. {item}"
                self.up[row].tooltip = f"Move up: {item}"
                self.down[row].tooltip = f"Move down: {item}"

        def move(self, row: int, step: int) -> None:
            """Swap the item in ``row`` with its neighbour ``step`` rows away (-1 up, +1 down)."""
            other = row + step
            if not 0 <= other < len(self.order):
                return
            self.order[row], self.order[other] = self.order[other], self.order[row]
            self._render()
            self._on_change()

        def answer(self) -> dict[str, Any]:
            return {"order": list(self.order)}

        def restore(self, value: Any) -> None:
            order = parse_ordering(value)
            if sorted(order) != sorted(self.items):
                raise ValueError("saved order does not hold this exercise's items")
            self.order = order
            self._render()

    return Ordering


KIND = ExerciseKind(
    name="ordering",
    widget_name="Ordering",
    structure=("items",),
    widget_factory=ordering_widget,
    grader=grade_ordering,
    parse=parse_ordering,
    score=ordering_score,
    option_rows=ordering_rows,
    simulate=simulate_ordering,
    key_strays=ordering_key_strays,
)
