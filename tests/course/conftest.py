"""Fixtures of the course tests: one validation pass over the repository, shared by every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.validate import CHECKS, ValidationReport, validate_course


@pytest.fixture(scope="session")
def repo_report(repo_root: Path) -> ValidationReport:
    """Every check of ``cttk validate`` over the repository, run once (kernels in parallel), but
    the run of the source notebooks with their solutions: ``make test`` runs those once, under
    nbval, where every grade cell must earn its full points (tests/support/nbval_grades.py)."""
    return validate_course(repo_root, checks=[c for c in CHECKS if c != "solutions"])
