"""Estimators of a change in clearance rate after training, from maintained packages only.

- :func:`staggered_did`: Callaway and Sant'Anna's group-time average treatment effects on the
  treated, for agencies that trained in different years, with never-trained agencies as the
  comparison, estimated by :class:`differences.ATTgt` (panel estimator, which drops an agency from a
  group-time comparison for which it did not report both years; standard errors clustered by
  agency). The overall effect is the package's simple aggregation, the event study its event
  aggregation, the pre-trend test its Wald test of the pre-training group-time effects.
- :func:`interrupted_time_series`: one agency's cleared counts against its offences (log offset) in a
  segmented Poisson regression (statsmodels GLM, Pearson-scaled for overdispersion, t intervals
  on the residual degrees of freedom): level change
  at training and change of slope in years since training.

Both return NaN figures with a ``limitation`` sentence where they cannot be estimated, never a
number the data do not support.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from toolkit.settings import (
    INTERVAL_LEVEL,
    OUTCOMES_ITS_MAX_INTERVAL_RATIO,
    OUTCOMES_ITS_MIN_AFTER,
    OUTCOMES_ITS_MIN_BEFORE,
    OUTCOMES_MDE_POWER,
    OUTCOMES_MIN_COMPARISON,
    OUTCOMES_MIN_TRAINED,
)

DID_METHOD = (
    "Callaway and Sant'Anna staggered difference-in-differences (differences.ATTgt, "
    "never-trained comparison agencies, outcome regression, standard errors clustered by agency)"
)
ITS_METHOD = (
    "interrupted time series: segmented Poisson regression of cleared counts with log(offences) "
    "as offset, Pearson-scaled, t intervals (statsmodels GLM)"
)
#: Eigenvalues of the pre-trend covariance below this share of the largest are left out.
PRETREND_RCOND = 1e-8
EVENT_COLUMNS = ["relative_year", "estimate", "se", "ci_low", "ci_high"]


@dataclass(frozen=True)
class DidResult:
    """The overall effect on the clearance rate (percentage points) and its event study."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    mde: float
    pretrend_stat: float
    pretrend_df: int
    pretrend_p: float
    trained: int
    comparison: int
    event_study: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EVENT_COLUMNS))
    limitation: str | None = None
    method: str = DID_METHOD

    @property
    def estimated(self) -> bool:
        return self.limitation is None and bool(np.isfinite(self.estimate))


def _not_estimated(reason: str, trained: int, comparison: int) -> DidResult:
    nan = float("nan")
    return DidResult(nan, nan, nan, nan, nan, nan, 0, nan, trained, comparison, limitation=reason)


def did_sample(panel: pd.DataFrame, rollout: pd.DataFrame) -> tuple[pd.DataFrame, int, int]:
    """Agency-years with a clearance rate and the training year of each agency (NaN: never
    trained), with the numbers of usable trained agencies (a reported year before and one from
    their training year on) and comparison agencies (never trained, two reported years or more)."""
    rated = panel.loc[panel["clearance_rate"].notna(), ["ori", "year", "clearance_rate"]].copy()
    first = rollout.set_index("ori")["first_trained_year"]
    rated["cohort"] = rated["ori"].map(first).astype("float64")
    years = rated.groupby("ori").agg(
        cohort=("cohort", "first"), first=("year", "min"), last=("year", "max"), n=("year", "size")
    )
    trained = years["cohort"].notna()
    usable = trained & (years["first"] < years["cohort"]) & (years["last"] >= years["cohort"])
    comparison = ~trained & (years["n"] >= 2)
    return rated, int(usable.sum()), int(comparison.sum())


def _pretrend(ntl: list[object]) -> tuple[float, int, float]:
    """The package's Wald test that the pre-training group-time effects are all zero. Where their
    covariance is singular or so ill-conditioned that the package's statistic is not a finite
    non-negative number (tiny groups), the same statistic on the covariance's well-determined
    directions (eigenvalues above a relative tolerance), with their number as degrees of
    freedom."""
    from differences.models.attgt import utility_ntl as u

    pre = u.filter_ntl(ntl=ntl, pre=True, non_zero_influence_func=True)
    if not pre:
        return float("nan"), 0, float("nan")
    try:
        out = u.wald_pre_test(ntl)
        stat, p = float(out["W"]), float(out["p_value"])
        if np.isfinite(stat) and stat >= 0 and np.isfinite(p):
            return stat, len(pre), p
    except np.linalg.LinAlgError:
        pass
    att = np.asarray(u.get_att_from_ntl(pre), dtype=float)
    vcv, n = u.get_vcv_from_if(inf_funcs=u.stack_influence_funcs(pre), return_n_obs=True)
    values, vectors = np.linalg.eigh(np.asarray(vcv, dtype=float))
    keep = values > PRETREND_RCOND * max(float(values.max()), 0.0)
    rank = int(keep.sum())
    if rank == 0:
        return float("nan"), 0, float("nan")
    projected = vectors[:, keep].T @ att
    stat = float(n * np.sum(projected**2 / values[keep]))
    return stat, rank, float(stats.chi2.sf(stat, rank))


def staggered_did(
    panel: pd.DataFrame,
    rollout: pd.DataFrame,
    *,
    level: float = INTERVAL_LEVEL,
    power: float = OUTCOMES_MDE_POWER,
    min_trained: int = OUTCOMES_MIN_TRAINED,
    min_comparison: int = OUTCOMES_MIN_COMPARISON,
) -> DidResult:
    """Effect of training on the yearly clearance rate (percentage points) in trained agencies.

    ``panel`` has ``ori, year, clearance_rate`` (one row per reported agency-year), ``rollout``
    ``ori, first_trained_year``.
    """
    from differences import ATTgt

    rated, trained, comparison = did_sample(panel, rollout)
    if trained < min_trained:
        return _not_estimated(
            f"only {trained} trained agency(ies) reported a year before and a year after "
            f"training (at least {min_trained} are needed)",
            trained,
            comparison,
        )
    if comparison < min_comparison:
        return _not_estimated(
            f"only {comparison} never-trained agency(ies) reported two years or more (at least "
            f"{min_comparison} are needed as the comparison group)",
            trained,
            comparison,
        )
    rated["entity"] = pd.factorize(rated["ori"])[0]
    data = rated.set_index(["entity", "year"])[["clearance_rate", "cohort"]]
    alpha = 1 - level
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ATTgt(data=data, cohort_column="cohort")
        model.fit(
            "clearance_rate",
            control_group="never_treated",
            as_repeated_cross_section=False,
            alpha=alpha,
            progress_bar=False,
        )
        simple = model.aggregate("simple", alpha=alpha)
        event = model.aggregate("event", alpha=alpha)
        ntl = model._result_dict["full_sample"]["ATTgt_ntl"]
    row = simple.iloc[0].to_numpy()
    estimate, se, low, high = (float(v) for v in row[:4])
    if not np.isfinite(estimate) or not np.isfinite(se):
        return _not_estimated(
            "no group-time comparison could be formed (trained and comparison agencies never "
            "reported in the same pairs of years)",
            trained,
            comparison,
        )
    events = pd.DataFrame(
        {
            "relative_year": event.index.astype(int),
            "estimate": event.iloc[:, 0].astype(float).to_numpy(),
            "se": event.iloc[:, 1].astype(float).to_numpy(),
            "ci_low": event.iloc[:, 2].astype(float).to_numpy(),
            "ci_high": event.iloc[:, 3].astype(float).to_numpy(),
        }
    )
    stat, df, p = _pretrend(ntl)
    mde = (stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * se
    return DidResult(
        estimate=estimate,
        se=se,
        ci_low=low,
        ci_high=high,
        mde=float(mde),
        pretrend_stat=stat,
        pretrend_df=df,
        pretrend_p=p,
        trained=trained,
        comparison=comparison,
        event_study=events,
    )


ITS_COLUMNS = [
    "ori",
    "agency",
    "first_trained_year",
    "years_before",
    "years_after",
    "level_ratio",
    "level_ci_low",
    "level_ci_high",
    "slope_ratio",
    "slope_ci_low",
    "slope_ci_high",
    "note",
]


def interrupted_time_series(
    agency: pd.DataFrame,
    first_trained_year: int,
    *,
    level: float = INTERVAL_LEVEL,
    min_before: int = OUTCOMES_ITS_MIN_BEFORE,
    min_after: int = OUTCOMES_ITS_MIN_AFTER,
    max_interval_ratio: float = OUTCOMES_ITS_MAX_INTERVAL_RATIO,
) -> dict[str, object]:
    """Segmented Poisson regression for one agency (rows ``year, offences, cleared``): the ratio
    of the clearance rate at training to the trend before (``level_ratio``) and the yearly change
    of that ratio after (``slope_ratio``), with intervals; ``note`` says why a figure is missing."""
    import statsmodels.api as sm

    nan = float("nan")
    rows = agency[agency["offences"] > 0].sort_values("year")
    before = int((rows["year"] < first_trained_year).sum())
    after = int((rows["year"] >= first_trained_year).sum())
    out: dict[str, object] = {
        "first_trained_year": int(first_trained_year),
        "years_before": before,
        "years_after": after,
        "level_ratio": nan,
        "level_ci_low": nan,
        "level_ci_high": nan,
        "slope_ratio": nan,
        "slope_ci_low": nan,
        "slope_ci_high": nan,
        "note": "",
    }
    if before < min_before or after < min_after:
        out["note"] = (
            f"too few reported years ({before} before, {after} from training on; needs "
            f"{min_before} and {min_after})"
        )
        return out
    cleared_before = rows.loc[rows["year"] < first_trained_year, "cleared"].clip(lower=0).sum()
    cleared_after = rows.loc[rows["year"] >= first_trained_year, "cleared"].clip(lower=0).sum()
    if cleared_before <= 0 or cleared_after <= 0:
        out["note"] = "no clearance before or after training: no change of rate can be estimated"
        return out
    year = rows["year"].to_numpy(dtype=float)
    post = (year >= first_trained_year).astype(float)
    exog = np.column_stack(
        [np.ones_like(year), year - first_trained_year, post, post * (year - first_trained_year)]
    )
    endog = rows["cleared"].clip(lower=0).to_numpy(dtype=float)
    offset = np.log(rows["offences"].to_numpy(dtype=float))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.GLM(endog, exog, family=sm.families.Poisson(), offset=offset).fit(
                scale="X2", use_t=True
            )
        ci = np.asarray(fit.conf_int(alpha=1 - level))
        params = np.asarray(fit.params)
    except (ValueError, np.linalg.LinAlgError, FloatingPointError) as exc:
        out["note"] = f"the model could not be fitted ({type(exc).__name__})"
        return out
    with np.errstate(over="ignore"):
        ratios = np.exp(np.column_stack([params[2:], ci[2:]]))
    if not np.all(np.isfinite(ratios)) or np.any(ratios[:, 2] > max_interval_ratio * ratios[:, 1]):
        out["note"] = "too few clearances for a useful interval: no estimate stated"
        return out
    out.update(
        level_ratio=float(ratios[0, 0]),
        level_ci_low=float(ratios[0, 1]),
        level_ci_high=float(ratios[0, 2]),
        slope_ratio=float(ratios[1, 0]),
        slope_ci_low=float(ratios[1, 1]),
        slope_ci_high=float(ratios[1, 2]),
    )
    return out


def its_table(panel: pd.DataFrame, rollout: pd.DataFrame) -> pd.DataFrame:
    """:func:`interrupted_time_series` for every trained agency (:data:`ITS_COLUMNS`)."""
    names = panel.groupby("ori")["agency"].first()
    rows = []
    for rec in rollout.itertuples(index=False):
        agency = panel[panel["ori"] == rec.ori]
        fit = interrupted_time_series(agency, int(rec.first_trained_year))
        rows.append({"ori": rec.ori, "agency": names.get(rec.ori, ""), **fit})
    return pd.DataFrame(rows, columns=ITS_COLUMNS)
