"""Interrupted time series for one agency: a known jump in the clearance rate at training is found,
no jump is not invented, and data that cannot support a model give a reason, not a number."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from toolkit.outcomes.estimate import interrupted_time_series

YEARS = np.arange(2013, 2021)


def _agency(rate_before: float, rate_after: float, seed: int, offences: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rate = np.where(YEARS >= 2017, rate_after, rate_before)
    return pd.DataFrame(
        {"year": YEARS, "offences": offences, "cleared": rng.binomial(offences, rate)}
    )


def test_a_known_jump_is_found() -> None:
    fit = interrupted_time_series(_agency(0.3, 0.45, seed=1), 2017)
    assert fit["note"] == ""
    assert fit["level_ci_low"] <= 1.5 <= fit["level_ci_high"]  # type: ignore[operator]
    assert fit["level_ci_low"] > 1.0  # type: ignore[operator]
    assert fit["slope_ci_low"] <= 1.0 <= fit["slope_ci_high"]  # type: ignore[operator]


def test_no_jump_is_not_invented() -> None:
    covered = 0
    for seed in range(20):
        fit = interrupted_time_series(_agency(0.3, 0.3, seed=seed), 2017)
        covered += fit["level_ci_low"] <= 1.0 <= fit["level_ci_high"]  # type: ignore[operator]
    assert covered >= 18


def test_too_few_years_or_clearances_give_a_reason() -> None:
    short = _agency(0.3, 0.4, seed=2).iloc[3:]
    fit = interrupted_time_series(short, 2017)
    assert math.isnan(fit["level_ratio"])  # type: ignore[arg-type]
    assert "too few reported years (1 before" in str(fit["note"])
    none_before = _agency(0.0, 0.4, seed=3)
    fit = interrupted_time_series(none_before, 2017)
    assert math.isnan(fit["level_ratio"])  # type: ignore[arg-type]
    assert "no clearance before or after training" in str(fit["note"])
    tiny = _agency(0.3, 0.3, seed=4, offences=2)
    fit = interrupted_time_series(tiny, 2017)
    assert math.isnan(fit["level_ratio"]) or fit["level_ci_high"] <= 100 * fit["level_ci_low"]  # type: ignore[operator]
