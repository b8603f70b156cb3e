"""Fictional states with stated trafficking rules, and synthetic cases to test against them (module 05).

The states and their rules are invented for training: they show how definitions can differ between
jurisdictions, and claim nothing about any real state's statute.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MEANS = ("DebtBondage", "WithholdsDocuments", "FalsePromises", "PhysicalThreats")
PURPOSES = ("ForcedLabour", "SexualExploitation", "Servitude")


def state_rules() -> pd.DataFrame:
    """One row per fictional state: ``state``, ``minor_age`` (below it no means is needed),
    ``requires_movement`` (the person must have been moved), ``debt_control_counts`` (holding a
    person by a debt, recorded as the HTCDS method of control ``DebtBondage``, counts as coercion
    and so as a means; where it does not, the debt must come with another listed means).

    Debt bondage itself is an exploitative purpose in the UN Protocol and in US federal law; the
    column says only whether the state's list of means reaches a debt used to hold someone."""
    return pd.DataFrame(
        {
            "state": ["Arden", "Belmont", "Corvale"],
            "minor_age": [18, 18, 16],
            "requires_movement": [False, True, False],
            "debt_control_counts": [True, True, False],
        }
    )


def jurisdiction_cases(seed: int = 6, n: int = 36) -> pd.DataFrame:
    """``n`` cases that all record an act and an exploitative purpose: ``cas_CaseId``, ``state``,
    ``vic_AgeWhenTrafficked``, ``moved`` (bool), ``vic_MethodsOfControl`` (one means, or empty),
    ``vic_TypeOfExploitation``."""
    rng = np.random.default_rng(seed)
    states = state_rules()["state"].tolist()
    rows = []
    for i in range(n):
        minor = rng.random() < 0.35
        means = str(rng.choice(MEANS)) if rng.random() < 0.7 else ""
        rows.append(
            {
                "cas_CaseId": f"J-{i + 1:03d}",
                "state": states[i % len(states)],
                "vic_AgeWhenTrafficked": int(
                    rng.integers(14, 18) if minor else rng.integers(18, 50)
                ),
                "moved": bool(rng.random() < 0.5),
                "vic_MethodsOfControl": means,
                "vic_TypeOfExploitation": str(rng.choice(PURPOSES)),
            }
        )
    return pd.DataFrame(rows)
