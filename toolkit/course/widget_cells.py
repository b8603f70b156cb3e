"""Which cells of a course notebook build an exercise widget, and hiding their code at release.

A trainee should read the case and the question once, in the widget, not first as the Python call
that builds it (with every option in the order written). So ``cttk release`` collapses the source of
each widget-building cell in the released notebooks (``metadata.jupyter.source_hidden``, which
JupyterLab shows as a collapsed input); the widget output stays visible and the source notebook
keeps its code readable for the instructor.

A cell builds a widget when it calls a name the notebook imports from ``toolkit.exercises`` and is
not a grade cell (hidden tests call the graders, which are imported from there too).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import nbformat

EXERCISES_MODULE = "toolkit.exercises"


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


def hide_widget_sources_in(folder: Path) -> int:
    """:func:`hide_widget_sources` on every notebook of ``folder``, rewritten in place."""
    total = 0
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        hidden = hide_widget_sources(nb)
        if hidden:
            nbformat.write(nb, path)
        total += hidden
    return total


__all__ = ["builds_widget", "exercise_names", "hide_widget_sources", "hide_widget_sources_in"]
