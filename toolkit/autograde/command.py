"""``cttk autograde``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli_common import course_option, friendly


@click.command()
@click.argument("assignment")
@click.option("--student", "students", multiple=True, help="Grade only this trainee (repeatable).")
@course_option
@friendly
def autograde(assignment: str, students: tuple[str, ...], course_dir: Path) -> None:
    """Autograde every submission of ASSIGNMENT with nbgrader."""
    from . import autograde_batch

    result = autograde_batch(course_dir, assignment, list(students) or None)
    for r in result.results:
        click.echo(f"{r.student:30} {r.status:7} {r.seconds:6.1f} s  {r.reason}")
    if result.failed:
        sys.exit(1)
