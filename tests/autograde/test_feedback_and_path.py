"""Feedback pages carry scores but no hidden test or key (unless --explain); a rerun regrades when
the keys changed; a kernel imports the installed toolkit, never one handed in beside the notebook."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import nbformat
import pytest

from tests.support.sample import ASSIGNMENT, make_course, write_submissions
from toolkit.autograde import autograde_batch
from toolkit.autograde.client import SandboxedExecute
from toolkit.autograde.feedback import generate_feedback
from toolkit.autograde.pool import WorkerPool
from toolkit.autograde.sandbox import SandboxPolicy
from toolkit.autograde.worker import GradingOutcome
from toolkit.course.layout import Course
from toolkit.course.nbgrader_ops import gradebook

from .conftest import CORPUS, NOTEBOOK, REPO, SHADOW_PACKAGE, build_case

pytestmark = [
    pytest.mark.slow,
    pytest.mark.needs("bubblewrap"),
]  # cttk autograde refuses to grade without isolation
#: Texts only the hidden tests hold: a key explanation, the grader call, the hidden-test marker.
HIDDEN = ["Recruiting and transporting Ana is the act", "grade_choice", "BEGIN HIDDEN TESTS"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Course:
    course = make_course(REPO, tmp_path_factory.mktemp("feedback") / "course", late_zero=False)
    write_submissions(course, 2)
    (course.submitted / "t000").rename(course.submitted / "base-right")
    (course.submitted / "t001").rename(course.submitted / "base-wrong")
    (course.submitted / "javascript_links" / ASSIGNMENT).mkdir(parents=True)
    build_case(course, "javascript_links", CORPUS / "javascript_links.ipynb")
    result = autograde_batch(course.root, ASSIGNMENT, progress=False, workers=2, timeout=10)
    assert [r.status for r in result.results] == ["graded"] * 3, result.results
    return course


def _page(course: Course, student: str) -> str:
    return (course.root / "feedback" / student / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()


def test_feedback_shows_scores_and_no_hidden_test(graded: Course) -> None:
    generate_feedback(graded.root, ASSIGNMENT)
    for student in ("base-right", "base-wrong", "javascript_links"):
        page = _page(graded, student)
        assert not [h for h in HIDDEN if h in page], student
        assert "Score: 2 of 2 points." in page or "Score: 0 of 2 points." in page
    assert "Score: 2 of 2 points." in _page(graded, "base-right")
    links = _page(graded, "javascript_links")
    assert 'href="javascript' not in links.lower() and "tracker.example" not in links


def test_explain_releases_the_hidden_tests(graded: Course) -> None:
    generate_feedback(graded.root, ASSIGNMENT, explain=True)
    page = _page(graded, "base-wrong")
    assert all(h in page for h in HIDDEN)
    generate_feedback(graded.root, ASSIGNMENT)  # and back
    assert not [h for h in HIDDEN if h in _page(graded, "base-wrong")]


def _score(course: Course, student: str, grade_id: str) -> float | None:
    with gradebook(course.gradebook_url) as gb:
        nb = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
        return next(g.auto_score for g in nb.grades if g.name == grade_id)


def test_a_rerun_regrades_when_the_keys_changed(graded: Course) -> None:
    again = autograde_batch(graded.root, ASSIGNMENT, progress=False, workers=1, timeout=10)
    assert len(again.skipped) == 3
    source = graded.source / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = json.loads(source.read_text(encoding="utf-8"))
    test = next(
        c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "s1_test"
    )
    text = "".join(test["source"])
    test["source"] = text.replace('correct="Labour trafficking"', 'correct="Sex trafficking"')
    source.write_text(json.dumps(nb), encoding="utf-8")
    assert _score(graded, "base-right", "s1_test") == 2.0
    third = autograde_batch(
        graded.root, ASSIGNMENT, ["base-right"], progress=False, workers=1, timeout=10
    )
    assert third.graded == ["base-right"]
    assert _score(graded, "base-right", "s1_test") == 1.0  # the checklist half still right


# -- the kernel's import path -------------------------------------------------------------------


def _run(executor: SandboxedExecute, folder: Path, source: str) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    resources = {"nbgrader": {"notebook": "probe"}, "metadata": {"path": str(folder)}}
    out, _ = executor.preprocess(nb, resources)
    return json.dumps(out.cells[0].outputs)


@pytest.fixture()
def shadowed(tmp_path: Path) -> Path:
    for name, text in SHADOW_PACKAGE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


CHECK = "import toolkit.exercises.grading as g\nprint('CLAMP', g.clamp(0.0, 5))"


def test_a_toolkit_beside_the_notebook_is_imported_without_the_safe_path(shadowed: Path) -> None:
    off = SandboxPolicy(mode="minimal", wall_seconds=30, protections=False)
    assert "CLAMP 5.0" in _run(
        SandboxedExecute(policy=off, integrity_probes=False), shadowed, CHECK
    )
    on = SandboxPolicy(mode="minimal", wall_seconds=30)
    executor = SandboxedExecute(policy=on)
    assert "CLAMP 0.0" in _run(executor, shadowed, CHECK)
    assert executor.findings == []


def test_the_grader_stops_a_kernel_that_loaded_another_toolkit(shadowed: Path) -> None:
    # The safe path off, the check on: the kernel is stopped before the first cell runs.
    off = SandboxPolicy(mode="minimal", wall_seconds=30, protections=False)
    executor = SandboxedExecute(policy=off, integrity_probes=True)
    start = time.monotonic()
    text = _run(executor, shadowed, CHECK)
    assert "CLAMP" not in text
    (finding,) = executor.findings
    assert "did not load the installed toolkit" in finding and "toolkit" in finding
    assert time.monotonic() - start < 60


# -- processes left behind ----------------------------------------------------------------------

DAEMON = (
    "import os, time\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"
    "        os.chdir('/')\n"
    "        os.execvp('sleep', ['sleep', '3599'])\n"
    "    os._exit(0)\n"
    "time.sleep(1)"
)


def _sleepers() -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes() == b"sleep\x003599\x00":
                found.append(int(pid))
        except OSError:
            continue
    return found


def test_a_double_forked_daemon_does_not_outlive_its_submission(tmp_path: Path) -> None:
    """No user id or PID namespace here (minimal sandbox, as the grading user): the daemon leaves
    the kernel's session and working folder, and is still found as the worker's descendant."""
    course = make_course(REPO, tmp_path / "course", late_zero=False)
    write_submissions(course, 1)
    folder = course.submitted / "t000" / ASSIGNMENT
    nb = json.loads((folder / f"{NOTEBOOK}.ipynb").read_text(encoding="utf-8"))
    nb["cells"].insert(1, nbformat.v4.new_code_cell(DAEMON))
    (folder / f"{NOTEBOOK}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    outcomes: list[GradingOutcome] = []
    pool = WorkerPool(
        1, root=str(course.root), policy=SandboxPolicy(mode="minimal", wall_seconds=60), timeout=10
    )
    try:
        pool.run(ASSIGNMENT, ["t000"], outcomes.append)
        assert [o.status for o in outcomes] == ["graded"], outcomes
        assert _sleepers() == []
    finally:
        for pid in _sleepers():  # started by this test, if the cleanup failed
            os.kill(pid, signal.SIGKILL)
