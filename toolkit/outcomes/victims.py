"""Optional victim-support records, one row per case (fields in the spirit of the Human
Trafficking Case Data Standard): ``ori, year, referred_to_services, services_accepted,
days_to_referral, feedback_score``.

The records are read, checked and summarised per group of cases (trained agencies before and
after their training year, never-trained agencies): no record ever leaves this module as a row.
The summaries go through disclosure like any group figure, so a group of fewer cases than the
threshold is suppressed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.errors import OutcomesDataError
from toolkit.outcomes.ucr import read_table, require_columns, whole_numbers

VICTIM_COLUMNS: tuple[str, ...] = (
    "ori",
    "year",
    "referred_to_services",
    "services_accepted",
    "days_to_referral",
    "feedback_score",
)
#: The columns of :func:`victim_support_summary`.
SUMMARY_COLUMNS = [
    "group",
    "period",
    "cases",
    "referred_share",
    "accepted_share",
    "median_days_to_referral",
    "mean_feedback",
]
FEEDBACK_RANGE = (1, 5)
_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n"}


def _flags(raw: pd.DataFrame, column: str, path: Path, *, blank_ok: bool) -> pd.Series:
    text = raw[column].fillna("").str.strip().str.lower()
    known = text.isin(_TRUE | _FALSE) | ((text == "") & blank_ok)
    if not known.all():
        raise OutcomesDataError(
            f"the victim-support file has {int((~known).sum())} value(s) of {column} that are "
            "not yes/no (1/0, true/false)",
            path=path,
        )
    return text.map(lambda v: True if v in _TRUE else (False if v in _FALSE else pd.NA)).astype(
        "boolean"
    )


def _numbers(raw: pd.DataFrame, column: str, path: Path, low: float, high: float) -> pd.Series:
    text = raw[column].fillna("").str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = (text != "") & (values.isna() | ~values.between(low, high))
    if bad.any():
        raise OutcomesDataError(
            f"the victim-support file has {int(bad.sum())} value(s) of {column} outside "
            f"{low:g}-{high:g}",
            path=path,
        )
    return values.astype("Float64")


def read_victim_support(path: str | Path, agencies: set[str]) -> pd.DataFrame:
    """The checked records (only the columns above; any other column, such as a case or person
    identifier, is dropped on reading)."""
    path = Path(path)
    raw = read_table(path, "victim-support")
    raw.columns = [c.lower() for c in raw.columns]
    require_columns(raw, VICTIM_COLUMNS, "victim-support", path)
    ori = raw["ori"].fillna("").str.strip()
    unknown = sorted(set(ori) - agencies)
    if unknown:
        raise OutcomesDataError(
            f"the victim-support file names {len(unknown)} ORI(s) absent from the agency data "
            f"(e.g. {unknown[0][:20]!r})",
            path=path,
        )
    records = pd.DataFrame(
        {
            "ori": ori,
            "year": whole_numbers(raw, "year", "victim-support", path),
            "referred": _flags(raw, "referred_to_services", path, blank_ok=False),
            "accepted": _flags(raw, "services_accepted", path, blank_ok=True),
            "days": _numbers(raw, "days_to_referral", path, 0, 3650),
            "feedback": _numbers(raw, "feedback_score", path, *FEEDBACK_RANGE),
        }
    )
    accepted_unreferred = records["accepted"].fillna(False) & ~records["referred"]
    if accepted_unreferred.any():
        raise OutcomesDataError(
            f"the victim-support file has {int(accepted_unreferred.sum())} case(s) with services "
            "accepted but no referral",
            path=path,
        )
    return records


def victim_support_summary(records: pd.DataFrame, rollout: pd.DataFrame) -> pd.DataFrame:
    """Cases, share referred, share of referrals accepted, median days to referral and mean
    feedback (1-5) for trained agencies before and after training and for the comparison."""
    first = records["ori"].map(rollout.set_index("ori")["first_trained_year"])
    group = first.notna().map({True: "trained agencies", False: "comparison agencies"})
    period = pd.Series("all years", index=records.index)
    period[first.notna()] = (records["year"] >= first)[first.notna()].map(
        {True: "from training on", False: "before training"}
    )
    rows = []
    for (g, p), cases in records.groupby([group, period], sort=True):
        referred = cases["referred"].astype(bool)
        rows.append(
            {
                "group": g,
                "period": p,
                "cases": len(cases),
                "referred_share": float(referred.mean()),
                "accepted_share": float(cases.loc[referred, "accepted"].fillna(False).mean())
                if referred.any()
                else float("nan"),
                "median_days_to_referral": float(cases.loc[referred, "days"].median())
                if cases.loc[referred, "days"].notna().any()
                else float("nan"),
                "mean_feedback": float(cases["feedback"].mean())
                if cases["feedback"].notna().any()
                else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
