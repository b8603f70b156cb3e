"""Level 3: the follow-up and supervisor notebooks follow the shared item ids, and the level-3 tables
(application, intention against application, supervisors, behaviours, barriers) are computed as a
hand count says, with groups below the threshold suppressed by disclosure."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.course.curriculum import load_curriculum
from toolkit.exercises.keys import answer_keys, exercise_specs, read_notebook
from toolkit.outcomes import followup
from toolkit.reports.disclose import Aggregate, Table, _aggregate

REPO = Path(__file__).resolve().parents[2]
FOLDER = REPO / "source" / followup.FOLLOWUP
AGREE_SCALE = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]
FREQUENCY = ["Never", "Once or twice", "Several times", "Often", "Not applicable to my role"]
BARRIERS = {
    "Lack of support from my supervisor",
    "Agency policy or procedures",
    "Not enough time",
    "Lack of tools or resources",
    "Few chances to use it in my role",
}


def _specs(name: str) -> dict[str, object]:
    nb = read_notebook(FOLDER / f"{name}.ipynb")
    assert answer_keys(nb) == [], "the follow-up is not graded"
    return {s.exercise: s for s in exercise_specs(nb)}


def test_the_followup_is_in_the_curriculum_with_its_role() -> None:
    roles = load_curriculum(REPO).roles()
    assert roles[followup.FOLLOWUP] == "followup"


def test_the_trainee_notebook_asks_the_shared_items() -> None:
    specs = _specs("followup")
    competencies = list(load_curriculum(REPO).competencies["competency"])
    for behaviour in followup.BEHAVIOURS:
        assert specs[behaviour].options == FREQUENCY  # type: ignore[attr-defined]
    for comp in competencies:
        assert specs[f"followup.applied.{comp}"].options == [  # type: ignore[attr-defined]
            *AGREE_SCALE,
            followup.NOT_MY_ROLE,
        ]
    barriers = specs["followup.barriers"]
    assert barriers.kind == "checklist"  # type: ignore[attr-defined]
    assert set(barriers.options) == BARRIERS  # type: ignore[attr-defined]


def test_the_supervisor_form_asks_about_every_competency() -> None:
    specs = _specs("supervisor_observation")
    competencies = list(load_curriculum(REPO).competencies["competency"])
    assert set(specs) == {f"supervisor.observed.{c}" for c in competencies} | {"supervisor.comment"}
    for name, spec in specs.items():
        if name == "supervisor.comment":
            continue
        assert spec.options[0] == followup.NOT_OBSERVED  # type: ignore[attr-defined]
        assert set(spec.options[2:]) == set(followup.MEETS)  # type: ignore[attr-defined]


def _rows(answers: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(answers, columns=["trainee", "exercise", "option"])


@pytest.fixture
def responses() -> pd.DataFrame:
    rows: list[tuple[str, str, str | None]] = []
    # six trainees: t0..t3 intended to identify victims, t4 and t5 did not;
    # t0, t1 and t4 apply it, t2, t3 and t5 do not
    for i in range(6):
        t = f"t{i}"
        rows.append((t, "survey.intent.identification", "Agree" if i < 4 else "Disagree"))
        rows.append(
            (
                t,
                "followup.applied.identification",
                "Strongly agree" if i in (0, 1, 4) else "Disagree",
            )
        )
        rows.append((t, "followup.screened", FREQUENCY[i % 5]))
    rows.append(("t6", "followup.applied.identification", "Agree"))  # no level-1 answer
    for t, ticked in [("t0", "Not enough time"), ("t1", "Not enough time"), ("t2", None)]:
        rows.append((t, "followup.barriers", ticked))
    rows.append(("t0", "followup.barriers", "Agency policy or procedures"))
    for t, seen in [("t0", "Meets expectations"), ("t1", "Needs support"), ("t2", "Not observed")]:
        rows.append((t, "supervisor.observed.identification", seen))
    return _rows(rows)


def test_application_against_intention_by_hand(responses: pd.DataFrame) -> None:
    comps = ["identification", "offences"]
    applied = followup.application(responses, comps).set_index("competency")
    assert applied.loc["identification", "n"] == 7
    assert applied.loc["identification", "applying_share"] == pytest.approx(4 / 7)
    assert applied.loc["offences", "n"] == 0
    both = followup.against_intention(responses, comps).set_index("competency")
    assert both.loc["identification", "n"] == 6  # t6 has no intention on record
    assert both.loc["identification", "intended_share"] == pytest.approx(4 / 6)
    assert both.loc["identification", "applying_share"] == pytest.approx(3 / 6)
    assert both.loc["identification", "gap_points"] == pytest.approx(100 * (3 / 6 - 4 / 6))


def test_supervisors_behaviours_and_barriers_by_hand(responses: pd.DataFrame) -> None:
    seen = followup.supervisor(responses, ["identification"]).iloc[0]
    assert seen["n"] == 2 and seen["meets_share"] == 0.5  # "not observed" left out
    done = followup.behaviours(responses).set_index("behaviour").iloc[0]
    # t0..t5 answered Never, Once or twice, Several times, Often, Not applicable, Never
    assert done["n"] == 5 and done["not_applicable"] == 1
    assert done["often_share"] == pytest.approx(2 / 5)
    barriers = followup.barriers(responses).set_index("barrier")
    assert barriers.loc["Not enough time", "share"] == pytest.approx(2 / 3)
    assert barriers.loc["Agency policy or procedures", "share"] == pytest.approx(1 / 3)
    assert set(barriers["n"]) == {3}


def test_small_groups_are_blanked_by_disclosure(responses: pd.DataFrame) -> None:
    table = Table(
        followup.application(responses, ["identification"]), Aggregate(shown=("competency",))
    )
    shown = _aggregate(table.undisclosed, table.rule, 10)  # type: ignore[arg-type]
    assert pd.isna(shown.loc[0, "applying_share"]) and shown.loc[0, "n"] == 7
    assert _aggregate(table.undisclosed, table.rule, 5).loc[0, "applying_share"] == pytest.approx(
        4 / 7
    )  # type: ignore[arg-type]


def test_answers_outside_the_offered_options_are_left_out(responses: pd.DataFrame) -> None:
    hostile = _rows(
        [
            ("t0", "followup.barriers", "<script>alert(1)</script>"),
            ("t7", "followup.barriers", "Jane Doe, victim at 12 Main St"),
            ("t8", "followup.applied.identification", "Agree<img src=x>"),
            ("t8", "followup.screened", "Always"),
            ("t8", "supervisor.observed.identification", "Outstanding"),
        ]
    )
    both = pd.concat([responses, hostile], ignore_index=True)
    barriers = followup.barriers(both)
    assert set(barriers["barrier"]) == {"Not enough time", "Agency policy or procedures"}
    assert set(barriers["n"]) == {4}  # t7 answered the question, ticking nothing offered
    applied = followup.application(both, ["identification"]).iloc[0]
    assert applied["n"] == 7 and applied["applying_share"] == pytest.approx(4 / 7)
    assert followup.behaviours(both).iloc[0]["n"] == 5
    assert followup.supervisor(both, ["identification"]).iloc[0]["n"] == 2


def test_not_part_of_my_role_is_not_applicable_not_disagreement(responses: pd.DataFrame) -> None:
    role = _rows(
        [
            ("t7", "followup.applied.identification", followup.NOT_MY_ROLE),
            ("t8", "followup.applied.identification", followup.NOT_MY_ROLE),
            ("t8", "survey.intent.identification", "Agree"),
            ("t0", "survey.intent.offences", followup.NOT_MY_ROLE),
            ("t0", "followup.applied.offences", "Agree"),
        ]
    )
    both = pd.concat([responses, role], ignore_index=True)
    applied = followup.application(both, ["identification"]).iloc[0]
    assert applied["n"] == 7 and applied["applying_share"] == pytest.approx(4 / 7)  # unchanged
    gap = followup.against_intention(both, ["identification", "offences"]).set_index("competency")
    assert gap.loc["identification", "n"] == 6  # t8 left out: not part of the role at follow-up
    assert gap.loc["offences", "n"] == 0  # t0 said at level 1 it was not part of the role
