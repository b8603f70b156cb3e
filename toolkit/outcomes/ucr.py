"""Agency data in the layout of the FBI UCR human-trafficking file, checked and summed to one row
per agency and year.

The file has one row per report of an agency (``ORI``), year (``DATA_YEAR``) and offence
subcategory, with ``ACTUAL_COUNT`` (offences known), ``UNFOUNDED_COUNT``, ``CLEARED_COUNT`` and
``JUVENILE_CLEARED_COUNT``. Several rows for the same agency, year and subcategory are reports of
different months and are added up. What the file does not say is never filled in: an agency-year
that is absent was *not reported* and stays absent (never a zero). Data problems are kept, listed in
:attr:`AgencyData.problems` and shown in the report:

- a negative count (an adjustment of an earlier report) is added in as it is; an agency-year whose
  offences add up to zero or less has no clearance rate;
- clearances above offences in a year (clearances of earlier years' offences) are kept, so a
  yearly rate can exceed 100 %.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.errors import OutcomesDataError
from toolkit.settings import OUTCOMES_MAX_FILE_BYTES, OUTCOMES_SMALL_COUNT

#: Columns the agency file must have (the UCR layout); others are ignored.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "DATA_YEAR",
    "ORI",
    "PUB_AGENCY_NAME",
    "OFFENSE_SUBCAT_NAME",
    "ACTUAL_COUNT",
    "UNFOUNDED_COUNT",
    "CLEARED_COUNT",
    "JUVENILE_CLEARED_COUNT",
)
COUNT_COLUMNS: tuple[str, ...] = (
    "ACTUAL_COUNT",
    "UNFOUNDED_COUNT",
    "CLEARED_COUNT",
    "JUVENILE_CLEARED_COUNT",
)
#: Columns of :attr:`AgencyData.panel`, in order.
PANEL_COLUMNS: list[str] = [
    "ori",
    "year",
    "agency",
    "state",
    "offences",
    "cleared",
    "unfounded",
    "clearance_rate",
    "small_count",
]
#: Columns of :attr:`AgencyData.problems`.
PROBLEM_COLUMNS: list[str] = ["problem", "ori", "year", "detail"]
BUNDLED_FILE = "fbi_ucr_human_trafficking_2013_2020.csv"
_YEAR_RANGE = (1900, 2200)


@dataclass(frozen=True)
class AgencyData:
    """One row per reported agency-year (:data:`PANEL_COLUMNS`; ``clearance_rate`` in percent,
    NaN where offences are not positive) and the data problems found (:data:`PROBLEM_COLUMNS`)."""

    panel: pd.DataFrame
    problems: pd.DataFrame
    first_year: int
    last_year: int
    rows: int

    @property
    def agencies(self) -> int:
        return int(self.panel["ori"].nunique())

    def not_reported(self) -> int:
        """Agency-years absent from the file between the first and last year (not zeros)."""
        return self.agencies * (self.last_year - self.first_year + 1) - len(self.panel)


def bundled_ucr_file() -> Path:
    """The real FBI UCR human-trafficking file for 2013-2020 shipped with cttk (see its NOTICE)."""
    return Path(str(importlib.resources.files("toolkit.outcomes") / "data" / BUNDLED_FILE))


def read_table(path: str | Path, what: str) -> pd.DataFrame:
    """A CSV file read as text (every column a string), with one clear error for a missing,
    oversized, empty or unreadable file."""
    path = Path(path)
    if not path.is_file():
        raise OutcomesDataError(f"the {what} file does not exist", path=path)
    if path.stat().st_size > OUTCOMES_MAX_FILE_BYTES:
        raise OutcomesDataError(
            f"the {what} file is larger than {OUTCOMES_MAX_FILE_BYTES} bytes", path=path
        )
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        raise OutcomesDataError(f"the {what} file has no rows", path=path) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise OutcomesDataError(
            f"the {what} file is not a readable CSV file ({type(exc).__name__})", path=path
        ) from None
    if frame.empty:
        raise OutcomesDataError(f"the {what} file has no rows", path=path)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...], what: str, path: Path) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise OutcomesDataError(
            f"the {what} file lacks the column(s) {', '.join(missing)}",
            hint=f"it needs the columns {', '.join(columns)}",
            path=path,
        )


def whole_numbers(frame: pd.DataFrame, column: str, what: str, path: Path) -> pd.Series:
    """``column`` as integers; one error naming the first bad row otherwise."""
    values = pd.to_numeric(frame[column].str.strip(), errors="coerce")
    bad = values.isna() | (values != values.round())
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise OutcomesDataError(
            f"the {what} file has {int(bad.sum())} value(s) of {column} that are not whole "
            f"numbers (first at data row {row + 1}: {str(frame[column].iloc[row])[:40]!r})",
            hint="every count and year must be a whole number",
            path=path,
        )
    return values.astype("int64")


def read_agency_data(path: str | Path) -> AgencyData:
    """Read and check an agency file in the UCR layout (see the module docstring)."""
    path = Path(path)
    raw = read_table(path, "agency data")
    require_columns(raw, REQUIRED_COLUMNS, "agency data", path)
    return agency_data(raw, path)


def agency_data(raw: pd.DataFrame, path: Path) -> AgencyData:
    """The checked agency-year panel of a UCR-layout frame read as text."""
    ori = raw["ORI"].fillna("").str.strip()
    if (ori == "").any():
        raise OutcomesDataError(
            f"the agency data file has {int((ori == '').sum())} row(s) without an ORI",
            hint="every row needs the agency's ORI",
            path=path,
        )
    year = whole_numbers(raw, "DATA_YEAR", "agency data", path)
    if not year.between(*_YEAR_RANGE).all():
        raise OutcomesDataError(
            f"the agency data file has years outside {_YEAR_RANGE[0]}-{_YEAR_RANGE[1]}", path=path
        )
    rows = pd.DataFrame(
        {
            "ori": ori,
            "year": year,
            "agency": raw["PUB_AGENCY_NAME"].fillna("").str.strip(),
            "state": raw["STATE_ABBR"].fillna("").str.strip() if "STATE_ABBR" in raw else "",
        }
    )
    for column in COUNT_COLUMNS:
        rows[column] = whole_numbers(raw, column, "agency data", path)
    problems: list[dict[str, object]] = []
    negative = rows[(rows[list(COUNT_COLUMNS)] < 0).any(axis=1)]
    for rec in negative.itertuples(index=False):
        problems.append(
            {
                "problem": "negative count",
                "ori": rec.ori,
                "year": int(rec.year),
                "detail": "a count below zero (an adjustment of an earlier report), added as it is",
            }
        )
    panel = (
        rows.groupby(["ori", "year"], as_index=False)
        .agg(
            agency=("agency", "first"),
            state=("state", "first"),
            offences=("ACTUAL_COUNT", "sum"),
            cleared=("CLEARED_COUNT", "sum"),
            unfounded=("UNFOUNDED_COUNT", "sum"),
        )
        .sort_values(["ori", "year"], ignore_index=True)
    )
    positive = panel["offences"] > 0
    panel["clearance_rate"] = (100.0 * panel["cleared"] / panel["offences"]).where(positive)
    panel["small_count"] = panel["offences"] < OUTCOMES_SMALL_COUNT
    for rec in panel[~positive].itertuples(index=False):
        problems.append(
            {
                "problem": "no positive offence count",
                "ori": rec.ori,
                "year": int(rec.year),
                "detail": f"offences add up to {rec.offences}: no clearance rate for this year",
            }
        )
    for rec in panel[positive & (panel["cleared"] > panel["offences"])].itertuples(index=False):
        problems.append(
            {
                "problem": "clearances above offences",
                "ori": rec.ori,
                "year": int(rec.year),
                "detail": f"{rec.cleared} cleared of {rec.offences} offences (clearances of "
                "earlier years' offences): kept, the rate is above 100 %",
            }
        )
    return AgencyData(
        panel=panel[PANEL_COLUMNS],
        problems=pd.DataFrame(problems, columns=PROBLEM_COLUMNS),
        first_year=int(panel["year"].min()),
        last_year=int(panel["year"].max()),
        rows=len(raw),
    )
