"""Choice: pick one option for a scenario, optionally saying why in a few words.

- Widget: ``Choice(exercise, prompt, options, *, why=False, shuffle=True)``: radio buttons, and a
  one-line "why" box when ``why`` is true. The options are shown in an order drawn for the trainee
  and the exercise (:mod:`toolkit.exercises.shuffle`); ``shuffle=False`` keeps the written order
  (an ordinal scale such as a survey's "strongly disagree" to "strongly agree").
- Saved value: ``{"choice": option, "why": text}``: the option's text, never its position.
- Key: ``grade_choice(exercise, correct=option, points=1)``; ``correct`` may list several
  accepted options.
- Score: all points when the saved choice is accepted, else 0 (:func:`choice_score`).
- Option rows: one row, the chosen option.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, ClassVar

from toolkit.errors import CttkError
from toolkit.exercises.grading import Folder, accepted, check_points, clamp, grade_saved
from toolkit.exercises.kinds.base import (
    ExerciseKind,
    Outcome,
    Row,
    listed,
    option_key_strays,
    saved_field,
    saved_value_error,
    texts_in,
)
from toolkit.settings import CHOICE_WHY_MAX_CHARS

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

    import numpy as np

    from toolkit.exercises.keys import AnswerKey, ExerciseSpec
    from toolkit.exercises.widget import Exercise


def parse_choice(value: Any) -> tuple[str, str]:
    """``(choice, why)`` of a saved choice answer."""
    choice = saved_field(value, "choice", "choice")
    if not isinstance(choice, str):
        raise saved_value_error("choice", "has no chosen option")
    why = value.get("why", "")
    return choice, why if isinstance(why, str) else ""


def choice_score(choice: str, correct: Collection[str], points: float) -> float:
    """All ``points`` when ``choice`` is one of the ``correct`` options, else 0."""
    return clamp(points if choice in correct else 0.0, points)


def grade_choice(
    exercise: str, *, correct: str | Collection[str], points: float = 1, folder: Folder = None
) -> float:
    """Full points when the saved choice is ``correct`` (or one of several accepted), else 0."""
    points = check_points(exercise, points)
    options = accepted(correct)
    return grade_saved(
        exercise, "choice", folder, lambda v: choice_score(parse_choice(v)[0], options, points)
    )


def choice_rows(value: Any, key: AnswerKey | None) -> tuple[list[Row], float | None]:
    choice, _why = parse_choice(value)
    if key is None:
        return [{"option": choice, "correct": None}], None
    options = texts_in(key.correct)
    rows: list[Row] = [{"option": choice, "correct": choice in options}]
    return rows, choice_score(choice, options, key.points)


def simulate_choice(
    spec: ExerciseSpec, key: AnswerKey, rng: np.random.Generator, outcome: Outcome
) -> Any:
    """Right: one of the accepted options; wrong: one of the others."""
    options = listed(key.correct)
    pool = options if outcome == "right" else [o for o in spec.options if o not in options]
    return {"choice": str(rng.choice(pool)), "why": ""}


def simulate_choice_opinion(
    spec: ExerciseSpec, rng: np.random.Generator, lean: float, comment: Callable[[], str]
) -> Any:
    """A point on the option scale (options written from lowest to highest), leaning to the
    upper end and further up with ``lean``; a remark in the why box when the widget has one."""
    if not spec.options:
        return None
    top = len(spec.options) - 1
    centre = 0.7 * top + 0.4 * lean
    index = int(min(max(round(rng.normal(centre, 0.9)), 0), top))
    return {"choice": spec.options[index], "why": comment() if spec.args.get("why") else ""}


def choice_widget() -> type[Exercise]:
    import ipywidgets as widgets

    from toolkit.exercises.shuffle import display_order
    from toolkit.exercises.widget import Exercise

    class Choice(Exercise):
        """Pick one option for a scenario; optionally say why in a few words."""

        kind: ClassVar[str] = "choice"

        def __init__(
            self,
            exercise: str,
            prompt: str,
            options: Sequence[str],
            *,
            why: bool = False,
            shuffle: bool = True,
            folder: str | os.PathLike[str] | None = None,
        ) -> None:
            super().__init__(exercise, prompt, folder=folder)
            if len(options) < 2 or len(set(options)) != len(options):
                raise CttkError(f"exercise {exercise}: give at least two distinct options")
            self.options = list(options)
            #: The options in the order shown (the written order when ``shuffle`` is false).
            self.shown = display_order(self.options, exercise) if shuffle else list(self.options)
            self.radio = widgets.RadioButtons(
                options=self.shown,
                value=None,
                description="Answer",
                layout=widgets.Layout(width="auto"),
                style={"description_width": "initial"},
            )
            self.radio.observe(self._on_change, names="value")
            controls: list[widgets.Widget] = [self.radio]
            self.why: widgets.Text | None = None
            if why:
                self.why = widgets.Text(
                    placeholder="Why? (one line, optional)",
                    description="Why",
                    continuous_update=False,
                    layout=widgets.Layout(width="95%"),
                )
                self.why.observe(self._on_change, names="value")
                controls.append(self.why)
            self._finish(controls)

        def answer(self) -> dict[str, Any] | None:
            if self.radio.value is None:
                return None
            return {"choice": self.radio.value, "why": self.why.value if self.why else ""}

        def restore(self, value: Any) -> None:
            choice, why = parse_choice(value)
            if choice not in self.options:
                raise ValueError(choice)
            self.radio.value = choice
            if self.why is not None:
                self.why.value = why[:CHOICE_WHY_MAX_CHARS]

    return Choice


KIND = ExerciseKind(
    name="choice",
    widget_name="Choice",
    structure=("options",),
    widget_factory=choice_widget,
    grader=grade_choice,
    parse=parse_choice,
    score=choice_score,
    option_rows=choice_rows,
    simulate=simulate_choice,
    key_strays=option_key_strays,
    simulate_unkeyed=simulate_choice_opinion,
    option_analysis=True,
)
