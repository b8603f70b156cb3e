"""Role-play: a tree of scenes (e.g. a first contact with a possible victim) in which each choice
leads to the next scene.

- Widget: ``RolePlay(exercise, prompt, scenes, *, start=None)``. ``scenes`` is a literal dict
  ``{scene_id: {"text": ..., "choices": {label: next_scene_id}}}``; a scene without choices is an
  ending and the first scene (or ``start``) opens the role-play. Each scene's buttons are shown
  in an order shuffled per trainee and per scene, as the choice widget does
  (:mod:`toolkit.exercises.shuffle`, seeded with ``"<exercise>:<scene id>"``). Scenes may share a follow-up
  scene, but no path may come back to a scene it has passed (no cycles), so every run ends
  (:func:`parse_scenes`). The path taken is saved after every decision. Once an attempt has
  reached an ending the trainee can start again, as practice.
- Saved value: ``{"attempts": [{"path": [{"scene": id, "choice": label}, ...],
  "completed": bool}, ...]}``. Scores are never saved.
- Key: ``grade_roleplay(exercise, scores={scene_id: {label: score}}, points=1)``.
- Score: the sum of the key's scores for the decisions on the counted attempt, each scene counted
  once, clamped to ``[0, points]`` (:func:`roleplay_score`). **The first completed attempt
  counts**: later attempts are practice, saved and shown as such but never graded, so replaying
  the scenes to full marks is not possible. When no attempt has been completed, the first attempt
  counts as far as it went (decisions not taken earn nothing).
- Option rows: one per decision of the counted attempt, with the choice's label, its position and
  scene, correct when it is a best-scoring choice of its scene by the key.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from toolkit.errors import CttkError, GradingError
from toolkit.exercises.grading import Folder, check_points, clamp, grade_saved, zero_points
from toolkit.exercises.kinds.base import ExerciseKind, Outcome, Row, saved_field, saved_value_error
from toolkit.settings import ROLEPLAY_MAX_ATTEMPTS, ROLEPLAY_MAX_PATH

if TYPE_CHECKING:
    import os
    from collections.abc import Callable

    import numpy as np

    from toolkit.exercises.keys import AnswerKey, ExerciseSpec
    from toolkit.exercises.widget import Exercise


# -- the scene tree -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scene:
    """One scene: its id, what happens, and where each choice leads (empty for an ending)."""

    id: str
    text: str
    choices: dict[str, str]

    @property
    def ending(self) -> bool:
        return not self.choices


def parse_scenes(
    exercise: str, scenes: Any, start: str | None = None
) -> tuple[dict[str, Scene], str]:
    """Check a literal scene tree and return it as :class:`Scene` objects with the start id.

    Raises:
        CttkError: the tree is empty, malformed, points at unknown scenes or has a cycle.
    """

    def bad(what: str) -> CttkError:
        return CttkError(
            f"role-play {exercise}: {what}", hint="see toolkit.exercises.kinds.roleplay"
        )

    if not isinstance(scenes, Mapping) or not scenes:
        raise bad("give the scenes as a non-empty dict of scene id -> scene")
    parsed: dict[str, Scene] = {}
    for sid, scene in scenes.items():
        if not isinstance(sid, str) or not isinstance(scene, Mapping):
            raise bad(f"scene {sid!r} is not a dict")
        text, choices = scene.get("text", ""), scene.get("choices", {}) or {}
        if not isinstance(text, str) or not isinstance(choices, Mapping):
            raise bad(f"scene {sid!r} needs a text and a dict of choice -> next scene")
        if not all(isinstance(c, str) and isinstance(n, str) for c, n in choices.items()):
            raise bad(f"scene {sid!r}: choices and next scenes must be texts")
        parsed[sid] = Scene(sid, text, dict(choices))
    first = start if start is not None else next(iter(parsed))
    if first not in parsed:
        raise bad(f"start scene {first!r} does not exist")
    for scene in parsed.values():
        for label, target in scene.choices.items():
            if target not in parsed:
                raise bad(f"choice {label!r} of scene {scene.id!r} leads to unknown {target!r}")
    _check_acyclic(parsed, first, bad)
    return parsed, first


def _check_acyclic(scenes: dict[str, Scene], start: str, bad: Callable[[str], CttkError]) -> None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(sid: str) -> None:
        state[sid] = 1
        for target in scenes[sid].choices.values():
            if state.get(target) == 1:
                raise bad(f"scene {target!r} can be reached again from {sid!r} (a cycle)")
            if target not in state:
                visit(target)
        state[sid] = 2

    visit(start)


def walk(
    scenes: dict[str, Scene], start: str, pick: Callable[[Scene], str]
) -> list[tuple[str, str]]:
    """Follow the tree from ``start`` to an ending, choosing with ``pick(scene) -> label``, and
    return the decisions taken as ``(scene id, choice label)`` pairs."""
    path: list[tuple[str, str]] = []
    sid = start
    while not scenes[sid].ending:
        label = pick(scenes[sid])
        path.append((sid, label))
        sid = scenes[sid].choices[label]
    return path


# -- the saved value ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attempt:
    """One run through a role-play: the decisions taken and whether an ending was reached."""

    path: list[tuple[str, str]]
    completed: bool


def parse_roleplay(value: Any) -> list[Attempt]:
    """Every attempt of a saved role-play answer, oldest first."""
    attempts = saved_field(value, "roleplay", "attempts")
    if not isinstance(attempts, list) or len(attempts) > ROLEPLAY_MAX_ATTEMPTS:
        raise saved_value_error(
            "roleplay", f"field 'attempts' is not a list of at most {ROLEPLAY_MAX_ATTEMPTS}"
        )
    parsed = []
    for attempt in attempts:
        path = saved_field(attempt, "roleplay", "path")
        completed = attempt.get("completed", False)
        if (
            not isinstance(path, list)
            or len(path) > ROLEPLAY_MAX_PATH
            or not isinstance(completed, bool)
        ):
            raise saved_value_error("roleplay", "holds an attempt of the wrong shape")
        steps = []
        for step in path:
            scene, choice = (
                saved_field(step, "roleplay", "scene"),
                saved_field(step, "roleplay", "choice"),
            )
            if not isinstance(scene, str) or not isinstance(choice, str):
                raise saved_value_error(
                    "roleplay", "holds a decision that is not a scene and a choice"
                )
            steps.append((scene, choice))
        parsed.append(Attempt(steps, completed))
    return parsed


def counted_index(attempts: Sequence[Attempt]) -> int | None:
    """Index of the attempt that counts: the first completed one, else the first one, else None."""
    for i, attempt in enumerate(attempts):
        if attempt.completed:
            return i
    return 0 if attempts else None


def counted_attempt(attempts: Sequence[Attempt]) -> Attempt | None:
    """The attempt that counts (see :func:`counted_index`); every other one is practice."""
    index = counted_index(attempts)
    return attempts[index] if index is not None else None


def kept_attempts(attempts: Sequence[Attempt], limit: int = ROLEPLAY_MAX_ATTEMPTS) -> list[Attempt]:
    """At most ``limit`` attempts: the counted one and the newest practice attempts after it
    (the oldest practice attempts are dropped first, the counted one never)."""
    index = counted_index(attempts)
    if index is None or len(attempts) <= limit:
        return list(attempts)
    later = list(attempts[index + 1 :])
    return [attempts[index], *(later[len(later) - (limit - 1) :] if limit > 1 else [])]


def roleplay_value(attempts: Sequence[Attempt]) -> dict[str, Any]:
    """The JSON value saved for ``attempts`` (at most :data:`~toolkit.settings.ROLEPLAY_MAX_ATTEMPTS`
    of them, see :func:`kept_attempts`)."""
    return {
        "attempts": [
            {
                "path": [{"scene": s, "choice": c} for s, c in a.path],
                "completed": a.completed,
            }
            for a in kept_attempts(attempts)
        ]
    }


# -- scoring --------------------------------------------------------------------------------------
def roleplay_score(
    path: Sequence[tuple[str, str]],
    scores: Mapping[str, Mapping[str, float]],
    points: float,
) -> float:
    """Sum of the key's score for each decision on ``path`` (first visit of a scene only; a
    decision the key does not list scores 0), clamped to ``[0, points]``."""
    seen: set[str] = set()
    earned = 0.0
    for scene, choice in path:
        if scene in seen:
            continue
        seen.add(scene)
        earned += float(scores.get(scene, {}).get(choice, 0.0))
    return clamp(earned, points)


def decision_best(scores: Mapping[str, Mapping[str, float]], scene: str, choice: str) -> bool:
    """Whether ``choice`` is a best-scoring decision of ``scene`` according to the key."""
    options = scores.get(scene, {})
    return bool(options) and choice in options and options[choice] >= max(options.values())


def grade_roleplay(
    exercise: str,
    *,
    scores: Mapping[str, Mapping[str, float]],
    points: float = 1,
    folder: Folder = None,
) -> float:
    """Score the counted attempt of a role-play: see :func:`roleplay_score`. ``scores`` maps each
    scene id to ``{choice label: score}``."""
    points = check_points(exercise, points)
    if not isinstance(scores, Mapping) or not all(
        isinstance(s, Mapping)
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in s.values())
        for s in scores.values()
    ):
        raise GradingError(f"grading {exercise}: give scores as {{scene: {{choice: number}}}}")

    def score(value: Any) -> float:
        attempt = counted_attempt(parse_roleplay(value))
        if attempt is None or not attempt.path:
            return zero_points(exercise, "the role-play was not started")
        if not attempt.completed:
            print(
                f"[{exercise}] no attempt was completed; the first attempt counts as far as it went"
            )
        return roleplay_score(attempt.path, scores, points)

    return grade_saved(exercise, "roleplay", folder, score)


def roleplay_rows(value: Any, key: AnswerKey | None) -> tuple[list[Row], float | None]:
    attempt = counted_attempt(parse_roleplay(value))
    path = attempt.path if attempt is not None else []
    scores: Mapping[str, Any] = (
        key.correct if key is not None and isinstance(key.correct, Mapping) else {}
    )
    rows: list[Row] = [
        {
            "option": choice,
            "correct": decision_best(scores, scene, choice) if key is not None else None,
            "position": i + 1,
            "scene": scene,
        }
        for i, (scene, choice) in enumerate(path)
    ]
    return rows, roleplay_score(path, scores, key.points) if key is not None else None


# -- the demo and validate ------------------------------------------------------------------------
def simulate_roleplay(
    spec: ExerciseSpec, key: AnswerKey, rng: np.random.Generator, outcome: Outcome
) -> Any:
    """One completed attempt taking, in every scene, a best-scoring choice by the key (right) or
    a worst-scoring one (wrong); ties are drawn at random."""
    scenes, start = parse_scenes(spec.exercise, spec.args.get("scenes"), spec.args.get("start"))
    scores: dict[str, dict[str, float]] = dict(key.correct or {})

    def pick(scene: Scene) -> str:
        labels = list(scene.choices)
        marks = [float(scores.get(scene.id, {}).get(c, 0.0)) for c in labels]
        target = max(marks) if outcome == "right" else min(marks)
        return str(rng.choice([c for c, m in zip(labels, marks, strict=True) if m == target]))

    return roleplay_value([Attempt(walk(scenes, start, pick), True)])


def roleplay_key_strays(spec: ExerciseSpec, correct: Any) -> str | None:
    if not isinstance(correct, dict):
        return None
    scenes = spec.args.get("scenes") or {}
    strays = []
    for scene, choices in correct.items():
        if scene not in scenes:
            strays.append(scene)
            continue
        offered = set((scenes[scene] or {}).get("choices") or {})
        strays += [f"{scene}: {c}" for c in (choices or {}) if c not in offered]
    return str(strays[0]) if strays else None


# -- the widget -----------------------------------------------------------------------------------
def roleplay_widget() -> type[Exercise]:
    import ipywidgets as widgets

    from toolkit.exercises.shuffle import display_order
    from toolkit.exercises.widget import Exercise

    class RolePlay(Exercise):
        """Play through ``scenes`` from ``start`` (default: the first scene).

        Each choice is a button (Tab to reach it, Enter or Space to press it); "Start again"
        begins a new attempt and keeps the earlier ones.
        """

        kind: ClassVar[str] = "roleplay"

        def __init__(
            self,
            exercise: str,
            prompt: str,
            scenes: Mapping[str, Any],
            *,
            start: str | None = None,
            folder: str | os.PathLike[str] | None = None,
        ) -> None:
            super().__init__(exercise, prompt, folder=folder)
            self.scenes, self.start = parse_scenes(exercise, scenes, start)
            self.attempts: list[Attempt] = []
            self.scene_text = widgets.HTML()
            self.choices = widgets.VBox()
            self.history = widgets.HTML()
            self.restart = widgets.Button(
                description="Practise again",
                tooltip="Start a practice attempt; your first completed attempt is the one graded",
                layout=widgets.Layout(width="auto"),
                disabled=True,
            )
            self.restart.on_click(lambda _b: self.start_again())
            self._render()
            self._finish([self.scene_text, self.choices, self.history, self.restart])

        # -- state ------------------------------------------------------------------------------
        @property
        def current(self) -> Scene:
            """The scene the latest attempt has reached (the start scene before any decision)."""
            sid = self.start
            if self.attempts:
                for _scene, label in self.attempts[-1].path:
                    sid = self.scenes[sid].choices[label]
            return self.scenes[sid]

        def choose(self, label: str) -> None:
            """Take the choice ``label`` in the current scene and save the path."""
            scene = self.current
            if label not in scene.choices:
                raise ValueError(f"{label!r} is not a choice of scene {scene.id!r}")
            if not self.attempts or self.attempts[-1].completed:
                self.attempts.append(Attempt([], False))
            path = [*self.attempts[-1].path, (scene.id, label)]
            ended = self.scenes[scene.choices[label]].ending
            self.attempts[-1] = Attempt(path, ended)
            self._render()
            self._on_change()

        def start_again(self) -> None:
            """Begin a practice attempt at the start scene (earlier attempts stay saved). Only
            once an attempt has been completed: the graded attempt cannot be abandoned halfway
            for a fresh start."""
            if not any(a.completed for a in self.attempts) or not self.attempts[-1].path:
                return
            self.attempts.append(Attempt([], False))
            self._render()
            self._on_change()

        # -- Exercise interface -----------------------------------------------------------------
        def answer(self) -> dict[str, Any] | None:
            return roleplay_value(self.attempts) if self.attempts else None

        def restore(self, value: Any) -> None:
            attempts = parse_roleplay(value)
            for attempt in attempts:
                self._check_path(attempt)
            self.attempts = attempts
            self._render()

        def _check_path(self, attempt: Attempt) -> None:
            sid = self.start
            for scene, label in attempt.path:
                if scene != sid or label not in self.scenes[sid].choices:
                    raise ValueError("saved path does not follow this role-play's scenes")
                sid = self.scenes[sid].choices[label]
            if attempt.completed != self.scenes[sid].ending:
                raise ValueError("saved attempt's completion does not match its path")

        # -- display ----------------------------------------------------------------------------
        def _render(self) -> None:
            scene = self.current
            ending = " <strong>(end of this attempt)</strong>" if scene.ending else ""
            self.scene_text.value = (
                f"<div class='cttk-scene' role='region' aria-live='polite' aria-label='Scene'>"
                f"{html.escape(scene.text)}{ending}</div>"
            )
            for old in self.choices.children:
                old.close()
            buttons = []
            for label in display_order(list(scene.choices), f"{self.exercise}:{scene.id}"):
                button = widgets.Button(
                    description=label,
                    tooltip=f"Choose: {label}",
                    layout=widgets.Layout(width="auto"),
                )
                button.on_click(lambda _b, label=label: self.choose(label))
                buttons.append(button)
            self.choices.children = buttons
            self.history.value = self._history_html()
            self.restart.disabled = not (
                any(a.completed for a in self.attempts) and self.attempts[-1].path
            )

        def attempt_label(self, index: int) -> str:
            """How attempt ``index`` (0-based) is shown: graded or practice."""
            counted = counted_index(self.attempts)
            if index == counted:
                return "graded" if self.attempts[index].completed else "graded when completed"
            return "practice, not graded"

        def _history_html(self) -> str:
            if not self.attempts:
                return ""
            index = len(self.attempts) - 1
            steps = "".join(f"<li>{html.escape(c)}</li>" for _s, c in self.attempts[index].path)
            return (
                f"<div class='cttk-history'>Attempt {index + 1} "
                f"(<span class='cttk-attempt-status'>{self.attempt_label(index)}</span>). "
                f"Your decisions:<ol>{steps}</ol></div>"
            )

    return RolePlay


KIND = ExerciseKind(
    name="roleplay",
    widget_name="RolePlay",
    structure=("scenes",),
    widget_factory=roleplay_widget,
    grader=grade_roleplay,
    parse=parse_roleplay,
    score=roleplay_score,
    option_rows=roleplay_rows,
    simulate=simulate_roleplay,
    key_strays=roleplay_key_strays,
    key_argument="scores",
)
