"""What a simulated trainee answers to each kind of exercise, right or wrong.

Each simulator takes the exercise (its literal structure), the key from the hidden test, a random
generator and the intended outcome, and returns the value the widget would save. A right answer is
the key; a wrong answer is a plausible mistake that scores 0 (or close to it) under the key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from toolkit.exercises.grading import kendall_tau
from toolkit.exercises.keys import ExerciseSpec, KeySpec
from toolkit.exercises.scenes import Scene, parse_scenes, walk
from toolkit.exercises.values import Attempt, roleplay_value

Outcome = Literal["right", "wrong"]
Simulator = Callable[[ExerciseSpec, KeySpec, np.random.Generator, Outcome], Any]


def _accepted(correct: Any) -> list[str]:
    return [correct] if isinstance(correct, str) else list(correct or [])


def _choice(spec: ExerciseSpec, key: KeySpec, rng: np.random.Generator, outcome: Outcome) -> Any:
    accepted = _accepted(key.correct)
    pool = accepted if outcome == "right" else [o for o in spec.options if o not in accepted]
    return {"choice": str(rng.choice(pool)), "why": ""}


def _checklist(spec: ExerciseSpec, key: KeySpec, rng: np.random.Generator, outcome: Outcome) -> Any:
    correct = set(key.correct or [])
    if outcome == "right":
        return {"selected": [o for o in spec.options if o in correct]}
    # wrong: miss the key and tick what does not belong, as a confused trainee would
    wrong = [o for o in spec.options if o not in correct]
    if not correct:
        wrong = wrong[: max(1, int(rng.integers(1, len(wrong) + 1)))]
    return {"selected": wrong}


def _matching(spec: ExerciseSpec, key: KeySpec, rng: np.random.Generator, outcome: Outcome) -> Any:
    correct: dict[str, Any] = dict(key.correct or {})
    right_items = [str(r) for r in spec.args.get("right") or []]
    if outcome == "right":
        return {"pairs": {left: _accepted(ok)[0] for left, ok in correct.items()}}
    # wrong: each need matched to a service that does not meet it (a plausible mix-up)
    pairs = {}
    for left in spec.options:
        wrong = [r for r in right_items if r not in _accepted(correct.get(left))]
        if wrong:
            pairs[str(left)] = str(rng.choice(wrong))
    return {"pairs": pairs}


def _ordering(spec: ExerciseSpec, key: KeySpec, rng: np.random.Generator, outcome: Outcome) -> Any:
    correct = [str(c) for c in key.correct or []]
    if outcome == "right":
        return {"order": correct}
    # wrong: a shuffled plan that is no better than chance (tau <= 0), else the reverse
    for _ in range(20):
        order = [str(x) for x in rng.permutation(correct)]
        if kendall_tau(order, correct) <= 0:
            return {"order": order}
    return {"order": correct[::-1]}


def _roleplay(spec: ExerciseSpec, key: KeySpec, rng: np.random.Generator, outcome: Outcome) -> Any:
    scenes, start = parse_scenes(spec.key, spec.args.get("scenes"), spec.args.get("start"))
    scores: dict[str, dict[str, float]] = dict(key.correct or {})

    def pick(scene: Scene) -> str:
        labels = list(scene.choices)
        marks = [float(scores.get(scene.id, {}).get(c, 0.0)) for c in labels]
        target = max(marks) if outcome == "right" else min(marks)
        return str(rng.choice([c for c, m in zip(labels, marks, strict=True) if m == target]))

    return roleplay_value([Attempt(walk(scenes, start, pick), True)])


SIMULATORS: dict[str, Simulator] = {
    "choice": _choice,
    "checklist": _checklist,
    "matching": _matching,
    "ordering": _ordering,
    "roleplay": _roleplay,
}


def simulate_value(
    spec: ExerciseSpec, key: KeySpec, rng: np.random.Generator, outcome: Outcome
) -> Any:
    return SIMULATORS[spec.kind](spec, key, rng, outcome)


COMMENTS = [
    "The case studies felt close to what we see on patrol.",
    "More time on interviewing with an interpreter would help.",
    "The data exercises were hard but useful for our analysts.",
    "I would like a session with our local NGO partners.",
    "",
    "",
]


def simulate_opinion(spec: ExerciseSpec, rng: np.random.Generator, ability: float) -> Any | None:
    """A survey answer (an exercise with no key): a point on the option scale, leaning to the upper
    end and a little higher for trainees who did well; an occasional comment in the why box.

    Returns None for kinds a survey does not use (nothing is saved for them)."""
    if spec.kind != "choice" or not spec.options:
        return None
    top = len(spec.options) - 1
    centre = 0.7 * top + 0.4 * ability
    index = int(np.clip(np.rint(rng.normal(centre, 0.9)), 0, top))
    why = str(rng.choice(COMMENTS)) if spec.args.get("why") else ""
    return {"choice": spec.options[index], "why": why}
