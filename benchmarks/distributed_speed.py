"""Benchmark: `cttk autograde --scheduler local:N` against the local pool (`--workers N`).

The same submissions of 01_legal_foundations are graded twice through the real command line:
by the worker pool, and by a Dask LocalCluster of N single-threaded worker processes (started by
the command, so its start-up is part of its time). It checks that the two gradebooks hold
identical grades, prints both times and throughputs and, last,
``cluster X.XX sub/s, pool Y.YY sub/s, ratio Z.ZZ``. Run:
``python benchmarks/distributed_speed.py [--submissions 20] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the test suite's sample course (tests/support)


def _autograde(course: Path, assignment: str, *options: str) -> tuple[float, int]:
    """Seconds and exit status of one ``cttk autograde`` run."""
    cttk = Path(sys.executable).parent / "cttk"
    start = time.perf_counter()
    proc = subprocess.run(
        [str(cttk), "autograde", assignment, *options, "--quiet", "--course", str(course)],
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=None, help="Keep the courses here.")
    args = parser.parse_args()

    from tests.support.compare import grade_table
    from tests.support.sample import ASSIGNMENT, benchmark_courses

    base = args.workdir or Path(tempfile.mkdtemp(prefix="cttk-bench-dask-"))
    benchmark_courses(REPO, base, ("pool", "cluster"), args.submissions, late=(4,))

    n = str(args.workers)
    t_pool, rc_pool = _autograde(base / "pool", ASSIGNMENT, "--workers", n)
    t_cluster, rc_cluster = _autograde(base / "cluster", ASSIGNMENT, "--scheduler", f"local:{n}")

    a = grade_table(f"sqlite:///{base / 'pool' / 'gradebook.db'}")
    b = grade_table(f"sqlite:///{base / 'cluster' / 'gradebook.db'}")
    same = a == b and len(a) > 0
    k = args.submissions
    print(f"submissions:              {k} of {ASSIGNMENT}")
    print(f"pool (--workers {n}):       {t_pool:7.1f} s (exit {rc_pool})")
    print(f"LocalCluster (local:{n}):   {t_cluster:7.1f} s (exit {rc_cluster}, start-up included)")
    print(f"grades identical:         {same} ({len(a)} grade cells compared)")
    print(
        f"cluster {k / t_cluster:.2f} sub/s, pool {k / t_pool:.2f} sub/s, "
        f"ratio {t_pool / t_cluster:.2f}"
    )
    if not args.workdir:
        shutil.rmtree(base, ignore_errors=True)
    if not same or rc_pool or rc_cluster:
        sys.exit(1)


if __name__ == "__main__":
    main()
