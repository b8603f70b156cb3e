"""Outcomes report on the whole FBI UCR file (2013-2020, 4,417 rows, 1,168 agencies): time to
read and check the file, estimate (staggered DiD, event study, pre-trend test, interrupted time
series per trained agency) and run the whole report (papermill, HTML, summary.json, CSV; PDF with
``--pdf``), against the 30-second budget. Run::

    python benchmarks/outcomes_speed.py [--agencies 100] [--pdf] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BUDGET_SECONDS = 30.0


def _cpu_seconds() -> float:
    """User and system CPU time of this process and of its finished children (the kernel)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=100, help="trained agencies")
    parser.add_argument("--pdf", action="store_true", help="also print the PDF")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)

    from toolkit.outcomes.estimate import its_table, staggered_did
    from toolkit.outcomes.report import outcomes_report
    from toolkit.outcomes.synthetic import synthetic_rollout
    from toolkit.outcomes.ucr import bundled_ucr_file, read_agency_data

    work = args.workdir or Path(tempfile.mkdtemp(prefix="cttk-outcomes-bench-"))
    course = work / "course"
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n", encoding="utf-8"
    )
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    data = read_agency_data(bundled_ucr_file())
    seconds["read and check the file"] = time.perf_counter() - clock
    rollout = synthetic_rollout(
        data.panel, np.random.default_rng(1), agencies=args.agencies, years=[2016, 2017, 2018]
    )
    rollout.to_csv(work / "rollout.csv", index=False)
    clock = time.perf_counter()
    staggered_did(data.panel, rollout)
    seconds["staggered DiD + event study + pre-trend"] = time.perf_counter() - clock
    clock = time.perf_counter()
    its_table(data.panel, rollout)
    seconds["interrupted time series, every trained agency"] = time.perf_counter() - clock
    clock = time.perf_counter()
    cpu = _cpu_seconds()
    outcomes_report(
        bundled_ucr_file(),
        work / "rollout.csv",
        course_dir=course,
        output_dir=work / "report",
        pdf=args.pdf,
    )
    total = time.perf_counter() - clock
    cpu = _cpu_seconds() - cpu
    seconds[f"whole report ({'with' if args.pdf else 'without'} PDF)"] = total
    print(f"UCR file: {data.rows} rows, {data.agencies} agencies; {args.agencies} trained")
    for step, value in seconds.items():
        print(f"  {step:<50} {value:7.2f} s")
    print(f"  {'whole report, CPU seconds (this process and its kernel)':<50} {cpu:7.2f} s")
    print(
        f"whole report / {BUDGET_SECONDS:.0f} s budget = {total / BUDGET_SECONDS:.2f} (wall clock)"
    )
    print(f"whole report CPU / {BUDGET_SECONDS:.0f} s budget = {cpu / BUDGET_SECONDS:.2f}")
    print(f"load average while measured: {os.getloadavg()[0]:.1f} (wall clock grows with it)")
    print(f"output: {work / 'report'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
