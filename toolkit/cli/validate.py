"""``cttk validate``: check that the curriculum map, the notebooks and release/ agree."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit import settings
from toolkit.cli.common import course_option, friendly
from toolkit.validate.run import CHECKS


@click.command()
@click.option(
    "--skip",
    type=click.Choice(CHECKS),
    multiple=True,
    help="Leave out a check (repeatable); by default every check runs.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, settings.MAX_WORKERS),
    default=settings.VALIDATE_WORKERS,
    show_default=True,
    help="Notebooks executed at once.",
)
@course_option
@friendly
def validate(skip: tuple[str, ...], workers: int, course_dir: Path) -> None:
    """Check the course: curriculum map, widgets and keys, release/, and that every notebook passes
    its own tests with the solutions in (and scores zero when blank). Exits 1 on any finding."""
    from toolkit.validate.run import validate_course

    checks = [c for c in CHECKS if c not in skip]
    report = validate_course(course_dir=course_dir, checks=checks, workers=workers)
    for finding in report.findings:
        click.echo(str(finding))
    runs = sum(len(r) for r in report.runs.values())
    status = "OK" if report.ok else f"{len(report.findings)} finding(s)"
    click.echo(
        f"cttk validate: {status} ({', '.join(checks)}; {runs} notebook runs; "
        f"{report.seconds:.1f} s)"
    )
    if not report.ok:
        sys.exit(1)
