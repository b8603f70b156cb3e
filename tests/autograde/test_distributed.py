"""Grading on a Dask cluster of two worker processes into a PostgreSQL gradebook: the same grades
as the single-machine pool, a worker killed mid-batch loses and doubles nothing, and hand grades
written at the same time by another instructor survive the autograder's writes."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import test_postgres
from tests.support.compare import grade_table
from tests.support.sample import ASSIGNMENT, make_course, set_duedate, write_submissions
from toolkit.autograde import BatchResult, autograde_batch
from toolkit.course.layout import Course
from toolkit.course.nbgrader_ops import gradebook, release_assignments, set_manual_grade

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
pg_url = test_postgres.pg_url  # the throw-away PostgreSQL server
REPO = Path(__file__).resolve().parents[2]
N = 3
NOTEBOOK = "legal_foundations"
DUE = "2030-01-01 00:00:00 UTC"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Course:
    """N submissions (right, wrong, partial credit, one late), not yet graded."""
    course = make_course(REPO, tmp_path_factory.mktemp("dask") / "pristine")
    set_duedate(course, ASSIGNMENT, DUE)
    write_submissions(course, N, late=(N - 1,))
    return course


@pytest.fixture(scope="module")
def pool_grades(pristine: Course, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The grades of the single-machine pool (SQLite gradebook)."""
    copy = tmp_path_factory.mktemp("pool") / "course"
    shutil.copytree(pristine.root, copy)
    result = autograde_batch(copy, ASSIGNMENT, workers=2, progress=False)
    assert [r.status for r in result.results] == ["graded"] * N
    return grade_table(Course.open(copy).gradebook_url)


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def _database(pg_url: str, name: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(pg_url)
    host, port = str(url.query["host"]), int(str(url.query["port"]))
    with psycopg.connect(
        host=host, port=port, user=url.username, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return url.set(database=name).render_as_string(hide_password=False)


def _pg_course(pristine: Course, pg_url: str, dest: Path, name: str) -> Course:
    """A copy of the course whose nbgrader_config.py points at a new PostgreSQL gradebook."""
    shutil.copytree(pristine.root, dest)
    config = dest / "nbgrader_config.py"
    url = _database(pg_url, name)
    config.write_text(
        config.read_text(encoding="utf-8") + f"\nc.CourseDirectory.db_url = {url!r}\n",
        encoding="utf-8",
    )
    course = Course.open(dest)
    assert course.gradebook_url == url
    release_assignments(course.root, [ASSIGNMENT])
    set_duedate(course, ASSIGNMENT, DUE)
    return course


def _submissions(url: str) -> int:
    with gradebook(url) as gb:
        return len(gb.find_assignment(ASSIGNMENT).submissions)


@pytest.fixture(scope="module")
def graded_on_cluster(
    pristine: Course, pg_url: str, cluster: object, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Course, BatchResult]:
    course = _pg_course(pristine, pg_url, tmp_path_factory.mktemp("pg") / "c", "first")
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    return course, autograde_batch(course.root, ASSIGNMENT, scheduler=address, progress=False)


def test_cluster_into_postgres_gives_the_pool_grades(
    graded_on_cluster: tuple[Course, BatchResult], pool_grades: dict
) -> None:
    course, result = graded_on_cluster
    assert [r.status for r in result.results] == ["graded"] * N
    assert course.gradebook_url.startswith("postgresql")
    ours = grade_table(course.gradebook_url)
    assert ours == pool_grades
    assert {v[0] for v in ours.values()} >= {0.0, 2.0}  # right and wrong answers compared
    assert any(v[3] for v in ours.values())  # and a late penalty
    assert _submissions(course.gradebook_url) == N
    for student in result.graded:
        assert (course.autograded / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb").is_file()


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
    pristine: Course, pg_url: str, cluster: object, pool_grades: dict, tmp_path: Path
) -> None:
    from distributed import Client

    course = _pg_course(pristine, pg_url, tmp_path / "c", "killed")
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    box: dict[str, BatchResult] = {}
    batch = threading.Thread(
        target=lambda: box.update(
            result=autograde_batch(course.root, ASSIGNMENT, scheduler=address, progress=False)
        )
    )
    with Client(address) as client:
        batch.start()
        victim, deadline = None, time.monotonic() + 300
        while victim is None and time.monotonic() < deadline:
            busy = {w: ts for w, ts in client.processing().items() if ts}
            victim = next(iter(busy), None)
            time.sleep(0.2)
        assert victim is not None, "no worker ever took a submission"
        time.sleep(1.0)  # its kernel is starting or running
        pid = client.run(os.getpid, workers=[victim])[victim]
        os.kill(pid, signal.SIGKILL)
        batch.join(600)
    assert not batch.is_alive()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    result = box["result"]
    assert sorted(r.student for r in result.results) == [f"t{i:03d}" for i in range(N)]
    assert [r.status for r in result.results] == ["graded"] * N
    assert _submissions(course.gradebook_url) == N
    assert grade_table(course.gradebook_url) == pool_grades


def test_hand_grades_written_during_an_autograde_run_survive(
    graded_on_cluster: tuple[Course, BatchResult], cluster: object, pool_grades: dict
) -> None:
    """A second instructor hand-grades every submission while the first regrades them all."""
    course, _ = graded_on_cluster
    url = course.gradebook_url
    students = [f"t{i:03d}" for i in range(N)]
    folders = {s: course.autograded / s / ASSIGNMENT for s in students}
    before = {s: folders[s].stat().st_ino for s in students}
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    box: dict[str, BatchResult] = {}
    batch = threading.Thread(
        target=lambda: box.update(
            result=autograde_batch(
                course.root, ASSIGNMENT, scheduler=address, force=True, progress=False
            )
        )
    )
    batch.start()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and all(
        folders[s].stat().st_ino == before[s] for s in students if folders[s].is_dir()
    ):
        time.sleep(0.05)
    # the autograder has written some results and is still grading the others
    pending = [s for s in students if folders[s].is_dir() and folders[s].stat().st_ino == before[s]]
    manual = {s: float(i % 3) for i, s in enumerate(students)}
    with gradebook(url) as gb:
        for s in students:
            kwargs = {"assignment": ASSIGNMENT, "notebook": NOTEBOOK, "student": s}
            set_manual_grade(gb, **kwargs, grade_id="reflection", score=manual[s], comment="ok")
            set_manual_grade(gb, **kwargs, grade_id="s1_test", score=0.5, comment="override")
    batch.join(600)
    assert not batch.is_alive()
    assert [r.status for r in box["result"].results] == ["graded"] * N
    assert pending, "the batch ended before the hand grades were written"
    assert all(folders[s].stat().st_ino != before[s] for s in students)  # every one regraded

    after = grade_table(url)
    assert _submissions(url) == N
    for key, (auto, manual_score, _needs, penalty) in after.items():
        _, student, _, cell = key
        assert (auto, penalty) == (pool_grades[key][0], pool_grades[key][3])
        expected = {"reflection": manual[student], "s1_test": 0.5}.get(cell)
        assert manual_score == expected, key
    for s in pending:  # graded after its hand grades: as nbgrader does, flagged for review
        assert after[(ASSIGNMENT, s, NOTEBOOK, "s1_test")][2] is True
