"""Grading away from the course's gradebook, and writing the result into it once.

A worker on another machine grades a submission in a scratch course of its own: a SQLite
gradebook seeded with the course's assignment records (:func:`seed_gradebook`), the course's
``source/`` and the trainee's ``submitted/`` folder. What nbgrader wrote there is read back as
a :class:`GradedSubmission` (:func:`read_graded`): the scores, comments and late penalties of
the submission and the files of its autograded folder. The process that runs the batch then
writes it into the course (:func:`write_graded`) in one transaction, with nbgrader's own rule
for ``needs_manual_grade``, so a submission graded twice (a task run again after its worker
died) is still recorded once.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from toolkit import settings
from toolkit.course.layout import Course, check_name
from toolkit.course.nbgrader_ops import gradebook
from toolkit.errors import GradingError

#: nbgrader's tables that describe assignments (not trainees): what a scratch gradebook needs.
STRUCTURE = (
    "assignment",
    "notebook",
    "base_cell",
    "grade_cells",
    "solution_cells",
    "task_cells",
    "source_cell",
)


@dataclass(frozen=True)
class GradedSubmission:
    """What nbgrader recorded for one submission in a scratch course."""

    assignment: str
    student: str
    timestamp: datetime | None
    #: (notebook, grade cell, auto score)
    grades: tuple[tuple[str, str, float | None], ...]
    #: (notebook, cell, auto comment)
    comments: tuple[tuple[str, str, str | None], ...]
    #: (notebook, late submission penalty)
    penalties: tuple[tuple[str, float | None], ...]
    #: path inside the autograded folder -> (content, permission bits)
    files: dict[str, tuple[bytes, int]] = field(default_factory=dict)


def seed_gradebook(url: str, course_id: str = settings.COURSE_ID) -> bytes:
    """A SQLite gradebook (as bytes) holding the assignment records of the gradebook at ``url``
    and no trainee."""
    from sqlalchemy import create_engine

    with gradebook(url, course_id):  # creates nbgrader's tables if the gradebook is new
        pass
    with tempfile.TemporaryDirectory(prefix="cttk-seed-") as tmp:
        path = Path(tmp) / "gradebook.db"
        with gradebook(f"sqlite:///{path}", course_id):
            pass
        from nbgrader.api import Base

        source, dest = create_engine(url), create_engine(f"sqlite:///{path}")
        try:
            with source.connect() as src, dest.begin() as dst:
                for table in Base.metadata.sorted_tables:
                    if table.name in STRUCTURE:
                        rows = [dict(r) for r in src.execute(table.select()).mappings()]
                        if rows:
                            dst.execute(table.insert(), rows)
        finally:
            source.dispose()
            dest.dispose()
        return path.read_bytes()


def read_graded(
    url: str,
    folder: Path,
    assignment: str,
    student: str,
    *,
    max_bytes: int = settings.DISTRIBUTED_MAX_RESULT_BYTES,
) -> GradedSubmission:
    """What nbgrader wrote for ``student`` in the scratch gradebook ``url`` and the autograded
    ``folder``. Only regular files are read; more than ``max_bytes`` in all is an error."""
    files: dict[str, tuple[bytes, int]] = {}
    total = 0
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(dirpath, name)
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue
            total += info.st_size
            if total > max_bytes:
                raise GradingError(f"autograded folder larger than {max_bytes // 2**20} MB")
            files[path.relative_to(folder).as_posix()] = (
                path.read_bytes(),
                stat.S_IMODE(info.st_mode),
            )
    grades, comments, penalties = [], [], []
    with gradebook(url) as gb:
        submission = gb.find_submission(assignment, student)
        timestamp = submission.timestamp
        for nb in submission.notebooks:
            penalties.append((nb.name, nb.late_submission_penalty))
            grades += [(nb.name, g.name, g.auto_score) for g in nb.grades]
            comments += [(nb.name, c.name, c.auto_comment) for c in nb.comments]
    return GradedSubmission(
        assignment,
        student,
        timestamp,
        tuple(grades),
        tuple(comments),
        tuple(penalties),
        files,
    )


def _safe_relative(name: str) -> Path:
    rel = Path(name)
    if rel.is_absolute() or not rel.parts or any(p in ("", ".", "..") for p in rel.parts):
        raise GradingError(f"unsafe path in a graded result: {name!r}")
    return rel


def _write_folder(dest: Path, files: dict[str, tuple[bytes, int]]) -> None:
    """Replace ``dest`` with ``files``: written beside it first, then swapped in."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        for name, (content, mode) in files.items():
            path = tmp / _safe_relative(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            path.chmod(mode & 0o777)
        if dest.exists():
            shutil.rmtree(dest)
        tmp.rename(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_graded(course: Course, graded: GradedSubmission) -> None:
    """Write ``graded`` into the course: its autograded folder, then its gradebook records.

    The grade rows are locked while they are written (``SELECT ... FOR UPDATE`` on PostgreSQL),
    and only the autograder's columns change: a hand grade written at the same time by another
    instructor is kept. As nbgrader does, a cell that has a manual score, or no automatic one,
    is marked for manual grading.
    """
    assignment = check_name(graded.assignment, "assignment")
    student = check_name(graded.student, "trainee id")
    _write_folder(course.autograded / student / assignment, graded.files)
    with gradebook(course.gradebook_url) as gb:
        gb.update_or_create_student(student)
        extra = {"timestamp": graded.timestamp} if graded.timestamp is not None else {}
        gb.update_or_create_submission(assignment, student, **extra)
        try:
            for notebook, name, auto in graded.grades:
                grade = gb.find_grade(name, notebook, assignment, student)
                gb.db.refresh(grade, with_for_update=True)
                grade.auto_score = auto
                grade.needs_manual_grade = grade.manual_score is not None or auto is None
            for notebook, name, text in graded.comments:
                gb.find_comment(name, notebook, assignment, student).auto_comment = text
            for notebook, penalty in graded.penalties:
                found = gb.find_submission_notebook(notebook, assignment, student)
                found.late_submission_penalty = penalty
            gb.db.commit()
        except BaseException:
            gb.db.rollback()
            raise
