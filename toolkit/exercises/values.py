"""The shape of each kind of saved answer, checked in one place.

A saved value comes from the trainee's response file, so every reader (a widget restoring itself,
a grading helper, the response-data loader) parses it through these functions, which either return
plain, well-typed data or raise :class:`~toolkit.errors.ResponseError`. This module does not import
ipywidgets, so grading and analysis can use it without a front end.

Saved values, by kind:

- ``choice``: ``{"choice": option, "why": text}``
- ``checklist``: ``{"selected": [option, ...]}``
- ``matching``: ``{"pairs": {left: right, ...}}`` (unmatched left items are absent)
- ``ordering``: ``{"order": [item, ...]}`` (every item exactly once)
- ``roleplay``: ``{"attempts": [{"path": [{"scene": id, "choice": label}, ...],
  "completed": bool}, ...]}``

Role-play rule: **the last completed attempt counts**; when no attempt has been completed, the
latest attempt counts as far as it went (decisions not taken earn nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.errors import ResponseError

#: The most role-play attempts a saved value may hold (older attempts are dropped on save).
MAX_ATTEMPTS = 20
#: The most decisions one role-play attempt may hold.
MAX_PATH = 100


def _fail(kind: str, what: str) -> ResponseError:
    return ResponseError(
        f"saved {kind} answer {what}", hint="answer the exercise again in the notebook"
    )


def _field(value: Any, kind: str, name: str) -> Any:
    if not isinstance(value, Mapping) or name not in value:
        raise _fail(kind, f"has no {name!r} field")
    return value[name]


def _strings(items: Any, kind: str, name: str) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise _fail(kind, f"field {name!r} is not a list of texts")
    return list(items)


def parse_choice(value: Any) -> tuple[str, str]:
    """``(choice, why)`` of a saved choice answer."""
    choice = _field(value, "choice", "choice")
    if not isinstance(choice, str):
        raise _fail("choice", "has no chosen option")
    why = value.get("why", "")
    return choice, why if isinstance(why, str) else ""


def parse_checklist(value: Any) -> list[str]:
    """The ticked options of a saved checklist answer."""
    return _strings(_field(value, "checklist", "selected"), "checklist", "selected")


def parse_matching(value: Any) -> dict[str, str]:
    """The ``left -> right`` pairs of a saved matching answer."""
    pairs = _field(value, "matching", "pairs")
    if not isinstance(pairs, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()
    ):
        raise _fail("matching", "field 'pairs' is not a mapping of texts to texts")
    return dict(pairs)


def parse_ordering(value: Any) -> list[str]:
    """The items of a saved ordering answer, first to last (no repeats)."""
    order = _strings(_field(value, "ordering", "order"), "ordering", "order")
    if len(set(order)) != len(order):
        raise _fail("ordering", "repeats an item")
    return order


@dataclass(frozen=True)
class Attempt:
    """One run through a role-play: the decisions taken and whether an ending was reached."""

    path: list[tuple[str, str]]
    completed: bool


def parse_roleplay(value: Any) -> list[Attempt]:
    """Every attempt of a saved role-play answer, oldest first."""
    attempts = _field(value, "roleplay", "attempts")
    if not isinstance(attempts, list) or len(attempts) > MAX_ATTEMPTS:
        raise _fail("roleplay", f"field 'attempts' is not a list of at most {MAX_ATTEMPTS}")
    parsed = []
    for attempt in attempts:
        path = _field(attempt, "roleplay", "path")
        completed = attempt.get("completed", False)
        if not isinstance(path, list) or len(path) > MAX_PATH or not isinstance(completed, bool):
            raise _fail("roleplay", "holds an attempt of the wrong shape")
        steps = []
        for step in path:
            scene, choice = _field(step, "roleplay", "scene"), _field(step, "roleplay", "choice")
            if not isinstance(scene, str) or not isinstance(choice, str):
                raise _fail("roleplay", "holds a decision that is not a scene and a choice")
            steps.append((scene, choice))
        parsed.append(Attempt(steps, completed))
    return parsed


def counted_attempt(attempts: list[Attempt]) -> Attempt | None:
    """The attempt that counts: the last completed one, else the latest one, else None."""
    for attempt in reversed(attempts):
        if attempt.completed:
            return attempt
    return attempts[-1] if attempts else None


def roleplay_value(attempts: list[Attempt]) -> dict[str, Any]:
    """The JSON value saved for ``attempts`` (keeping the newest :data:`MAX_ATTEMPTS`)."""
    return {
        "attempts": [
            {
                "path": [{"scene": s, "choice": c} for s, c in a.path],
                "completed": a.completed,
            }
            for a in attempts[-MAX_ATTEMPTS:]
        ]
    }


PARSERS: dict[str, Any] = {
    "choice": parse_choice,
    "checklist": parse_checklist,
    "matching": parse_matching,
    "ordering": parse_ordering,
    "roleplay": parse_roleplay,
}
