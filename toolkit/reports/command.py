"""``cttk report ...``."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli_common import course_option, friendly


@click.group()
def report() -> None:
    """Evaluation reports (papermill templates in templates/)."""


@report.command("cohort")
@click.argument("cohort")
@course_option
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: COURSE/reports/cohort-COHORT).")
@friendly
def report_cohort(cohort: str, course_dir: Path, output: Path | None) -> None:
    """Cohort evaluation report: scores, items, summary.json."""
    from ..course import Course, check_name
    from ..data import load_course_data
    from ..errors import CourseError
    from . import run_report

    course = Course.open(course_dir)
    check_name(cohort, "cohort")
    known = load_course_data(course.root).cohorts
    if cohort not in known:
        raise CourseError(f"unknown cohort {cohort!r}", hint=f"choose one of: {', '.join(known)}")
    paths = run_report("cohort_report", {"course_dir": str(course.root), "cohort": cohort},
                       output or course.root / "reports" / f"cohort-{cohort}", cwd=course.root)
    click.echo(f"{paths.html}\n{paths.summary}")
