"""Mastery per track: a core trainee is scored only on the core items, an analyst on all items."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from toolkit.analysis.mastery import cohort_mastery, trainee_mastery, trainee_tracks

from .conftest import curriculum_of, item_rows, score_rows

MAXIMA = {"nb/widget1": 1.0, "nb/widget2": 1.0, "nb/pandas": 2.0}


@pytest.fixture
def curriculum():
    base = curriculum_of(
        {"nb/widget1": ["C1"], "nb/widget2": ["C1"], "nb/pandas": ["C1"]},
        [{"id": "C1", "statement": "Spot it."}],
    )
    return replace(
        base,
        tracks={"analyst": ["analyst"], "core": ["patrol officer"]},
        analyst_items=pd.DataFrame([("nb/pandas", "C1")], columns=["item", "competency"]),
    )


def test_tracks_come_from_roster_roles(curriculum):
    trainees = pd.DataFrame(
        {"trainee": ["a", "p", "x", "n"], "role": ["Analyst ", "patrol officer", "chef", None]}
    )
    tracks = trainee_tracks(trainees, curriculum)
    assert dict(zip(tracks["trainee"], tracks["track"], strict=True)) == {
        "a": "analyst",
        "p": "core",
        "x": "core",
        "n": "core",
    }


def test_core_trainees_are_not_scored_on_pandas_items(curriculum):
    # both answer the two widget items right and write no pandas (0 of 2)
    scores = score_rows(
        {"nb/widget1": [1, 1], "nb/widget2": [1, 1], "nb/pandas": [0, 0]},
        MAXIMA,
        trainees=["core1", "analyst1"],
    )
    tracks = pd.DataFrame({"trainee": ["core1", "analyst1"], "track": ["core", "analyst"]})
    m = trainee_mastery(scores, item_rows(MAXIMA), curriculum, tracks=tracks)
    m = m.set_index("trainee")
    # core: 2 of 2 -> mastered; analyst: 2 of 4 = 0.5 -> not mastered
    assert (m.loc["core1", "points"], m.loc["core1", "max_points"]) == (2, 2)
    assert m.loc["core1", "mastered"] and m.loc["core1", "track"] == "core"
    assert m.loc["analyst1", "share"] == pytest.approx(0.5)
    assert not m.loc["analyst1", "mastered"]
    # without tracks every item counts for everyone, as before
    plain = trainee_mastery(scores, item_rows(MAXIMA), curriculum).set_index("trainee")
    assert plain.loc["core1", "share"] == pytest.approx(0.5)
    assert "track" not in plain

    rates = cohort_mastery(m.reset_index(), scores[["trainee", "cohort"]], by_track=True)
    rates = rates.set_index(["cohort", "track", "competency"])
    assert rates.loc[("c1", "core", "C1"), "mastery_rate"] == 1.0
    assert rates.loc[("c1", "analyst", "C1"), "mastery_rate"] == 0.0


def test_curriculum_track_links(curriculum):
    assert curriculum.competency_items("core") == {"C1": ["nb/widget1", "nb/widget2"]}
    assert curriculum.competency_items("analyst") == {
        "C1": ["nb/widget1", "nb/widget2", "nb/pandas"]
    }
    assert curriculum.competency_items() == curriculum.competency_items("analyst")


def test_the_gaps_score_each_trainee_on_their_roster_roles_track(curriculum):
    from toolkit.analysis import competency_gaps

    scores = score_rows(
        {"nb/widget1": [1, 1], "nb/widget2": [1, 1], "nb/pandas": [0, 0]},
        MAXIMA,
        trainees=["core1", "analyst1"],
    )
    roster = pd.DataFrame(
        {
            "trainee": ["core1", "analyst1"],
            "cohort": ["c1", "c1"],
            "role": ["patrol officer", "analyst"],
        }
    )
    gaps = competency_gaps(scores, item_rows(MAXIMA), roster, curriculum)
    per_trainee = gaps.per_trainee.set_index("trainee")
    assert per_trainee.loc["core1", "mastered"] and not per_trainee.loc["analyst1", "mastered"]
    assert gaps.per_cohort.set_index("competency").loc["C1", "mastery_rate"] == 0.5
    assert gaps.per_track is not None and set(gaps.per_track["track"]) == {"core", "analyst"}
    # a roster without roles: every item counts for everyone, and there is no split
    plain = competency_gaps(scores, item_rows(MAXIMA), roster.drop(columns="role"), curriculum)
    assert plain.per_track is None
    assert not plain.per_trainee.set_index("trainee").loc["core1", "mastered"]
