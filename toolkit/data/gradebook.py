"""Read an nbgrader gradebook into tidy pandas frames, one SQL query per table.

nbgrader's ORM walks objects one query at a time and its ``score`` columns are computed properties.
Here each frame is one joined ``SELECT`` over nbgrader's own tables, and the score is recomputed
exactly as nbgrader defines it: the manual score if set, else the automatic score, plus any extra
credit; 0 when neither is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from toolkit.errors import CourseError


@dataclass(frozen=True)
class GradebookFrames:
    """The gradebook as frames.

    - ``trainees``: trainee, first_name, last_name, email
    - ``items``: assignment, notebook, grade_id, item (``notebook/grade_id``), max_score, kind
      (``auto`` for code test cells, ``manual`` for hand-graded answers)
    - ``submissions``: trainee, assignment, timestamp, late_penalty
    - ``scores``: trainee, assignment, item, auto_score, manual_score, extra_credit,
      needs_manual_grade, score, max_score
    """

    trainees: pd.DataFrame
    items: pd.DataFrame
    submissions: pd.DataFrame
    scores: pd.DataFrame


def _tables(engine: sa.Engine) -> dict[str, sa.Table]:
    meta = sa.MetaData()
    names = [
        "student",
        "assignment",
        "notebook",
        "base_cell",
        "grade_cells",
        "grade",
        "submitted_notebook",
        "submitted_assignment",
    ]
    try:
        meta.reflect(engine, only=names)
    except sa.exc.InvalidRequestError as exc:
        raise CourseError(
            "the database is not an nbgrader gradebook",
            hint="point --gradebook at the gradebook.db of an nbgrader course",
        ) from exc
    return dict(meta.tables)


def load_gradebook(url: str) -> GradebookFrames:
    """Load the gradebook at SQLAlchemy ``url`` into :class:`GradebookFrames` (four queries)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not path.is_file():  # connecting would create an empty file
            raise CourseError(
                "no gradebook yet", hint="release and autograde an assignment first", path=path
            )
    engine = sa.create_engine(url)
    try:
        t = _tables(engine)
        student, assignment, notebook = t["student"], t["assignment"], t["notebook"]
        cell, gcell, grade = t["base_cell"], t["grade_cells"], t["grade"]
        subnb, subasg = t["submitted_notebook"], t["submitted_assignment"]

        q_trainees = sa.select(
            student.c.id.label("trainee"),
            student.c.first_name,
            student.c.last_name,
            student.c.email,
        ).order_by(student.c.id)
        q_items = (
            sa.select(
                gcell.c.id.label("cell_id"),
                assignment.c.name.label("assignment"),
                notebook.c.name.label("notebook"),
                cell.c.name.label("grade_id"),
                gcell.c.max_score,
                gcell.c.cell_type,
            )
            .select_from(
                gcell.join(cell, cell.c.id == gcell.c.id)
                .join(notebook, notebook.c.id == cell.c.notebook_id)
                .join(assignment, assignment.c.id == notebook.c.assignment_id)
            )
            .order_by(assignment.c.name, notebook.c.name, cell.c.name)
        )
        q_subs = (
            sa.select(
                subasg.c.student_id.label("trainee"),
                assignment.c.name.label("assignment"),
                subasg.c.timestamp,
                sa.func.coalesce(sa.func.sum(subnb.c.late_submission_penalty), 0.0).label(
                    "late_penalty"
                ),
            )
            .select_from(
                subasg.join(assignment, assignment.c.id == subasg.c.assignment_id).outerjoin(
                    subnb, subnb.c.assignment_id == subasg.c.id
                )
            )
            .group_by(subasg.c.id, subasg.c.student_id, assignment.c.name, subasg.c.timestamp)
        )
        # The big table: ids and numbers only (names come from `items` by cell id), read through
        # the driver's cursor, which is several times faster than row objects for millions of rows.
        q_scores = sa.select(
            subasg.c.student_id,
            grade.c.cell_id,
            grade.c.auto_score,
            grade.c.manual_score,
            grade.c.extra_credit,
            grade.c.needs_manual_grade,
        ).select_from(
            grade.join(subnb, subnb.c.id == grade.c.notebook_id).join(
                subasg, subasg.c.id == subnb.c.assignment_id
            )
        )
        with engine.connect() as conn:
            trainees = pd.read_sql(q_trainees, conn)
            items = pd.read_sql(q_items, conn)
            submissions = pd.read_sql(q_subs, conn)
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            cursor.execute(str(q_scores.compile(dialect=engine.dialect)))
            raw = pd.DataFrame.from_records(
                cursor.fetchall(),
                columns=[
                    "trainee",
                    "cell_id",
                    "auto_score",
                    "manual_score",
                    "extra_credit",
                    "needs_manual_grade",
                ],
            )
            cursor.close()
    finally:
        engine.dispose()

    items["item"] = items["notebook"] + "/" + items["grade_id"]
    items["kind"] = np.where(items["cell_type"] == "code", "auto", "manual")
    items = items.drop(columns="cell_type")
    return GradebookFrames(
        trainees=trainees,
        items=items.drop(columns="cell_id"),
        submissions=submissions,
        scores=_scores(raw, items),
    )


def _scores(raw: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Attach assignment, item and max_score to raw grade rows by cell id; apply nbgrader's rule."""
    where = pd.Index(items["cell_id"]).get_indexer(raw["cell_id"])
    if (where < 0).any():  # a grade of a cell that is not a grade cell: not nbgrader's schema
        raise CourseError("the gradebook has grades of unknown cells", hint="check the database")
    scores = pd.DataFrame(
        {
            "trainee": raw["trainee"].astype("str"),
            "assignment": items["assignment"].to_numpy()[where],
            "item": items["item"].to_numpy()[where],
            "auto_score": raw["auto_score"].astype(float),
            "manual_score": raw["manual_score"].astype(float),
            "extra_credit": raw["extra_credit"].astype(float),
            "needs_manual_grade": raw["needs_manual_grade"].astype(bool),
            "max_score": items["max_score"].to_numpy(dtype=float)[where],
        }
    )
    scores["score"] = nbgrader_score(scores)
    order = np.lexsort((scores["item"], scores["trainee"], scores["assignment"]))
    return scores.take(order).reset_index(drop=True)


def nbgrader_score(scores: pd.DataFrame) -> pd.Series:
    """nbgrader's Grade.score: manual (+ extra credit) if set, else auto (+ extra credit), else 0."""
    extra = scores["extra_credit"].fillna(0.0)
    manual, auto = scores["manual_score"], scores["auto_score"]
    return (
        manual.where(manual.notna(), auto).add(extra).where(manual.notna() | auto.notna(), 0.0)
    ).astype(float)
