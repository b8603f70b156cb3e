"""A synthetic nbgrader gradebook of any size, in nbgrader's own schema (tests and benchmarks).

The gradebook is created by nbgrader's ``Gradebook`` and filled with SQLAlchemy bulk inserts, with
ability-driven marks so that the statistics computed from it are realistic.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa

from toolkit.course.nbgrader_ops import ensure_tools_on_path


@dataclass(frozen=True)
class Assignment:
    """An assignment of one notebook; ``manual`` items are hand-graded markdown cells."""

    name: str
    notebook: str
    items: Sequence[str]
    max_score: float = 1.0
    manual: Sequence[str] = ()
    #: ability shift of the trainees on this assignment (e.g. learning by the post-test)
    shift: float = 0.0


def _uid() -> str:
    return uuid.uuid4().hex


def build_gradebook(
    url: str,
    trainees: pd.DataFrame,
    assignments: Sequence[Assignment],
    *,
    seed: int = 0,
    skip: Sequence[str] = (),
    ungraded: Sequence[tuple[str, str]] = (),
    chunk: int = 50_000,
) -> None:
    """Create an nbgrader gradebook at ``url`` and fill it.

    Args:
        trainees: trainee, first_name, last_name, email, and optional ``ability`` (else N(0, 1)).
        skip: trainees with no submission at all.
        ungraded: (trainee, item) pairs of manual items left waiting for a hand grade.
    """
    from nbgrader.api import Gradebook

    ensure_tools_on_path()  # nbgrader runs alembic by name
    Gradebook(url, course_id="bench").close()  # nbgrader creates its own schema
    rng = np.random.default_rng(seed)
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    ability = (
        trainees["ability"].to_numpy(float)
        if "ability" in trainees
        else rng.normal(0, 1, len(trainees))
    )
    pending = set(ungraded)
    with engine.begin() as conn:
        conn.execute(
            t["student"].insert(),
            trainees[["first_name", "last_name", "email"]]
            .assign(id=trainees["trainee"])
            .to_dict("records"),
        )
        for a in assignments:
            aid, nid = _uid(), _uid()
            conn.execute(
                t["assignment"].insert(), [{"id": aid, "name": a.name, "course_id": "bench"}]
            )
            conn.execute(
                t["notebook"].insert(), [{"id": nid, "name": a.notebook, "assignment_id": aid}]
            )
            cells = {item: _uid() for item in a.items}
            conn.execute(
                t["base_cell"].insert(),
                [
                    {"id": c, "name": item, "notebook_id": nid, "type": "GradeCell"}
                    for item, c in cells.items()
                ],
            )
            conn.execute(
                t["grade_cells"].insert(),
                [
                    {
                        "id": c,
                        "max_score": a.max_score,
                        "cell_type": "markdown" if item in a.manual else "code",
                    }
                    for item, c in cells.items()
                ],
            )
            difficulty = rng.normal(0, 1, len(a.items))
            subs, nbs, grades = [], [], []
            for i, trainee in enumerate(trainees["trainee"]):
                if trainee in skip:
                    continue
                sid, snid = _uid(), _uid()
                subs.append(
                    {
                        "id": sid,
                        "assignment_id": aid,
                        "student_id": trainee,
                        "timestamp": datetime(2026, 11, 20, 10),
                    }
                )
                nbs.append(
                    {
                        "id": snid,
                        "assignment_id": sid,
                        "notebook_id": nid,
                        "flagged": False,
                        "late_submission_penalty": None,
                    }
                )
                p = 1 / (1 + np.exp(-1.7 * (ability[i] + a.shift - difficulty)))
                marks = a.max_score * (rng.random(len(a.items)) < p)
                for item, mark in zip(a.items, marks, strict=True):
                    manual = item in a.manual
                    waiting = (trainee, f"{a.notebook}/{item}") in pending
                    grades.append(
                        {
                            "id": _uid(),
                            "notebook_id": snid,
                            "cell_id": cells[item],
                            "auto_score": None if manual else float(mark),
                            "manual_score": float(mark) if manual and not waiting else None,
                            "extra_credit": None,
                            "needs_manual_grade": manual and waiting,
                        }
                    )
            conn.execute(t["submitted_assignment"].insert(), subs)
            conn.execute(t["submitted_notebook"].insert(), nbs)
            for start in range(0, len(grades), chunk):
                conn.execute(t["grade"].insert(), grades[start : start + chunk])
    engine.dispose()


def numbered_trainees(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = [f"t{i:05d}" for i in range(n)]
    return pd.DataFrame(
        {
            "trainee": ids,
            "first_name": "F",
            "last_name": ids,
            "email": [f"{i}@example.org" for i in ids],
            "ability": rng.normal(0, 1, n),
        }
    )
