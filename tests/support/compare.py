"""Read every autograde result out of a gradebook, to compare two gradebooks cell by cell."""

from __future__ import annotations

from typing import Any

GradeKey = tuple[str, str, str, str]  # assignment, student, notebook, grade id


def grade_table(url: str, course_id: str = "cttk") -> dict[GradeKey, tuple[Any, ...]]:
    """(assignment, student, notebook, grade id) -> (auto, manual, needs manual, late penalty)."""
    from toolkit.course.nbgrader_ops import gradebook

    rows: dict[GradeKey, tuple[Any, ...]] = {}
    with gradebook(url, course_id) as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        rows[(assignment.name, sub.student.id, nb.name, grade.name)] = (
                            grade.auto_score,
                            grade.manual_score,
                            bool(grade.needs_manual_grade),
                            nb.late_submission_penalty,
                        )
    return rows
