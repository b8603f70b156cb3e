"""Fixtures of the course tests: one validation pass over the repository, shared by every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.validate import ValidationReport, validate_course


@pytest.fixture(scope="session")
def repo_report(repo_root: Path) -> ValidationReport:
    """Every check of ``cttk validate`` over the repository, run once (kernels in parallel)."""
    return validate_course(repo_root)
