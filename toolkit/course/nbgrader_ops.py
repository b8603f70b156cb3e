"""The one place that drives nbgrader's own machinery (config, API, gradebook writes).

nbgrader's apps are expensive to import (seconds), so imports happen inside the functions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import CourseError, GradingError

if TYPE_CHECKING:
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config


def _ensure_tools_on_path() -> None:
    """nbgrader runs ``alembic`` by name: make the scripts of this interpreter findable.

    Every entry into nbgrader passes here, so its warnings are quietened here too."""
    quiet_nbgrader()
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def quiet_nbgrader() -> None:
    """Silence the SQLAlchemy autoflush warnings that nbgrader's own ORM code raises on every
    submission (they are nbgrader's, harmless, and would bury the progress bar)."""
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader")


def load_config(root: Path) -> Config:
    """nbgrader's configuration of the course at ``root`` (its nbgrader_config.py)."""
    from traitlets.config.loader import PyFileConfigLoader

    path = root / "nbgrader_config.py"
    if not path.is_file():
        raise CourseError(
            "no nbgrader_config.py", hint="create one or pass --course DIR", path=root
        )
    config = PyFileConfigLoader(path.name, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return config


def api(root: Path) -> NbGraderAPI:
    """nbgrader's Python API for the course at ``root``."""
    _ensure_tools_on_path()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = load_config(root)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


@contextmanager
def gradebook(url: str, course_id: str = "cttk") -> Iterator[Gradebook]:
    """nbgrader's Gradebook, opened and closed."""
    _ensure_tools_on_path()
    from nbgrader.api import Gradebook

    with Gradebook(url, course_id) as gb:
        yield gb


def _check(result: dict[str, Any], what: str) -> None:
    if not result.get("success"):
        log = (result.get("error") or result.get("log") or "").strip().splitlines()
        last = next((line for line in reversed(log) if line.strip()), "no log")
        raise GradingError(f"nbgrader {what} failed: {last}")


def generate_assignment(root: Path, assignment: str) -> None:
    """Run nbgrader generate_assignment (writes release/ and the gradebook's cells)."""
    _check(
        api(root).generate_assignment(assignment, force=True, create=True), "generate_assignment"
    )


def autograde_one(nbapi: NbGraderAPI, assignment: str, student: str) -> None:
    """Run nbgrader autograde for one submission with an existing API object."""
    _check(nbapi.autograde(assignment, student, force=True, create=True), f"autograde of {student}")


def add_students(url: str, course_id: str, students: list[dict[str, str]]) -> None:
    """Create or update students (``trainee``, ``first_name``, ``last_name``, ``email``)."""
    with gradebook(url, course_id) as gb:
        for s in students:
            gb.update_or_create_student(
                s["trainee"], first_name=s["first_name"], last_name=s["last_name"], email=s["email"]
            )


def set_manual_grade(
    gb: Gradebook,
    *,
    assignment: str,
    notebook: str,
    student: str,
    grade_id: str,
    score: float,
    comment: str,
) -> None:
    """Give a manually graded cell its score and comment, as the formgrader would."""
    grade = gb.find_grade(grade_id, notebook, assignment, student)
    grade.manual_score = score
    grade.needs_manual_grade = False
    with suppress(Exception):
        gb.find_comment(grade_id, notebook, assignment, student).manual_comment = comment
    gb.db.commit()


def generate_feedback(root: Path, assignment: str) -> None:
    """Run nbgrader generate_feedback for every autograded submission of ``assignment``."""
    _check(api(root).generate_feedback(assignment, force=True), "generate_feedback")
