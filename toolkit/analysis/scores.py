"""Total scores per trainee and assignment."""

from __future__ import annotations

import pandas as pd


def totals(scores: pd.DataFrame) -> pd.DataFrame:
    """Total score per trainee and assignment.

    Args:
        scores: one row per trainee, assignment and item with ``score`` and ``max_score``.

    Returns:
        trainee, assignment, score, max_score, pct (0-100).
    """
    out = scores.groupby(["trainee", "assignment"], as_index=False)[["score", "max_score"]].sum()
    out["pct"] = 100.0 * out["score"] / out["max_score"].where(out["max_score"] > 0)
    return out
