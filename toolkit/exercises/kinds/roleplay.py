"""Branching role-play: a tree of scenes (e.g. a first contact with a possible victim) in which each
choice leads to the next scene. The path taken is saved after every decision; the trainee can start
again, and the last completed attempt is the one that counts (see :mod:`toolkit.exercises.values`).
Scores are never saved: the hidden test's key gives the score of each decision."""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from typing import Any, ClassVar

import ipywidgets as widgets

from toolkit.exercises.scenes import Scene, parse_scenes
from toolkit.exercises.values import Attempt, counted_attempt, parse_roleplay, roleplay_value
from toolkit.exercises.widget import Exercise


class RolePlay(Exercise):
    """Play through ``scenes`` from ``start`` (default: the first scene).

    ``scenes`` is a literal dict ``{scene_id: {"text": ..., "choices": {label: next_scene_id}}}``;
    a scene without choices is an ending. Each choice is a button (Tab to reach it, Enter or Space
    to press it); "Start again" begins a new attempt and keeps the earlier ones.
    """

    kind: ClassVar[str] = "roleplay"

    def __init__(
        self,
        key: str,
        prompt: str,
        scenes: Mapping[str, Any],
        *,
        start: str | None = None,
        folder: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(key, prompt, folder=folder)
        self.scenes, self.start = parse_scenes(key, scenes, start)
        self.attempts: list[Attempt] = []
        self.scene_text = widgets.HTML()
        self.choices = widgets.VBox()
        self.history = widgets.HTML()
        self.restart = widgets.Button(
            description="Start again",
            tooltip="Start a new attempt; your last completed attempt is the one that counts",
            layout=widgets.Layout(width="auto"),
        )
        self.restart.on_click(lambda _b: self.start_again())
        self._render()
        self._finish([self.scene_text, self.choices, self.history, self.restart])

    # -- state ----------------------------------------------------------------------------------
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
        """Begin a new attempt at the start scene (earlier attempts stay saved)."""
        if not self.attempts or not self.attempts[-1].path:
            return
        self.attempts.append(Attempt([], False))
        self._render()
        self._on_change()

    # -- Exercise interface -----------------------------------------------------------------------
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

    # -- display ----------------------------------------------------------------------------------
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
        for label in scene.choices:
            button = widgets.Button(
                description=label, tooltip=f"Choose: {label}", layout=widgets.Layout(width="auto")
            )
            button.on_click(lambda _b, label=label: self.choose(label))
            buttons.append(button)
        self.choices.children = buttons
        self.history.value = self._history_html()

    def _history_html(self) -> str:
        if not self.attempts:
            return ""
        number = len(self.attempts)
        steps = "".join(f"<li>{html.escape(c)}</li>" for _s, c in self.attempts[-1].path)
        counted = counted_attempt(self.attempts)
        note = (
            "the last completed attempt counts"
            if counted is not None and counted.completed
            else "no attempt completed yet"
        )
        return (
            f"<div class='cttk-history'>Attempt {number} ({note}). Your decisions:"
            f"<ol>{steps}</ol></div>"
        )
