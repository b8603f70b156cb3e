"""Run notebooks in a fresh kernel and score their grade cells exactly as nbgrader would.

Two uses: a source notebook with its solutions in and a response file written from its own keys must
score full marks in every autograded cell; a released notebook, left blank but with its hidden tests
restored, must score zero. Notebooks run in worker processes (kernels start in parallel; see
:func:`run_many`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

from toolkit.exercises.keys import keyed_exercises
from toolkit.exercises.registry import get_kind
from toolkit.exercises.store import save_answer
from toolkit.settings import CELL_TIMEOUT, VALIDATE_WORKERS


@dataclass(frozen=True)
class CellScore:
    """The score nbgrader gives one autograded cell, with the first error or stderr line."""

    grade_id: str
    score: float
    max_score: float
    detail: str = ""


@dataclass
class RunResult:
    """The outcome of executing one notebook."""

    label: str
    cells: list[CellScore] = field(default_factory=list)
    failure: str = ""  # the kernel died, timed out or the notebook could not be run at all


def _detail(cell: Any) -> str:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {out.get('evalue')}".strip()
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            return "stderr: " + "".join(out.get("text", "")).strip().splitlines()[0][:200]
    return ""


def score_cells(nb: Any) -> list[CellScore]:
    """nbgrader's score of every autograded code cell of an executed notebook."""
    from nbgrader.utils import determine_grade

    scores = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade"):
            continue
        score, max_score = determine_grade(cell)
        scores.append(
            CellScore(str(meta.get("grade_id")), float(score or 0), float(max_score), _detail(cell))
        )
    return scores


def execute_notebook(path: Path, *, timeout: int = CELL_TIMEOUT) -> Any:
    """Execute the notebook at ``path`` in its own folder and return the executed NotebookNode.

    The kernel's environment is this process's plus ``NBGRADER_EXECUTION=autograde``, as nbgrader's
    autograde sets it; this process's own environment is left alone.
    """
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute(env={**os.environ, "NBGRADER_EXECUTION": "autograde"})
    return nb


def _run(label: str, path: Path, timeout: int) -> RunResult:
    try:
        nb = execute_notebook(path, timeout=timeout)
    except Exception as exc:  # a dead kernel or timeout is a finding, not a crash
        return RunResult(label, failure=f"{type(exc).__name__}: {exc}".splitlines()[0][:300])
    return RunResult(label, score_cells(nb))


def run_many(
    jobs: Iterable[tuple[str, Path]],
    *,
    workers: int = VALIDATE_WORKERS,
    timeout: int = CELL_TIMEOUT,
) -> list[RunResult]:
    """Execute ``(label, notebook path)`` jobs, ``workers`` at a time, in job order."""
    jobs = list(jobs)
    if not jobs:
        return []
    if workers <= 1 or len(jobs) == 1:
        return [_run(label, path, timeout) for label, path in jobs]
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        futures = [pool.submit(_run, label, path, timeout) for label, path in jobs]
        return [f.result() for f in futures]


def write_right_answers(nb: Any, folder: Path, *, seed: int = 0) -> int:
    """Save, in ``folder``'s response file, the right answer to every keyed widget of ``nb``.

    Returns how many answers were written.
    """
    rng = np.random.default_rng(seed)
    keyed, _unkeyed = keyed_exercises(nb)
    for spec, key in keyed:
        value = get_kind(spec.kind).simulate(spec, key, rng, "right")
        save_answer(spec.exercise, spec.kind, value, folder=folder)
    return len(keyed)


def restore_hidden_tests(released: Any, source: Any) -> Any:
    """The released notebook with every grade cell's source replaced by the source notebook's
    (hidden tests included), as nbgrader's autograde does."""
    by_id = {
        c.metadata.get("nbgrader", {}).get("grade_id"): c
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("grade")
    }
    nb = nbformat.from_dict(released)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and meta.get("grade_id") in by_id:
            cell.source = by_id[meta["grade_id"]].source
    return nb


def scratch_dir(prefix: str) -> Path:
    """A new temporary folder (the caller removes it)."""
    return Path(tempfile.mkdtemp(prefix=prefix))
