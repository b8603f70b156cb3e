"""Checklist: tick every option that applies (indicators, elements of an offence).

- Widget: ``Checklist(exercise, prompt, options, *, shuffle=True)``: one checkbox per option,
  shown in an order drawn for the trainee and the exercise (:mod:`toolkit.exercises.shuffle`;
  ``shuffle=False`` keeps the written order). An empty selection is a real answer ("none apply")
  once the trainee has touched the list.
- Saved value: ``{"selected": [option texts in the written order]}``, whatever order was shown.
- Key: ``grade_checklist(exercise, correct=[options], points=1)``.
- Score: (hits - false alarms) / number of correct options, floored at 0
  (:func:`checklist_score`).
- Option rows: one per ticked option; an empty selection gives one row with no option, correct
  when the key says nothing applies.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, ClassVar

from toolkit.errors import CttkError, GradingError
from toolkit.exercises.grading import Folder, check_points, clamp, grade_saved
from toolkit.exercises.kinds.base import (
    ExerciseKind,
    Outcome,
    Row,
    option_key_strays,
    saved_field,
    saved_texts,
    texts_in,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Sequence

    import numpy as np

    from toolkit.exercises.keys import AnswerKey, ExerciseSpec
    from toolkit.exercises.widget import Exercise


def parse_checklist(value: Any) -> list[str]:
    """The ticked options of a saved checklist answer."""
    return saved_texts(saved_field(value, "checklist", "selected"), "checklist", "selected")


def checklist_score(selected: Collection[str], correct: Collection[str], points: float) -> float:
    """Hits minus false alarms, as a share of the correct options, floored at 0.

    When nothing is correct ("none of these apply") the only right answer is an empty selection.
    """
    chosen, key = set(selected), set(correct)
    if not key:
        return float(points) if not chosen else 0.0
    hits, false_alarms = len(chosen & key), len(chosen - key)
    return clamp(points * (hits - false_alarms) / len(key), points)


def grade_checklist(
    exercise: str, *, correct: Collection[str], points: float = 1, folder: Folder = None
) -> float:
    """Partial credit for a checklist: see :func:`checklist_score`."""
    points = check_points(exercise, points)
    if isinstance(correct, str):
        raise GradingError(f"grading {exercise}: give the correct options as a list")
    return grade_saved(
        exercise,
        "checklist",
        folder,
        lambda v: checklist_score(parse_checklist(v), correct, points),
    )


def checklist_rows(value: Any, key: AnswerKey | None) -> tuple[list[Row], float | None]:
    selected = parse_checklist(value)
    if key is None:
        rows: list[Row] = [{"option": o, "correct": None} for o in selected]
        return rows or [{"option": None, "correct": None}], None
    correct = texts_in(key.correct)
    rows = [{"option": o, "correct": o in correct} for o in selected]
    if not selected:
        rows.append({"option": None, "correct": not correct})
    return rows, checklist_score(selected, correct, key.points)


def simulate_checklist(
    spec: ExerciseSpec, key: AnswerKey, rng: np.random.Generator, outcome: Outcome
) -> Any:
    """Right: the key's options; wrong: miss the key and tick what does not belong."""
    correct = set(key.correct or [])
    if outcome == "right":
        return {"selected": [o for o in spec.options if o in correct]}
    wrong = [o for o in spec.options if o not in correct]
    if not correct:
        wrong = wrong[: max(1, int(rng.integers(1, len(wrong) + 1)))]
    return {"selected": wrong}


def simulate_checklist_opinion(
    spec: ExerciseSpec, rng: np.random.Generator, lean: float, comment: Callable[[], str]
) -> Any:
    """A survey's "tick all that apply" (e.g. barriers): each option ticked now and then, less
    often for trainees who did well (higher ``lean``)."""
    share = min(max(0.3 - 0.1 * lean, 0.05), 0.6)
    return {"selected": [o for o in spec.options if rng.random() < share]}


def checklist_widget() -> type[Exercise]:
    import ipywidgets as widgets

    from toolkit.exercises.shuffle import display_order
    from toolkit.exercises.widget import Exercise

    class Checklist(Exercise):
        """Tick all options that apply."""

        kind: ClassVar[str] = "checklist"

        def __init__(
            self,
            exercise: str,
            prompt: str,
            options: Sequence[str],
            *,
            shuffle: bool = True,
            folder: str | os.PathLike[str] | None = None,
        ) -> None:
            super().__init__(exercise, prompt, folder=folder)
            if not options or len(set(options)) != len(options):
                raise CttkError(f"exercise {exercise}: give at least one option, without repeats")
            self.options = list(options)
            #: The options in the order shown (the written order when ``shuffle`` is false).
            self.shown = display_order(self.options, exercise) if shuffle else list(self.options)
            #: option text -> its checkbox (the boxes are laid out in the order shown).
            self.box_of = {
                o: widgets.Checkbox(
                    value=False, description=o, indent=False, layout={"width": "auto"}
                )
                for o in self.shown
            }
            self.boxes = [self.box_of[o] for o in self.shown]
            for box in self.boxes:
                box.observe(self._on_change, names="value")
            self._finish(self.boxes)

        def answer(self) -> dict[str, Any]:
            return {"selected": [o for o in self.options if self.box_of[o].value]}

        def restore(self, value: Any) -> None:
            selected = parse_checklist(value)
            for option, box in self.box_of.items():
                box.value = option in selected

    return Checklist


KIND = ExerciseKind(
    name="checklist",
    widget_name="Checklist",
    structure=("options",),
    widget_factory=checklist_widget,
    grader=grade_checklist,
    parse=parse_checklist,
    score=checklist_score,
    option_rows=checklist_rows,
    simulate=simulate_checklist,
    key_strays=option_key_strays,
    simulate_unkeyed=simulate_checklist_opinion,
    option_analysis=True,
)
