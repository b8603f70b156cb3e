"""Folders for personal data (rosters, reports with names): readable by their owner only, and
out of version control's reach wherever the course lives, through a ``.gitignore`` of their own
that ignores everything in them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from toolkit.settings import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE

GITIGNORE = "# personal data: never commit this folder (cttk)\n*\n"


def private_dir(folder: Path) -> Path:
    """Create ``folder`` (mode 0700) with a ``.gitignore`` that ignores all of it; tighten an
    existing one. Returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(PRIVATE_DIR_MODE)
    ignore = folder / ".gitignore"
    if not ignore.is_file() or ignore.read_text(encoding="utf-8") != GITIGNORE:
        ignore.write_text(GITIGNORE, encoding="utf-8")
    return folder


def write_private(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` in a private folder, mode 0600 from the start, atomically."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, PRIVATE_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def make_private(folder: Path) -> None:
    """Make ``folder`` private and every file under it 0600 (folders 0700)."""
    private_dir(folder)
    for path in folder.rglob("*"):
        path.chmod(PRIVATE_DIR_MODE if path.is_dir() else PRIVATE_FILE_MODE)
