"""What the course asks: every widget's id, kind, prompt and options, read from ``source/``.

Reports take option and question text from here, never from a trainee's response file: a trainee
can write anything into that file, so text read from it would put the trainee's words in front of
an evaluator. Notebooks are parsed (``ast``), never run.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.course.layout import Course
from toolkit.exercises.keys import exercise_specs, read_notebook
from toolkit.exercises.registry import kind_for_widget

QUESTION_COLUMNS = ["assignment", "exercise", "kind", "prompt", "options"]


def _prompts(nb: Any) -> dict[str, str]:
    """exercise id -> prompt, for widget calls with a literal id and prompt."""
    found: dict[str, str] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = [ln for ln in cell.source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if kind_for_widget(name) is None:
                continue
            args = {k.arg: k.value for k in node.keywords if k.arg}
            ident = args.get("exercise", node.args[0] if node.args else None)
            prompt = args.get("prompt", node.args[1] if len(node.args) > 1 else None)
            if isinstance(ident, ast.Constant) and isinstance(prompt, ast.Constant):
                found[str(ident.value)] = str(prompt.value)
    return found


def course_questions(course_dir: str | Path, assignments: list[str] | None = None) -> pd.DataFrame:
    """One row per widget of the course's source notebooks (columns :data:`QUESTION_COLUMNS`),
    options as the course lists them (for a dict of options, its keys)."""
    course = Course.open(course_dir)
    rows = []
    for assignment in assignments or course.assignments():
        if assignment not in course.assignments():
            continue
        for path in course.notebooks(assignment):
            nb = read_notebook(path)
            prompts = _prompts(nb)
            for spec in exercise_specs(nb):
                rows.append(
                    {
                        "assignment": assignment,
                        "exercise": spec.exercise,
                        "kind": spec.kind,
                        "prompt": prompts.get(spec.exercise, spec.exercise),
                        "options": [str(o) for o in spec.options],
                    }
                )
    return pd.DataFrame(rows, columns=QUESTION_COLUMNS)
