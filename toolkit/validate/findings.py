"""A finding of ``cttk validate``: which check, where, and one line saying what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in the course.

    Attributes:
        check: the check that found it (``map``, ``widgets``, ``responses``, ``release``, ``execute``).
        where: the assignment, notebook or item concerned.
        message: what is wrong and what to do, in one line.
    """

    check: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.where}: {self.message}"
