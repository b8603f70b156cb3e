"""A synthetic victim table to anonymise (module 07): direct identifiers plus quasi-identifiers.

Names are invented; citizenship uses the ISO 3166 user-assigned codes XA-XD, which belong to no real
country; cities are fictional.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FIRST = ("Ana", "Bea", "Cai", "Dara", "Eli", "Faye", "Gus", "Hana", "Ivo", "Jun", "Kit", "Lea")
LAST = ("Moss", "Noor", "Ortiz", "Pell", "Quade", "Roan", "Sato", "Tull", "Ueda", "Vance")
CITIZENSHIP = ("XA", "XB", "XC", "XD")
CITIES = ("Port Alder", "Millbrook", "Eastfield")
EXPLOITATION = ("ForcedLabour", "SexualExploitation", "Servitude", "ForcedBegging")


def victim_records(seed: int = 7, n: int = 120) -> pd.DataFrame:
    """``n`` fictional victim records: ``cas_CaseId``, ``prs_FirstName``, ``prs_SecondName``,
    ``prs_MobilePhone``, ``vic_AgeWhenTrafficked``, ``prs_Gender``, ``prs_Citizenship``,
    ``hte_City``, ``vic_TypeOfExploitation``."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        rows.append(
            {
                "cas_CaseId": f"V-{i + 1:03d}",
                "prs_FirstName": str(rng.choice(FIRST)),
                "prs_SecondName": str(rng.choice(LAST)),
                "prs_MobilePhone": f"555-02{int(rng.integers(0, 100)):02d}",
                "vic_AgeWhenTrafficked": int(np.clip(rng.normal(26, 9), 9, 60)),
                "prs_Gender": str(rng.choice(["Feminine", "Masculine"], p=[0.6, 0.4])),
                "prs_Citizenship": str(rng.choice(CITIZENSHIP, p=[0.45, 0.3, 0.17, 0.08])),
                "hte_City": str(rng.choice(CITIES)),
                "vic_TypeOfExploitation": str(rng.choice(EXPLOITATION, p=[0.45, 0.35, 0.12, 0.08])),
            }
        )
    return pd.DataFrame(rows)
