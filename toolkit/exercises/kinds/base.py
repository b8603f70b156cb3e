"""What an exercise kind is: the one record that the rest of the toolkit reads.

Each module of :mod:`toolkit.exercises.kinds` defines everything about one kind and ends with
``KIND = ExerciseKind(...)``; :mod:`toolkit.exercises.registry` maps kind names to those records.
Nothing outside the kind module knows how a kind's answer looks or is scored: the notebook
reader (:mod:`toolkit.exercises.keys`), the response frames (:mod:`toolkit.data.responses`),
``cttk validate``, the demo and the autograde integrity check all go through the record.

**Why the widget is built by a factory.** Graders run in the trainee's kernel at autograde, and
the response frames are built by analysis code: neither should load (or depend on) ipywidgets.
So a kind module imports nothing from ipywidgets at module level. Its widget class is defined
inside a function, ``widget_factory``, that imports ipywidgets and the widget base
(:class:`toolkit.exercises.widget.Exercise`) and returns the class;
:meth:`ExerciseKind.widget_class` calls it once and then returns the same class every time.
``from toolkit.exercises import Choice`` is that call.

This module also holds the small helpers that kind modules share to check a saved value
(:func:`saved_field`, :func:`saved_texts`, :func:`saved_value_error`) and to read a literal key
(:func:`listed`, :func:`texts_in`). Like the kind modules, it does not import ipywidgets.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from toolkit.errors import CttkError, ResponseError

if TYPE_CHECKING:
    import numpy as np

    from toolkit.exercises.keys import AnswerKey, ExerciseSpec
    from toolkit.exercises.widget import Exercise

#: What a simulated trainee is meant to answer.
Outcome = Literal["right", "wrong"]
#: One option row of the response frame, without the columns that identify the trainee and the
#: exercise: ``option`` and ``correct``, and for some kinds ``position`` and ``scene`` (see
#: :mod:`toolkit.data.responses`).
Row = dict[str, Any]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, eq=False)
class ExerciseKind:
    """Everything the toolkit needs to know about one kind of exercise.

    Attributes:
        name: the kind saved with each answer in the response file, e.g. ``"choice"``.
        widget_name: the widget class that notebooks build, e.g. ``"Choice"``.
        structure: the names of the widget's structure arguments, which follow the exercise id and
            the prompt (``("options",)``; ``("left", "right")`` for a matching). The notebook
            reader maps positional arguments to these names.
        widget_factory: returns the widget class (see the module docstring).
        grader: the grading helper that hidden tests call, e.g. ``grade_choice(exercise, *,
            correct, points=1, folder=None) -> float``. It never raises because of a response.
        parse: ``parse(value)``: a saved value checked and returned as plain data; raises
            :class:`~toolkit.errors.ResponseError` when it has the wrong shape.
        score: the pure scoring rule that the grader applies to a parsed answer (no files, no
            printing), e.g. ``checklist_score(selected, correct, points) -> float``.
        option_rows: ``option_rows(value, key) -> (rows, score)``: the rows the answer adds to the
            response frame and its score by the key, or ``(rows, None)`` when ``key`` is None (no
            usable answer key). Raises like ``parse``.
        simulate: ``simulate(spec, key, rng, outcome)``: the value a simulated trainee saves: the
            key's answer when ``outcome`` is ``"right"``, a plausible mistake scoring 0 when it is
            ``"wrong"``. Draws only from ``rng``, so a seed gives the same answers.
        key_strays: ``key_strays(spec, correct)``: the first thing an answer key names that the
            widget does not offer, or None.
        key_argument: the keyword of the grader that holds the answer key.
        simulate_unkeyed: ``simulate_unkeyed(spec, rng, lean, comment)``: the demo's answer to
            an exercise with no key (a survey question): ``lean`` (in ability units) moves it
            along the options, and ``comment()`` gives a free-text remark if the widget takes
            one. None when the kind is not used without a key (nothing is simulated).
        option_analysis: whether each row of an answer is one option picked from the widget's
            list, so that "chose this option" can be correlated with the total score (the
            per-option analysis of a choice or a checklist).
    """

    name: str
    widget_name: str
    structure: tuple[str, ...]
    widget_factory: Callable[[], type[Exercise]]
    grader: Callable[..., float]
    parse: Callable[[Any], Any]
    score: Callable[..., float]
    option_rows: Callable[[Any, AnswerKey | None], tuple[list[Row], float | None]]
    simulate: Callable[[ExerciseSpec, AnswerKey, np.random.Generator, Outcome], Any]
    key_strays: Callable[[ExerciseSpec, Any], str | None]
    key_argument: str = "correct"
    simulate_unkeyed: (
        Callable[[ExerciseSpec, np.random.Generator, float, Callable[[], str]], Any] | None
    ) = None
    option_analysis: bool = False

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise CttkError(f"exercise kind {self.name!r}: use a lower-case identifier as its name")
        if not self.widget_name.isidentifier() or not self.structure:
            raise CttkError(
                f"exercise kind {self.name!r}: give the widget's class name and at least one "
                "structure argument"
            )

    @property
    def grader_name(self) -> str:
        """The name hidden tests call the grader by, e.g. ``"grade_choice"``."""
        return self.grader.__name__

    def widget_class(self) -> type[Exercise]:
        """The widget class (built, and ipywidgets imported, on first use)."""
        return _build(self.widget_factory)


@functools.cache
def _build(factory: Callable[[], type[Exercise]]) -> type[Exercise]:
    cls = factory()
    cls.__qualname__ = cls.__name__  # shown as the kind module's Choice, not as a local class
    return cls


# -- checking saved values ------------------------------------------------------------------------
def saved_value_error(kind: str, what: str) -> ResponseError:
    """The error for a saved ``kind`` answer that ``what`` (e.g. "has no 'choice' field")."""
    return ResponseError(
        f"saved {kind} answer {what}", hint="answer the exercise again in the notebook"
    )


def saved_field(value: Any, kind: str, name: str) -> Any:
    """The field ``name`` of a saved ``kind`` answer, which must be a mapping."""
    if not isinstance(value, Mapping) or name not in value:
        raise saved_value_error(kind, f"has no {name!r} field")
    return value[name]


def saved_texts(items: Any, kind: str, name: str) -> list[str]:
    """``items`` (the field ``name`` of a saved ``kind`` answer) if it is a list of texts."""
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise saved_value_error(kind, f"field {name!r} is not a list of texts")
    return list(items)


# -- reading literal keys -------------------------------------------------------------------------
def listed(value: Any) -> list[Any]:
    """A key's answer as a list: one text becomes a list of one; None becomes empty."""
    return [value] if isinstance(value, str) else list(value or [])


def option_key_strays(spec: ExerciseSpec, correct: Any) -> str | None:
    """For kinds whose key names some of the widget's options (choice, checklist): the first
    option the key names that the widget does not offer, or None."""
    offered = set(spec.options)
    strays = [c for c in listed(correct) if c not in offered]
    return str(strays[0]) if strays else None


def texts_in(value: Any) -> set[str]:
    """The texts a key accepts (one text or a collection of them; anything else is ignored)."""
    if isinstance(value, str):
        return {value}
    return {c for c in value or [] if isinstance(c, str)}
