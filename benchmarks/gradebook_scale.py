"""Scale benchmark: load and analyse a 10,000-trainee, 200-item nbgrader gradebook with ``toolkit``,
against ``nbgrader export`` of the same gradebook (which yields only totals).

The gradebook is nbgrader's own schema, created by nbgrader's ``Gradebook``, filled with SQLAlchemy
bulk inserts (ability-driven marks, so the statistics are realistic). Run::

    python benchmarks/gradebook_scale.py --trainees 10000 --items 200 --workdir DIR
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa


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


def synthetic_trainees(n: int, seed: int = 0) -> pd.DataFrame:
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


def analyse(url: str) -> dict[str, float]:
    """Load and run every statistic; return seconds per step."""
    from toolkit.analysis import item_statistics, learning_gain, test_statistics
    from toolkit.gradebook import load_gradebook

    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    frames = load_gradebook(url)
    seconds["load"] = time.perf_counter() - clock
    clock = time.perf_counter()
    test_statistics(frames.scores, frames.items)
    seconds["test statistics"] = time.perf_counter() - clock
    clock = time.perf_counter()
    item_statistics(frames.scores, frames.items)
    seconds["item statistics"] = time.perf_counter() - clock
    clock = time.perf_counter()
    learning_gain(frames.scores, pre="00_pretest", post="09_posttest")
    seconds["learning gain"] = time.perf_counter() - clock
    return seconds


def nbgrader_export(db: Path, workdir: Path, timeout: float | None = None) -> float | None:
    """Seconds of ``nbgrader export`` on the gradebook (CSV of totals); None when it is stopped
    after ``timeout`` seconds."""
    (workdir / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.course_id = 'bench'\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{db}'\n"
        f"c.CourseDirectory.root = '{workdir}'\n"
    )
    clock = time.perf_counter()
    try:
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "export", "--to", str(workdir / "g.csv")],
            cwd=workdir,
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - clock


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=200, help="split over pre- and post-test")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument(
        "--export-timeout", type=float, default=1800.0, help="stop nbgrader export after S seconds"
    )
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="cttk-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = (workdir / "gradebook.db").resolve()
    db.unlink(missing_ok=True)
    half = args.items // 2
    assignments = [
        Assignment("00_pretest", "pretest", [f"q{i:03d}" for i in range(half)]),
        Assignment(
            "09_posttest", "posttest", [f"q{i:03d}" for i in range(args.items - half)], shift=0.8
        ),
    ]
    clock = time.perf_counter()
    build_gradebook(f"sqlite:///{db}", synthetic_trainees(args.trainees), assignments)
    print(
        f"built {args.trainees:,} trainees x {args.items} items "
        f"({args.trainees * args.items:,} grades) in {time.perf_counter() - clock:.1f} s"
    )
    seconds = analyse(f"sqlite:///{db}")
    total = sum(seconds.values())
    for step, value in seconds.items():
        print(f"  toolkit {step:<16} {value:7.2f} s")
    print(f"toolkit load + all statistics: {total:.2f} s")
    if not args.skip_export:
        export = nbgrader_export(db, workdir, args.export_timeout)
        if export is None:
            limit = args.export_timeout
            print(f"nbgrader export (totals only): stopped after {limit:.0f} s")
            print(f"ratio nbgrader export / toolkit: more than {limit / total:.1f}x")
        else:
            print(f"nbgrader export (totals only): {export:.2f} s")
            print(f"ratio nbgrader export / toolkit: {export / total:.1f}x")


if __name__ == "__main__":
    main()
