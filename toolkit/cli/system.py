"""``cttk system``: the system packages cttk uses (Chromium, bubblewrap, PostgreSQL)."""

from __future__ import annotations

import sys

import click

from toolkit.course.system import PURPOSES, can_install, describe_missing, install, missing_packages


@click.command()
@click.option(
    "--for",
    "purpose",
    type=click.Choice(PURPOSES),
    default="test",
    show_default=True,
    help="What the machine is being readied for: the demo needs Chromium and bubblewrap, "
    "the tests also PostgreSQL.",
)
@click.option(
    "--install",
    "do_install",
    is_flag=True,
    help="Install what is missing with apt-get when running as root or with sudo "
    "that needs no password.",
)
@click.option("--strict", is_flag=True, help="Exit 2 when anything is still missing (CI).")
def system(purpose: str, do_install: bool, strict: bool) -> None:
    """Check (and with --install, install) the system packages the demo or the tests use.

    Without them cttk still works, with less: no PDFs, no bubblewrap layer in the sandbox, and
    the tests that need them are skipped."""
    missing = missing_packages(purpose)
    if missing and do_install and can_install():
        install(missing, say=click.echo)
        missing = missing_packages(purpose)
    if not missing:
        click.echo(f"cttk system: everything the {purpose} uses is installed.")
        return
    click.echo(f"cttk system: the {purpose} runs without these, with less:", err=True)
    for line in describe_missing(missing):
        click.echo(f"  {line}", err=True)
    if do_install and not can_install():
        click.echo(
            "  (not installed automatically: that needs apt-get and root or sudo without a password)",
            err=True,
        )
    if strict:
        sys.exit(2)
