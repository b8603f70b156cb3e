"""A multi-instructor gradebook on PostgreSQL: concurrent writers, then the bulk loader.

The fixture starts a throw-away PostgreSQL cluster (Debian's postgresql package, which `make test`
installs when it can) on a Unix socket in a temporary folder and stops it afterwards. Without the
package the test is skipped (the `postgres` marker; see tests/conftest.py).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.course.nbgrader_ops import gradebook
from toolkit.course.system import postgres_bindir
from toolkit.data.gradebook import load_gradebook

pytestmark = pytest.mark.postgres

STUDENTS = [f"t{i:02d}" for i in range(12)]
CELLS = {"q1": ("code", 2.0), "q2": ("code", 1.0), "essay": ("markdown", 3.0)}


def _pg_bin(name: str) -> str:
    bindir = postgres_bindir()
    assert bindir is not None, "the postgres marker skips this test without PostgreSQL"
    return str(bindir / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    # pytest's temporary folders are private to this user; the server runs as `postgres` when we
    # are root, so its folder must be one that user can reach.
    base = Path(tempfile.mkdtemp(prefix="cttk-pg-"))
    base.chmod(0o777)
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data, port = base / "data", _free_port()
    subprocess.run(
        [*as_pg, _pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "cttk", "--no-sync"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_pg,
            _pg_bin("pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(base / "log"),
            "-o",
            f"-p {port} -k {base} -c listen_addresses=''",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        import psycopg

        with psycopg.connect(
            host=str(base), port=port, user="cttk", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE gradebook")
        yield f"postgresql+psycopg://cttk@/gradebook?host={base}&port={port}"
    finally:
        subprocess.run(
            [*as_pg, _pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True
        )


def _instructor(url: str, students: list[str], seed: int) -> None:
    """One instructor grading their share of the submissions, cell by cell."""
    with gradebook(url) as gb:
        for i, student in enumerate(students):
            for cell, (kind, points) in CELLS.items():
                grade = gb.find_grade(cell, "nb", "a1", student)
                grade.needs_manual_grade = False
                if kind == "code":
                    grade.auto_score = (i + seed) % (int(points) + 1)
                else:
                    grade.manual_score = min(points, (i + seed) % 4)
                    grade.extra_credit = 0.5 if i % 3 == 0 else None
                grade.needs_manual_grade = False
                gb.db.commit()


def test_two_instructors_grade_at_once_and_the_loader_agrees_with_nbgrader(pg_url: str) -> None:
    with gradebook(pg_url) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        for cell, (kind, points) in CELLS.items():
            gb.add_grade_cell(cell, "nb", "a1", max_score=points, cell_type=kind)
            if kind == "markdown":
                gb.add_solution_cell(cell, "nb", "a1")
        for student in STUDENTS:
            gb.add_student(student)
            gb.add_submission("a1", student)

    ctx = mp.get_context("fork")  # the test module is not importable by name in a spawned child
    halves = [STUDENTS[::2], STUDENTS[1::2]]
    workers = [ctx.Process(target=_instructor, args=(pg_url, h, k)) for k, h in enumerate(halves)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0

    frames = load_gradebook(pg_url)
    assert len(frames.scores) == len(STUDENTS) * len(CELLS)
    assert not frames.scores["needs_manual_grade"].any()
    ours = frames.scores.groupby("trainee")["score"].sum().to_dict()
    with gradebook(pg_url) as gb:
        theirs = {s["student"]: s["score"] for s in gb.submission_dicts("a1")}
        for student in STUDENTS:
            for cell in CELLS:
                expected = gb.find_grade(cell, "nb", "a1", student).score
                scores = frames.scores
                got = scores[(scores["trainee"] == student) & (scores["item"] == f"nb/{cell}")]
                assert float(got["score"].iloc[0]) == pytest.approx(expected)
    assert ours == pytest.approx(theirs)
    assert set(frames.items["kind"]) == {"auto", "manual"}
