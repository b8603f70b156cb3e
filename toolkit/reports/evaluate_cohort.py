"""The cohort evaluation: every table and headline figure of a cohort report.

:func:`evaluate_cohort` computes (real trainee ids, nothing suppressed) a :class:`CohortEvaluation`
whose tables declare their disclosure class; :func:`toolkit.reports.disclose.disclose` makes it
showable; :func:`cohort_summary` gives the disclosed evaluation's ``summary.json``.
``templates/cohort_report.ipynb`` calls the three; :func:`toolkit.reports.cohort_report` runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit import analysis
from toolkit.analysis import ItemFlags, reaction
from toolkit.course.layout import Course
from toolkit.data.course_data import CourseData, load_course_data
from toolkit.data.responses import course_keys
from toolkit.exercises.registry import option_kinds
from toolkit.reports.disclose import (
    CONTEXT,
    Aggregate,
    Counts,
    Evaluation,
    Findings,
    NoPeople,
    PerTrainee,
    Table,
    disclose,
)
from toolkit.reports.executive import cohort_executive, summary_envelope, top_actions
from toolkit.reports.questions import course_questions
from toolkit.reports.summary import STATISTICS, definitions, num, numbers, records
from toolkit.settings import (
    INTERVAL_LEVEL,
    MASTERY_TARGET,
    MIN_ITEMS_PER_COMPETENCY,
    POST_TEST,
    PRE_TEST,
    SUPPRESSION_THRESHOLD,
    SURVEY,
)

ALPHA_CI_METHOD = f"Feldt F-based {INTERVAL_LEVEL:.0%} interval (pingouin.cronbach_alpha)"
WILSON_METHOD = f"Wilson {INTERVAL_LEVEL:.0%}"
NO_MAP = (
    "The course has no curriculum map (course/curriculum.yaml): competency mastery, "
    "per-competency gain and curriculum gaps by competency cannot be computed."
)

#: Disclosure classes of the tables of both evaluations.
TESTS = Aggregate(n="n", shown=("assignment", "max_score", "notes"), note="notes")
ITEMS = Aggregate(n="n", shown=("assignment", "item", "max_score", "note"))
MASTERY = Aggregate(n="n", shown=("cohort", "competency", "statement"))
#: Per track: the tracks of a competency add up to the cohort's row, so a small track is
#: blanked together with the next smallest (else it could be recovered by subtraction).
MASTERY_BY_TRACK = Counts(
    n="n", figures=("n_mastered", "mastery_rate", "ci_low", "ci_high"), within=("competency",)
)
GAIN = Aggregate(n="n_matched", shown=("scope", "n_pre_only", "n_post_only", "note"), note="note")
FINDINGS = Findings(n="n")
NO_PEOPLE = NoPeople()
#: Per option: the count of trainees who chose it is blanked below the threshold, with the
#: next smallest option of the same question where the question's total would give it away.
OPTIONS = Counts(
    n="n_chose", figures=("share", "point_biserial"), within=("assignment", "exercise")
)
_QUESTION = ("exercise", "group", "prompt", "scale", "reversed")
#: The trainees who chose an answer (or one of the two favourable answers) are a group of
#: people: their count is blanked, with its share, when it or the rest is below the threshold.
REACTION_ITEMS = Aggregate(
    n="n",
    shown=_QUESTION,
    tallies=("n_favourable",),
    tally_figures=("favourable", "favourable_ci_low", "favourable_ci_high"),
)
REACTION_DISTRIBUTION = Aggregate(
    n="n", shown=(*_QUESTION, "option", "position"), tallies=("count",), tally_figures=("share",)
)
REACTION_CATEGORIES = REACTION_DISTRIBUTION
REACTION_CONFIDENCE = Aggregate(n="n", shown=("competency",), tallies=("n_rose",))
REACTION_BARRIERS = Aggregate(
    n="n", shown=("exercise", "option"), tallies=("count",), tally_figures=("share",)
)
REACTION_RESPONSE = Aggregate(n="n_invited", shown=("assignment",))


@dataclass(frozen=True, kw_only=True)
class CohortEvaluation(Evaluation):
    """Everything a cohort report shows, as computed (``population`` is the cohort's size)."""

    cohort: str = field(metadata=CONTEXT)
    pre: str = field(metadata=CONTEXT)
    post: str = field(metadata=CONTEXT)
    target: float = field(metadata=CONTEXT)
    flags: ItemFlags = field(metadata=CONTEXT)
    #: the curriculum map's mastery threshold (None without a map)
    mastery_threshold: float | None = field(metadata=CONTEXT)
    totals: Table
    tests: Table
    items: Table
    options: Table | None
    gain: Table | None
    trainee_mastery: Table | None
    #: mastery per track (core, analyst) and competency; None without tracks in the map
    mastery_by_track: Table | None = None
    mastery: Table | None
    performance: Table | None
    coverage: Table | None
    item_gaps: Table
    actions: Table
    participation: Table
    #: the level-1 survey (None when the course has no survey answers for this cohort)
    survey: str = field(default=SURVEY, metadata=CONTEXT)
    reaction_response: Table | None = None
    reaction_items: Table | None = None
    reaction_distribution: Table | None = None
    reaction_categories: Table | None = None
    reaction_confidence: Table | None = None
    reaction_barriers: Table | None = None
    reaction_comments: Table | None = None


@dataclass(frozen=True)
class Reaction:
    """The survey tables of one cohort, as computed."""

    response: pd.DataFrame
    items: pd.DataFrame
    distribution: pd.DataFrame
    categories: pd.DataFrame
    confidence: pd.DataFrame
    barriers: pd.DataFrame
    comments: pd.DataFrame


def evaluate_reaction(
    responses: pd.DataFrame | None,
    questions: pd.DataFrame | None,
    trainees: pd.DataFrame,
    *,
    survey: str = SURVEY,
    names: list[str] | None = None,
) -> Reaction | None:
    """The survey's tables for the ``trainees`` given (None without survey questions), comments
    with every name in ``names`` removed."""
    if responses is None or questions is None:
        return None
    asked = questions[questions["assignment"] == survey]
    if asked.empty:
        return None
    answers = responses[
        (responses["assignment"] == survey) & responses["trainee"].isin(trainees["trainee"])
    ]
    dist = reaction.distributions(answers, asked)
    response = pd.DataFrame(
        {
            "assignment": [survey],
            "n_invited": [len(trainees)],
            "n_answered": [reaction.respondents(answers)],
        }
    )
    return Reaction(
        response=response,
        items=reaction.item_summary(dist),
        distribution=dist[dist["scale"] != reaction.CATEGORIES].reset_index(drop=True),
        categories=dist[dist["scale"] == reaction.CATEGORIES].reset_index(drop=True),
        confidence=reaction.retrospective_confidence(answers, asked),
        barriers=reaction.barriers(answers, asked),
        comments=reaction.comments(answers, asked, names or []),
    )


def _with_item_ids(
    options: pd.DataFrame, items: pd.DataFrame, keys: dict[str, dict[str, Any]]
) -> pd.DataFrame:
    """``options`` with an ``item`` column: the id (notebook/cell) of the graded cell that scores
    the exercise, the id every other table uses (the exercise id where none is found)."""
    ids = {(str(r.assignment), str(r.grade_id)): str(r.item) for r in items.itertuples(index=False)}

    def item(assignment: str, exercise: str) -> str:
        key = keys.get(assignment, {}).get(exercise)
        return ids.get((assignment, str(getattr(key, "cell", ""))), exercise)

    names = [item(a, e) for a, e in zip(options["assignment"], options["exercise"], strict=True)]
    return options.assign(item=names)


def roster_names(trainees: pd.DataFrame) -> list[str]:
    """Every first name, last name, full name and id on the roster (to strip from comments)."""
    names: list[str] = []
    for r in trainees.itertuples(index=False):
        first, last = (
            str(getattr(r, "first_name", "") or ""),
            str(getattr(r, "last_name", "") or ""),
        )
        names += [first, last, f"{first} {last}", str(r.trainee)]
    return [n for n in names if n.strip()]


def option_specs(questions: pd.DataFrame | None, keys: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """The keyed choice and checklist exercises of the course, with the options the course lists
    and those its key accepts (the input of the per-option analysis)."""
    columns = ["assignment", "exercise", "options", "correct"]
    if questions is None or questions.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for q in questions[questions["kind"].isin(option_kinds())].itertuples(index=False):
        key = keys.get(q.assignment, {}).get(q.exercise)
        if key is None or key.correct is None:
            continue
        correct = key.correct
        accepted = [correct] if isinstance(correct, str) else [str(c) for c in correct]
        rows.append((q.assignment, q.exercise, list(q.options), accepted))
    return pd.DataFrame(rows, columns=columns)


def _participation(trainees: pd.DataFrame) -> pd.DataFrame:
    """Trainees by agency."""
    if "agency" not in trainees.columns or trainees.empty:
        return pd.DataFrame(columns=["agency", "n"])
    counts = trainees["agency"].fillna("(none)").value_counts().rename_axis("agency")
    return counts.reset_index(name="n").sort_values("agency", ignore_index=True)


def evaluate_cohort(
    data: CourseData,
    cohort: str,
    *,
    pre: str = PRE_TEST,
    post: str = POST_TEST,
    flags: ItemFlags | None = None,
    target: float = MASTERY_TARGET,
    min_items: int = MIN_ITEMS_PER_COMPETENCY,
    questions: pd.DataFrame | None = None,
    keys: dict[str, dict[str, Any]] | None = None,
    survey: str = SURVEY,
) -> CohortEvaluation:
    """Analyse one cohort for its report (see :class:`CohortEvaluation`).

    ``questions`` (:func:`toolkit.reports.questions.course_questions`) and ``keys``
    (:func:`toolkit.data.responses.course_keys`) give the option and question text of the course:
    without them there is no per-option table and no survey section.
    """
    flags = flags or ItemFlags()
    sub = data.cohort(cohort)
    notes: list[str] = []
    n_trainees = len(sub.trainees)
    if n_trainees == 0:
        notes.append(f"Cohort {cohort} has no trainees: there is nothing to report.")
    without = sorted(set(sub.trainees["trainee"]) - set(sub.scores["trainee"]))
    if without:
        notes.append(f"{len(without)} trainee(s) on the roster have no graded submission.")
    tot = analysis.totals(sub.scores)
    tests = analysis.test_statistics(sub.scores, sub.items)
    items = analysis.item_statistics(sub.scores, sub.items, flags, pretest=pre)
    options = None
    if sub.responses is not None and questions is not None:
        specs = option_specs(questions[questions["assignment"] != survey], keys or {})
        options = _with_item_ids(
            analysis.course_option_statistics(sub.responses, tot, specs), sub.items, keys or {}
        )
    react = evaluate_reaction(
        sub.responses, questions, sub.trainees, survey=survey, names=roster_names(data.trainees)
    )
    gain = analysis.learning_gain(
        sub.scores, items=sub.items, curriculum=sub.curriculum, pre=pre, post=post
    )
    if gain.empty:
        notes.append(f"No learning gain: the course has no scores for both {pre} and {post}.")
    trainee_m = mastery = performance = coverage = by_track = None
    curriculum = sub.curriculum
    if curriculum is None:
        notes.append(NO_MAP)
    else:
        gaps = analysis.competency_gaps(
            sub.scores,
            sub.items,
            sub.trainees,
            curriculum,
            exclude_assignments=[pre],
            target=target,
            min_items=min_items,
        )
        trainee_m, performance, coverage = gaps.per_trainee, gaps.performance, gaps.coverage
        by_track = gaps.per_track
        mastery = gaps.per_cohort.merge(
            curriculum.competencies[["competency", "statement"]], on="competency"
        )
    igaps = analysis.item_gaps(items.dropna(subset=["facility"]))
    actions = analysis.curriculum_actions(
        performance=performance,
        coverage=coverage,
        items=igaps,
        tests=tests.dropna(subset=["alpha"]),
        gain=gain,
        pretest=pre,
        unstable_below=flags.unstable_n,
    )

    def table(frame: pd.DataFrame | None, rule: Any) -> Table | None:
        return None if frame is None else Table(frame, rule)

    return CohortEvaluation(
        subject=f"Cohort {cohort}",
        population=n_trainees,
        notes=notes,
        cohort=cohort,
        pre=pre,
        post=post,
        target=target,
        flags=flags,
        mastery_threshold=None if curriculum is None else curriculum.mastery_threshold,
        totals=Table(tot, PerTrainee()),
        tests=Table(tests, TESTS),
        items=Table(items, ITEMS),
        options=table(options, OPTIONS),
        gain=None if gain.empty else Table(gain, GAIN),
        trainee_mastery=table(trainee_m, PerTrainee()),
        mastery=table(mastery, MASTERY),
        mastery_by_track=table(by_track, MASTERY_BY_TRACK),
        performance=table(performance, FINDINGS),
        coverage=table(coverage, NO_PEOPLE),
        item_gaps=Table(igaps, FINDINGS),
        actions=Table(actions, FINDINGS),
        participation=Table(_participation(sub.trainees), Counts(n="n")),
        survey=survey,
        reaction_response=None if react is None else Table(react.response, REACTION_RESPONSE),
        reaction_items=None if react is None else Table(react.items, REACTION_ITEMS),
        reaction_distribution=None
        if react is None
        else Table(react.distribution, REACTION_DISTRIBUTION),
        reaction_categories=None if react is None else Table(react.categories, REACTION_CATEGORIES),
        reaction_confidence=None if react is None else Table(react.confidence, REACTION_CONFIDENCE),
        reaction_barriers=None if react is None else Table(react.barriers, REACTION_BARRIERS),
        reaction_comments=None if react is None else Table(react.comments, FINDINGS),
    )


def _item_summary(row: Any) -> dict[str, Any]:
    return {
        "item": row.item,
        "n": int(row.n),
        **numbers(
            row, "facility", "sd", "discrimination", "discriminative_efficiency", "effective_weight"
        ),
        "flags": list(row.flags),
        "unstable": bool(row.unstable) if row.unstable is not None else None,
        "note": row.note or None,
    }


def _band(x: Any) -> str | None:
    """A text label, or None where the frame holds a missing value (NaN, None or 'nan')."""
    if not isinstance(x, str) or x in ("", "nan", "None"):
        return None
    return x


def _gain_row(row: Any) -> dict[str, Any]:
    return {
        "scope": row.scope,
        "n_matched": int(row.n_matched),
        "n_pre_only": int(row.n_pre_only),
        "n_post_only": int(row.n_post_only),
        **numbers(
            row,
            "mean_pre_pct",
            "mean_post_pct",
            "change",
            "change_ci_low",
            "change_ci_high",
            "hake_gain",
            "hake_gain_individual",
            "cohen_dz",
            "t",
            "wilcoxon_w",
        ),
        "gain_band": _band(row.gain_band),
        "hedges_corrected": bool(row.hedges_corrected) if row.hedges_corrected else False,
        "effect_band": _band(row.effect_band),
        "p_value": num(row.t_p, 6),
        "wilcoxon_p": num(row.wilcoxon_p, 6),
        "note": row.note or None,
    }


def _assignment_summary(row: Any, items: pd.DataFrame) -> dict[str, Any]:
    ci = [num(row.alpha_ci_low), num(row.alpha_ci_high)]
    mine = items[items["assignment"] == row.assignment]
    return {
        "assignment": row.assignment,
        "n": int(row.n),
        **numbers(
            row,
            "max_score",
            "mean_pct",
            "median_pct",
            "sd_pct",
            "skewness",
            "kurtosis",
            "alpha",
            "error_ratio",
            "sem",
        ),
        "alpha_ci": ci if None not in ci else None,
        "alpha_ci_method": ALPHA_CI_METHOD,
        "alpha_band": row.alpha_band,
        "n_alpha": int(row.n_alpha) if row.n_alpha is not None else None,
        "notes": list(row.notes),
        "items": [_item_summary(i) for i in mine.itertuples(index=False)],
    }


def cohort_summary(ev: CohortEvaluation) -> dict[str, Any]:
    """The JSON-safe headline figures of a disclosed :class:`CohortEvaluation` (no NaN: null and
    notes)."""
    items = ev.items.frame
    competencies = []
    if ev.mastery is not None:
        competencies = [
            {
                "competency": r.competency,
                "statement": r.statement,
                "n": int(r.n),
                "n_mastered": None if pd.isna(r.n_mastered) else int(r.n_mastered),
                "mastery_rate": num(r.mastery_rate),
                "ci": None if pd.isna(r.ci_low) else [num(r.ci_low), num(r.ci_high)],
                "ci_method": WILSON_METHOD,
            }
            for r in ev.mastery.frame.itertuples(index=False)
        ]
    gain = None
    if ev.gain is not None:
        rows = [_gain_row(r) for r in ev.gain.frame.itertuples(index=False)]
        gain = {"pre": ev.pre, "post": ev.post, **rows[0], "competencies": rows[1:]}
    disclosure = ev.disclosure
    assert disclosure is not None  # the frames above were readable
    body = {
        "cohort": ev.cohort,
        "n_trainees": ev.population,
        "threshold": disclosure.threshold,
        "names": disclosure.names,
        "suppressed": disclosure.suppressed,
        "definitions": definitions(*(s for s in STATISTICS if s != "drift")),
        "assignments": [
            _assignment_summary(r, items) for r in ev.tests.frame.itertuples(index=False)
        ],
        "competencies": competencies,
        "gain": gain,
        "gaps": {
            "performance": None if ev.performance is None else len(ev.performance.frame),
            "coverage": None if ev.coverage is None else len(ev.coverage.frame),
            "items": len(ev.item_gaps.frame),
        },
        "actions": top_actions(ev.actions.frame, len(ev.actions.frame)),
        "reaction": reaction_summary(ev),
        "notes": ev.all_notes(),
    }
    return summary_envelope(cohort_executive(ev), body)


def reaction_summary(ev: CohortEvaluation) -> dict[str, Any] | None:
    """The ``reaction`` block of ``summary.json`` (level 1), or None without a survey."""
    if ev.reaction_response is None:
        return None
    resp = ev.reaction_response.frame.iloc[0]

    def rows(table: Table | None, columns: list[str]) -> list[dict[str, Any]]:
        return [] if table is None else records(table.frame, columns) or []

    return {
        "survey": ev.survey,
        "n_invited": int(resp["n_invited"]),
        "n_answered": None if num(resp["n_answered"]) is None else int(resp["n_answered"]),
        "questions": rows(
            ev.reaction_items,
            ["exercise", "group", "scale", "reversed", "n", "favourable", "favourable_ci_low",
             "favourable_ci_high", "mean_score"],
        ),
        "confidence": rows(
            ev.reaction_confidence,
            ["competency", "n", "mean_before", "mean_after", "change", "change_ci_low",
             "change_ci_high", "n_rose", "wilcoxon_p"],
        ),
        "barriers": rows(ev.reaction_barriers, ["exercise", "option", "n", "count", "share"]),
        "n_comments": 0 if ev.reaction_comments is None else len(ev.reaction_comments.frame),
    }  # fmt: skip


def disclosed_cohort_evaluation(
    *,
    course_dir: str,
    cohort: str,
    threshold: int = SUPPRESSION_THRESHOLD,
    names: bool = False,
    pre: str = PRE_TEST,
    post: str = POST_TEST,
    gradebook_url: str | None = None,
    survey: str = SURVEY,
) -> CohortEvaluation:
    """What a cohort report shows: the course loaded, one cohort evaluated, and the evaluation
    passed through :func:`~toolkit.reports.disclose.disclose` (the instructor's copy, ``names``,
    names trainees). The template holds only this, never the undisclosed course data.

    Raises:
        CourseError: the cohort is not in the course.
    """
    data = load_course_data(course_dir, gradebook_url, responses=True)
    data.check_cohort(cohort)
    questions = course_questions(course_dir)
    keys = course_keys(Course.open(course_dir))
    evaluation = evaluate_cohort(
        data, cohort, pre=pre, post=post, questions=questions, keys=keys, survey=survey
    )
    return disclose(evaluation, threshold=threshold, roster=data.trainees if names else None)
