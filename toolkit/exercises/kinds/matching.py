"""Matching: pair each item on the left (e.g. a victim's needs) with one on the right (services)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as widgets

from toolkit.errors import CttkError
from toolkit.exercises.values import parse_matching
from toolkit.exercises.widget import Exercise

#: What an unmatched dropdown shows.
UNMATCHED = "(choose)"


class Matching(Exercise):
    """One labelled dropdown per left item, offering the right items.

    The saved value is ``{"pairs": {left: right}}`` with only the matched left items; a right item
    may be used for several left items. Setting a dropdown back to "(choose)" unmatches it.
    """

    kind: ClassVar[str] = "matching"

    def __init__(
        self,
        key: str,
        prompt: str,
        left: Sequence[str],
        right: Sequence[str],
        *,
        folder: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(key, prompt, folder=folder)
        if not left or len(set(left)) != len(left) or len(set(right)) != len(right) or not right:
            raise CttkError(f"exercise {key}: give distinct left items and distinct right items")
        if UNMATCHED in right:
            raise CttkError(f"exercise {key}: {UNMATCHED!r} cannot be a right item")
        self.left, self.right = list(left), list(right)
        self.dropdowns = [
            widgets.Dropdown(
                options=[UNMATCHED, *self.right],
                value=UNMATCHED,
                description=item,
                tooltip=f"Match: {item}",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto"),
            )
            for item in self.left
        ]
        for dropdown in self.dropdowns:
            dropdown.observe(self._on_change, names="value")
        self._finish(self.dropdowns)

    def answer(self) -> dict[str, Any]:
        return {
            "pairs": {
                item: d.value
                for item, d in zip(self.left, self.dropdowns, strict=True)
                if d.value != UNMATCHED
            }
        }

    def restore(self, value: Any) -> None:
        pairs = parse_matching(value)
        if any(k not in self.left or v not in self.right for k, v in pairs.items()):
            raise ValueError("saved pairs do not fit this exercise")
        for item, dropdown in zip(self.left, self.dropdowns, strict=True):
            dropdown.value = pairs.get(item, UNMATCHED)
