"""``cttk``: a thin command line over the toolkit's functions. Defaults live in settings.py."""

from __future__ import annotations

import time
from pathlib import Path

import click

from toolkit import settings
from toolkit.cli.autograde import autograde
from toolkit.cli.common import course_option, friendly, one_or_all
from toolkit.cli.report import report
from toolkit.cli.system import system
from toolkit.cli.validate import validate


@click.group()
@click.version_option(package_name="cttk")
def main() -> None:
    """Counter-trafficking training toolkit: run the course, grade it, report on it."""


@main.command()
@click.option(
    "--workspace",
    type=click.Path(path_type=Path),
    default=Path.home() / settings.DEMO_WORKSPACE,
    show_default="~/cttk-demo",
    help="An empty folder outside the repository.",
)
@click.option(
    "--cohorts",
    type=click.IntRange(1, settings.DEMO_MAX_COHORTS),
    default=settings.DEMO_COHORTS,
    show_default=True,
)
@click.option(
    "--trainees",
    type=click.IntRange(1, settings.DEMO_MAX_TRAINEES),
    default=settings.DEMO_TRAINEES,
    show_default=True,
    help="Trainees per cohort.",
)
@click.option("--seed", type=int, default=settings.DEMO_SEED, show_default=True)
@click.option("--force", is_flag=True, help="Replace a non-empty workspace.")
@click.option(
    "--workers",
    type=click.IntRange(1, settings.MAX_WORKERS),
    default=None,
    help="Grading processes (default: one per CPU).",
)
@click.option("--no-pdf", is_flag=True, help="Skip printing the reports to PDF.")
@click.option(
    "--assignment",
    "assignments",
    multiple=True,
    help="Run only this assignment (repeatable; default: every one). A quick look: "
    "--assignment 00_pretest --assignment 09_posttest.",
)
@course_option
@friendly
def demo(
    course_dir: Path,
    assignments: tuple[str, ...],
    workspace: Path,
    cohorts: int,
    trainees: int,
    seed: int,
    force: bool,
    workers: int | None,
    no_pdf: bool,
) -> None:
    """Run a synthetic academy through the whole pipeline and write its reports."""
    from toolkit.demo import run_demo

    start = time.perf_counter()
    result = run_demo(
        course_dir=course_dir,
        workspace=workspace,
        cohorts=cohorts,
        trainees=trainees,
        seed=seed,
        force=force,
        workers=workers,
        pdf=not no_pdf,
        assignments=list(assignments) or None,
        say=click.echo,
    )
    phases = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in result.seconds.items())
    click.echo(f"\nDemo finished in {time.perf_counter() - start:.0f} s ({phases}).")
    click.echo("Submissions were graded by nbgrader in a sandbox with these layers:")
    for layer, state in result.sandbox:
        click.echo(f"  {layer}: {state}")
    click.echo("Reports for evaluators (group figures only, small groups suppressed):")
    for cohort, paths in result.reports.items():
        click.echo(f"  cohort {cohort}: {paths.html}")
    if result.gaps is not None:
        click.echo(f"  curriculum gaps: {result.gaps.html}")
        if result.gaps.index is not None:
            click.echo(f"  index of all reports: {result.gaps.index}")
    if result.outcomes is not None:
        click.echo(f"  field outcomes (synthetic effect): {result.outcomes.html}")
    extra = ", the PDF" if result.pdf else ""
    click.echo(f"Each report folder holds summary.json{extra} and the executed notebook.")
    click.echo(f"Gradebook: {result.workspace / 'gradebook.db'}")


@main.command()
@click.argument("assignment", required=False)
@click.option(
    "--all", "all_assignments", is_flag=True, help="Every assignment in source/, in one process."
)
@course_option
@friendly
def release(assignment: str | None, all_assignments: bool, course_dir: Path) -> None:
    """Run nbgrader generate_assignment for ASSIGNMENT (or --all): write release/ from source/
    and record the assignment's cells in the gradebook."""
    from toolkit.course.nbgrader_ops import release_assignments

    assignments = one_or_all(assignment, all_assignments, command="release")
    for folder in release_assignments(course_dir=course_dir, assignments=assignments):
        click.echo(f"nbgrader generate_assignment {folder.name}: wrote {folder}")


@main.command()
@course_option
@friendly
def datasets(course_dir: Path) -> None:
    """Regenerate the synthetic data files of source/ (the CSV files the assignments read) from
    their seeded generators; then run `cttk release --all`."""
    from toolkit.course.synth import write_course_datasets

    for path in write_course_datasets(course_dir=course_dir):
        click.echo(f"wrote {path}")
    click.echo("Now run: cttk release --all")


@main.group()
def cohort() -> None:
    """Cohort rosters (course/cohorts/COHORT.csv)."""


@cohort.command("import")
@click.argument("name")
@click.argument("roster", type=click.Path(path_type=Path))
@course_option
@friendly
def cohort_import(name: str, roster: Path, course_dir: Path) -> None:
    """Import ROSTER (CSV: trainee, first_name, last_name, email, agency, role) as cohort NAME
    and register its trainees in the gradebook."""
    from toolkit.course.rosters import import_cohort

    frame = import_cohort(course_dir=course_dir, cohort=name, roster=roster)
    click.echo(f"Cohort {name}: {len(frame)} trainees registered.")


@main.command()
@click.argument("assignment")
@click.option(
    "--explain",
    is_flag=True,
    help="Also show the hidden tests and their explanations (only after the post-test: the "
    "pre- and post-test are parallel forms).",
)
@course_option
@friendly
def feedback(assignment: str, explain: bool, course_dir: Path) -> None:
    """Write feedback pages for every autograded submission of ASSIGNMENT: each item's score,
    no hidden test or answer key unless --explain."""
    from toolkit.autograde.feedback import generate_feedback

    folder = generate_feedback(course_dir=course_dir, assignment=assignment, explain=explain)
    click.echo(f"Feedback written under {folder}")


@main.command()
@course_option
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV file to write (default: print to stdout).",
)
@friendly
def export(course_dir: Path, output: Path | None) -> None:
    """Export every item score, with cohorts, as CSV (for the instructor: real ids)."""
    from toolkit.data.export import export_scores

    frame = export_scores(course_dir=course_dir)
    if output is None:
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        frame.to_csv(output, index=False)
        click.echo(f"{len(frame)} rows written to {output}")


main.add_command(autograde)
main.add_command(report)
main.add_command(validate)
main.add_command(system)

if __name__ == "__main__":
    main()
