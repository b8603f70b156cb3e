"""The check every command makes before it opens a gradebook.

nbgrader opens any SQLite file it is given and creates its tables in an empty one, so a 0-byte
gradebook is silently replaced by a new, empty gradebook; a corrupt or truncated one fails deep in
SQLAlchemy. :func:`check_gradebook` looks at the file first, without writing anything, and raises
a :class:`~toolkit.errors.CourseError` that says what is wrong and what to do.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from toolkit import settings
from toolkit.errors import CourseError

SQLITE_MAGIC = b"SQLite format 3\x00"
#: Tables every nbgrader gradebook has (nbgrader >= 0.6).
NBGRADER_TABLES = frozenset(
    {
        "assignment",
        "notebook",
        "base_cell",
        "grade_cells",
        "student",
        "submitted_assignment",
        "submitted_notebook",
        "grade",
    }
)
#: Gradebooks up to this size get SQLite's quick_check too (it reads every page).
QUICK_CHECK_MAX_BYTES = 8 * 1024**2
RESTORE = "restore it from a backup (cttk never recreates a gradebook that exists)"


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite gradebook URL; None for an in-memory or a server database."""
    import sqlalchemy as sa

    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise CourseError(
            f"the gradebook URL {url!r} is not a database URL",
            hint="fix CourseDirectory.db_url in nbgrader_config.py",
        ) from None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _check_header(path: Path, size: int) -> None:
    with path.open("rb") as f:
        header = f.read(100)
    if not header.startswith(SQLITE_MAGIC):
        raise CourseError("the gradebook is not an SQLite database", hint=RESTORE, path=path)
    raw_page = int.from_bytes(header[16:18], "big") if len(header) >= 18 else 0
    page = 65536 if raw_page == 1 else raw_page
    truncated = len(header) < 100 or page < 512 or size % page != 0
    if not truncated:
        pages = int.from_bytes(header[28:32], "big")
        counter_valid = header[24:28] == header[92:96]
        truncated = counter_valid and pages > 0 and size < pages * page
    if truncated:
        raise CourseError("the gradebook file is truncated", hint=RESTORE, path=path)


def _tables(path: Path, lock_wait: float) -> set[str]:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=lock_wait)
    except sqlite3.Error as exc:
        raise CourseError(
            f"the gradebook cannot be opened ({exc})", hint=RESTORE, path=path
        ) from None
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            raise _locked(path) from None
        raise CourseError(f"the gradebook is corrupt ({exc})", hint=RESTORE, path=path) from None
    except sqlite3.DatabaseError as exc:
        raise CourseError(f"the gradebook is corrupt ({exc})", hint=RESTORE, path=path) from None
    finally:
        conn.close()
    return {str(name) for (name,) in rows}


def _locked(path: Path) -> CourseError:
    return CourseError(
        "the gradebook is locked by another program",
        hint="wait until the other cttk or nbgrader command (or the formgrader) has finished, "
        "then run this again",
        path=path,
    )


def _check_writable(path: Path, lock_wait: float) -> None:
    mode = path.stat().st_mode
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise CourseError(
            "the gradebook is read-only",
            hint=f"make it writable (chmod u+w {path.name}) or run this as its owner",
            path=path,
        )
    if not os.access(path.parent, os.W_OK):
        raise CourseError(
            "the gradebook's folder is read-only (SQLite writes a journal beside the file)",
            hint="make the folder writable",
            path=path.parent,
        )
    conn = sqlite3.connect(str(path), timeout=lock_wait, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise _locked(path) from None
        raise CourseError(
            f"the gradebook cannot be written ({exc})", hint=RESTORE, path=path
        ) from None
    finally:
        conn.close()


def check_gradebook(url: str, *, write: bool = False, lock_wait: float | None = None) -> None:
    """Check the gradebook at ``url`` before a command uses it; write nothing.

    A reader (``write=False``) needs an existing, readable nbgrader gradebook. A writer may find no
    file (nbgrader creates one) but never an empty, corrupt, truncated, foreign, read-only or locked
    one. A server database (PostgreSQL) is not checked here: its errors surface on connecting.
    ``lock_wait`` (default ``settings.GRADEBOOK_LOCK_WAIT_SECONDS``, read at each call) is how
    long to wait for another program's lock.

    Raises:
        CourseError: the gradebook cannot be used; the hint says what to do.
    """
    path = sqlite_path(url)
    if path is None:
        return
    if lock_wait is None:
        lock_wait = settings.GRADEBOOK_LOCK_WAIT_SECONDS
    if not path.exists():
        if write:
            return
        raise CourseError(
            "no gradebook yet",
            hint="release an assignment (cttk release --all) and autograde it first",
            path=path,
        )
    if not path.is_file():
        raise CourseError("the gradebook is not a file", hint="fix the gradebook URL", path=path)
    size = path.stat().st_size
    if size == 0:
        raise CourseError(
            "the gradebook is empty (0 bytes): every grade it held is gone",
            hint=f"{RESTORE}; to start afresh, delete the empty file",
            path=path,
        )
    try:
        _check_header(path, size)
    except PermissionError:
        raise CourseError(
            "the gradebook cannot be read", hint="run this as its owner", path=path
        ) from None
    missing = NBGRADER_TABLES - _tables(path, lock_wait)
    if missing:
        raise CourseError(
            f"the SQLite file is not an nbgrader gradebook (no table {sorted(missing)[0]!r})",
            hint="point CourseDirectory.db_url in nbgrader_config.py at the course's gradebook",
            path=path,
        )
    if write:
        _check_writable(path, lock_wait)
