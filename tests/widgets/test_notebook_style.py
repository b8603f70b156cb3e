"""Source notebooks review well: every cell that builds a widget or grades one is formatted code
(``ruff format``, line length 100: one option or scene per line once a call does not fit on one
line), and imports the widgets and graders from ``toolkit.exercises``."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.exercises.keys import read_notebook
from toolkit.exercises.registry import KINDS

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "source").glob("*/*.ipynb"))
RUFF_STYLE = ["--line-length", "100", "--target-version", "py311"]


def _exercise_cells() -> list[tuple[str, str]]:
    names = {k.widget_name for k in KINDS.values()} | {k.grader_name for k in KINDS.values()}
    cells = []
    for path in NOTEBOOKS:
        for cell in read_notebook(path).cells:
            if cell.cell_type != "code":
                continue
            calls = [n for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Call)]
            if any(getattr(c.func, "id", getattr(c.func, "attr", "")) in names for c in calls):
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "?")
                cells.append((f"{path.parent.name}/{grade_id}", cell.source))
    return cells


def test_exercise_cells_are_formatted(tmp_path: Path) -> None:
    cells = _exercise_cells()
    assert len(cells) > 150
    for i, (_where, source) in enumerate(cells):
        (tmp_path / f"cell_{i:03d}.py").write_text(source + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--check", *RUFF_STYLE, "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    unformatted = sorted({cells[int(i)][0] for i in re.findall(r"cell_(\d{3})\.py", done.stdout)})
    assert done.returncode == 0 and not unformatted, unformatted or done.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_notebooks_import_from_the_public_surface(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "toolkit.exercises.grading" not in text
    assert "toolkit.exercises.kinds" not in text
