"""Findings flow from the sandboxed Execute preprocessor to the worker explicitly, one conversion
at a time: nothing is kept on the class, so two conversions in one process never share findings."""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
import pytest

from tests.support.sample import ASSIGNMENT, make_course, write_submissions
from toolkit.autograde.client import SandboxedExecute
from toolkit.autograde.pool import WorkerPool
from toolkit.autograde.sandbox import SandboxPolicy
from toolkit.autograde.worker import GradingOutcome

from .conftest import CORPUS, REPO, build_case

pytestmark = pytest.mark.slow
MINIMAL = SandboxPolicy(mode="minimal", wall_seconds=3)


def _run(executor: SandboxedExecute, name: str, sources: list[str], folder: Path) -> float:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    resources = {"nbgrader": {"notebook": name}, "metadata": {"path": str(folder)}}
    start = time.monotonic()
    executor.preprocess(nb, resources)
    return time.monotonic() - start


def test_no_mutable_state_on_the_class() -> None:
    public = {k: v for k, v in vars(SandboxedExecute).items() if not k.startswith("_")}
    assert not [k for k, v in public.items() if isinstance(v, list | dict | set)]


def test_two_preprocessors_in_one_process_keep_their_own_findings(tmp_path: Path) -> None:
    slow = SandboxedExecute(policy=MINIMAL, integrity_probes=False)
    seconds = _run(slow, "slow", ["import time", *["time.sleep(60)"] * 4, "x = 1"], tmp_path)
    # Each cell's 30 s timeout is cut to what is left of the 3 s wall clock (timeout_func).
    assert seconds < 20
    (finding,) = slow.findings
    assert re.fullmatch(r"slow: wall-clock cap of 3 s reached at cell [2-5]", finding)

    calm = SandboxedExecute(policy=MINIMAL, integrity_probes=False)
    _run(calm, "calm", ["x = 1", "print(x)"], tmp_path)
    assert calm.findings == []
    assert slow.findings == [finding]


def test_one_worker_reports_each_submission_its_own_findings(
    tmp_path: Path,
) -> None:
    course = make_course(REPO, tmp_path / "course", late_zero=False)
    write_submissions(course, 2)
    (course.submitted / "t000").rename(course.submitted / "base-right")
    (course.submitted / "t001").rename(course.submitted / "base-wrong")
    hostile = "input_transformer"
    (course.submitted / hostile / ASSIGNMENT).mkdir(parents=True)
    build_case(course, hostile, CORPUS / f"{hostile}.ipynb")

    outcomes: list[GradingOutcome] = []
    pool = WorkerPool(
        1, root=str(course.root), policy=SandboxPolicy(mode="minimal", wall_seconds=60), timeout=5
    )
    pool.run(ASSIGNMENT, [hostile, "base-right", hostile], outcomes.append)

    first, clean, again = outcomes
    assert [o.status for o in outcomes] == ["graded"] * 3, [o.reason for o in outcomes]
    assert first.findings and all("did not run as written" in f for f in first.findings)
    assert clean.findings == []
    assert again.findings == first.findings  # not accumulated across conversions
