"""What a ``summary.json`` is made of: JSON-safe numbers and records, and citations of the
statistics' definitions in the repository's ``docs/statistics.md``."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

#: Where the statistics are defined, relative to the repository root.
STATISTICS_DOC = "docs/statistics.md"
#: The statistics with an anchor of their own in :data:`STATISTICS_DOC` (named as in the code).
STATISTICS = (
    "facility",
    "sd",
    "discrimination",
    "discriminative_efficiency",
    "alpha",
    "sem",
    "hake_gain",
    "cohen_dz",
    "mastery",
    "wilson-interval",
    "drift",
    "gaps",
    "reaction",
)


def cite(statistic: str) -> str:
    """``docs/statistics.md#<statistic>``."""
    if statistic not in STATISTICS:
        raise ValueError(f"{statistic!r} has no anchor in {STATISTICS_DOC}")
    return f"{STATISTICS_DOC}#{statistic}"


def definitions(*statistics: str) -> dict[str, str]:
    """statistic -> where it is defined, for the ``definitions`` of a summary."""
    return {name: cite(name) for name in statistics}


def numbers(row: Any, *names: str) -> dict[str, float | None]:
    """The named fields of a row as JSON-safe numbers (:func:`num`)."""
    return {name: num(getattr(row, name)) for name in names}


def num(x: Any, digits: int = 4) -> float | None:
    """A JSON-safe rounded number: None for missing, NaN or infinite."""
    if x is None:
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return round(value, digits) if math.isfinite(value) else None


def records(frame: pd.DataFrame | None, columns: list[str]) -> list[dict[str, Any]] | None:
    """Rows of ``frame`` as JSON-safe dicts of ``columns`` (floats rounded by :func:`num`)."""
    if frame is None:
        return None
    return [
        {k: (num(v) if isinstance(v, float) else v) for k, v in row.items()}
        for row in frame[columns].to_dict("records")
    ]
