"""Synthetic case records for the legal-foundations exercise (act, means, purpose, minor rule)."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: HTCDS per_RoleInProcess values that describe the act element (recruit, move, harbour, receive).
ACTS = ("RecruiterOrIntermediary", "Transporter", "HarbouredIndividual", "ReceivedIndividual")
#: HTCDS vic_MethodsOfControl values (the means element).
MEANS = (
    "DebtBondage",
    "WithholdsDocuments",
    "FalsePromises",
    "PhysicalThreats",
    "ThreatsLawEnforcement",
)
#: HTCDS vic_TypeOfExploitation values (the purpose element).
PURPOSES = ("ForcedLabour", "SexualExploitation", "Servitude", "ForcedBegging")


def legal_cases(seed: int = 1, n: int = 40) -> pd.DataFrame:
    """``n`` synthetic referrals, each with or without each element of the definition.

    Columns: ``cas_CaseId``, ``vic_AgeWhenTrafficked``, ``per_RoleInProcess`` (the act, empty when
    none), ``vic_MethodsOfControl`` (means, ``;``-separated, empty when none),
    ``vic_TypeOfExploitation`` (purpose, empty when none), ``crossed_border``.
    Roughly a quarter are minors, so that the minor rule matters.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        minor = rng.random() < 0.25
        age = int(rng.integers(13, 18) if minor else rng.integers(18, 56))
        act = str(rng.choice(ACTS)) if rng.random() < 0.85 else ""
        k = int(rng.choice([0, 0, 1, 2], p=[0.2, 0.15, 0.35, 0.3]))
        means = ";".join(sorted(rng.choice(MEANS, size=k, replace=False))) if k else ""
        purpose = str(rng.choice(PURPOSES)) if rng.random() < 0.75 else ""
        rows.append(
            {
                "cas_CaseId": f"C-{i + 1:03d}",
                "vic_AgeWhenTrafficked": age,
                "per_RoleInProcess": act,
                "vic_MethodsOfControl": means,
                "vic_TypeOfExploitation": purpose,
                "crossed_border": bool(rng.random() < 0.4),
            }
        )
    return pd.DataFrame(rows)
