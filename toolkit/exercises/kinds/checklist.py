"""Multi-select checklist: tick every option that applies (indicators, elements of an offence)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as widgets

from toolkit.errors import CttkError
from toolkit.exercises.values import parse_checklist
from toolkit.exercises.widget import Exercise


class Checklist(Exercise):
    """Tick all options that apply. The saved value is ``{"selected": [options in display order]}``.

    An empty selection is a real answer ("none apply") once the trainee has touched the list.
    """

    kind: ClassVar[str] = "checklist"

    def __init__(
        self,
        key: str,
        prompt: str,
        options: Sequence[str],
        *,
        folder: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(key, prompt, folder=folder)
        if not options or len(set(options)) != len(options):
            raise CttkError(f"exercise {key}: give at least one option, without repeats")
        self.options = list(options)
        self.boxes = [
            widgets.Checkbox(value=False, description=o, indent=False, layout={"width": "auto"})
            for o in self.options
        ]
        for box in self.boxes:
            box.observe(self._on_change, names="value")
        self._finish(self.boxes)

    def answer(self) -> dict[str, Any]:
        return {"selected": [o for o, b in zip(self.options, self.boxes, strict=True) if b.value]}

    def restore(self, value: Any) -> None:
        selected = parse_checklist(value)
        for option, box in zip(self.options, self.boxes, strict=True):
            box.value = option in selected
