"""Seeded generators of synthetic case data for the exercises (no real person or case).

Field names follow the Human Trafficking Case Data Standard (HTCDS v2.0, IOM, CC BY 4.0) where a
field fits; columns HTCDS has no field for are named plainly.
"""

from .legal import legal_cases

__all__ = ["legal_cases"]
