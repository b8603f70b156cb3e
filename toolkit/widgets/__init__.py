"""Exercise widgets whose answers are saved beside the notebook and survive autograde.

Every widget takes literal arguments, key first, then the prompt, then its structure, so that
:mod:`toolkit.keys` can read them from a notebook without running it:

- ``Choice(key, prompt, options, *, why=False)``
- ``Checklist(key, prompt, options)``
- ``Matching(key, prompt, left, right)``
- ``Ordering(key, prompt, items)``
- ``RolePlay(key, prompt, scenes, *, start=None)``

The widget classes are imported on first use, so :mod:`toolkit.widgets.values` and
:mod:`toolkit.widgets.scenes` can be used (by grading and analysis) without loading ipywidgets.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import Exercise
    from .checklist import Checklist
    from .choice import Choice
    from .matching import Matching
    from .ordering import Ordering
    from .roleplay import RolePlay

_WHERE = {
    "Exercise": "base",
    "Checklist": "checklist",
    "Choice": "choice",
    "Matching": "matching",
    "Ordering": "ordering",
    "RolePlay": "roleplay",
}

__all__ = ["Checklist", "Choice", "Exercise", "Matching", "Ordering", "RolePlay"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
