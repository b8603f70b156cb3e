"""Exercise widgets whose answers are saved beside the notebook and survive autograde, and the
grading helpers that score them in hidden tests.

Course notebooks import everything from here::

    from toolkit.exercises import Checklist, Choice, Matching, Ordering, RolePlay
    from toolkit.exercises import grade_checklist, grade_choice, total

Every widget takes literal arguments, the exercise id first, then the prompt, then its structure,
so that :mod:`toolkit.exercises.keys` can read them from a notebook without running it:

- ``Choice(exercise, prompt, options, *, why=False, shuffle=True)``
- ``Checklist(exercise, prompt, options, *, shuffle=True)``
- ``Matching(exercise, prompt, left, right, *, shuffle=True)``
- ``Ordering(exercise, prompt, items, *, shuffle=True)``
- ``RolePlay(exercise, prompt, scenes, *, start=None)``
- ``Text(exercise, prompt, max_chars=2000)`` (free text, never graded)

``shuffle`` shows the options (a matching's right column, an ordering's start order) in an order
drawn for the trainee and the exercise (:mod:`toolkit.exercises.shuffle`); answers are saved as
option texts whatever the order shown. A role-play grades the first completed attempt.

and every grading helper takes the exercise id first and its answer key by keyword:
``grade_<kind>(exercise, correct=..., points=1)`` (``scores=...`` for ``grade_roleplay``);
``total(*scores)`` adds up a cell's scores.

Names are looked up, on first use, in the registry of exercise kinds
(:mod:`toolkit.exercises.registry`), so this import is cheap and a grader loads without
ipywidgets (only building a widget imports it). Nothing is stored in this module's namespace
after import: the autograde integrity probe fingerprints it, and a name that appeared here
later would read as tampering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.exercises.grading import total
    from toolkit.exercises.kinds.checklist import grade_checklist
    from toolkit.exercises.kinds.choice import grade_choice
    from toolkit.exercises.kinds.matching import grade_matching
    from toolkit.exercises.kinds.ordering import grade_ordering
    from toolkit.exercises.kinds.roleplay import grade_roleplay
    from toolkit.exercises.kinds.text import grade_text
    from toolkit.exercises.widget import Exercise

__all__ = [
    "Checklist",
    "Choice",
    "Exercise",
    "Matching",
    "Ordering",
    "RolePlay",
    "Text",
    "grade_checklist",
    "grade_choice",
    "grade_matching",
    "grade_ordering",
    "grade_roleplay",
    "grade_text",
    "total",
]


def __getattr__(name: str) -> Any:
    if name == "total":
        from toolkit.exercises.grading import total

        return total
    if name == "Exercise":
        from toolkit.exercises.widget import Exercise

        return Exercise
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from toolkit.exercises.registry import kind_for_grader, kind_for_widget

    kind = kind_for_widget(name)
    if kind is not None:
        return kind.widget_class()
    kind = kind_for_grader(name)
    if kind is not None:
        return kind.grader
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
