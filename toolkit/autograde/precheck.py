"""Checks of a submission folder before anything of it is copied or run.

nbgrader copies a submission with ordinary file operations, as the grading user: a symbolic link
would be followed (another trainee's response file, a root-only file, ``../../../gradebook.db``)
and its target copied into ``autograded/`` and from there into the feedback that goes back to the
trainee. A device or a FIFO can hang or feed the copy. Python files and package folders beside
the notebook are what a kernel would import instead of the installed packages. A submission
holding any of these is not graded; the reason names the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from toolkit import settings

#: File endings Python imports from a folder on its path (source, bytecode, extensions, .pth).
IMPORTABLE = (".py", ".pyc", ".pyo", ".pyw", ".pyd", ".so", ".pth")


def _describe(mode: int) -> str | None:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "not a regular file"
    return None


def submission_problem(folder: Path) -> str | None:
    """Why the submission in ``folder`` must not be graded, naming the file, or None.

    Nothing is followed or opened: every entry is examined with ``lstat``.
    """
    limit = settings.AUTOGRADE_MAX_NOTEBOOK_BYTES
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted([*dirnames, *filenames]):
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            shown = rel.encode("utf-8", "backslashreplace").decode("utf-8")
            try:
                info = os.lstat(path)
            except OSError as exc:
                return f"{shown}: cannot be examined ({exc.strerror})"
            what = _describe(info.st_mode)
            if what:
                return f"{shown} is {what}: a submission may hold only regular files and folders"
            if stat.S_ISREG(info.st_mode) and name.lower().endswith(IMPORTABLE):
                return f"{shown} is Python code beside the notebook: remove it and submit again"
            if stat.S_ISDIR(info.st_mode) and name == "__pycache__":
                return f"{shown} is a Python cache folder: remove it and submit again"
            if rel.endswith(".ipynb") and info.st_size > limit:
                return f"notebook too large: {shown} exceeds {limit // 2**20} MB"
    return None
