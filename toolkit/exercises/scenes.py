"""The scene tree of a role-play, as written in a notebook, checked once.

A role-play is a mapping of scene ids to scenes; each scene has a ``text`` and ``choices``, a
mapping of the choice's label to the id of the scene it leads to. A scene without choices is an
ending. The first scene (or ``start``) opens the role-play. Scenes may share a follow-up scene,
but no path may come back to a scene it has passed (no cycles), so every run ends.

This module does not import ipywidgets: the demo walks scene trees without a front end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from toolkit.errors import CttkError


@dataclass(frozen=True)
class Scene:
    """One scene: its id, what happens, and where each choice leads (empty for an ending)."""

    id: str
    text: str
    choices: dict[str, str]

    @property
    def ending(self) -> bool:
        return not self.choices


def parse_scenes(key: str, scenes: Any, start: str | None = None) -> tuple[dict[str, Scene], str]:
    """Check a literal scene tree and return it as :class:`Scene` objects with the start id.

    Raises:
        CttkError: the tree is empty, malformed, points at unknown scenes or has a cycle.
    """

    def bad(what: str) -> CttkError:
        return CttkError(f"role-play {key}: {what}", hint="see toolkit.exercises.scenes")

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


def _check_acyclic(scenes: dict[str, Scene], start: str, bad: Any) -> None:
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


def walk(scenes: dict[str, Scene], start: str, pick: Any) -> list[tuple[str, str]]:
    """Follow the tree from ``start`` to an ending, choosing with ``pick(scene) -> label``, and
    return the decisions taken as ``(scene id, choice label)`` pairs."""
    path: list[tuple[str, str]] = []
    sid = start
    while not scenes[sid].ending:
        label = pick(scenes[sid])
        path.append((sid, label))
        sid = scenes[sid].choices[label]
    return path
