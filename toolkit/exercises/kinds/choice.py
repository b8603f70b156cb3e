"""Single choice per scenario, with an optional short "why" box."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as widgets

from toolkit.errors import CttkError
from toolkit.exercises.values import parse_choice
from toolkit.exercises.widget import Exercise


class Choice(Exercise):
    """Pick one option for a scenario; optionally say why in a few words.

    The saved value is ``{"choice": option, "why": text}``.
    """

    kind: ClassVar[str] = "choice"

    def __init__(
        self,
        key: str,
        prompt: str,
        options: Sequence[str],
        *,
        why: bool = False,
        folder: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(key, prompt, folder=folder)
        if len(options) < 2 or len(set(options)) != len(options):
            raise CttkError(f"exercise {key}: give at least two distinct options")
        self.options = list(options)
        self.radio = widgets.RadioButtons(
            options=self.options,
            value=None,
            description="Answer",
            layout=widgets.Layout(width="auto"),
            style={"description_width": "initial"},
        )
        self.radio.observe(self._on_change, names="value")
        controls: list[widgets.Widget] = [self.radio]
        self.why: widgets.Text | None = None
        if why:
            self.why = widgets.Text(
                placeholder="Why? (one line, optional)",
                description="Why",
                continuous_update=False,
                layout=widgets.Layout(width="95%"),
            )
            self.why.observe(self._on_change, names="value")
            controls.append(self.why)
        self._finish(controls)

    def answer(self) -> dict[str, Any] | None:
        if self.radio.value is None:
            return None
        return {"choice": self.radio.value, "why": self.why.value if self.why else ""}

    def restore(self, value: Any) -> None:
        choice, why = parse_choice(value)
        if choice not in self.options:
            raise ValueError(choice)
        self.radio.value = choice
        if self.why is not None:
            self.why.value = why[:500]
