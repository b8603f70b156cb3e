"""Evaluate, then disclose: every output of an evaluation passes the one disclosure step."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import nbformat
import numpy as np
import pandas as pd
import pytest

from toolkit.data.course_data import CourseData
from toolkit.reports.disclose import (
    CONTEXT,
    Aggregate,
    DisclosureError,
    Findings,
    NoPeople,
    PerTrainee,
    Table,
    _counts,
    disclose,
    pseudonym,
)
from toolkit.reports.evaluate_cohort import (
    MASTERY_BY_TRACK,
    CohortEvaluation,
    cohort_summary,
    evaluate_cohort,
)
from toolkit.reports.evaluate_gaps import evaluate_gaps, gaps_summary
from toolkit.reports.runner import templates_dir

KEY = "cd" * 32


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTTK_PSEUDONYM_KEY", KEY)


def _data(sizes: dict[str, int]) -> CourseData:
    """Cohorts of the given sizes on one four-item test; no curriculum map."""
    rng = np.random.default_rng(7)
    trainees = pd.DataFrame(
        [
            {
                "trainee": f"{c}-{i}",
                "first_name": "Ann",
                "last_name": f"N{i}",
                "email": f"{c}{i}@x.org",
                "cohort": c,
                "agency": "PD",
            }
            for c, n in sizes.items()
            for i in range(n)
        ]
    )
    items = pd.DataFrame(
        [
            {
                "assignment": "t1",
                "notebook": "nb",
                "grade_id": f"q{k}",
                "item": f"nb/q{k}",
                "max_score": 1.0,
                "kind": "auto",
            }
            for k in range(4)
        ]
    )
    scores = pd.DataFrame(
        [
            {
                "trainee": t.trainee,
                "assignment": "t1",
                "item": f"nb/q{k}",
                "auto_score": s,
                "manual_score": None,
                "extra_credit": None,
                "needs_manual_grade": False,
                "score": s,
                "max_score": 1.0,
                "cohort": t.cohort,
            }
            for t in trainees.itertuples()
            for k in range(4)
            for s in [float(rng.random() < 0.3 + 0.15 * k)]
        ]
    )
    submissions = scores[["trainee", "assignment"]].drop_duplicates()
    return CourseData(trainees=trainees, items=items, submissions=submissions, scores=scores)


@dataclass(frozen=True, kw_only=True)
class WithNewStatistics(CohortEvaluation):
    """A cohort evaluation to which a new statistic of each kind has been added."""

    by_agency: Table | None = None
    per_trainee: Table | None = None
    findings: Table | None = None
    label: str = field(default="new", metadata=CONTEXT)


def _extended(ev: CohortEvaluation, **tables: Table | pd.DataFrame) -> WithNewStatistics:
    base = {f.name: getattr(ev, f.name) for f in dataclasses.fields(ev)}
    return WithNewStatistics(**base, **tables)  # type: ignore[arg-type]


def test_evaluation_holds_real_ids_and_nothing_can_be_read_before_disclosure():
    ev = evaluate_cohort(_data({"A": 8}), "A")
    assert "A-1" in set(ev.totals.undisclosed["trainee"])
    with pytest.raises(DisclosureError, match="not been disclosed"):
        ev.items.frame  # noqa: B018
    with pytest.raises(DisclosureError):
        cohort_summary(ev)
    shown = disclose(ev, threshold=5)
    assert shown.totals.frame.empty, "an evaluator's copy is aggregate only"
    assert shown.trainee_mastery is None or shown.trainee_mastery.frame.empty
    named = disclose(ev, threshold=5, roster=_data({"A": 8}).trainees)
    assert set(named.totals.frame["trainee"]) == {f"Ann N{i} (A-{i})" for i in range(8)}
    assert "A-1" in set(ev.totals.undisclosed["trainee"]), (
        "the evaluation itself is left as computed"
    )
    summary = cohort_summary(shown)
    assert summary["definitions"]["alpha"] == "docs/statistics.md#alpha"
    with pytest.raises(DisclosureError, match="already"):
        disclose(shown)


def test_a_new_statistic_is_suppressed_and_pseudonymised_by_the_same_step():
    ev = evaluate_cohort(_data({"A": 8}), "A")
    ev = _extended(
        ev,
        by_agency=Table(
            pd.DataFrame({"agency": ["PD", "Port"], "n": [6, 2], "mean": [0.5, 0.9]}),
            Aggregate(n="n", shown=("agency",)),
        ),
        per_trainee=Table(
            pd.DataFrame({"trainee": ["A-0", "A-1"], "minutes": [31.0, 12.0]}),
            PerTrainee(pseudonymous=True),
        ),
        findings=Table(
            pd.DataFrame({"finding": ["x", "y", "z"], "n": [9, 3, None]}), Findings(n="n")
        ),
    )
    shown = disclose(ev, threshold=5)
    by_agency = shown.by_agency.frame.set_index("agency")
    assert by_agency.loc["PD", "mean"] == 0.5 and by_agency.loc["Port", "mean"] is None
    assert by_agency.loc["Port", "n"] == 2
    key = bytes.fromhex(KEY)
    assert shown.per_trainee.frame["trainee"].tolist() == [
        pseudonym("A-0", key),
        pseudonym("A-1", key),
    ]
    assert shown.findings.frame["finding"].tolist() == ["x", "z"]
    assert shown.label == "new"
    named = disclose(ev, threshold=5, roster=_data({"A": 8}).trainees)
    assert named.per_trainee.frame["trainee"].tolist() == ["Ann N0 (A-0)", "Ann N1 (A-1)"]
    assert named.disclosure is not None and named.disclosure.names is True


def test_a_small_population_withholds_per_trainee_rows():
    ev = evaluate_cohort(_data({"A": 3}), "A")
    shown = disclose(ev, threshold=5)
    assert shown.disclosure is not None and shown.disclosure.suppressed
    assert shown.totals.frame.empty and len(ev.totals.undisclosed) == 3
    assert (
        shown.items.frame["facility"].isna().all()
        and ev.items.undisclosed["facility"].notna().all()
    )
    assert "Cohort A: figures suppressed" in shown.all_notes()[0]


def test_an_undeclared_output_is_refused():
    ev = evaluate_cohort(_data({"A": 8}), "A")
    with pytest.raises(DisclosureError, match="by_agency declares no disclosure class"):
        disclose(_extended(ev, by_agency=pd.DataFrame({"agency": ["PD"], "n": [8]})))

    @dataclass(frozen=True, kw_only=True)
    class WithNumber(CohortEvaluation):
        mean_minutes: float = 12.5

    base = {f.name: getattr(ev, f.name) for f in dataclasses.fields(ev)}
    with pytest.raises(DisclosureError, match="mean_minutes declares no disclosure class"):
        disclose(WithNumber(**base))
    trainee_rows = Table(pd.DataFrame({"trainee": ["A-0"], "n": [8]}), Aggregate())
    with pytest.raises(DisclosureError, match="trainee column"):
        disclose(_extended(ev, by_agency=trainee_rows))
    names = Table(pd.DataFrame({"email": ["a@x.org"]}), NoPeople())
    with pytest.raises(DisclosureError, match="email"):
        disclose(_extended(ev, by_agency=names))


def test_gaps_evaluation_pools_only_groups_the_disclosure_may_show():
    data = _data({"A": 8, "B": 7, "C": 2})
    ev = evaluate_gaps(data, min_group=5)
    with pytest.raises(DisclosureError, match="pooled groups of 5"):
        disclose(ev, threshold=6)
    summary = gaps_summary(disclose(ev, threshold=5))
    overview = {r["cohort"]: r for r in summary["overview"]}
    assert overview["C"]["n"] is None and overview["C"]["suppressed"]
    assert overview["all shown cohorts"]["n"] == 15
    assert summary["definitions"]["drift"] == "docs/statistics.md#drift"


def test_templates_type_no_threshold_into_their_prose():
    """Thresholds and levels in a template's text are formatted from the settings or the
    evaluation; markdown cells, which cannot format anything, hold no number."""
    for path in sorted(templates_dir().glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                assert not any(ch.isdigit() for ch in cell.source), (path.name, cell.source)


AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


def _with_survey(
    data: CourseData, answered: int, commented: int
) -> tuple[CourseData, pd.DataFrame]:
    """``data`` with survey answers (following the survey contract) from the first trainees."""
    people = list(data.trainees["trainee"])
    rows = [
        {"trainee": t, "assignment": "10_reaction_survey", "exercise": "survey.relevance",
         "kind": "choice", "option": AGREE[3 + i % 2], "correct": None, "score": None}
        for i, t in enumerate(people[:answered])
    ] + [
        {"trainee": t, "assignment": "10_reaction_survey", "exercise": "survey.comment.other",
         "kind": "text", "option": f"Thanks to Ann N{i} for the cases", "correct": None,
         "score": None}
        for i, t in enumerate(people[:commented])
    ]  # fmt: skip
    questions = pd.DataFrame(
        [
            ("10_reaction_survey", "survey.relevance", "choice", "Relevant?", AGREE),
            ("10_reaction_survey", "survey.comment.other", "text", "Anything else?", []),
        ],
        columns=["assignment", "exercise", "kind", "prompt", "options"],
    )
    return dataclasses.replace(data, responses=pd.DataFrame(rows)), questions


def test_survey_answers_reach_the_report_as_group_figures_only():
    data, questions = _with_survey(_data({"A": 8}), answered=7, commented=6)
    shown = disclose(evaluate_cohort(data, "A", questions=questions), threshold=5)
    items = shown.reaction_items.frame.set_index("exercise")
    assert (
        items.loc["survey.relevance", "favourable"] == 1.0
        and items.loc["survey.relevance", "n"] == 7
    )
    comments = shown.reaction_comments.frame
    assert len(comments) == 6 and "trainee" not in comments.columns
    assert all("Ann" not in c and "N1" not in c for c in comments["comment"])
    summary = cohort_summary(shown)
    assert summary["reaction"]["n_answered"] == 7 and summary["reaction"]["n_comments"] == 6
    assert summary["executive"]["reaction"].startswith("Reaction survey: 7 of 8")
    assert summary["schema_version"] >= 2 and "generated_at" in summary


def test_survey_questions_and_comments_below_the_threshold_are_withheld():
    data, questions = _with_survey(_data({"A": 8}), answered=4, commented=3)
    shown = disclose(evaluate_cohort(data, "A", questions=questions), threshold=5)
    dist = shown.reaction_distribution.frame
    assert dist["count"].isna().all() and dist["n"].eq(4).all()
    assert shown.reaction_items.frame["favourable"].isna().all()
    assert shown.reaction_comments.frame.empty
    opened = disclose(evaluate_cohort(data, "A", questions=questions), threshold=3)
    assert len(opened.reaction_comments.frame) == 3


def test_a_barrier_ticked_or_a_rating_risen_by_a_few_trainees_is_not_shown():
    data, questions = _with_survey(_data({"A": 8}), answered=8, commented=0)
    people = list(data.trainees["trainee"])
    checklist = "survey.barriers"
    # 8 answered the checklist: 1 ticked "time" (hostile), 6 ticked "tools" (2 did not), all "law"
    ticks = [(t, "time") for t in people[:1]] + [(t, "tools") for t in people[:6]]
    ticks += [(t, "law") for t in people]
    ratings = [(t, "survey.before.legal", "2") for t in people]
    ratings += [(t, "survey.after.legal", "3" if i < 2 else "2") for i, t in enumerate(people)]
    extra = [
        {"trainee": t, "assignment": "10_reaction_survey", "exercise": checklist,
         "kind": "checklist", "option": o, "correct": None, "score": None}
        for t, o in ticks
    ] + [
        {"trainee": t, "assignment": "10_reaction_survey", "exercise": e, "kind": "choice",
         "option": o, "correct": None, "score": None}
        for t, e, o in ratings
    ]  # fmt: skip
    scale = ["1", "2", "3", "4", "5"]
    questions = pd.concat(
        [
            questions,
            pd.DataFrame(
                [
                    ("10_reaction_survey", checklist, "checklist", "Barriers?", ["time", "tools", "law", "none"]),
                    ("10_reaction_survey", "survey.before.legal", "choice", "Before?", scale),
                    ("10_reaction_survey", "survey.after.legal", "choice", "Now?", scale),
                ],
                columns=questions.columns,
            ),
        ],
        ignore_index=True,
    )  # fmt: skip
    data = dataclasses.replace(data, responses=pd.concat([data.responses, pd.DataFrame(extra)]))
    ev = evaluate_cohort(data, "A", questions=questions)
    raw = ev.reaction_barriers.undisclosed.set_index("option")
    assert raw.at["time", "count"] == 1  # the hostile count is there before disclosure
    shown = disclose(ev, threshold=5)
    barriers = shown.reaction_barriers.frame.set_index("option")
    for option in ("time", "tools"):  # 1 ticked; 2 did not tick
        assert pd.isna(barriers.at[option, "count"]) and pd.isna(barriers.at[option, "share"])
    assert barriers.at["law", "count"] == 8 and barriers.at["none", "count"] == 0
    confidence = shown.reaction_confidence.frame.set_index("competency")
    assert pd.isna(confidence.at["legal", "n_rose"])  # 2 rose
    assert confidence.at["legal", "n"] == 8


def test_an_answer_chosen_by_a_few_is_not_shown():
    data, questions = _with_survey(_data({"A": 8}), answered=8, commented=0)
    people = list(data.trainees["trainee"])
    roles = ["Prosecutor"] + ["Patrol"] * 7  # one prosecutor: a group of one
    extra = [
        {"trainee": t, "assignment": "10_reaction_survey", "exercise": "survey.role",
         "kind": "choice", "option": r, "correct": None, "score": None}
        for t, r in zip(people, roles, strict=True)
    ]  # fmt: skip
    role = ("10_reaction_survey", "survey.role", "choice", "Role?", ["Patrol", "Prosecutor"])
    questions = pd.concat(
        [questions, pd.DataFrame([role], columns=questions.columns)], ignore_index=True
    )
    data = dataclasses.replace(data, responses=pd.concat([data.responses, pd.DataFrame(extra)]))
    ev = evaluate_cohort(data, "A", questions=questions)
    raw = ev.reaction_categories.undisclosed.set_index("option")
    assert raw.at["Prosecutor", "count"] == 1 and raw.at["Patrol", "count"] == 7
    categories = disclose(ev, threshold=5).reaction_categories.frame.set_index("option")
    for option in ("Prosecutor", "Patrol"):  # 1 chose it; 1 did not
        assert pd.isna(categories.at[option, "count"]) and pd.isna(categories.at[option, "share"])
    assert categories.at["Patrol", "n"] == 8
    opened = disclose(ev, threshold=1).reaction_categories.frame.set_index("option")
    assert opened.at["Prosecutor", "count"] == 1
    # the agreement scale follows the same rule, option by option
    raw_likert = ev.reaction_distribution.undisclosed
    likert = disclose(ev, threshold=5).reaction_distribution.frame
    assert set(likert["exercise"]) == {"survey.relevance"}
    for (_, before), (_, after) in zip(raw_likert.iterrows(), likert.iterrows(), strict=True):
        few = 0 < before["count"] < 5 or 0 < before["n"] - before["count"] < 5
        assert pd.isna(after["count"]) == few


def test_a_small_track_is_blanked_with_the_next_smallest():
    rows = pd.DataFrame(
        {
            "cohort": ["A"] * 4,
            "track": ["analyst", "core", "analyst", "core"],
            "competency": ["C1", "C1", "C2", "C2"],
            "n": [1, 7, 6, 9],
            "n_mastered": [0, 3, 2, 5],
            "mastery_rate": [0.0, 3 / 7, 2 / 6, 5 / 9],
            "ci_low": [0.0, 0.1, 0.1, 0.2],
            "ci_high": [0.8, 0.7, 0.7, 0.8],
        }
    )
    shown = _counts(rows, MASTERY_BY_TRACK, 5).set_index(["competency", "track"])
    # C1: the single analyst is blanked, and so is core (the cohort's row minus it gives them)
    assert shown.loc[("C1", "analyst"), "n_mastered"] is None
    assert shown.loc[("C1", "core"), "n_mastered"] is None
    assert shown.loc[("C2", "core"), "n_mastered"] == 5
