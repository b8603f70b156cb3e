"""Text: an ungraded free-text answer (a survey comment, "what was missing").

- Widget: ``Text(exercise, prompt, max_chars=2000)``: a text area; the answer is saved when the
  trainee leaves the box, only if it is no longer than ``max_chars``.
- Saved value: ``{"text": text}``.
- Key: none. Free text is never scored automatically; :func:`grade_text` refuses to grade.
- Option rows: one row holding the text, with no correct flag and no score.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from toolkit.errors import CttkError, GradingError
from toolkit.exercises.grading import Folder
from toolkit.exercises.kinds.base import (
    ExerciseKind,
    Outcome,
    Row,
    saved_field,
    saved_value_error,
)
from toolkit.settings import TEXT_MAX_CHARS

if TYPE_CHECKING:
    import os
    from collections.abc import Callable

    import numpy as np

    from toolkit.exercises.keys import AnswerKey, ExerciseSpec
    from toolkit.exercises.widget import Exercise


def parse_text(value: Any) -> str:
    """The text of a saved free-text answer: a string of at most ``TEXT_MAX_CHARS`` characters."""
    text = saved_field(value, "text", "text")
    if not isinstance(text, str):
        raise saved_value_error("text", "is not a text")
    if len(text) > TEXT_MAX_CHARS:
        raise saved_value_error("text", f"is longer than {TEXT_MAX_CHARS} characters")
    return text


def text_score(text: str, correct: Any, points: float) -> float:
    """Free text earns no automatic points."""
    return 0.0


def grade_text(
    exercise: str, *, correct: Any = None, points: float = 1, folder: Folder = None
) -> float:
    """Free text is not graded automatically: grade it by hand (an nbgrader manual cell) instead.

    Raises:
        GradingError: always, so that a hidden test cannot silently score free text.
    """
    raise GradingError(
        f"grading {exercise}: a free-text answer is not graded automatically",
        hint="ask for graded writing in a manually graded answer cell",
    )


def text_rows(value: Any, key: AnswerKey | None) -> tuple[list[Row], float | None]:
    return [{"option": parse_text(value), "correct": None}], None


def simulate_text(
    spec: ExerciseSpec, key: AnswerKey, rng: np.random.Generator, outcome: Outcome
) -> Any:
    """Never keyed, so never asked for; an empty answer if it is."""
    return {"text": ""}


def simulate_text_opinion(
    spec: ExerciseSpec, rng: np.random.Generator, lean: float, comment: Callable[[], str]
) -> Any:
    """A remark (often none) as a trainee might leave it."""
    limit = spec.args.get("max_chars", TEXT_MAX_CHARS)
    size = limit if isinstance(limit, int) and 0 < limit <= TEXT_MAX_CHARS else TEXT_MAX_CHARS
    return {"text": comment()[:size]}


def text_key_strays(spec: ExerciseSpec, correct: Any) -> str | None:
    return None if correct is None else "a key (free text is not graded)"


def text_widget() -> type[Exercise]:
    import ipywidgets as widgets

    from toolkit.exercises.widget import Exercise

    class Text(Exercise):
        """A box for a free-text answer of at most ``max_chars`` characters (not graded)."""

        kind: ClassVar[str] = "text"

        def __init__(
            self,
            exercise: str,
            prompt: str,
            max_chars: int = TEXT_MAX_CHARS,
            *,
            folder: str | os.PathLike[str] | None = None,
        ) -> None:
            super().__init__(exercise, prompt, folder=folder)
            if isinstance(max_chars, bool) or not isinstance(max_chars, int):
                raise CttkError(f"exercise {exercise}: max_chars must be a whole number")
            if not 0 < max_chars <= TEXT_MAX_CHARS:
                raise CttkError(
                    f"exercise {exercise}: max_chars must be between 1 and {TEXT_MAX_CHARS}"
                )
            self.max_chars = max_chars
            self.box = widgets.Textarea(
                placeholder=f"Your answer (up to {max_chars} characters, optional)",
                continuous_update=False,
                layout=widgets.Layout(width="95%", height="6em"),
            )
            self.box.observe(self._on_change, names="value")
            self._finish([self.box])

        def answer(self) -> dict[str, Any] | None:
            text = self.box.value
            if not isinstance(text, str):
                return None
            if len(text) > self.max_chars:
                self._show_status(
                    "error", f"{len(text)} characters: shorten it to {self.max_chars} or fewer"
                )
                return None
            return {"text": text}

        def restore(self, value: Any) -> None:
            text = parse_text(value)
            if len(text) > self.max_chars:
                raise ValueError("saved text is longer than this box allows")
            self.box.value = text

    return Text


KIND = ExerciseKind(
    name="text",
    widget_name="Text",
    structure=("max_chars",),
    widget_factory=text_widget,
    grader=grade_text,
    parse=parse_text,
    score=text_score,
    option_rows=text_rows,
    simulate=simulate_text,
    key_strays=text_key_strays,
    simulate_unkeyed=simulate_text_opinion,
)
