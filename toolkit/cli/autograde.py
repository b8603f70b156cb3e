"""``cttk autograde``: parse, call :func:`autograde_assignments`, print each batch's summary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit import settings
from toolkit.autograde.sandbox import MODES, NO_ISOLATION
from toolkit.cli.common import course_option, friendly, one_or_all

if TYPE_CHECKING:
    from toolkit.autograde.batch import BatchResult


def _summary(result: BatchResult) -> None:
    click.echo(f"\n{result.assignment}: sandbox layers")
    for layer, state in result.layers.describe() if result.layers else []:
        click.echo(f"  {layer:58} {state}")
    click.echo(f"\n  {'trainee':28} {'status':8} {'seconds':>8}  reason / findings")
    for r in result.results:
        note = r.reason or "; ".join(r.findings)
        click.echo(f"  {r.student[:28]:28} {r.status:8} {r.seconds:8.1f}  {note}")
    graded, failed, skipped = len(result.graded), len(result.failed), len(result.skipped)
    click.echo(
        f"\n  graded {graded}, failed {failed}, skipped {skipped} (unchanged) "
        f"in {result.seconds:.1f} s"
    )
    if result.layers and result.layers.no_isolation:
        click.echo(f"  {NO_ISOLATION}: {result.layers.missing()}")


@click.command()
@click.argument("assignment", required=False)
@click.option("--all", "all_assignments", is_flag=True, help="Grade every assignment.")
@click.option("--student", "students", multiple=True, help="Grade only this trainee (repeatable).")
@click.option(
    "--workers",
    type=click.IntRange(1, settings.MAX_WORKERS),
    default=None,
    help="Worker processes [CPUs].",
)
@click.option(
    "--timeout",
    type=click.IntRange(1, settings.MAX_LIMIT_SECONDS),
    default=None,
    help="Seconds per cell.",
)
@click.option(
    "--wall",
    type=click.FloatRange(1, settings.MAX_LIMIT_SECONDS),
    default=settings.AUTOGRADE_WALL_SECONDS,
    show_default=True,
    help="Wall-clock cap for one notebook (seconds).",
)
@click.option("--force", is_flag=True, help="Grade again submissions that have not changed.")
@click.option(
    "--sandbox",
    type=click.Choice(MODES),
    default=settings.AUTOGRADE_SANDBOX,
    show_default=True,
    help="auto: every layer that works here; strict: require bubblewrap; minimal: limits only.",
)
@click.option(
    "--no-isolation",
    is_flag=True,
    help="Grade even where kernels cannot be isolated (no bubblewrap, or --sandbox minimal); "
    "every summary says so. Only for submissions you trust.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Grade on a Dask cluster: a scheduler address (tcp://host:8786), or local:N for a "
    "LocalCluster of N worker processes (then --workers is ignored).",
)
@course_option
@friendly
def autograde(
    assignment: str | None,
    all_assignments: bool,
    students: tuple[str, ...],
    workers: int | None,
    timeout: int | None,
    wall: float,
    force: bool,
    sandbox: str,
    no_isolation: bool,
    quiet: bool,
    scheduler: str | None,
    course_dir: Path,
) -> None:
    """Autograde the submissions of ASSIGNMENT (or --all) with nbgrader, in parallel and sandboxed."""
    from toolkit.autograde.batch import autograde_assignments

    failed = 0
    for result in autograde_assignments(
        course_dir=course_dir,
        assignments=one_or_all(assignment, all_assignments, command="autograde"),
        students=list(students) or None,
        progress=not quiet,
        workers=workers,
        timeout=timeout,
        force=force,
        sandbox=sandbox,
        no_isolation=no_isolation,
        wall_seconds=wall,
        scheduler=scheduler,
    ):
        _summary(result)
        failed += len(result.failed)
    if failed:
        sys.exit(1)
