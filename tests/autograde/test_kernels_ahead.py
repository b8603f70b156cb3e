"""Kernels started ahead: while one notebook runs, the worker's next kernel is already starting,
in an empty folder of its own, as the slot's other sandbox user; each kernel serves one notebook,
and nothing of it is left when the worker is done."""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from tests.support.kernels_ahead import run_notebooks

pytestmark = [pytest.mark.slow, pytest.mark.needs("bubblewrap")]
PAUSE = 5.0


def _in_a_worker(folders: list[str], ahead: bool, pause: float = PAUSE) -> dict[str, object]:
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(run_notebooks, folders, pause, ahead).result(timeout=300)


def _submissions(tmp_path: Path, n: int) -> list[str]:
    folders = []
    for i in range(1, n + 1):
        folder = tmp_path / f"submission{i}"
        folder.mkdir()
        (folder / f"mine-{i}.txt").write_text(f"trainee {i}\n")
        folders.append(str(folder))
    return folders


def test_next_kernel_starts_while_a_notebook_runs_and_serves_one_notebook(
    tmp_path: Path,
) -> None:
    result = _in_a_worker(_submissions(tmp_path, 3), ahead=True)
    printed = result["printed"]
    assert isinstance(printed, list) and len(printed) == 3
    ages = [float(lines[0]) for lines in printed]
    # Each later kernel was started while the notebook before it ran (which pauses PAUSE
    # seconds), so it is older than that pause; the first one started when its notebook came.
    assert all(age >= PAUSE for age in ages[1:]), ages
    assert ages[0] < min(ages[1:]), ages
    for i, lines in enumerate(printed, start=1):
        # Only this submission's files, copied in after the kernel started; no variable or
        # /tmp file of an earlier notebook: a fresh kernel each time, never one used before.
        assert lines[1] == repr([f"mine-{i}.txt"])
        assert lines[2] == "False False"
    assert result["used_ahead"] == 2
    assert result["started"] == 4  # the three used, and one started ahead for nothing
    assert result["left"] == [] and result["folders_left"] == []


def test_without_ahead_each_kernel_starts_when_its_notebook_comes(tmp_path: Path) -> None:
    pause = 2 * PAUSE  # a kernel start on a busy machine stays well below it
    result = _in_a_worker(_submissions(tmp_path, 2), ahead=False, pause=pause)
    ages = [float(lines[0]) for lines in result["printed"]]  # type: ignore[union-attr]
    assert all(age < pause for age in ages), ages
    assert result["used_ahead"] == 0 and result["started"] == 2
    assert result["left"] == []
