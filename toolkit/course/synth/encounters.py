"""Synthetic field encounters for the screening-accuracy exercise (module 02).

Each row is one encounter in which an officer noted which indicators were present; the follow-up
assessment (``vic_TraffickingStatus``, an HTCDS field) says whether the person was later found to be
a victim. The indicators are imperfect on purpose: some victims show few of them and some people who
are not victims show several, so that a screening rule has both misses and false alarms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Indicator column -> (probability when a victim, probability when not a victim).
INDICATORS: dict[str, tuple[float, float]] = {
    "ind_no_own_documents": (0.65, 0.10),
    "ind_companion_speaks_for_them": (0.55, 0.12),
    "ind_restricted_movement": (0.60, 0.06),
    "ind_owes_debt_to_employer": (0.50, 0.15),
    "ind_fear_of_police": (0.55, 0.25),
    "ind_lives_at_workplace": (0.45, 0.10),
}
SETTINGS = ("traffic stop", "hotel check", "worksite inspection", "welfare visit", "bus station")
VICTIM = "ActualVictimOfTrafficking"
NOT_VICTIM = "NotAVictimOfTrafficking"


def screening_encounters(seed: int = 2, n: int = 160) -> pd.DataFrame:
    """``n`` encounters: ``encounter_id``, ``setting``, one boolean column per indicator, and
    ``vic_TraffickingStatus`` (about a quarter are victims)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        victim = bool(rng.random() < 0.25)
        row: dict[str, object] = {
            "encounter_id": f"E-{i + 1:03d}",
            "setting": str(rng.choice(SETTINGS)),
        }
        for name, (p_victim, p_other) in INDICATORS.items():
            row[name] = bool(rng.random() < (p_victim if victim else p_other))
        row["vic_TraffickingStatus"] = VICTIM if victim else NOT_VICTIM
        rows.append(row)
    return pd.DataFrame(rows)
