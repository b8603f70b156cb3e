"""What every command module shares: error handling and the --course option."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from toolkit.errors import CourseError, CttkError

F = TypeVar("F", bound=Callable[..., Any])


def database_error(exc: BaseException) -> CttkError | None:
    """A database error that escaped a gradebook call (nbgrader's own ORM), as a CttkError; None
    for any other exception."""
    import sqlite3

    module = type(exc).__module__ or ""
    if not isinstance(exc, sqlite3.Error) and not module.startswith(("sqlalchemy", "psycopg")):
        return None
    detail = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or ["no detail"])[0]
    return CourseError(
        f"the gradebook database failed ({detail[:200]})",
        hint="check the gradebook (CourseDirectory.db_url in nbgrader_config.py) and restore it "
        "from a backup if it is damaged",
    )


def friendly(func: F) -> F:
    """Turn a CttkError (or a database error from nbgrader's gradebook) into one line on stderr
    and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CttkError as exc:
            click.echo(f"cttk: error: {exc}", err=True)
            sys.exit(2)
        except Exception as exc:
            error = database_error(exc)
            if error is None:
                raise
            click.echo(f"cttk: error: {error}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


course_option = click.option(
    "--course",
    "course_dir",
    type=click.Path(path_type=Path),
    default=".",
    show_default=True,
    help="The course root (the folder holding nbgrader_config.py).",
)


def one_or_all(assignment: str | None, all_assignments: bool, *, command: str) -> list[str] | None:
    """The assignments a command was given: ``[ASSIGNMENT]``, or None (every one) for ``--all``."""
    if bool(assignment) == all_assignments:
        raise CourseError("name one ASSIGNMENT or pass --all", hint=f"see cttk {command} --help")
    return None if all_assignments else [str(assignment)]
