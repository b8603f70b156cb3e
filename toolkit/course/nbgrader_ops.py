"""The one place that drives nbgrader's own machinery (config, API, gradebook writes).

nbgrader's apps are expensive to import (seconds), so imports happen inside the functions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.course.gradebook_file import check_gradebook
from toolkit.course.layout import Course
from toolkit.course.widget_cells import hide_widget_sources_in
from toolkit.errors import CourseError, GradingError
from toolkit.settings import COURSE_ID

if TYPE_CHECKING:
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config


def ensure_tools_on_path() -> None:
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
    ensure_tools_on_path()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = load_config(root)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


@contextmanager
def gradebook(url: str, course_id: str = COURSE_ID) -> Iterator[Gradebook]:
    """nbgrader's Gradebook, opened and closed, after :func:`check_gradebook` (a new file may be
    created; an existing empty, corrupt, read-only or locked one is refused)."""
    check_gradebook(url, write=True)
    ensure_tools_on_path()
    from nbgrader.api import Gradebook

    with Gradebook(url, course_id) as gb:
        yield gb


def _check(result: dict[str, Any], what: str) -> None:
    if not result.get("success"):
        log = (result.get("error") or result.get("log") or "").strip().splitlines()
        last = next((line for line in reversed(log) if line.strip()), "no log")
        raise GradingError(f"nbgrader {what} failed: {last}")


def release_assignments(
    course_dir: str | Path, assignments: Sequence[str] | None = None
) -> list[Path]:
    """Run nbgrader generate_assignment for ``assignments`` (default: every assignment in source/)
    with one nbgrader API: write ``release/<assignment>`` and the gradebook's record of its cells.

    This is the one writer of release/ (``cttk release``). The code of the cells that build a
    widget is then collapsed in the released notebooks
    (:func:`toolkit.course.widget_cells.hide_widget_sources`), and the notes for the instructor are
    removed from them (:func:`toolkit.course.widget_cells.strip_instructor_cells`). Returns the
    folders written.

    Raises:
        CourseError: no course at ``course_dir``, or an unknown assignment (nothing is written).
        GradingError: nbgrader could not generate an assignment.
    """
    course = Course.open(course_dir)
    if assignments is None:
        names = course.assignments()
    else:
        names = [course.check_assignment(a) for a in assignments]
    check_gradebook(course.gradebook_url, write=True)
    nbapi = api(course.root)
    for name in names:
        result = nbapi.generate_assignment(name, force=True, create=True)
        _check(result, f"generate_assignment of {name}")
        hide_widget_sources_in(course.release / name)
    return [course.release / name for name in names]


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


def generate_feedback(course_dir: str | Path, assignment: str) -> Path:
    """Run nbgrader generate_feedback for every autograded submission of ``assignment``.

    Returns the folder the feedback pages are written under.
    """
    course = Course.open(course_dir)
    course.check_assignment(assignment)
    check_gradebook(course.gradebook_url, write=True)
    result = api(course.root).generate_feedback(assignment, force=True)
    _check(result, "generate_feedback")
    return course.root / "feedback"
