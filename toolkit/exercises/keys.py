"""Read exercise definitions and answer keys out of source notebooks, without running them.

Widgets are built in locked cells with literal arguments (``Choice("legal.s1.type", "prompt",
[...])``) and answer keys are written in hidden tests (``grade_choice("legal.s1.type",
correct=..., points=...)``). Parsing both with :mod:`ast` gives the demo its simulated answers and
``cttk validate`` its consistency checks, with the hidden tests as the only place a key is written.
Which calls are widgets and graders, and what their arguments are called, comes from the registry
of exercise kinds (:mod:`toolkit.exercises.registry`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from toolkit.errors import CourseError
from toolkit.exercises.registry import kind_for_grader, kind_for_widget


@dataclass(frozen=True)
class ExerciseSpec:
    """A widget as built in a notebook: its exercise id, kind and literal structure.

    ``options`` is the first structure argument as a list: the options of a choice or checklist,
    the left items of a matching, the items of an ordering, the scene ids of a role-play.
    ``args`` holds every structure argument by name (the kind's ``structure``: ``options``,
    ``left`` and ``right``, ``items``, ``scenes``) and the other literal keyword arguments
    (``why``, ``start``, ``shuffle``). ``prompt`` is the question as written (empty when it is
    not a literal text).
    """

    exercise: str
    kind: str
    options: list[Any] = field(default_factory=list)
    cell: str = ""  # grade_id (or index) of the cell that builds it
    args: dict[str, Any] = field(default_factory=dict)
    prompt: str = ""


@dataclass(frozen=True)
class AnswerKey:
    """An answer key as written in a hidden test: ``correct`` is the literal value of the
    grader's key argument (``correct=``, or ``scores=`` for a role-play), or None when it is not
    a literal."""

    exercise: str
    kind: str
    correct: Any
    points: float
    cell: str  # grade_id of the test cell


def _literal(node: ast.AST | None) -> Any:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _calls(source: str) -> list[ast.Call]:
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return []
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)]


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _cell_id(cell: Any, index: int) -> str:
    return str(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell-{index}")


def read_notebook(path: Path) -> Any:
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for a bad file
        raise CourseError(f"cannot read notebook: {exc}", path=path) from None


def exercise_specs(nb: Any) -> list[ExerciseSpec]:
    """Every widget built in ``nb`` with a literal exercise id."""
    specs = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for call in _calls(cell.source):
            kind = kind_for_widget(_name(call))
            if kind is None:
                continue
            pos = [_literal(a) for a in call.args]
            kw = {k.arg: _literal(k.value) for k in call.keywords if k.arg}
            exercise = kw.pop("exercise", pos[0] if pos else None)
            prompt = kw.pop("prompt", pos[1] if len(pos) > 1 else None)
            for name, value in zip(kind.structure, pos[2:], strict=False):
                kw.setdefault(name, value)
            first = kw.get(kind.structure[0])
            options = list(first) if isinstance(first, list | tuple | dict) else []
            if isinstance(exercise, str):
                specs.append(
                    ExerciseSpec(
                        exercise,
                        kind.name,
                        options,
                        _cell_id(cell, i),
                        args=kw,
                        prompt=prompt if isinstance(prompt, str) else "",
                    )
                )
    return specs


def answer_keys(nb: Any) -> list[AnswerKey]:
    """Every grading-helper call with a literal exercise id in the grade cells of ``nb``."""
    keys = []
    for i, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade"):
            continue
        for call in _calls(cell.source):
            kind = kind_for_grader(_name(call))
            if kind is None:
                continue
            kw = {k.arg: _literal(k.value) for k in call.keywords if k.arg}
            exercise = kw.get("exercise", _literal(call.args[0]) if call.args else None)
            points = kw.get("points", 1)
            if isinstance(exercise, str) and isinstance(points, int | float):
                correct = kw.get(kind.key_argument)
                keys.append(
                    AnswerKey(exercise, kind.name, correct, float(points), _cell_id(cell, i))
                )
    return keys


def keyed_exercises(nb: Any) -> tuple[list[tuple[ExerciseSpec, AnswerKey]], list[ExerciseSpec]]:
    """The widgets of ``nb`` paired with their answer keys, and the widgets without one (the
    survey's questions)."""
    keys = {k.exercise: k for k in answer_keys(nb)}
    specs = exercise_specs(nb)
    keyed = [(s, keys[s.exercise]) for s in specs if s.exercise in keys]
    return keyed, [s for s in specs if s.exercise not in keys]
