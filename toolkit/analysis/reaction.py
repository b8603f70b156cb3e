"""Level 1 (reaction): the end-of-course survey, summarised per question.

The survey follows one contract (see ``docs/reading-the-reports.md#reaction``):

- agreement items ``survey.<name>`` (Choice, "Strongly disagree" .. "Strongly agree"); ids ending
  in ``_rev`` are reverse-worded and are reversed before they are summarised; facilitator and
  usability items are agreement items named ``survey.facilitator_*`` and ``survey.usability_*``;
  intention to apply is ``survey.intent.<competency>``; an agreement item may end with the option
  :data:`NOT_MY_ROLE` ("Not part of my role"), which is not a point on the scale: those answers
  are not applicable, left out of ``n``, the distribution and every share and mean (never counted
  as disagreement);
- retrospective confidence ``survey.before.<competency>`` and ``survey.after.<competency>``
  ("Not at all confident" .. "Completely confident");
- barriers ``survey.barriers`` (Checklist);
- free text ``survey.comment.<name>`` (a text kind; the comment is the row's ``option``).

Whatever items a survey has, every Choice is summarised: a scale it recognises (agreement,
confidence) as an ordinal scale, any other as categories. Functions take the survey's response
rows (the columns of :mod:`toolkit.data.responses`) and a question frame (exercise, kind, prompt,
options in the course's order) and return frames; nothing here suppresses (the report's
disclosure step does).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import stats

from toolkit.analysis.mastery import wilson
from toolkit.settings import INTERVAL_LEVEL

AGREEMENT = "agreement"
CONFIDENCE = "confidence"
CATEGORIES = "categories"
REVERSED_SUFFIX = "_rev"
PREFIX = "survey."
BEFORE, AFTER, INTENT = "survey.before.", "survey.after.", "survey.intent."
BARRIERS = "survey.barriers"
COMMENT_PREFIX = "survey.comment."
#: Kinds whose answer is free text (the comment is the row's ``option``).
TEXT_KINDS = frozenset({"text"})
#: The option of an agreement item that says the question does not apply to the trainee's role.
NOT_MY_ROLE = "Not part of my role"
#: Stands for a name removed from a comment.
NAME_REMOVED = "[name removed]"

QUESTION_COLUMNS = ["exercise", "kind", "prompt", "options"]
DISTRIBUTION_COLUMNS = [
    "exercise",
    "group",
    "prompt",
    "scale",
    "reversed",
    "option",
    "position",
    "n",
    "count",
    "share",
]
ITEM_COLUMNS = [
    "exercise",
    "group",
    "prompt",
    "scale",
    "reversed",
    "n",
    "n_favourable",
    "favourable",
    "favourable_ci_low",
    "favourable_ci_high",
    "mean_score",
]
CONFIDENCE_COLUMNS = [
    "competency",
    "n",
    "mean_before",
    "mean_after",
    "change",
    "change_ci_low",
    "change_ci_high",
    "n_rose",
    "wilcoxon_p",
]
BARRIER_COLUMNS = ["exercise", "option", "n", "count", "share"]
COMMENT_COLUMNS = ["exercise", "prompt", "n", "comment"]


def scale_of(options: list[str]) -> str:
    """The scale a Choice's options form: agreement, confidence, or plain categories (a last
    :data:`NOT_MY_ROLE` option is not part of the scale)."""
    options = on_scale(options)
    if len(options) < 2:
        return CATEGORIES
    first, last = str(options[0]).lower(), str(options[-1]).lower()
    if first.startswith("strongly disagree") and last.startswith("strongly agree"):
        return AGREEMENT
    if first.startswith("not at all confident") and last.endswith("confident"):
        return CONFIDENCE
    return CATEGORIES


def on_scale(options: list[str]) -> list[str]:
    """``options`` without :data:`NOT_MY_ROLE` (not a point of any scale)."""
    return [o for o in options if str(o) != NOT_MY_ROLE]


def group_of(exercise: str) -> str:
    """The question's group: facilitator, usability, intent, confidence or general."""
    name = exercise.removeprefix(PREFIX)
    for group in ("facilitator", "usability"):
        if name.startswith(f"{group}_"):
            return group
    if exercise.startswith(INTENT):
        return "intent"
    if exercise.startswith((BEFORE, AFTER)):
        return "confidence"
    return "general"


def _choices(questions: pd.DataFrame) -> pd.DataFrame:
    return questions[(questions["kind"] == "choice") & questions["exercise"].str.startswith(PREFIX)]


def distributions(responses: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """Every option of every survey Choice (chosen or not) with its count among the ``n``
    trainees who answered the question; options in the course's order (reversed for ``_rev``
    items, so the most favourable answer is always last). On an ordinal scale, "not part of my
    role" is neither listed nor counted in ``n``: the question does not apply to that trainee."""
    rows = []
    for q in _choices(questions).itertuples(index=False):
        options = [str(o) for o in q.options]
        scale = scale_of(options)
        rev = scale != CATEGORIES and q.exercise.endswith(REVERSED_SUFFIX)
        mine = responses[responses["exercise"] == q.exercise]
        answered = mine.dropna(subset=["option"]).drop_duplicates("trainee")
        if scale != CATEGORIES:
            options = on_scale(options)
            answered = answered[answered["option"].astype(str) != NOT_MY_ROLE]
        n = len(answered)
        counts = answered["option"].astype(str).value_counts()
        order = list(reversed(options)) if rev else options
        for position, option in enumerate(order, start=1):
            count = int(counts.get(option, 0))
            rows.append(
                {
                    "exercise": q.exercise,
                    "group": group_of(q.exercise),
                    "prompt": q.prompt,
                    "scale": scale,
                    "reversed": rev,
                    "option": option,
                    "position": position,
                    "n": n,
                    "count": count,
                    "share": count / n if n else math.nan,
                }
            )
    return pd.DataFrame(rows, columns=DISTRIBUTION_COLUMNS)


def item_summary(dist: pd.DataFrame) -> pd.DataFrame:
    """One row per ordinal question: ``favourable`` is the share choosing one of the top two
    answers (after reversal) with its Wilson interval; ``mean_score`` the mean position (1 = most
    negative, 5 = most positive)."""
    rows = []
    ordinal = dist[dist["scale"] != CATEGORIES]
    for exercise, group in ordinal.groupby("exercise", sort=False):
        first = group.iloc[0]
        n = int(first["n"])
        top = int(group.nlargest(2, "position")["count"].sum())
        low, high = wilson(top, n)
        mean = float((group["position"] * group["count"]).sum() / n) if n else math.nan
        rows.append(
            {
                "exercise": exercise,
                "group": first["group"],
                "prompt": first["prompt"],
                "scale": first["scale"],
                "reversed": bool(first["reversed"]),
                "n": n,
                "n_favourable": top,
                "favourable": top / n if n else math.nan,
                "favourable_ci_low": low,
                "favourable_ci_high": high,
                "mean_score": mean,
            }
        )
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def _positions(responses: pd.DataFrame, exercise: str, options: list[str]) -> pd.Series:
    """Each answering trainee's position (1..k) on an ordinal question."""
    rank = {str(o): i for i, o in enumerate(options, start=1)}
    mine = responses[responses["exercise"] == exercise].dropna(subset=["option"])
    mine = mine.drop_duplicates("trainee")
    pos = mine["option"].astype(str).map(rank)
    return pd.Series(pos.to_numpy(dtype=float), index=mine["trainee"].astype(str)).dropna()


def retrospective_confidence(responses: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """Per competency with both ``survey.before.<c>`` and ``survey.after.<c>``: trainees who
    answered both (``n``), mean position before and after (1..5), the mean change with its t
    interval, how many rose, and the Wilcoxon signed-rank p."""
    choices = _choices(questions).set_index("exercise")
    rows = []
    for exercise in choices.index:
        if not exercise.startswith(BEFORE):
            continue
        competency = exercise.removeprefix(BEFORE)
        after = AFTER + competency
        if after not in choices.index:
            continue
        before = _positions(responses, exercise, list(choices.at[exercise, "options"]))
        now = _positions(responses, after, list(choices.at[after, "options"]))
        both = before.index.intersection(now.index)
        a, b = before.loc[both].to_numpy(), now.loc[both].to_numpy()
        n = len(both)
        row: dict[str, object] = dict.fromkeys(CONFIDENCE_COLUMNS)
        row.update(competency=competency, n=n, n_rose=int((b > a).sum()))
        if n:
            diff = b - a
            row.update(
                mean_before=float(a.mean()), mean_after=float(b.mean()), change=float(diff.mean())
            )
            if n > 1:
                sd = float(diff.std(ddof=1))
                half = float(stats.t.ppf(0.5 + INTERVAL_LEVEL / 2, n - 1)) * sd / math.sqrt(n)
                row.update(change_ci_low=diff.mean() - half, change_ci_high=diff.mean() + half)
            if np.any(diff != 0):
                row["wilcoxon_p"] = float(stats.wilcoxon(b, a).pvalue)
        rows.append(row)
    return pd.DataFrame(rows, columns=CONFIDENCE_COLUMNS)


def barriers(responses: pd.DataFrame, questions: pd.DataFrame) -> pd.DataFrame:
    """Every option of the survey's checklists (chosen or not): how many of the ``n`` trainees
    who answered the checklist ticked it."""
    rows = []
    lists = questions[
        (questions["kind"] == "checklist") & questions["exercise"].str.startswith(PREFIX)
    ]
    for q in lists.itertuples(index=False):
        mine = responses[responses["exercise"] == q.exercise]
        n = int(mine["trainee"].nunique())
        ticked = mine.dropna(subset=["option"]).drop_duplicates(["trainee", "option"])
        counts = ticked["option"].astype(str).value_counts()
        for option in q.options:
            count = int(counts.get(str(option), 0))
            rows.append(
                {
                    "exercise": q.exercise,
                    "option": str(option),
                    "n": n,
                    "count": count,
                    "share": count / n if n else math.nan,
                }
            )
    return pd.DataFrame(rows, columns=BARRIER_COLUMNS)


def strip_names(text: str, names: Iterable[str]) -> str:
    """``text`` with every given name (whole words, any case) replaced by :data:`NAME_REMOVED`,
    and e-mail addresses removed too; longer names are replaced first."""
    out = re.sub(r"\S+@\S+", NAME_REMOVED, text)
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        if len(name) < 2:
            continue
        out = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", NAME_REMOVED, out, flags=re.IGNORECASE)
    return out


def comments(
    responses: pd.DataFrame, questions: pd.DataFrame, names: Iterable[str] = ()
) -> pd.DataFrame:
    """The survey's free-text answers, one row per non-empty comment, with every roster name in
    ``names`` removed, not linked to any trainee, sorted by text within each question; ``n`` is
    how many trainees commented on the question."""
    names = list(names)
    texts = questions[
        questions["kind"].isin(TEXT_KINDS) & questions["exercise"].str.startswith(PREFIX)
    ]
    rows = []
    for q in texts.itertuples(index=False):
        mine = responses[responses["exercise"] == q.exercise].dropna(subset=["option"])
        said = [str(t).strip() for t in mine.drop_duplicates("trainee")["option"]]
        said = sorted(strip_names(t, names) for t in said if t)
        rows += [
            {"exercise": q.exercise, "prompt": q.prompt, "n": len(said), "comment": t} for t in said
        ]
    return pd.DataFrame(rows, columns=COMMENT_COLUMNS)


def respondents(responses: pd.DataFrame) -> int:
    """How many trainees answered at least one survey question."""
    return int(responses["trainee"].nunique()) if len(responses) else 0
