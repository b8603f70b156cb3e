"""Level 3 (behaviour on the job): the follow-up and supervisor answers of ``11_followup``,
against the intention to apply stated at level 1 (``survey.intent.<competency>`` of the reaction
survey).

Functions take the response frame of :mod:`toolkit.data.responses` (``trainee, exercise,
option``) and return one row per competency, behaviour or barrier with the number of trainees
``n`` it rests on, so that disclosure suppresses groups below the threshold.

The agreement items (``followup.applied.<competency>``, and ``survey.intent.<competency>``) also
offer :data:`NOT_MY_ROLE`: a trainee who picks it is left out of that competency's ``n`` and
shares (the question does not apply to them), never counted as disagreeing.

Response files are the trainees' (and may be edited by hand): an answer that is not one of the
options the question offers is left out, never counted and never shown.
"""

from __future__ import annotations

import pandas as pd

FOLLOWUP = "11_followup"
#: The scales of the questions, lowest first, as the notebooks offer them.
AGREEMENT = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)
#: The answer, after the agreement scale, for a competency outside the trainee's role.
NOT_MY_ROLE = "Not part of my role"
FREQUENCY = ("Never", "Once or twice", "Several times", "Often", "Not applicable to my role")
OBSERVATION = ("Not observed", "Needs support", "Meets expectations", "Exceeds expectations")
BARRIERS = (
    "Lack of support from my supervisor",
    "Agency policy or procedures",
    "Not enough time",
    "Lack of tools or resources",
    "Few chances to use it in my role",
)
AGREE = AGREEMENT[3:]
OFTEN = FREQUENCY[2:4]
NOT_APPLICABLE = FREQUENCY[4]
MEETS = OBSERVATION[2:]
NOT_OBSERVED = OBSERVATION[0]
#: The behaviours asked about (exercise id -> label).
BEHAVIOURS = {
    "followup.screened": "screened someone for indicators of trafficking",
    "followup.referred": "referred a person to victim services",
    "followup.case_plan": "used a joint case plan",
}


def _answers(responses: pd.DataFrame, exercise: str, scale: tuple[str, ...]) -> pd.DataFrame:
    """The answers to ``exercise`` that are options of ``scale``."""
    rows = responses[(responses["exercise"] == exercise) & responses["option"].isin(scale)]
    return rows[["trainee", "exercise", "option"]]


def _share(options: pd.Series, good: tuple[str, ...]) -> float:
    return float(options.isin(good).mean()) if len(options) else float("nan")


def application(responses: pd.DataFrame, competencies: list[str]) -> pd.DataFrame:
    """Per competency: trainees who answered the follow-up on the agreement scale (``n``; "not
    part of my role" left out) and the share applying it on the job (agree or strongly agree)."""
    rows = []
    for comp in competencies:
        applied = _answers(responses, f"followup.applied.{comp}", AGREEMENT).drop_duplicates(
            "trainee"
        )
        rows.append(
            {
                "competency": comp,
                "n": len(applied),
                "applying_share": _share(applied["option"], AGREE),
            }
        )
    return pd.DataFrame(rows, columns=["competency", "n", "applying_share"])


def against_intention(responses: pd.DataFrame, competencies: list[str]) -> pd.DataFrame:
    """Per competency, for the trainees who answered both (``n``): the share who intended to
    apply it at the end of the course (level 1) and the share applying it at follow-up, and the
    difference (percentage points). A trainee who answered "not part of my role" to either
    question is left out."""
    rows = []
    for comp in competencies:
        applied = _answers(responses, f"followup.applied.{comp}", AGREEMENT).drop_duplicates(
            "trainee"
        )
        intent = _answers(responses, f"survey.intent.{comp}", AGREEMENT).drop_duplicates("trainee")
        both = applied.merge(intent, on="trainee", suffixes=("_applied", "_intent"))
        intended = _share(both["option_intent"], AGREE)
        applying = _share(both["option_applied"], AGREE)
        rows.append(
            {
                "competency": comp,
                "n": len(both),
                "intended_share": intended,
                "applying_share": applying,
                "gap_points": 100 * (applying - intended),
            }
        )
    return pd.DataFrame(
        rows, columns=["competency", "n", "intended_share", "applying_share", "gap_points"]
    )


def supervisor(responses: pd.DataFrame, competencies: list[str]) -> pd.DataFrame:
    """Per competency: trainees a supervisor observed using it (``n``; "not observed" left out)
    and the share meeting or exceeding expectations."""
    rows = []
    for comp in competencies:
        seen = _answers(responses, f"supervisor.observed.{comp}", OBSERVATION).drop_duplicates(
            "trainee"
        )
        seen = seen[seen["option"] != NOT_OBSERVED]
        rows.append(
            {"competency": comp, "n": len(seen), "meets_share": _share(seen["option"], MEETS)}
        )
    return pd.DataFrame(rows, columns=["competency", "n", "meets_share"])


def behaviours(responses: pd.DataFrame) -> pd.DataFrame:
    """Per behaviour: trainees for whom it applies (``n``) and the share doing it several times
    or often in the months since the course."""
    rows = []
    for exercise, label in BEHAVIOURS.items():
        answers = _answers(responses, exercise, FREQUENCY).drop_duplicates("trainee")
        applicable = answers[answers["option"] != NOT_APPLICABLE]
        rows.append(
            {
                "behaviour": label,
                "n": len(applicable),
                "often_share": _share(applicable["option"], OFTEN),
                "not_applicable": int((answers["option"] == NOT_APPLICABLE).sum()),
            }
        )
    return pd.DataFrame(rows, columns=["behaviour", "n", "often_share", "not_applicable"])


def barriers(responses: pd.DataFrame) -> pd.DataFrame:
    """Per barrier offered: the share of follow-up respondents who ticked it (``n``: trainees
    who answered the question, ticking nothing included)."""
    rows = responses[responses["exercise"] == "followup.barriers"]
    respondents = rows["trainee"].nunique()
    ticked = rows[rows["option"].isin(BARRIERS)].drop_duplicates(["trainee", "option"])
    counts = ticked["option"].value_counts()
    counts = counts[counts > 0]
    return pd.DataFrame(
        {
            "barrier": [str(b) for b in counts.index],
            "n": respondents,
            "share": (counts / respondents).to_numpy() if respondents else [],
        },
        columns=["barrier", "n", "share"],
    )
