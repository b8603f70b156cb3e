"""Level 1: the survey summarised from synthetic answers that follow the survey contract."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.analysis import reaction

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
CONF = [
    "Not at all confident",
    "Slightly confident",
    "Moderately confident",
    "Very confident",
    "Completely confident",
]
BARRIERS = [
    "Lack of support from my supervisor",
    "Agency policy or procedures",
    "Not enough time",
    "Lack of tools or resources",
    "Few chances to use it in my role",
]


def _questions() -> pd.DataFrame:
    rows = [
        ("survey.relevance", "choice", "The course was relevant.", AGREE),
        ("survey.too_long_rev", "choice", "The course was too long.", AGREE),
        ("survey.facilitator_clear", "choice", "The facilitator was clear.", AGREE),
        ("survey.before.identification", "choice", "Before the course ...", CONF),
        ("survey.after.identification", "choice", "Now ...", CONF),
        ("survey.intent.identification", "choice", "I intend to ...", AGREE),
        ("survey.barriers", "checklist", "What could stop you?", BARRIERS),
        ("survey.comment.most_useful", "text", "What was most useful?", []),
        ("survey.module", "choice", "Best module?", ["Legal", "Dynamics"]),
    ]
    return pd.DataFrame(rows, columns=["exercise", "kind", "prompt", "options"]).assign(
        assignment="10_reaction_survey"
    )


def _answers() -> pd.DataFrame:
    rows = []

    def add(trainee: str, exercise: str, option: str | None, kind: str = "choice") -> None:
        rows.append({"trainee": trainee, "exercise": exercise, "kind": kind, "option": option})

    relevance = [
        "Agree",
        "Agree",
        "Strongly agree",
        "Disagree",
        "Agree",
        "Neither agree nor disagree",
    ]
    too_long = ["Agree", "Disagree", "Strongly disagree", "Disagree", "Disagree", "Agree"]
    before = [1, 2, 2, 3, 1, 2]
    after = [3, 4, 3, 3, 4, 4]
    for i in range(6):
        t = f"t{i}"
        add(t, "survey.relevance", relevance[i])
        add(t, "survey.too_long_rev", too_long[i])
        add(t, "survey.before.identification", CONF[before[i] - 1])
        add(t, "survey.after.identification", CONF[after[i] - 1])
        add(t, "survey.module", "Legal")
    for t, ticks in {"t0": [0, 2], "t1": [2], "t2": [], "t3": [2, 3]}.items():
        for k in ticks or [None]:
            add(t, "survey.barriers", None if k is None else BARRIERS[k], "checklist")
    add("t0", "survey.comment.most_useful", "Ask Dana Reyes, she knows", "text")
    add("t1", "survey.comment.most_useful", "The case studies", "text")
    add("t2", "survey.comment.most_useful", "  ", "text")
    return pd.DataFrame(rows)


def test_every_option_is_listed_and_reverse_worded_items_are_turned_round() -> None:
    dist = reaction.distributions(_answers(), _questions())
    rel = dist[dist["exercise"] == "survey.relevance"]
    assert rel["option"].tolist() == AGREE and rel["n"].eq(6).all()
    assert rel.set_index("option")["count"].to_dict() == {
        "Strongly disagree": 0,  # chosen by nobody, still listed
        "Disagree": 1,
        "Neither agree nor disagree": 1,
        "Agree": 3,
        "Strongly agree": 1,
    }
    rev = dist[dist["exercise"] == "survey.too_long_rev"]
    assert rev["reversed"].all() and rev["option"].tolist() == AGREE[::-1]
    # nobody answered the facilitator item: listed with n = 0
    assert dist.loc[dist["exercise"] == "survey.facilitator_clear", "n"].eq(0).all()
    assert set(dist.loc[dist["exercise"] == "survey.module", "scale"]) == {"categories"}


def test_favourable_share_and_mean_by_hand() -> None:
    items = reaction.item_summary(reaction.distributions(_answers(), _questions())).set_index(
        "exercise"
    )
    # relevance: Agree x3 + Strongly agree x1 of 6
    assert items.loc["survey.relevance", "favourable"] == pytest.approx(4 / 6)
    assert items.loc["survey.relevance", "mean_score"] == pytest.approx((2 + 3 + 4 * 3 + 5) / 6)
    lo, hi = items.loc["survey.relevance", ["favourable_ci_low", "favourable_ci_high"]]
    assert lo < 4 / 6 < hi
    # too_long_rev: disagreeing is favourable: Disagree x3 + Strongly disagree x1
    assert items.loc["survey.too_long_rev", "favourable"] == pytest.approx(4 / 6)
    assert items.loc["survey.facilitator_clear", "group"] == "facilitator"
    assert "survey.module" not in items.index  # categories have no favourable share


def test_retrospective_confidence_pairs_before_and_after() -> None:
    conf = reaction.retrospective_confidence(_answers(), _questions()).set_index("competency")
    row = conf.loc["identification"]
    assert row["n"] == 6 and row["n_rose"] == 5
    assert row["mean_before"] == pytest.approx(11 / 6) and row["mean_after"] == pytest.approx(
        21 / 6
    )
    assert row["change"] == pytest.approx(10 / 6)
    assert row["change_ci_low"] < row["change"] < row["change_ci_high"]
    assert 0 < row["wilcoxon_p"] < 0.1


def test_barriers_count_every_option_among_those_who_answered() -> None:
    b = reaction.barriers(_answers(), _questions()).set_index("option")
    assert b["n"].eq(4).all()  # t2 answered with nothing ticked
    assert b.loc["Not enough time", "count"] == 3 and b.loc["Not enough time", "share"] == 0.75
    assert b.loc["Few chances to use it in my role", "count"] == 0


def test_comments_lose_roster_names_and_links_to_trainees() -> None:
    names = ["Dana", "Reyes", "Dana Reyes", "t0"]
    c = reaction.comments(_answers(), _questions(), names)
    assert c.columns.tolist() == ["exercise", "prompt", "n", "comment"]  # no trainee column
    assert c["comment"].tolist() == [
        f"Ask {reaction.NAME_REMOVED}, she knows",
        "The case studies",
    ]
    assert c["n"].eq(2).all()
    unprotected = reaction.comments(_answers(), _questions(), [])
    assert any("Dana Reyes" in t for t in unprotected["comment"])


def test_strip_names_is_whole_word_and_case_blind() -> None:
    text = "dana said DANA.REYES@x.org; Danaher is fine"
    out = reaction.strip_names(text, ["Dana"])
    assert out == f"{reaction.NAME_REMOVED} said {reaction.NAME_REMOVED} Danaher is fine"


def test_not_part_of_my_role_is_left_out_of_the_scale() -> None:
    role = [*AGREE, reaction.NOT_MY_ROLE]
    assert reaction.scale_of(role) == reaction.AGREEMENT
    questions = pd.DataFrame(
        [("survey.intent.outcomes", "choice", "I intend to ...", role)],
        columns=["exercise", "kind", "prompt", "options"],
    )
    said = ["Agree", "Strongly agree", "Disagree", reaction.NOT_MY_ROLE, reaction.NOT_MY_ROLE]
    answers = pd.DataFrame(
        {
            "trainee": [f"t{i}" for i in range(5)],
            "exercise": "survey.intent.outcomes",
            "kind": "choice",
            "option": said,
        }
    )
    dist = reaction.distributions(answers, questions)
    assert dist["option"].tolist() == AGREE and dist["n"].eq(3).all()
    item = reaction.item_summary(dist).iloc[0]
    assert item["n"] == 3 and item["favourable"] == pytest.approx(2 / 3)  # not 2 / 5
    assert item["mean_score"] == pytest.approx((4 + 5 + 2) / 3)
