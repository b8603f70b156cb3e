"""The nbval plugin that runs the source notebooks once: a notebook whose hidden tests pass with its
widgets answered rightly passes; a grade cell that nbgrader would score below its points fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow

WIDGET = 'from toolkit.exercises import Choice\nChoice("toy.q1", "Pick one", ["a", "b"])'


def _notebook(folder: Path, test_source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    test = nbformat.v4.new_code_cell(test_source)
    test.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "points": 1,
        "grade_id": "q1_test",
        "schema_version": 3,
    }
    nb.cells = [nbformat.v4.new_code_cell(WIDGET), test]
    folder.mkdir(parents=True)
    path = folder / "toy.ipynb"
    nbformat.write(nb, path)
    return path


def _run(repo: Path, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(repo / "pyproject.toml"),
            "--rootdir",
            str(repo),
            "-p",
            "no:cacheprovider",
            "--nbval-lax",
            "-p",
            "tests.support.nbval_grades",
            str(path),
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


GRADED = 'from toolkit.exercises import grade_choice\ngrade_choice("toy.q1", correct="a", points=1)'


@pytest.mark.parametrize(
    ("test_source", "passes"),
    [
        (GRADED, True),
        (GRADED.replace("points=1", "points=1) * 0.5 + (0"), False),  # partial credit
        ("import sys\nprint('careful', file=sys.stderr)", False),  # stderr scores 0 in nbgrader
    ],
    ids=["full-marks", "partial-credit", "stderr"],
)
def test_grade_cells_must_earn_full_marks(
    repo_root: Path, tmp_path: Path, test_source: str, passes: bool
) -> None:
    path = _notebook(tmp_path / "toy_assignment", test_source)
    result = _run(repo_root, path)
    assert (result.returncode == 0) == passes, result.stdout[-2000:]
    assert not (path.parent / "cttk_responses.json").exists(), "answers go to a scratch copy"
