"""Bad input gives a defined result with a note, never a crash or an unexplained NaN."""

from __future__ import annotations

import pandas as pd

from toolkit.analysis import item_statistics, test_statistics

from .conftest import item_rows, score_rows

MAXIMA = {"nb/a": 1.0, "nb/b": 1.0, "nb/c": 2.0}


def test_identical_scores_give_null_alpha_with_a_note():
    scores = score_rows({k: [1, 1, 1, 1] for k in MAXIMA}, MAXIMA)
    row = test_statistics(scores, item_rows(MAXIMA)).iloc[0]
    assert row["alpha"] is None and row["sem"] is None
    assert any("same total" in note for note in row["notes"])
    items = item_statistics(scores, item_rows(MAXIMA))
    assert items["discrimination"].isna().all()
    assert items["note"].str.len().gt(0).all()


def test_ungraded_manual_answers_are_missing_not_zero():
    marks = {"nb/a": [1, 0, 1, 1, 0], "nb/b": [1, 0, 1, 0, 0], "nb/c": [2, None, 1, 2, 0]}
    scores = score_rows(marks, MAXIMA)
    row = test_statistics(scores, item_rows(MAXIMA)).iloc[0]
    assert row["n"] == 5 and row["n_alpha"] == 4
    assert any("hand grade" in note for note in row["notes"])
    items = item_statistics(scores).set_index("item")
    assert items.loc["nb/c", "n"] == 4
    assert items.loc["nb/c", "facility"] == (2 + 1 + 2 + 0) / 4 / 2


def test_item_nobody_attempted_and_nobody_graded():
    maxima = {**MAXIMA, "nb/never": 1.0}
    marks = {"nb/a": [1, 0, 1], "nb/b": [1, 0, 0], "nb/c": [None, None, None]}
    scores = score_rows(marks, MAXIMA)
    items = item_statistics(scores, item_rows(maxima)).set_index("item")
    assert items.loc["nb/never", "n"] == 0 and pd.isna(items.loc["nb/never", "facility"])
    assert items.loc["nb/never", "note"] == "no marks: no statistics"
    assert items.loc["nb/c", "note"] == "not graded: no statistics"
    row = test_statistics(scores, item_rows(maxima)).iloc[0]
    assert row["n_items"] == 2 and row["max_score"] == 5


def test_empty_scores():
    empty = score_rows({"nb/a": [1]}, {"nb/a": 1.0}).iloc[0:0]
    stats_ = test_statistics(empty, item_rows(MAXIMA)).iloc[0]
    assert stats_["n"] == 0 and stats_["mean_pct"] is None
    assert "no trainee submitted this assignment" in stats_["notes"]
    assert item_statistics(empty)["item"].tolist() == []


def test_pretest_items_get_no_difficulty_flag():
    marks = {"nb/a": [0, 0, 0, 0, 1, 0], "nb/b": [1, 0, 1, 0, 1, 0], "nb/c": [2, 0, 1, 2, 2, 0]}
    pre = score_rows(marks, MAXIMA, assignment="pre")
    post = score_rows(marks, MAXIMA, assignment="post")
    scores = pd.concat([pre, post], ignore_index=True)
    items = item_statistics(scores, pretest="pre")
    hard = items[items["item"] == "nb/a"].set_index("assignment")["flags"]
    assert "too hard" in hard["post"] and "too hard" not in hard["pre"]
    assert all("too easy" not in f and "too hard" not in f for f in hard["pre"])
