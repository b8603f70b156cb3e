"""Benchmark: `cttk autograde --workers 2` against serial `nbgrader autograde` and the floor.

40 submissions of 01_legal_foundations are written once and copied three times:

1. ``nbgrader autograde`` (the real command line, one submission after another);
2. ``cttk autograde --workers 2`` (the real command line, sandbox ``auto``);
3. the floor: the same submitted notebooks merely executed with nbclient (as ``cttk validate``
   executes notebooks), two at a time, each in a fresh kernel and a copy of its folder.

It checks that the two gradebooks hold identical grades, prints the three times and, last,
``speed-up X.XX vs nbgrader, Y.YY x floor``. Run: ``python benchmarks/autograde_speed.py``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the test suite's sample course (tests/support)


def _execute(folder: str) -> None:
    from toolkit.validate.notebook_runs import execute_notebook

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work"
        shutil.copytree(folder, work)
        for path in sorted(work.glob("*.ipynb")):
            execute_notebook(path)


def floor(folders: list[str], workers: int) -> float:
    start = time.perf_counter()
    with mp.get_context("spawn").Pool(workers) as pool:
        pool.map(_execute, folders, chunksize=1)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=None, help="Keep the courses here.")
    args = parser.parse_args()

    from tests.support.compare import grade_table
    from tests.support.sample import ASSIGNMENT, benchmark_courses

    base = args.workdir or Path(tempfile.mkdtemp(prefix="cttk-bench-"))
    ids = benchmark_courses(REPO, base, ("nbgrader", "cttk"), args.submissions, late=(4, 17))
    bindir = Path(sys.executable).parent

    start = time.perf_counter()
    subprocess.run(
        [str(bindir / "nbgrader"), "autograde", ASSIGNMENT],
        cwd=base / "nbgrader",
        check=True,
        capture_output=True,
    )
    t_nbgrader = time.perf_counter() - start

    start = time.perf_counter()
    cttk = subprocess.run(
        [
            *(str(bindir / "cttk"), "autograde", ASSIGNMENT, "--workers", str(args.workers)),
            *("--quiet", "--course", str(base / "cttk")),
        ],
        capture_output=True,
        text=True,
    )
    t_cttk = time.perf_counter() - start
    layers = [ln.strip() for ln in cttk.stdout.splitlines() if ln.startswith("  ") and " on" in ln]

    folders = [str(base / "pristine" / "submitted" / s / ASSIGNMENT) for s in ids]
    t_floor = floor(folders, args.workers)

    a = grade_table(f"sqlite:///{base / 'nbgrader' / 'gradebook.db'}")
    b = grade_table(f"sqlite:///{base / 'cttk' / 'gradebook.db'}")
    same = a == b and len(a) > 0
    print(f"submissions:              {args.submissions} of {ASSIGNMENT}")
    print(f"nbgrader autograde:       {t_nbgrader:7.1f} s (serial)")
    print(
        f"cttk autograde:           {t_cttk:7.1f} s ({args.workers} workers, exit {cttk.returncode})"
    )
    print(f"floor (nbclient, x{args.workers}):     {t_floor:7.1f} s")
    print(
        f"sandbox layers on:        {len(layers)} ({'; '.join(row.split('  ')[0] for row in layers)})"
    )
    print(f"grades identical:         {same} ({len(a)} grade cells compared)")
    print(f"speed-up {t_nbgrader / t_cttk:.2f} vs nbgrader, {t_cttk / t_floor:.2f} x floor")
    if not args.workdir:
        shutil.rmtree(base, ignore_errors=True)
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
