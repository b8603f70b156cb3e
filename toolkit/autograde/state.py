"""What a batch has already done, so that a killed batch can be run again to finish the rest.

One JSON file per assignment, ``.cttk/autograde/<assignment>.json`` under the course root, written
only by the batch's parent process, atomically, after each submission's grades are committed.
Each entry holds the hash of the submission's files and of the assignment's answer keys when it
was graded; a submission whose files or keys changed since is graded again, an unchanged one is
skipped unless forced.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATE_DIR = Path(".cttk") / "autograde"
CHUNK = 1 << 20


def submission_hash(folder: Path) -> str:
    """SHA-256 over the relative paths and bytes of every regular file (symlinks not followed)."""
    digest = hashlib.sha256()
    if not folder.is_dir():
        return ""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
            if path.is_symlink() or not path.is_file():
                digest.update(b"<not a regular file>\0")
                continue
            with path.open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
            digest.update(b"\0")
    return digest.hexdigest()


def keys_hash(source: Path) -> str:
    """SHA-256 over every grade cell (id, points, source with its hidden tests) of the notebooks
    in an assignment's ``source`` folder: it changes when an answer key or a test changes."""
    digest = hashlib.sha256()
    for path in sorted(source.glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            digest.update(f"{path.name}: unreadable\0".encode())
            continue
        for cell in cells:
            meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
            if meta.get("grade"):
                text = cell.get("source", "")
                text = "".join(text) if isinstance(text, list) else str(text)
                record = [path.name, meta.get("grade_id"), meta.get("points"), text]
                digest.update(json.dumps(record).encode("utf-8") + b"\0")
    return digest.hexdigest()


@dataclass
class Entry:
    """The last outcome of one submission."""

    status: str
    hash: str
    seconds: float
    reason: str = ""
    findings: list[str] = field(default_factory=list)


class BatchState:
    """The state file of one assignment."""

    def __init__(self, root: Path, assignment: str) -> None:
        self.path = root / STATE_DIR / f"{assignment}.json"
        self.entries: dict[str, Entry] = {}
        try:
            raw: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries = {k: Entry(**v) for k, v in raw.get("submissions", {}).items()}
        except (OSError, ValueError, TypeError):
            self.entries = {}

    def is_done(self, student: str, current_hash: str) -> bool:
        """Graded before, from exactly these files."""
        entry = self.entries.get(student)
        return entry is not None and entry.status == "graded" and entry.hash == current_hash

    def record(self, student: str, entry: Entry) -> None:
        """Remember ``entry`` and write the file atomically."""
        self.entries[student] = entry
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"submissions": {k: asdict(v) for k, v in sorted(self.entries.items())}}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".state-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
