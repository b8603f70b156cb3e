"""Learning gain against scipy and worked examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from toolkit.analysis import learning_gain, paired_gain
from toolkit.analysis.gain import effect_band, gain_band, hedges_j

from .conftest import curriculum_of, item_rows, score_rows


def test_hake_class_and_individual_gain_differ_as_worked_out():
    # pre 0% and 80% (mean 40), post 50% and 100% (mean 75):
    # class <g> = (75 - 40) / (100 - 40) = 0.5833; individual gains 0.5 and 1.0, mean 0.75
    row = paired_gain(pd.Series([0.0, 80.0], ["a", "b"]), pd.Series([50.0, 100.0], ["a", "b"]))
    assert row["hake_gain"] == pytest.approx(35 / 60)
    assert row["hake_gain_individual"] == pytest.approx(0.75)
    assert row["gain_band"] == "medium"


def test_dz_tests_and_unmatched_counts_against_scipy():
    rng = np.random.default_rng(5)
    ids = [f"t{i}" for i in range(30)]
    pre = pd.Series(rng.uniform(20, 60, 30), ids)
    post = pd.Series(pre.to_numpy() + rng.normal(15, 10, 30), ids)
    row = paired_gain(pre.drop("t0"), post.drop(["t1", "t2"]))
    a, b = pre.drop(["t0", "t1", "t2"]), post.drop(["t0", "t1", "t2"])
    t = stats.ttest_rel(b, a)
    assert (row["n_matched"], row["n_pre_only"], row["n_post_only"]) == (27, 2, 1)
    assert row["t"] == pytest.approx(t.statistic) and row["t_p"] == pytest.approx(t.pvalue)
    assert row["cohen_dz"] == pytest.approx(t.statistic / math.sqrt(27))  # d_z = t / sqrt(n)
    assert row["hedges_corrected"] is False
    w = stats.wilcoxon(b.to_numpy(), a.to_numpy())
    assert row["wilcoxon_w"] == pytest.approx(w.statistic)
    assert row["wilcoxon_p"] == pytest.approx(w.pvalue)


def test_hedges_correction_below_twenty():
    pre = pd.Series([10.0, 20, 30, 40, 50], list("abcde"))
    post = pd.Series([30.0, 35, 60, 45, 80], list("abcde"))
    row = paired_gain(pre, post)
    diff = post - pre
    assert row["hedges_corrected"] is True
    assert row["cohen_dz"] == pytest.approx(diff.mean() / diff.std() * (1 - 3 / (4 * 4 - 1)))
    df = 4  # the approximation is close to the exact gamma form
    exact = special.gamma(df / 2) / (math.sqrt(df / 2) * special.gamma((df - 1) / 2))
    assert hedges_j(5) == pytest.approx(exact, abs=0.01)


def test_no_change_is_defined_with_a_note():
    row = paired_gain(pd.Series([50.0, 60], ["a", "b"]), pd.Series([50.0, 60], ["a", "b"]))
    assert row["hake_gain"] == 0 and row["cohen_dz"] is None and row["wilcoxon_p"] is None
    assert "same amount" in row["note"]


def test_no_matched_trainee():
    row = paired_gain(pd.Series([50.0], ["a"]), pd.Series([60.0], ["b"]))
    assert row["n_matched"] == 0 and row["hake_gain"] is None
    assert row["note"]


def test_learning_gain_per_competency_and_configurable_pair():
    maxima = {"pre/q1": 1.0, "pre/q2": 1.0}
    post_maxima = {"post/q1": 1.0, "post/q2": 1.0}
    pre = score_rows(
        {"pre/q1": [0, 0, 1, 0, 1], "pre/q2": [1, 0, 0, 0, 1]}, maxima, assignment="before"
    )
    post = score_rows(
        {"post/q1": [1, 1, 1, 1, 1], "post/q2": [1, 0, 1, 0, 1]}, post_maxima, assignment="after"
    )
    items = pd.concat([item_rows(maxima, "before"), item_rows(post_maxima, "after")])
    curriculum = curriculum_of(
        {"pre/q1": ["C1"], "post/q1": ["C1"], "pre/q2": ["C2"], "post/q2": ["C2"]},
        [{"id": "C1", "statement": "s1"}, {"id": "C2", "statement": "s2"}],
    )
    out = learning_gain(
        pd.concat([pre, post]), items=items, curriculum=curriculum, pre="before", post="after"
    ).set_index("scope")
    assert list(out.index) == ["overall", "C1", "C2"]
    assert out.loc["C1", "mean_pre_pct"] == pytest.approx(40.0)
    assert out.loc["C1", "mean_post_pct"] == pytest.approx(100.0)
    assert out.loc["C1", "hake_gain"] == pytest.approx(1.0)
    assert out.loc["C2", "hake_gain"] == pytest.approx((60 - 40) / 60)
    assert learning_gain(pre).empty  # no post-test: no gain rows


def test_bands():
    assert [gain_band(x) for x in (0.1, 0.5, 0.8, None)] == ["low", "medium", "high", None]
    assert [effect_band(x) for x in (0.1, -0.3, 0.6, 1.2)] == [
        "negligible",
        "small",
        "medium",
        "large",
    ]
