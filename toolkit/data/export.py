"""Export the gradebook as one tidy CSV for the instructor: one row per trainee and item."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.data.course_data import load_course_data

EXPORT_COLUMNS = [
    "cohort",
    "trainee",
    "assignment",
    "item",
    "score",
    "max_score",
    "auto_score",
    "manual_score",
    "extra_credit",
    "needs_manual_grade",
]


def export_scores(course_dir: str | Path) -> pd.DataFrame:
    """Every item score with its trainee's cohort (nbgrader's score rule applied)."""
    data = load_course_data(course_dir)
    return data.scores[EXPORT_COLUMNS].sort_values(["cohort", "trainee", "assignment", "item"])
