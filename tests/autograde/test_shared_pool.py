"""An `--all` run (and the demo, which grades through the same function) starts one pool of
worker processes for every assignment, and none when nothing has changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.sample import ASSIGNMENT, make_course, write_submissions
from toolkit.autograde import autograde_assignments
from toolkit.autograde import pool as pool_module
from toolkit.course.nbgrader_ops import release_assignments

pytestmark = [
    pytest.mark.slow,
    pytest.mark.needs("bubblewrap"),
]  # cttk autograde refuses to grade without isolation
REPO = Path(__file__).resolve().parents[2]
SECOND = "06_cross_jurisdiction"


def test_one_pool_grades_every_assignment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = make_course(REPO, tmp_path / "c")
    for part in ("source", "release"):
        shutil.copytree(REPO / part / SECOND, course.root / part / SECOND)
    release_assignments(course.root, [SECOND])
    for assignment in (ASSIGNMENT, SECOND):
        write_submissions(course, 2, assignment)

    started: list[list[int]] = []
    real_init = pool_module.WorkerPool.__init__

    def spy(self: pool_module.WorkerPool, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        started.append([slot.process.pid for slot in self._slots])

    monkeypatch.setattr(pool_module.WorkerPool, "__init__", spy)
    results = list(
        autograde_assignments(course.root, [ASSIGNMENT, SECOND], workers=2, progress=False)
    )
    assert [r.assignment for r in results] == [ASSIGNMENT, SECOND]
    assert all([s.status for s in r.results] == ["graded", "graded"] for r in results)
    assert len(started) == 1, "one pool for both assignments"
    for r in results:
        for student in r.graded:
            assert (course.autograded / student / r.assignment).is_dir()

    again = list(autograde_assignments(course.root, None, workers=2, progress=False))
    assert all(s.status == "skipped" for r in again for s in r.results)
    assert len(started) == 1, "nothing to grade starts no pool"
