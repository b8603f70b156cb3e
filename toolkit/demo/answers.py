"""What a simulated trainee answers to each kind of exercise, right or wrong.

Each simulator takes the exercise (its options), the key from the hidden test, a random generator
and the intended outcome, and returns the value the widget would save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from ..keys import ExerciseSpec, KeySpec

Outcome = Literal["right", "wrong"]
Simulator = Callable[[ExerciseSpec, KeySpec, np.random.Generator, Outcome], Any]


def _choice(spec: ExerciseSpec, key: KeySpec, rng: np.random.Generator, outcome: Outcome) -> Any:
    accepted = [key.correct] if isinstance(key.correct, str) else list(key.correct)
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


SIMULATORS: dict[str, Simulator] = {"choice": _choice, "checklist": _checklist}


def simulate_value(
    spec: ExerciseSpec, key: KeySpec, rng: np.random.Generator, outcome: Outcome
) -> Any:
    return SIMULATORS[spec.kind](spec, key, rng, outcome)
