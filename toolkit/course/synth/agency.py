"""A synthetic year of an agency's trafficking cases for the outcome-metrics exercise (module 08).

Field names follow HTCDS where one fits (``cas_Status``, ``cas_ReferredOrganisation``); dates are
days of the year so that the exercise stays about rates, not calendars.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PARTNERS = ("Alder Trust", "Cedar Point", "Bridgeway")
CLOSED_REASONS = (
    "Charged",
    "Referred to another agency",
    "Insufficient evidence",
    "Not trafficking",
)


def agency_cases(seed: int = 8, n: int = 90) -> pd.DataFrame:
    """``n`` cases: ``cas_CaseId``, ``quarter`` (Q1-Q4 opened), ``opened_day``, ``closed_day``
    (empty while open), ``cas_Status`` (Active or Closed), ``closure_reason``, ``victims_identified``,
    ``victims_referred``, ``cas_ReferredOrganisation`` (empty when nobody was referred),
    ``referral_accepted`` (empty when nobody was referred)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        opened = int(rng.integers(1, 366))
        quarter = f"Q{min(4, (opened - 1) // 92 + 1)}"
        duration = int(rng.gamma(3.0, 40.0))
        closed = opened + duration if opened + duration <= 365 and rng.random() < 0.85 else None
        identified = int(rng.integers(1, 5))
        referred = int(rng.binomial(identified, 0.7))
        partner = str(rng.choice(PARTNERS)) if referred else None
        rows.append(
            {
                "cas_CaseId": f"A-{i + 1:03d}",
                "quarter": quarter,
                "opened_day": opened,
                "closed_day": closed,
                "cas_Status": "Closed" if closed else "Active",
                "closure_reason": str(rng.choice(CLOSED_REASONS, p=[0.35, 0.2, 0.3, 0.15]))
                if closed
                else None,
                "victims_identified": identified,
                "victims_referred": referred,
                "cas_ReferredOrganisation": partner,
                "referral_accepted": bool(rng.random() < 0.8) if referred else None,
            }
        )
    frame = pd.DataFrame(rows).sort_values("opened_day", kind="stable").reset_index(drop=True)
    frame["closed_day"] = frame["closed_day"].astype("Int64")
    return frame
