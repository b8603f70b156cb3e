"""The one exception family of cttk.

Every error the package raises on purpose is a :class:`CttkError`. It carries what went wrong, what
to do about it, and (where there is one) the path or item it concerns, so that the command line can
print one line and exit non-zero, and code can branch on the fields rather than parse the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(eq=False)
class CttkError(Exception):
    """Base class of every deliberate cttk error.

    Attributes:
        message: what went wrong, in one sentence.
        hint: what the user should do about it (one sentence), if known.
        path: the file or folder concerned, if any.
    """

    message: str
    hint: str = ""
    path: Path | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        text = self.message
        if self.path is not None:
            text = f"{text} ({self.path})"
        if self.hint:
            text = f"{text}: {self.hint}"
        return text


class CourseError(CttkError):
    """The course folder, its configuration or its assignments are missing or inconsistent."""


class WorkspaceError(CttkError):
    """A workspace cannot be used (not empty, inside the repository, not writable)."""


class ResponseError(CttkError):
    """A response file is missing, corrupt, too large or of the wrong shape."""


class GradingError(CttkError):
    """nbgrader could not grade a submission, or a grading step failed."""


class ReportError(CttkError):
    """A report could not be produced (bad parameters, failed notebook, rendering)."""


class SandboxError(CttkError):
    """A requested sandbox layer cannot work on this machine."""


class OutcomesDataError(CttkError):
    """An agency-data, roll-out or victim-support file cannot be used for the outcomes report."""
