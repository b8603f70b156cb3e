"""Competency mastery, Wilson intervals, gaps, drift and the actions derived from them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from toolkit.analysis import (
    cohort_mastery,
    coverage_gaps,
    curriculum_actions,
    drift,
    item_gaps,
    item_statistics,
    option_point_biserial,
    performance_gaps,
    totals,
    trainee_mastery,
    trend_tests,
    wilson,
)

from .conftest import curriculum_of, item_rows, score_rows

MAXIMA = {"nb/q1": 2.0, "nb/q2": 2.0, "nb/q3": 1.0}
COMPETENCIES = [
    {"id": "C1", "statement": "identify indicators", "module": "01", "topic": "identification"},
    {"id": "C2", "statement": "refer victims", "module": "02", "topic": "referral"},
    {"id": "C3", "statement": "interview", "module": "03", "topic": "interviewing"},
]


@pytest.fixture
def curriculum():
    return curriculum_of(
        {"nb/q1": ["C1"], "nb/q2": ["C1", "C2"], "q3": ["C2"], "nb/ghost": ["C2"]},
        COMPETENCIES,
        threshold=0.7,
        topics=["identification", "referral", "interviewing", "prosecution"],
    )


def test_wilson_written_out():
    k, n, z = 3, 10, stats.norm.isf(0.025)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert wilson(k, n) == pytest.approx((centre - half, centre + half))
    assert wilson(0, 0) == (None, None)


def test_trainee_and_cohort_mastery(curriculum):
    scores = score_rows(
        {"nb/q1": [2, 1, 2, 0], "nb/q2": [2, 1, 1, 0], "nb/q3": [1, 1, 0, None]},
        MAXIMA,
        cohort=["A", "A", "B", "B"],
    )
    m = trainee_mastery(scores, item_rows(MAXIMA), curriculum).set_index(["trainee", "competency"])
    # t01 on C1: (1 + 1) / 4 = 0.5; on C2 (q2 + q3): (1 + 1) / 3 = 0.667 -> not mastered
    assert m.loc[("t01", "C1"), "share"] == pytest.approx(0.5)
    assert not m.loc[("t01", "C2"), "mastered"]
    # t02 on C2: (1 + 0) / 3; t03's q3 is ungraded, so C2 counts q2 only: 0 / 2
    assert m.loc[("t03", "C2"), "max_points"] == 2
    assert m.loc[("t00", "C1"), "mastered"]
    c = cohort_mastery(m.reset_index(), scores[["trainee", "cohort"]].drop_duplicates())
    row = c.set_index(["cohort", "competency"]).loc[("A", "C1")]
    assert (row["n"], row["n_mastered"], row["mastery_rate"]) == (2, 1, 0.5)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(wilson(1, 2))


def test_pretest_excluded_from_mastery(curriculum):
    scores = score_rows({"nb/q1": [0, 0]}, {"nb/q1": 2.0}, assignment="pre")
    assert trainee_mastery(
        scores, item_rows(MAXIMA, "pre"), curriculum, exclude_assignments=["pre"]
    ).empty


def test_gap_kinds(curriculum):
    scores = score_rows(
        {"nb/q1": [0, 0, 0, 2, 0, 0], "nb/q2": [0, 1, 0, 2, 0, 0], "nb/q3": [1] * 6}, MAXIMA
    )
    items = item_rows(MAXIMA)
    mastery = trainee_mastery(scores, items, curriculum)
    perf = performance_gaps(cohort_mastery(mastery, scores[["trainee", "cohort"]]), curriculum)
    c1 = perf.set_index("competency").loc["C1"]
    assert c1["severity"] == "clear" and c1["ci_high"] < 0.8
    assert "1 of 6 trainees" in c1["evidence"]
    cov = coverage_gaps(curriculum, items).set_index("name")
    assert cov.loc["C3", "n_items"] == 0 and cov.loc["C1", "n_items"] == 2
    assert cov.loc["prosecution", "kind"] == "topic"
    assert cov.loc["nb/ghost", "kind"] == "map entry"
    assert "identification" not in cov.index
    igaps = item_gaps(item_statistics(scores, items))
    assert "nb/q3" in set(igaps["item"]) and "too easy" in igaps.iloc[-1]["evidence"]
    actions = curriculum_actions(performance=perf, coverage=cov.reset_index(), items=igaps)
    assert actions["priority"].is_monotonic_increasing
    assert actions.iloc[0]["area"] == "competency C1"
    assert "competency C1" in actions.iloc[0]["action"]


def test_trend_test_is_linear_by_linear_and_drift_is_detected():
    k, n = [3, 15, 27], [30, 30, 30]
    out = trend_tests(k, n)
    chi2 = stats.chi2_contingency(np.column_stack([k, np.subtract(n, k)]), correction=False)
    assert out["chi2"] == pytest.approx(chi2[0]) and out["chi2_p"] == pytest.approx(chi2[1])
    # linear-by-linear association: Z = r * sqrt(N - 1), r the Pearson r of score and success
    x = np.repeat([0, 1, 2], 30)
    y = np.concatenate([[1] * a + [0] * (30 - a) for a in k])
    r = stats.pearsonr(x, y)[0]
    assert abs(out["trend_z"]) == pytest.approx(abs(r) * math.sqrt(89))
    cohorts = np.repeat(["c1", "c2", "c3"], 30)
    marks = {"nb/q1": y.tolist(), "nb/q3": [1] * 90}
    scores = score_rows(marks, {"nb/q1": 1.0, "nb/q3": 1.0}, cohort=cohorts.tolist())
    d = drift(scores, ["c1", "c2", "c3"]).set_index("name")
    assert bool(d.loc["a1: nb/q1", "drift"]) is True
    assert bool(d.loc["a1: nb/q3", "drift"]) is False
    assert "not testable" in d.loc["a1: nb/q3", "evidence"]


def test_option_point_biserial_against_scipy():
    rng = np.random.default_rng(1)
    ids = [f"t{i}" for i in range(40)]
    total = pd.DataFrame({"trainee": ids, "assignment": "a1", "score": rng.uniform(0, 10, 40)})
    chose = rng.choice(["right", "wrong", "<script>x</script>"], size=40)
    responses = pd.DataFrame(
        {
            "trainee": ids,
            "assignment": "a1",
            "exercise": "e1",
            "kind": "choice",
            "option": chose,
            "correct": chose == "right",
            "score": (chose == "right").astype(float),
        }
    )
    out = option_point_biserial(responses, total, kinds=["choice"]).set_index("option")
    # rows of kinds not named (an ordering's positions, say) are not options picked from a list
    assert option_point_biserial(responses, total, kinds=["ordering"]).empty
    for option in ("right", "wrong"):
        expected = stats.pointbiserialr(chose == option, total["score"])[0]
        assert out.loc[option, "point_biserial"] == pytest.approx(expected)
    assert bool(out.loc["right", "correct"]) and not bool(out.loc["wrong", "correct"])
    assert out["n"].eq(40).all()
    assert option_point_biserial(
        responses.iloc[0:0],
        totals(pd.DataFrame(columns=["trainee", "assignment", "score", "max_score"])),
        kinds=["choice"],
    ).empty
