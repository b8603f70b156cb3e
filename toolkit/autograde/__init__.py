"""Batch autograde with nbgrader's own converter."""

from toolkit.autograde.batch import (
    BatchResult,
    SubmissionResult,
    autograde_assignments,
    autograde_batch,
)

__all__ = ["BatchResult", "SubmissionResult", "autograde_assignments", "autograde_batch"]
