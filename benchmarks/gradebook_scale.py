"""Scale benchmark: load and analyse a 10,000-trainee, 200-item nbgrader gradebook with ``toolkit``,
against ``nbgrader export`` of the same gradebook (which yields only totals).

The gradebook is nbgrader's own schema, created by nbgrader's ``Gradebook``, filled with SQLAlchemy
bulk inserts (ability-driven marks, so the statistics are realistic). Run::

    python benchmarks/gradebook_scale.py --trainees 10000 --items 200 --workdir DIR
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.gradebook import Assignment, build_gradebook, numbered_trainees


def analyse(url: str) -> dict[str, float]:
    """Load and run every statistic; return seconds per step."""
    from toolkit.analysis import item_statistics, learning_gain, test_statistics
    from toolkit.course.gradebook_file import check_gradebook
    from toolkit.data.gradebook import load_gradebook

    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    check_gradebook(url)  # also the first step of every load
    seconds["gradebook check (part of load)"] = time.perf_counter() - clock
    clock = time.perf_counter()
    frames = load_gradebook(url)
    seconds["load"] = time.perf_counter() - clock
    clock = time.perf_counter()
    test_statistics(frames.scores, frames.items)
    seconds["test statistics"] = time.perf_counter() - clock
    clock = time.perf_counter()
    item_statistics(frames.scores, frames.items)
    seconds["item statistics"] = time.perf_counter() - clock
    clock = time.perf_counter()
    learning_gain(frames.scores, pre="00_pretest", post="09_posttest")
    seconds["learning gain"] = time.perf_counter() - clock
    return seconds


def nbgrader_export(db: Path, workdir: Path, timeout: float | None = None) -> float | None:
    """Seconds of ``nbgrader export`` on the gradebook (CSV of totals); None when it is stopped
    after ``timeout`` seconds."""
    (workdir / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.course_id = 'bench'\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{db}'\n"
        f"c.CourseDirectory.root = '{workdir}'\n"
    )
    clock = time.perf_counter()
    try:
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "export", "--to", str(workdir / "g.csv")],
            cwd=workdir,
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - clock


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=200, help="split over pre- and post-test")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument(
        "--export-timeout", type=float, default=1800.0, help="stop nbgrader export after S seconds"
    )
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="cttk-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = (workdir / "gradebook.db").resolve()
    db.unlink(missing_ok=True)
    half = args.items // 2
    assignments = [
        Assignment("00_pretest", "pretest", [f"q{i:03d}" for i in range(half)]),
        Assignment(
            "09_posttest", "posttest", [f"q{i:03d}" for i in range(args.items - half)], shift=0.8
        ),
    ]
    clock = time.perf_counter()
    build_gradebook(f"sqlite:///{db}", numbered_trainees(args.trainees), assignments)
    print(
        f"built {args.trainees:,} trainees x {args.items} items "
        f"({args.trainees * args.items:,} grades) in {time.perf_counter() - clock:.1f} s"
    )
    seconds = analyse(f"sqlite:///{db}")
    check = seconds.pop("gradebook check (part of load)")
    total = sum(seconds.values())
    for step, value in seconds.items():
        print(f"  toolkit {step:<16} {value:7.2f} s")
    print(f"  of the load, the gradebook check: {check:.3f} s ({check / seconds['load']:.1%})")
    print(f"toolkit load + all statistics: {total:.2f} s")
    if not args.skip_export:
        export = nbgrader_export(db, workdir, args.export_timeout)
        if export is None:
            limit = args.export_timeout
            print(f"nbgrader export (totals only): stopped after {limit:.0f} s")
            print(f"ratio nbgrader export / toolkit: more than {limit / total:.1f}x")
        else:
            print(f"nbgrader export (totals only): {export:.2f} s")
            print(f"ratio nbgrader export / toolkit: {export / total:.1f}x")


if __name__ == "__main__":
    main()
