"""Ordering: put the steps of a procedure (e.g. a joint case plan) in the right order."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as widgets

from toolkit.errors import CttkError
from toolkit.exercises.values import parse_ordering
from toolkit.exercises.widget import Exercise


class Ordering(Exercise):
    """A numbered list of items, each with "Move up" and "Move down" buttons, and a button to save
    the order as it stands (for a trainee who thinks the shown order is already right).

    The buttons stay in place while the items move through the rows, so a keyboard user can press
    the same button again to keep moving. The saved value is ``{"order": [items, first to last]}``.
    """

    kind: ClassVar[str] = "ordering"

    def __init__(
        self,
        key: str,
        prompt: str,
        items: Sequence[str],
        *,
        folder: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(key, prompt, folder=folder)
        if len(items) < 2 or len(set(items)) != len(items):
            raise CttkError(f"exercise {key}: give at least two distinct items")
        self.items = list(items)
        self.order = list(items)
        self.labels = [widgets.Label() for _ in self.items]
        self.up = [self._button("Move up", i, -1) for i in range(len(self.items))]
        self.down = [self._button("Move down", i, +1) for i in range(len(self.items))]
        self.up[0].disabled = True
        self.down[-1].disabled = True
        self.confirm = widgets.Button(
            description="Save this order",
            tooltip="Save the order shown as your answer",
            layout=widgets.Layout(width="auto"),
        )
        self.confirm.on_click(lambda _b: self._save(self.answer()))
        rows = [
            widgets.HBox([u, d, label])
            for u, d, label in zip(self.up, self.down, self.labels, strict=True)
        ]
        self._render()
        self._finish([*rows, self.confirm])

    def _button(self, text: str, row: int, step: int) -> widgets.Button:
        button = widgets.Button(description=text, layout=widgets.Layout(width="auto"))
        button.on_click(lambda _b: self.move(row, step))
        return button

    def _render(self) -> None:
        for row, item in enumerate(self.order):
            self.labels[row].value = f"{row + 1}. {item}"
            self.up[row].tooltip = f"Move up: {item}"
            self.down[row].tooltip = f"Move down: {item}"

    def move(self, row: int, step: int) -> None:
        """Swap the item in ``row`` with its neighbour ``step`` rows away (-1 up, +1 down)."""
        other = row + step
        if not 0 <= other < len(self.order):
            return
        self.order[row], self.order[other] = self.order[other], self.order[row]
        self._render()
        self._on_change()

    def answer(self) -> dict[str, Any]:
        return {"order": list(self.order)}

    def restore(self, value: Any) -> None:
        order = parse_ordering(value)
        if sorted(order) != sorted(self.items):
            raise ValueError("saved order does not hold this exercise's items")
        self.order = order
        self._render()
