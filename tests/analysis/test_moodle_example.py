"""A worked example, computed by hand with Moodle's formulas (docs/statistics.md), against the code.

Five trainees, three items (A and B worth 1, C worth 2):

    trainee  A  B  C  total
    t00      1  1  2    4
    t01      1  0  1    2
    t02      0  1  1    2
    t03      1  1  0    2
    t04      0  0  0    0

Item variances (s-1): A 0.3, B 0.3, C 0.7; variance of totals 2.0, so
alpha = 3/2 * (1 - 1.3/2) = 0.525.
Item A: rest = 3,1,2,1,0; cov(A, rest) = 0.8/4 = 0.2; var(rest) = 5.2/4 = 1.3;
discrimination = 0.2 / sqrt(0.3 * 1.3) = 0.32026; sorted A = 0,0,1,1,1 and sorted rest =
0,1,1,2,3 give the largest covariance 1.8/4 = 0.45, so discriminative efficiency = 0.4444.
cov(item, total): A 0.5, B 0.5, C 1.0; effective weights 100 * sqrt(cov) / sum(sqrt(cov)) =
29.29, 29.29, 41.42.
"""

from __future__ import annotations

import math

import pingouin as pg
import pytest
from scipy import stats

from toolkit.analysis import item_statistics, test_statistics

from .conftest import item_rows, score_rows

MAXIMA = {"nb/A": 1.0, "nb/B": 1.0, "nb/C": 2.0}
MARKS = {"nb/A": [1, 1, 0, 1, 0], "nb/B": [1, 0, 1, 1, 0], "nb/C": [2, 1, 1, 0, 0]}


@pytest.fixture
def scores():
    return score_rows(MARKS, MAXIMA)


def test_item_statistics_reproduce_moodle_by_hand(scores):
    out = item_statistics(scores, item_rows(MAXIMA)).set_index("item")
    assert out.loc["nb/A", "facility"] == pytest.approx(0.6)
    assert out.loc["nb/C", "facility"] == pytest.approx(0.4)
    assert out.loc["nb/A", "sd"] == pytest.approx(math.sqrt(0.3))
    assert out.loc["nb/C", "sd"] == pytest.approx(math.sqrt(0.7) / 2)
    assert out.loc["nb/A", "discrimination"] == pytest.approx(0.2 / math.sqrt(0.3 * 1.3))
    assert out.loc["nb/A", "discrimination"] == pytest.approx(0.32026, abs=1e-5)
    assert out.loc["nb/A", "discriminative_efficiency"] == pytest.approx(0.2 / 0.45)
    assert out["effective_weight"].tolist() == pytest.approx([29.289, 29.289, 41.421], abs=1e-3)


def test_discrimination_is_scipy_item_rest_correlation(scores):
    out = item_statistics(scores).set_index("item")
    total = [sum(col[i] for col in MARKS.values()) for i in range(5)]
    for item, col in MARKS.items():
        rest = [t - x for t, x in zip(total, col, strict=True)]
        assert out.loc[item, "discrimination"] == pytest.approx(stats.pearsonr(col, rest)[0])


def test_alpha_by_hand_and_against_pingouin(scores):
    row = test_statistics(scores, item_rows(MAXIMA)).iloc[0]
    assert row["alpha"] == pytest.approx(0.525)
    frame = score_rows(MARKS, MAXIMA).pivot(index="trainee", columns="item", values="score")
    assert row["alpha"] == pytest.approx(pg.cronbach_alpha(frame)[0])
    # Feldt's interval written out: 1 - (1 - alpha) * F quantiles with df (s-1, (s-1)(p-1))
    s, p = 5, 3
    lo = 1 - (1 - 0.525) * stats.f.isf(0.025, s - 1, (s - 1) * (p - 1))
    hi = 1 - (1 - 0.525) * stats.f.isf(0.975, s - 1, (s - 1) * (p - 1))
    assert (row["alpha_ci_low"], row["alpha_ci_high"]) == pytest.approx((lo, hi), abs=1e-3)
    assert row["error_ratio"] == pytest.approx(math.sqrt(0.475))
    assert row["sem"] == pytest.approx(math.sqrt(2.0) * math.sqrt(0.475))
    assert row["alpha_band"] == "unsatisfactory"


def test_whole_test_moments_match_scipy(scores):
    row = test_statistics(scores, item_rows(MAXIMA)).iloc[0]
    total = [4, 2, 2, 2, 0]
    assert row["n"] == 5 and row["max_score"] == 4
    assert row["mean"] == pytest.approx(2.0) and row["median"] == pytest.approx(2.0)
    assert row["mean_pct"] == pytest.approx(50.0)
    assert row["sd"] == pytest.approx(math.sqrt(2.0))
    assert row["skewness"] == pytest.approx(stats.skew(total, bias=False), abs=1e-12)
    assert row["kurtosis"] == pytest.approx(stats.kurtosis(total, bias=False), abs=1e-12)


def test_default_flags():
    marks = {
        "nb/hard": [0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        "nb/easy": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        "nb/neg": [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
        "nb/x": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
        "nb/y": [0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
        "nb/z": [0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
        "nb/w": [0, 0, 0, 1, 1, 1, 1, 1, 1, 1],
    }
    out = item_statistics(score_rows(marks, dict.fromkeys(marks, 1.0))).set_index("item")
    assert "too hard" in out.loc["nb/hard", "flags"]
    assert out.loc["nb/easy", "flags"] == ["too easy"]
    assert "negative: check the key" in out.loc["nb/neg", "flags"]
    assert out.loc["nb/x", "flags"] == []
    assert out.loc["nb/easy", "note"].startswith("every trainee has the same mark")
    assert not out["unstable"].any()
