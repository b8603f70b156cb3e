"""``cttk validate``: prove that the curriculum map, the notebooks and release/ agree, and that every
source notebook passes its own tests with the solutions in.

Public names: :func:`validate_course`, :class:`ValidationReport`, :class:`Finding`, :data:`CHECKS`.
The click command is :data:`toolkit.cli.validate.validate`.
"""

from toolkit.validate.findings import Finding
from toolkit.validate.run import CHECKS, ValidationReport, validate_course

__all__ = ["CHECKS", "Finding", "ValidationReport", "validate_course"]
