"""The course folder: an nbgrader course root with source/, release/, course/ and nbgrader_config.py."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import CourseError
from toolkit.settings import RESPONSE_FILENAME

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


def check_name(value: str, what: str) -> str:
    """Return ``value`` if it is a safe single path component (assignment, cohort, trainee id)."""
    if not isinstance(value, str) or not _SAFE_NAME.match(value) or ".." in value:
        raise CourseError(
            f"{what} {value!r} is not a valid name",
            hint="use letters, digits, '_', '-' or '.', starting with a letter or digit",
        )
    return value


@dataclass(frozen=True)
class Course:
    """An nbgrader course root on disk."""

    root: Path

    @classmethod
    def open(cls, root: str | Path = ".") -> Course:
        """Open the course at ``root``; it must hold nbgrader_config.py."""
        path = Path(root).resolve()
        if not (path / "nbgrader_config.py").is_file():
            raise CourseError(
                "no nbgrader_config.py in the course folder",
                hint="run the command from the course root or pass --course DIR",
                path=path,
            )
        return cls(path)

    @property
    def source(self) -> Path:
        return self.root / "source"

    @property
    def release(self) -> Path:
        return self.root / "release"

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def gradebook_url(self) -> str:
        from toolkit.course.nbgrader_ops import (
            load_config,  # nbgrader config decides, as for nbgrader itself
        )

        url = load_config(self.root).CourseDirectory.get("db_url")
        return url if isinstance(url, str) and url else f"sqlite:///{self.root / 'gradebook.db'}"

    def assignments(self) -> list[str]:
        """Assignment ids: the folders of source/, in order."""
        if not self.source.is_dir():
            return []
        return sorted(
            p.name for p in self.source.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def check_assignment(self, assignment: str) -> str:
        check_name(assignment, "assignment")
        if assignment not in self.assignments():
            known = ", ".join(self.assignments()) or "none"
            raise CourseError(
                f"assignment {assignment!r} does not exist",
                hint=f"choose one of: {known}",
                path=self.source,
            )
        return assignment

    def notebooks(self, assignment: str, *, released: bool = False) -> list[Path]:
        """The notebooks of an assignment in source/ (or release/)."""
        folder = (self.release if released else self.source) / self.check_assignment(assignment)
        return sorted(folder.glob("*.ipynb"))


def copy_assignment_folder(src: Path, dest: Path) -> Path:
    """Copy an assignment folder to ``dest`` without response files or notebook checkpoints (a
    copy starts with no trainee's answers)."""
    shutil.copytree(
        src, dest, ignore=shutil.ignore_patterns(RESPONSE_FILENAME, ".ipynb_checkpoints")
    )
    return dest
