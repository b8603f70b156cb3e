"""cttk autograde writes exactly nbgrader's grades, and a killed batch finishes on a second run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.compare import grade_table
from tests.support.sample import ASSIGNMENT, make_course, set_duedate, write_submissions
from toolkit.autograde import autograde_batch
from toolkit.autograde.state import BatchState
from toolkit.course.layout import Course

pytestmark = [
    pytest.mark.slow,
    pytest.mark.needs("bubblewrap"),
]  # cttk autograde refuses to grade without isolation
REPO = Path(__file__).resolve().parents[2]
N = 6


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Course:
    """A course with N submissions (right, wrong, partial credit, one late), not yet graded."""
    course = make_course(REPO, tmp_path_factory.mktemp("exact") / "pristine")
    set_duedate(course, ASSIGNMENT, "2030-01-01 00:00:00 UTC")
    write_submissions(course, N, late=(4,))
    return course


@pytest.fixture(scope="module")
def reference(pristine: Course, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The grades the real `nbgrader autograde` command writes."""
    copy = tmp_path_factory.mktemp("nbgrader") / "course"
    shutil.copytree(pristine.root, copy)
    proc = subprocess.run(
        ["nbgrader", "autograde", ASSIGNMENT], cwd=copy, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return grade_table(f"sqlite:///{copy / 'gradebook.db'}")


def _copy(pristine: Course, dest: Path) -> Course:
    shutil.copytree(pristine.root, dest)
    return Course.open(dest)


def test_same_grades_as_nbgrader(pristine: Course, reference: dict, tmp_path: Path) -> None:
    course = _copy(pristine, tmp_path / "c")
    result = autograde_batch(course.root, ASSIGNMENT, workers=2, progress=False)
    assert [r.status for r in result.results] == ["graded"] * N
    assert all(not r.findings for r in result.results)
    ours = grade_table(course.gradebook_url)
    assert ours == reference
    scores = {v[0] for v in reference.values()}
    assert {0.0, 1.0, 2.0} <= scores  # partial credit is part of the comparison
    assert any(v[3] for v in reference.values())  # and a late penalty


def test_killed_batch_finishes_on_rerun(pristine: Course, reference: dict, tmp_path: Path) -> None:
    course = _copy(pristine, tmp_path / "c")
    code = (
        "import sys; from toolkit.cli.main import main; "
        f"sys.argv = ['cttk', 'autograde', '{ASSIGNMENT}', '--workers', '2', '--quiet', "
        f"'--course', {str(course.root)!r}]; main()"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    state_file = BatchState(course.root, ASSIGNMENT).path
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if state_file.is_file() and len(BatchState(course.root, ASSIGNMENT).entries) >= 2:
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = set(BatchState(course.root, ASSIGNMENT).entries)
    assert 2 <= len(done_before) < N

    again = autograde_batch(course.root, ASSIGNMENT, workers=2, progress=False)
    assert set(again.skipped) == done_before
    assert len(again.graded) == N - len(done_before)
    assert grade_table(course.gradebook_url) == reference

    # A changed submission is graded again; the unchanged ones are skipped.
    changed = course.submitted / "t001" / ASSIGNMENT / "timestamp.txt"
    changed.write_text("2026-11-21 10:00:00.000000 UTC\n", encoding="utf-8")
    third = autograde_batch(course.root, ASSIGNMENT, workers=2, progress=False)
    assert third.graded == ["t001"]
    assert len(third.skipped) == N - 1

    forced = autograde_batch(course.root, ASSIGNMENT, workers=2, progress=False, force=True)
    assert len(forced.graded) == N
    assert grade_table(course.gradebook_url) == reference
