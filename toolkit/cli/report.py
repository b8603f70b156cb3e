"""``cttk report ...``: parse options and call :mod:`toolkit.reports.api`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.common import course_option, friendly
from toolkit.settings import MASTERY_TARGET, SUPPRESSION_THRESHOLD

if TYPE_CHECKING:
    from toolkit.reports import ReportPaths

threshold_option = click.option(
    "--threshold",
    type=int,
    default=SUPPRESSION_THRESHOLD,
    show_default=True,
    help="Suppress any group smaller than this.",
)
pdf_option = click.option(
    "--pdf/--no-pdf", default=True, show_default=True, help="Print a PDF with headless Chromium."
)
output_option = click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: COURSE/reports/...).",
)


def _echo_paths(paths: ReportPaths) -> None:
    click.echo("\n".join(str(p) for p in (paths.html, paths.pdf, paths.summary, paths.index) if p))
    if paths.no_pdf:
        click.echo(paths.no_pdf)


@click.group()
def report() -> None:
    """Evaluation reports (papermill templates in templates/)."""


@report.command("cohort")
@click.argument("cohort")
@course_option
@output_option
@threshold_option
@click.option(
    "--names",
    is_flag=True,
    default=False,
    help="Instructor's variant with trainee names (never give it to evaluators).",
)
@pdf_option
@friendly
def report_cohort(
    cohort: str, course_dir: Path, output: Path | None, threshold: int, names: bool, pdf: bool
) -> None:
    """Cohort evaluation report: tests, items, gain, mastery, gaps, summary.json."""
    from toolkit.reports.api import cohort_report

    paths = cohort_report(
        course_dir=course_dir,
        cohort=cohort,
        output_dir=output,
        threshold=threshold,
        names=names,
        pdf=pdf,
    )
    _echo_paths(paths)


@report.command("gaps")
@click.option(
    "--cohorts",
    "cohorts",
    multiple=True,
    help="Cohorts to compare, in trend order (repeat; default: all).",
)
@course_option
@output_option
@threshold_option
@click.option(
    "--target",
    type=float,
    default=MASTERY_TARGET,
    show_default=True,
    help="Share of a cohort expected to master each competency.",
)
@pdf_option
@friendly
def report_gaps(
    cohorts: tuple[str, ...],
    course_dir: Path,
    output: Path | None,
    threshold: int,
    target: float,
    pdf: bool,
) -> None:
    """Curriculum gaps across cohorts: performance, coverage, items, drift, what to change."""
    from toolkit.reports.api import gaps_report

    paths = gaps_report(
        course_dir=course_dir,
        cohorts=list(cohorts) or None,
        output_dir=output,
        threshold=threshold,
        target=target,
        pdf=pdf,
    )
    _echo_paths(paths)


@report.command("outcomes")
@click.option(
    "--agency-data",
    "agency_data",
    type=click.Path(path_type=Path),
    required=True,
    help="Agency-year offence and clearance counts in the FBI UCR human-trafficking layout.",
)
@click.option(
    "--rollout",
    type=click.Path(path_type=Path),
    required=True,
    help="CSV of ori, first_trained_year, officers_trained.",
)
@click.option(
    "--victim-support",
    "victim_support",
    type=click.Path(path_type=Path),
    default=None,
    help="Optional CSV of victim-support records (summarised per group, never shown as rows).",
)
@course_option
@output_option
@threshold_option
@pdf_option
@friendly
def report_outcomes(
    agency_data: Path,
    rollout: Path,
    victim_support: Path | None,
    course_dir: Path,
    output: Path | None,
    threshold: int,
    pdf: bool,
) -> None:
    """Field outcomes: behaviour on the job (follow-up) and clearance in trained agencies."""
    from toolkit.outcomes.report import outcomes_report

    paths = outcomes_report(
        agency_data=agency_data,
        rollout=rollout,
        victim_support=victim_support,
        course_dir=course_dir,
        output_dir=output,
        threshold=threshold,
        pdf=pdf,
    )
    _echo_paths(paths)
