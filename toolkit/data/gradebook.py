"""Read an nbgrader gradebook into tidy pandas frames, one SQL query per table.

nbgrader's ORM walks objects one query at a time and its ``score`` columns are computed properties.
Here each frame is one joined ``SELECT`` over nbgrader's own tables, and the score is recomputed
exactly as nbgrader defines it: the manual score if set, else the automatic score, plus any extra
credit; 0 when neither is set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from toolkit.course.gradebook_file import check_gradebook
from toolkit.errors import CourseError


@dataclass(frozen=True)
class GradebookFrames:
    """The gradebook as frames.

    - ``trainees``: trainee, first_name, last_name, email
    - ``items``: assignment, notebook, grade_id, item (``notebook/grade_id``), max_score, kind
      (``auto`` for code test cells, ``manual`` for hand-graded answers and task cells)
    - ``submissions``: trainee, assignment, timestamp, late_penalty
    - ``scores``: trainee, assignment, item, auto_score, manual_score, extra_credit,
      needs_manual_grade, score, max_score
    """

    trainees: pd.DataFrame
    items: pd.DataFrame
    submissions: pd.DataFrame
    scores: pd.DataFrame


#: nbgrader's tables this loader reads; ``task_cells`` (manually graded markdown tasks) is optional
#: for gradebooks made before nbgrader had task cells.
TABLES = (
    "student",
    "assignment",
    "notebook",
    "base_cell",
    "grade_cells",
    "grade",
    "submitted_notebook",
    "submitted_assignment",
)
OPTIONAL_TABLES = ("task_cells",)
SCORE_COLUMNS = [
    "trainee",
    "cell_id",
    "auto_score",
    "manual_score",
    "extra_credit",
    "needs_manual_grade",
]


def _tables(engine: sa.Engine) -> dict[str, sa.Table]:
    meta = sa.MetaData()
    present = set(sa.inspect(engine).get_table_names())
    missing = [name for name in TABLES if name not in present]
    if missing:
        raise CourseError(
            f"the database is not an nbgrader gradebook (no table {missing[0]!r})",
            hint="point CourseDirectory.db_url in nbgrader_config.py at the course's gradebook",
        )
    meta.reflect(engine, only=[*TABLES, *(t for t in OPTIONAL_TABLES if t in present)])
    return dict(meta.tables)


def _items_query(t: dict[str, sa.Table]) -> sa.Select[Any]:
    """Every graded cell: grade cells and, where the gradebook has them, task cells (``kind``
    ``manual``), with their assignment, notebook and points."""
    assignment, notebook, cell = t["assignment"], t["notebook"], t["base_cell"]
    graded = [t["grade_cells"], *([t["task_cells"]] if "task_cells" in t else [])]
    parts = [
        sa.select(
            table.c.id.label("cell_id"),
            assignment.c.name.label("assignment"),
            notebook.c.name.label("notebook"),
            cell.c.name.label("grade_id"),
            table.c.max_score,
            (
                sa.cast(table.c.cell_type, sa.String)
                if table.name == "grade_cells"
                else sa.literal("task", sa.String)
            ).label("cell_type"),
        ).select_from(
            table.join(cell, cell.c.id == table.c.id)
            .join(notebook, notebook.c.id == cell.c.notebook_id)
            .join(assignment, assignment.c.id == notebook.c.assignment_id)
        )
        for table in graded
    ]
    union = sa.union_all(*parts).subquery()
    return sa.select(union).order_by(union.c.assignment, union.c.notebook, union.c.grade_id)


def load_gradebook(url: str) -> GradebookFrames:
    """Load the gradebook at SQLAlchemy ``url`` into :class:`GradebookFrames` (four queries).

    Raises:
        CourseError: no gradebook, or one that is empty, corrupt, truncated, locked or not
            nbgrader's (:func:`~toolkit.course.gradebook_file.check_gradebook`), or a database error
            while reading it.
    """
    check_gradebook(url)
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise CourseError(
            f"cannot open the gradebook database ({exc})",
            hint="check CourseDirectory.db_url in nbgrader_config.py and its database driver",
        ) from None
    try:
        return _load(engine)
    except (sa.exc.SQLAlchemyError, engine.dialect.loaded_dbapi.Error) as exc:
        raise gradebook_error(exc) from None
    finally:
        engine.dispose()


def gradebook_error(exc: Exception) -> CourseError:
    """A database error while reading the gradebook, as one line with what to do."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
    if "locked" in detail:
        return CourseError(
            "the gradebook is locked by another program",
            hint="wait until the other cttk or nbgrader command has finished, then run this again",
        )
    return CourseError(
        f"the gradebook database cannot be read ({detail})",
        hint="check that the database is reachable and restore the gradebook from a backup if it "
        "is damaged",
    )


def _load(engine: sa.Engine) -> GradebookFrames:
    t = _tables(engine)
    student, assignment = t["student"], t["assignment"]
    grade = t["grade"]
    subnb, subasg = t["submitted_notebook"], t["submitted_assignment"]

    q_trainees = sa.select(
        student.c.id.label("trainee"),
        student.c.first_name,
        student.c.last_name,
        student.c.email,
    ).order_by(student.c.id)
    q_items = _items_query(t)
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
    if (where < 0).any():  # a grade of a cell that is neither a grade nor a task cell
        raise CourseError(
            "the gradebook has grades of cells it does not describe",
            hint="the gradebook is inconsistent: restore it from a backup",
        )
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
