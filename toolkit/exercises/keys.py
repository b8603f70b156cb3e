"""Read exercise definitions and answer keys out of source notebooks, without running them.

Widgets are built in locked cells with literal arguments (``Choice("key", "prompt", [...])``) and
keys are written in hidden tests (``grade_choice("key", correct=..., points=...)``). Parsing both with
:mod:`ast` gives the demo its simulated answers and ``cttk validate`` its consistency checks, with
the hidden tests as the only place a key is written.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from toolkit.errors import CourseError

#: Widget class name -> response kind (the ``kind`` of each class in :mod:`toolkit.exercises`).
WIDGET_KINDS: dict[str, str] = {
    "Choice": "choice",
    "Checklist": "checklist",
    "Matching": "matching",
    "Ordering": "ordering",
    "RolePlay": "roleplay",
}
#: Response kind -> names of the structure arguments that follow ``key`` and ``prompt``.
WIDGET_STRUCTURE: dict[str, tuple[str, ...]] = {
    "choice": ("options",),
    "checklist": ("options",),
    "matching": ("left", "right"),
    "ordering": ("items",),
    "roleplay": ("scenes",),
}
#: Grading helper name -> response kind it reads.
GRADER_KINDS: dict[str, str] = {
    "grade_choice": "choice",
    "grade_checklist": "checklist",
    "grade_matching": "matching",
    "grade_ordering": "ordering",
    "grade_roleplay": "roleplay",
}
#: Response kind -> the keyword that holds the answer key in its grading call (default ``correct``).
KEY_ARGUMENT: dict[str, str] = {"roleplay": "scores"}


@dataclass(frozen=True)
class ExerciseSpec:
    """A widget as built in a notebook: its key, kind and literal structure.

    ``options`` is the first structure argument as a list: the options of a choice or checklist,
    the left items of a matching, the items of an ordering, the scene ids of a role-play.
    ``args`` holds every structure argument by name (``options``, ``left`` and ``right``,
    ``items``, ``scenes``; see :data:`WIDGET_STRUCTURE`) and the other literal keyword arguments
    (``why``, ``start``).
    """

    key: str
    kind: str
    options: list[Any] = field(default_factory=list)
    cell: str = ""  # grade_id (or index) of the cell that builds it
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class KeySpec:
    """An answer key as written in a hidden test: ``correct`` is the literal ``correct=``
    argument (``scores=`` for a role-play), or None when it is not a literal."""

    key: str
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
    """Every widget built in ``nb`` with a literal key."""
    specs = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for call in _calls(cell.source):
            kind = WIDGET_KINDS.get(_name(call))
            if kind is None:
                continue
            pos = [_literal(a) for a in call.args]
            kw = {k.arg: _literal(k.value) for k in call.keywords if k.arg}
            key = kw.pop("key", pos[0] if pos else None)
            kw.pop("prompt", None)
            for name, value in zip(WIDGET_STRUCTURE[kind], pos[2:], strict=False):
                kw.setdefault(name, value)
            first = kw.get(WIDGET_STRUCTURE[kind][0])
            options = list(first) if isinstance(first, list | tuple | dict) else []
            if isinstance(key, str):
                specs.append(ExerciseSpec(key, kind, options, _cell_id(cell, i), args=kw))
    return specs


def answer_keys(nb: Any) -> list[KeySpec]:
    """Every grading-helper call with a literal key in the grade cells of ``nb``."""
    keys = []
    for i, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade"):
            continue
        for call in _calls(cell.source):
            kind = GRADER_KINDS.get(_name(call))
            if kind is None:
                continue
            kw = {k.arg: _literal(k.value) for k in call.keywords if k.arg}
            key = kw.get("key", _literal(call.args[0]) if call.args else None)
            points = kw.get("points", 1)
            if isinstance(key, str) and isinstance(points, int | float):
                correct = kw.get(KEY_ARGUMENT.get(kind, "correct"))
                keys.append(KeySpec(key, kind, correct, float(points), _cell_id(cell, i)))
    return keys
