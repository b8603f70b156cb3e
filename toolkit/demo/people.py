"""Seeded synthetic trainees: names, agencies, roles and a latent ability."""

from __future__ import annotations

import numpy as np
import pandas as pd

FIRST = [
    "Alex",
    "Sam",
    "Jordan",
    "Maria",
    "Chen",
    "Amara",
    "Luis",
    "Fatima",
    "Noah",
    "Priya",
    "Ivan",
    "Grace",
    "Tomas",
    "Aisha",
    "Daniel",
    "Mei",
    "Omar",
    "Sofia",
    "Kwame",
    "Elena",
]
LAST = [
    "Rivera",
    "Okafor",
    "Nguyen",
    "Schmidt",
    "Haddad",
    "Kowalski",
    "Mensah",
    "Silva",
    "Tanaka",
    "Fischer",
    "Osei",
    "Moreno",
    "Petrov",
    "Ali",
    "Brennan",
    "Costa",
]
AGENCIES = [
    "Northvale Police Department",
    "Harbor County Sheriff's Office",
    "Eastbrook Police Department",
    "State Bureau of Investigation",
    "Riverside District Attorney's Office",
]
ROLES = ["patrol officer", "detective", "analyst", "prosecutor", "supervisor"]
ROLE_WEIGHTS = [0.45, 0.25, 0.1, 0.1, 0.1]


def synthetic_trainees(
    cohorts: list[str], per_cohort: int, rng: np.random.Generator
) -> pd.DataFrame:
    """One row per trainee: trainee, first_name, last_name, email, agency, role, cohort, ability.

    Ability is a latent trait (standard normal around a per-cohort mean) used by the answer model.
    """
    rows = []
    for c, cohort in enumerate(cohorts):
        cohort_mean = float(rng.normal(0.0, 0.35))
        for i in range(per_cohort):
            first, last = str(rng.choice(FIRST)), str(rng.choice(LAST))
            tid = f"{cohort}-t{i + 1:03d}"
            rows.append(
                {
                    "trainee": tid,
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first}.{last}.{c}{i}@example.org".lower(),
                    "agency": str(rng.choice(AGENCIES)),
                    "role": str(rng.choice(ROLES, p=ROLE_WEIGHTS)),
                    "cohort": cohort,
                    "ability": float(rng.normal(cohort_mean, 1.0)),
                }
            )
    return pd.DataFrame(rows)
