"""On the real FBI UCR file: an effect injected into trained agencies after their training year is
recovered (the 95 % interval covers it in at least 90 % of draws), and with nothing injected the
interval covers zero in at least 90 % of draws (placebo).

Each draw is a new random roll-out of real agencies (three training years) with clearances added
by :func:`toolkit.outcomes.synthetic.inject_effect`; the placebo uses the same roll-out without
them. Draws are seeded, so the test is repeatable.
"""

from __future__ import annotations

import numpy as np
import pytest

from toolkit.outcomes.estimate import staggered_did
from toolkit.outcomes.synthetic import inject_effect, synthetic_rollout
from toolkit.outcomes.ucr import AgencyData

DRAWS = 20
EFFECT = 15.0  # percentage points of clearance rate
AGENCIES = 80
YEARS = (2016, 2017, 2018)
REQUIRED = 0.9


@pytest.mark.slow
def test_injected_effect_is_recovered_and_placebo_covers_zero(ucr: AgencyData) -> None:
    rng = np.random.default_rng(20260415)
    covered, placebo_covered, estimates = 0, 0, []
    for _ in range(DRAWS):
        rollout = synthetic_rollout(ucr.panel, rng, agencies=AGENCIES, years=YEARS)
        treated = staggered_did(inject_effect(ucr.panel, rollout, EFFECT, rng), rollout)
        placebo = staggered_did(ucr.panel, rollout)
        assert treated.estimated and placebo.estimated
        covered += treated.ci_low <= EFFECT <= treated.ci_high
        placebo_covered += placebo.ci_low <= 0 <= placebo.ci_high
        estimates.append(treated.estimate - placebo.estimate)
    assert covered / DRAWS >= REQUIRED, f"injected effect covered in {covered}/{DRAWS} draws"
    assert placebo_covered / DRAWS >= REQUIRED, f"zero covered in {placebo_covered}/{DRAWS} draws"
    # the injected clearances move the estimate by the injected amount on average
    assert abs(float(np.mean(estimates)) - EFFECT) < 3.0, estimates


@pytest.mark.slow
def test_the_estimator_is_not_blind(ucr: AgencyData) -> None:
    """The other way round: a large injected effect is not covered by the placebo's interval,
    nor zero by the treated interval, so coverage above is not a matter of huge intervals."""
    rng = np.random.default_rng(7)
    rollout = synthetic_rollout(ucr.panel, rng, agencies=AGENCIES, years=YEARS)
    treated = staggered_did(inject_effect(ucr.panel, rollout, 40.0, rng), rollout)
    assert treated.ci_low > 0
    assert treated.ci_high - treated.ci_low < 40.0


@pytest.mark.slow
def test_the_pretrend_test_is_a_valid_statistic(ucr: AgencyData) -> None:
    """Sparse group-time cells make the pre-trend covariance ill-conditioned; the statistic stays
    a finite non-negative chi-square with a p-value, whatever the roll-out."""
    rng = np.random.default_rng(2026)
    for agencies in (10, 40, 120):
        rollout = synthetic_rollout(ucr.panel, rng, agencies=agencies, years=YEARS)
        result = staggered_did(ucr.panel, rollout)
        assert np.isfinite(result.pretrend_stat) and result.pretrend_stat >= 0
        assert result.pretrend_df > 0 and 0 <= result.pretrend_p <= 1
