"""The exercise kinds by name: the one table that the rest of the toolkit reads.

:data:`KINDS` maps a kind's name (as saved in the response file) to its
:class:`~toolkit.exercises.kinds.base.ExerciseKind`. The notebook reader finds kinds by widget
class name (:func:`kind_for_widget`) and by grading-helper name (:func:`kind_for_grader`);
response frames, ``cttk validate``, the demo and the autograde integrity check look them up by
name (:func:`get_kind`) or go through all of them.

**Adding a kind.** Write one module in :mod:`toolkit.exercises.kinds` that ends with
``KIND = ExerciseKind(...)`` (see :mod:`toolkit.exercises.kinds.base`) and add it to the
``register`` loop at the end of this module (and name its widget and grader in the ``__all__`` of
:mod:`toolkit.exercises`, for readers and type checkers). Nothing else changes: its widget and
grader are importable from :mod:`toolkit.exercises`, hidden tests ending with its grader are checked by the
integrity probe, and its answers appear in the response frames.

A kind defined elsewhere (a test's toy kind, a course's own kind) is added with :func:`register`,
or for the length of a ``with`` block with :func:`registered`.

This module imports the kind modules, which do not import ipywidgets: kernels and analysis code
can read the registry without a front end.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

from toolkit.errors import CttkError
from toolkit.exercises.kinds import checklist, choice, matching, ordering, roleplay, text
from toolkit.exercises.kinds.base import ExerciseKind

_KINDS: dict[str, ExerciseKind] = {}
#: Every registered kind by name (read-only; change it with :func:`register`). Lookups read this
#: view, which the autograde integrity probe fingerprints.
KINDS: Mapping[str, ExerciseKind] = MappingProxyType(_KINDS)


def register(kind: ExerciseKind) -> ExerciseKind:
    """Add ``kind`` to :data:`KINDS` and return it.

    Raises:
        CttkError: another kind already has its name, its widget class name or its grader name.
    """
    for other in KINDS.values():
        clash = (
            "name"
            if other.name == kind.name
            else "widget class"
            if other.widget_name == kind.widget_name
            else "grader"
            if other.grader_name == kind.grader_name
            else None
        )
        if clash:
            raise CttkError(
                f"exercise kind {kind.name!r}: its {clash} is already used by kind {other.name!r}",
                hint="give each kind its own name, widget class and grading helper",
            )
    _KINDS[kind.name] = kind
    return kind


@contextmanager
def registered(kind: ExerciseKind) -> Iterator[ExerciseKind]:
    """Register ``kind`` for the length of a ``with`` block (for tests)."""
    register(kind)
    try:
        yield kind
    finally:
        if _KINDS.get(kind.name) is kind:
            del _KINDS[kind.name]


def option_kinds() -> list[str]:
    """The kinds whose rows are options picked from a list (for the per-option analysis)."""
    return sorted(name for name, kind in KINDS.items() if kind.option_analysis)


def get_kind(name: str) -> ExerciseKind:
    """The kind called ``name``.

    Raises:
        CttkError: no kind has that name.
    """
    kind = KINDS.get(name)
    if kind is None:
        raise CttkError(f"unknown exercise kind {name!r}", hint=f"known kinds: {sorted(KINDS)}")
    return kind


def kind_for_widget(class_name: str) -> ExerciseKind | None:
    """The kind whose widget class is called ``class_name``, or None."""
    return next((k for k in KINDS.values() if k.widget_name == class_name), None)


def kind_for_grader(function_name: str) -> ExerciseKind | None:
    """The kind whose grading helper is called ``function_name``, or None."""
    return next((k for k in KINDS.values() if k.grader_name == function_name), None)


for _module in (checklist, choice, matching, ordering, roleplay, text):
    register(_module.KIND)
del _module
