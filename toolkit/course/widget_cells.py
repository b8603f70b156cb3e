"""Which cells of a course notebook build an exercise widget, and hiding their code at release.

A trainee should read the case and the question once, in the widget, not first as the Python call
that builds it (with every option in the order written). So ``cttk release`` collapses the source of
each widget-building cell in the released notebooks (``metadata.jupyter.source_hidden``, which
JupyterLab shows as a collapsed input); the widget output stays visible and the source notebook
keeps its code readable for the instructor.

A cell builds a widget when it calls a name the notebook imports from ``toolkit.exercises`` and is
not a grade cell (hidden tests call the graders, which are imported from there too).

Notes meant for the instructor (a markdown cell that starts with "For the instructor", as a heading
or not: sources, grading notes) stay in the source notebook and are removed from the released one
(:func:`strip_instructor_cells`). A cell nbgrader tracks (graded, locked, a solution or a task) is
never removed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import nbformat

EXERCISES_MODULE = "toolkit.exercises"
_INSTRUCTOR = re.compile(r"^[\s#*_>]*for the instructor\b", re.I)


def _tree(source: str) -> ast.Module | None:
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def exercise_names(nb: Any) -> set[str]:
    """Names the notebook's code cells import from ``toolkit.exercises``."""
    names: set[str] = set()
    for cell in nb.cells:
        tree = _tree(cell.source) if cell.cell_type == "code" else None
        for node in ast.walk(tree) if tree is not None else []:
            if isinstance(node, ast.ImportFrom) and node.module == EXERCISES_MODULE:
                names |= {alias.asname or alias.name for alias in node.names}
    return names


def builds_widget(cell: Any, names: set[str]) -> bool:
    """Whether ``cell`` is a code cell, not graded, that calls one of ``names``."""
    if cell.cell_type != "code" or cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
        return False
    tree = _tree(cell.source)
    return tree is not None and any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names
        for n in ast.walk(tree)
    )


def hide_widget_sources(nb: Any) -> int:
    """Collapse the source of every widget-building cell of ``nb`` in place; return how many."""
    names = exercise_names(nb)
    hidden = 0
    for cell in nb.cells:
        if builds_widget(cell, names):
            cell.setdefault("metadata", {}).setdefault("jupyter", {})["source_hidden"] = True
            hidden += 1
    return hidden


def is_instructor_cell(cell: Any) -> bool:
    """Whether ``cell`` is a markdown note for the instructor that nbgrader does not track."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    tracked = any(meta.get(k) for k in ("grade", "locked", "solution", "task"))
    return cell.cell_type == "markdown" and not tracked and bool(_INSTRUCTOR.match(cell.source))


def strip_instructor_cells(nb: Any) -> int:
    """Remove the instructor's notes from ``nb`` in place (:func:`is_instructor_cell`); return how
    many."""
    kept = [c for c in nb.cells if not is_instructor_cell(c)]
    removed = len(nb.cells) - len(kept)
    nb.cells = kept
    return removed


def hide_widget_sources_in(folder: Path) -> int:
    """:func:`hide_widget_sources` and :func:`strip_instructor_cells` on every notebook of
    ``folder``, rewritten in place; return how many widget cells were hidden."""
    total = 0
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        hidden = hide_widget_sources(nb)
        stripped = strip_instructor_cells(nb)
        if hidden or stripped:
            nbformat.write(nb, path)
        total += hidden
    return total


__all__ = [
    "builds_widget",
    "exercise_names",
    "hide_widget_sources",
    "hide_widget_sources_in",
    "is_instructor_cell",
    "strip_instructor_cells",
]
