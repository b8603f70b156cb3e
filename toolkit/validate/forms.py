"""Authoring checks of the curriculum map's tracks and parallel pre/post forms.

- Every competency can be mastered on the core track: it has at least one graded item that is not
  an analyst (pandas) item.
- Every graded item of the pre-test and of the post-test is declared in a pair, and each pair
  takes its ``pre`` from the pre-test and its ``post`` from the post-test.
- The two items of a pair assess the same competencies, and differ in stem (the question), in key
  text and in their set of options (parallel forms, not the same item twice).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from toolkit.course.curriculum import CURRICULUM_FILE, Curriculum
from toolkit.exercises.keys import AnswerKey, ExerciseSpec, keyed_exercises
from toolkit.exercises.kinds.base import texts_in
from toolkit.validate.findings import Finding
from toolkit.validate.mapping import graded_items
from toolkit.validate.options import CHECK, normalised

Exercise = tuple[ExerciseSpec, AnswerKey]


def item_exercises(assignments: dict[str, dict[str, Any]]) -> dict[str, list[Exercise]]:
    """``notebook/grade_id`` -> the keyed widgets its grade cell grades."""
    out: dict[str, list[Exercise]] = {}
    for notebooks in assignments.values():
        for stem, nb in notebooks.items():
            for spec, key in keyed_exercises(nb)[0]:
                out.setdefault(f"{stem}/{key.cell}", []).append((spec, key))
    return out


def check_core_track(curriculum: Curriculum, graded: Iterable[str]) -> list[Finding]:
    """A finding for every competency with no graded item on the core track."""
    real = set(graded)
    return [
        Finding(
            CHECK,
            competency,
            "no graded item of this competency is on the core track, so officers who do not "
            "write pandas cannot master it: add a widget item or take one off its analyst list",
        )
        for competency, items in curriculum.competency_items("core").items()
        if not any(i in real for i in items)
    ]


def _key_texts(key: AnswerKey) -> set[str]:
    correct = key.correct
    if isinstance(correct, dict):
        return {normalised(t) for v in correct.values() for t in texts_in(v)}
    return {normalised(t) for t in texts_in(correct)}


def _option_set(spec: ExerciseSpec) -> frozenset[str]:
    return frozenset(normalised(str(o)) for o in spec.options)


def check_pair(pre: list[Exercise], post: list[Exercise]) -> list[str]:
    """What makes two items the same item twice (empty when they are parallel forms)."""
    problems = []
    stems = {normalised(s.prompt) for s, _ in pre if s.prompt}
    if any(normalised(s.prompt) in stems for s, _ in post if s.prompt):
        problems.append("the same stem")
    pre_keys = set().union(*(_key_texts(k) for _, k in pre)) if pre else set()
    if any(_key_texts(k) & pre_keys for _, k in post):
        problems.append("the same key text")
    pre_options = {_option_set(s) for s, _ in pre if s.options}
    if any(_option_set(s) in pre_options for s, _ in post if s.options):
        problems.append("the same options")
    return problems


def check_pairs(curriculum: Curriculum, assignments: dict[str, dict[str, Any]]) -> list[Finding]:
    """Every pre- and post-test item paired, and every pair parallel (see the module docstring)."""
    out: list[Finding] = []
    where = str(CURRICULUM_FILE)
    forms = {
        role: set(graded_items(assignments.get(assignment, {})))
        for role, assignment in curriculum.learning_gain.items()
        if role in ("pretest", "posttest")
    }
    declared = {"pretest": set(curriculum.pairs["pre"]), "posttest": set(curriculum.pairs["post"])}
    for role in sorted(forms):
        for item in sorted(forms[role] - declared[role]):
            out.append(
                Finding(
                    CHECK,
                    item,
                    f"{role} item is in no pair: declare it under 'pairs' in {where} with its "
                    "parallel item",
                )
            )
    competencies = curriculum.item_competencies()
    exercises = item_exercises(assignments)
    for pre, post in curriculum.pairs.itertuples(index=False):
        label = f"pair {pre} / {post}"
        wrong_form = [
            f"{item} is not a {role} item"
            for item, role in ((pre, "pretest"), (post, "posttest"))
            if role in forms and item not in forms[role]
        ]
        if wrong_form:
            out.append(Finding(CHECK, label, f"{'; '.join(wrong_form)}: fix the pair in {where}"))
            continue
        if set(competencies.get(pre, [])) != set(competencies.get(post, [])):
            out.append(
                Finding(
                    CHECK,
                    label,
                    "the two items assess different competencies: pair items of the same "
                    "competency and objective",
                )
            )
        problems = check_pair(exercises.get(pre, []), exercises.get(post, []))
        if problems:
            out.append(
                Finding(
                    CHECK,
                    label,
                    f"both forms have {' and '.join(problems)}: change the case facts, the key "
                    "and the options of one form",
                )
            )
    return out


__all__ = ["check_core_track", "check_pair", "check_pairs", "item_exercises"]
