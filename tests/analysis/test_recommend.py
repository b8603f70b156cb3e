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
            _gap("2026-A", "legal", "clear"),
            _gap("2026-B", "legal", "possible"),
            _gap("2026-B", "rights", "possible"),
        ]
    )
    actions = curriculum_actions(performance=performance)
    assert actions["area"].tolist() == ["competency legal", "competency rights"]
    first = actions.iloc[0]
    assert first["priority"] == 1  # one cohort clearly below target makes it urgent
    assert "cohorts 2026-A, 2026-B" in first["action"]
    assert first["evidence"] == "2026-A: 2 of 8; 2026-B: 2 of 8"
    assert actions.iloc[1]["priority"] == 3 and "cohort 2026-B master" in actions.iloc[1]["action"]


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
