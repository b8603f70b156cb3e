"""The roll-out file: which agencies trained when (``ori, first_trained_year, officers_trained``).

Every ORI must be an agency of the agency data, named once, and every training year must lie within
the data's years: anything else is one :class:`~toolkit.errors.OutcomesDataError`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.errors import OutcomesDataError
from toolkit.outcomes.ucr import AgencyData, read_table, require_columns, whole_numbers

ROLLOUT_COLUMNS: tuple[str, ...] = ("ori", "first_trained_year", "officers_trained")
_SHOWN = 5


def read_rollout(path: str | Path, data: AgencyData) -> pd.DataFrame:
    """The checked roll-out: columns ``ori``, ``first_trained_year``, ``officers_trained``."""
    path = Path(path)
    raw = read_table(path, "roll-out")
    raw.columns = [c.lower() for c in raw.columns]
    require_columns(raw, ROLLOUT_COLUMNS, "roll-out", path)
    return check_rollout(raw, data, path)


def _some(values: list[str]) -> str:
    """A few of ``values`` for a one-line message (quoted and cut short: they come from a file)."""
    more = f" and {len(values) - _SHOWN} more" if len(values) > _SHOWN else ""
    return ", ".join(repr(v[:20]) for v in values[:_SHOWN]) + more


def check_rollout(raw: pd.DataFrame, data: AgencyData, path: Path) -> pd.DataFrame:
    """``raw`` (read as text) checked against the agency data."""
    ori = raw["ori"].fillna("").str.strip()
    if (ori == "").any():
        raise OutcomesDataError("the roll-out file has a row without an ORI", path=path)
    rollout = pd.DataFrame(
        {
            "ori": ori,
            "first_trained_year": whole_numbers(raw, "first_trained_year", "roll-out", path),
            "officers_trained": whole_numbers(raw, "officers_trained", "roll-out", path),
        }
    )
    twice = sorted(set(ori[ori.duplicated()]))
    if twice:
        raise OutcomesDataError(
            f"the roll-out file names {len(twice)} agency(ies) more than once: {_some(twice)}",
            hint="give each agency one row with the year it first trained",
            path=path,
        )
    unknown = sorted(set(ori) - set(data.panel["ori"]))
    if unknown:
        raise OutcomesDataError(
            f"the roll-out file names {len(unknown)} ORI(s) absent from the agency data: "
            f"{_some(unknown)}",
            hint="check the ORIs (nine characters, as in the agency data) or use agency data "
            "that covers these agencies",
            path=path,
        )
    years = rollout["first_trained_year"]
    outside = rollout[(years < data.first_year) | (years > data.last_year)]
    if not outside.empty:
        raise OutcomesDataError(
            f"{len(outside)} agency(ies) of the roll-out trained outside the data's years "
            f"{data.first_year}-{data.last_year} (e.g. {outside['ori'].iloc[0][:20]!r} in "
            f"{outside['first_trained_year'].iloc[0]})",
            hint="use agency data that covers the training years, or correct the roll-out",
            path=path,
        )
    if (rollout["officers_trained"] < 0).any():
        raise OutcomesDataError("the roll-out file has a negative officers_trained", path=path)
    return rollout.sort_values(["first_trained_year", "ori"], ignore_index=True)
