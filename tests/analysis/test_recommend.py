"""The director's list: one action per competency that falls short, most urgent first."""

from __future__ import annotations

import pandas as pd

from toolkit.analysis.gaps import PERFORMANCE_COLUMNS
from toolkit.analysis.recommend import curriculum_actions


def _gap(cohort: str, competency: str, severity: str) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(PERFORMANCE_COLUMNS, None)
    row.update(
        cohort=cohort,
        competency=competency,
        statement=f"do {competency}",
        module="05_legal_frameworks",
        severity=severity,
        evidence=f"{cohort}: 2 of 8",
    )
    return row


def test_cohorts_falling_short_on_one_competency_make_one_action() -> None:
    performance = pd.DataFrame(
        [
            {**_gap("2026-A", "legal", "clear"), "mastery_rate": 0.1},
            {**_gap("2026-B", "legal", "possible"), "mastery_rate": 0.4},
            _gap("2026-B", "rights", "possible"),
        ]
    )
    actions = curriculum_actions(performance=performance, cohorts=["2026-A", "2026-B"])
    assert actions["area"].tolist() == ["competency legal", "competency rights"]
    first = actions.iloc[0]
    # the status rests on the latest cohort, and the action states the trend
    assert first["priority"] == 5 and first["status"] == "uncertain"
    assert "cohort 2026-B" in first["action"] and "rose from 10%" in first["action"]
    assert first["evidence"] == "2026-A: 2 of 8; 2026-B: 2 of 8"
    second = actions.iloc[1]
    assert second["priority"] == 5 and second["status"] == "uncertain"
    assert second["action"].startswith("Uncertain:") and "cohort 2026-B" in second["action"]


def test_within_a_priority_the_worst_competency_comes_first_not_the_alphabet() -> None:
    performance = pd.DataFrame(
        [
            {**_gap("2026-A", "cross", "clear"), "mastery_rate": 0.4, "ci_high": 0.6},
            {**_gap("2026-A", "legal", "clear"), "mastery_rate": 0.12, "ci_high": 0.47},
            {**_gap("2026-A", "data", "clear"), "mastery_rate": 0.3, "ci_high": 0.55},
        ]
    )
    gain = pd.DataFrame(
        [
            {"scope": "cross", "mean_pre_pct": 56.2, "mean_post_pct": 55.9, "n_matched": 8},
            {"scope": "legal", "mean_pre_pct": 31.0, "mean_post_pct": 31.0, "n_matched": 8},
            {"scope": "data", "mean_pre_pct": 30.0, "mean_post_pct": 60.0, "n_matched": 8},
        ]
    )
    actions = curriculum_actions(performance=performance, gain=gain)
    assert actions["area"].tolist()[:2] == ["competency cross", "competency legal"]
    assert set(actions["priority"][:2]) == {0}  # no gain is called out like a fall
    assert "no gain" in actions.iloc[1]["action"]
    ones = actions[actions["priority"] == 1]["area"].tolist()
    assert ones == ["competency legal", "competency data", "competency cross"]


def test_no_gain_at_the_ceiling_is_no_action_but_a_fall_there_is() -> None:
    gain = pd.DataFrame(
        [
            {"scope": "legal", "mean_pre_pct": 92.0, "mean_post_pct": 92.2, "n_matched": 8},
            {"scope": "data", "mean_pre_pct": 95.0, "mean_post_pct": 88.0, "n_matched": 8},
            {"scope": "cross", "mean_pre_pct": 89.0, "mean_post_pct": 89.0, "n_matched": 8},
        ]
    )
    actions = curriculum_actions(gain=gain)
    assert actions["area"].tolist() == ["competency data", "competency cross"]
    assert "fell" in actions.iloc[0]["action"] and "no gain" in actions.iloc[1]["action"]


def test_an_alpha_whose_interval_reaches_the_line_is_uncertain() -> None:
    tests = pd.DataFrame(
        [
            {
                "assignment": "a",
                "alpha": 0.632,
                "alpha_ci_low": 0.02,
                "alpha_ci_high": 0.92,
                "alpha_band": "unsatisfactory",
                "n": 8,
            },
            {
                "assignment": "b",
                "alpha": 0.3,
                "alpha_ci_low": 0.1,
                "alpha_ci_high": 0.5,
                "alpha_band": "unsatisfactory",
                "n": 30,
            },
        ]
    )
    actions = curriculum_actions(tests=tests).set_index("area")
    assert actions.at["test a", "status"] == "uncertain"
    assert actions.at["test a", "action"].startswith("Uncertain:")
    assert "0.02 to 0.92" in actions.at["test a", "evidence"]
    assert actions.at["test b", "status"] == "act"


def test_the_most_severe_flag_decides_the_items_action() -> None:
    item = {
        **_flagged("09_posttest", "posttest/q03", "too easy", 12),
        "flags": ["too easy", "negative: check the key"],
    }
    actions = curriculum_actions(items=pd.DataFrame([item]), unstable_below=10)
    assert actions.iloc[0]["priority"] == 1 and "answer key" in actions.iloc[0]["action"]


def test_each_action_names_the_smallest_group_its_evidence_rests_on() -> None:
    performance = pd.DataFrame(
        [{**_gap("2026-A", "legal", "clear"), "n": 8}, {**_gap("2026-B", "legal", "clear"), "n": 6}]
    )
    coverage = pd.DataFrame(
        [("topic", "prosecution", "", 0, [], "no item")],
        columns=["kind", "name", "module", "n_items", "items", "evidence"],
    )
    actions = curriculum_actions(performance=performance, coverage=coverage)
    by_area = actions.set_index("area")["n"]
    assert by_area["competency legal"] == 6
    assert pd.isna(by_area["coverage: prosecution"])  # rests on the curriculum, not on trainees


def _flagged(assignment: str, item: str, flag: str, n: int) -> dict[str, object]:
    return {
        "assignment": assignment,
        "item": item,
        "n": n,
        "facility": 0.1,
        "discrimination": 0.5,
        "discriminative_efficiency": 0.5,
        "flags": [flag],
        "evidence": f"facility 0.10 ({n} trainees)",
    }


def test_provisional_item_flags_and_pretest_difficulty_make_no_action() -> None:
    items = pd.DataFrame(
        [
            _flagged("01_module", "module/q1", "too hard", 8),  # below the stability line
            _flagged("01_module", "module/q2", "too hard", 12),
            _flagged("00_pretest", "pretest/q1", "too hard", 12),  # a pre-test should be hard
            _flagged("00_pretest", "pretest/q2", "negative: check the key", 12),
        ]
    )
    actions = curriculum_actions(items=items, pretest="00_pretest", unstable_below=10)
    assert set(actions["area"]) == {"item module/q2", "item pretest/q2"}
    everything = curriculum_actions(items=items, unstable_below=0)
    assert len(everything) == 4, "without the rules every flag is an action"


def test_a_fall_from_pre_to_post_comes_first() -> None:
    gain = pd.DataFrame(
        [
            {"scope": "overall", "mean_pre_pct": 40.0, "mean_post_pct": 70.0, "n_matched": 8},
            {"scope": "legal", "mean_pre_pct": 31.0, "mean_post_pct": 25.0, "n_matched": 8},
            {"scope": "rights", "mean_pre_pct": 30.0, "mean_post_pct": 80.0, "n_matched": 8},
        ]
    )
    performance = pd.DataFrame([_gap("2026-A", "rights", "clear")])
    actions = curriculum_actions(performance=performance, gain=gain)
    first = actions.iloc[0]
    assert first["priority"] == 0 and first["area"] == "competency legal"
    assert (
        "fell" in first["action"]
        and "31% on the pre-test, 25% on the post-test" in first["evidence"]
    )
    assert len(actions) == 2  # the overall row and a rise make no action


def test_wording_is_for_the_next_cohort_and_alpha_is_not_rounded_onto_its_line() -> None:
    tests = pd.DataFrame(
        [{"assignment": "09_posttest", "alpha": 0.6381, "alpha_band": "unsatisfactory", "n": 8}]
    )
    performance = pd.DataFrame([_gap("2026-A", "legal", "clear")])
    actions = curriculum_actions(performance=performance, tests=tests)
    text = " ".join(actions["action"])
    assert "post-test" not in actions.iloc[0]["action"] and "next cohort" in text
    assert "0.638" in actions.iloc[1]["evidence"] and "0.64 (below 0.64)" not in text
