"""Synthetic roll-outs and injected effects on real agency data (the demo and the tests).

Nothing here describes a real training programme: a synthetic roll-out picks agencies of the file
at random, and :func:`inject_effect` adds clearances that never happened, so that a report made
from them must say so (the demo labels it a synthetic effect).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from toolkit.errors import OutcomesDataError


def synthetic_rollout(
    panel: pd.DataFrame,
    rng: np.random.Generator,
    *,
    agencies: int,
    years: Sequence[int],
) -> pd.DataFrame:
    """A roll-out of ``agencies`` agencies drawn from those that reported a clearance rate in a
    year before and a year from one of ``years`` on, each with a training year out of ``years``
    that it can be compared around, and a made-up number of officers trained."""
    rated = panel[panel["clearance_rate"].notna()]
    reported = rated.groupby("ori")["year"].apply(lambda s: sorted(set(s)))
    choices: dict[str, list[int]] = {}
    for ori, seen in reported.items():
        fits = [y for y in years if seen[0] < y <= seen[-1]]
        if fits:
            choices[str(ori)] = fits
    if len(choices) < agencies:
        raise OutcomesDataError(
            f"only {len(choices)} agencies can take a synthetic training year in "
            f"{', '.join(map(str, years))}, not {agencies}"
        )
    picked = rng.choice(sorted(choices), size=agencies, replace=False)
    return pd.DataFrame(
        {
            "ori": picked,
            "first_trained_year": [int(rng.choice(choices[o])) for o in picked],
            "officers_trained": rng.integers(5, 60, size=agencies),
        }
    ).sort_values(["first_trained_year", "ori"], ignore_index=True)


def inject_effect(
    panel: pd.DataFrame,
    rollout: pd.DataFrame,
    effect_pp: float,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """``panel`` with extra clearances in trained agencies from their training year on: each such
    agency-year with offences gains Binomial(offences, effect_pp / 100) cleared offences, so its
    clearance rate rises by ``effect_pp`` percentage points in expectation."""
    if not 0 <= effect_pp <= 100:
        raise OutcomesDataError(f"an injected effect must be 0 to 100 points, not {effect_pp}")
    out = panel.copy()
    first = out["ori"].map(rollout.set_index("ori")["first_trained_year"])
    after = first.notna() & (out["year"] >= first) & (out["offences"] > 0)
    trials = out["offences"].where(after, 0).clip(lower=0).to_numpy(dtype="int64")
    out["cleared"] = out["cleared"] + rng.binomial(trials, effect_pp / 100.0)
    positive = out["offences"] > 0
    out["clearance_rate"] = (100.0 * out["cleared"] / out["offences"]).where(positive)
    return out


def panel_as_ucr(panel: pd.DataFrame, *, subcategory: str) -> pd.DataFrame:
    """An agency-year panel written back in the UCR layout, one row per agency-year (the
    subcategories added together under ``subcategory``; juvenile clearances not kept)."""
    return pd.DataFrame(
        {
            "DATA_YEAR": panel["year"],
            "ORI": panel["ori"],
            "PUB_AGENCY_NAME": panel["agency"],
            "STATE_ABBR": panel["state"],
            "OFFENSE_SUBCAT_NAME": subcategory,
            "ACTUAL_COUNT": panel["offences"],
            "UNFOUNDED_COUNT": panel["unfounded"],
            "CLEARED_COUNT": panel["cleared"],
            "JUVENILE_CLEARED_COUNT": 0,
        }
    )


def synthetic_victim_support(
    panel: pd.DataFrame,
    rollout: pd.DataFrame,
    rng: np.random.Generator,
    *,
    comparison: int = 10,
    referral_gain: float = 0.15,
) -> pd.DataFrame:
    """Made-up victim-support records (one row per case) for the trained agencies and
    ``comparison`` others: referral is ``referral_gain`` likelier from the training year on."""
    others = sorted(set(panel["ori"]) - set(rollout["ori"]))
    chosen = [
        *rollout["ori"],
        *rng.choice(others, size=min(comparison, len(others)), replace=False),
    ]
    first = rollout.set_index("ori")["first_trained_year"]
    rows = []
    for rec in panel[panel["ori"].isin(chosen) & (panel["offences"] > 0)].itertuples(index=False):
        trained = rec.ori in first.index and rec.year >= first[rec.ori]
        p_refer = 0.5 + (referral_gain if trained else 0.0)
        for _ in range(int(min(rec.offences, 30))):
            referred = bool(rng.random() < p_refer)
            rows.append(
                {
                    "ori": rec.ori,
                    "year": int(rec.year),
                    "referred_to_services": "yes" if referred else "no",
                    "services_accepted": ("yes" if rng.random() < 0.7 else "no")
                    if referred
                    else "",
                    "days_to_referral": int(rng.integers(0, 30)) if referred else "",
                    "feedback_score": int(rng.integers(2, 6)) if rng.random() < 0.6 else "",
                }
            )
    return pd.DataFrame(rows)
