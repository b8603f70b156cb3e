"""Exercise widgets whose answers are saved beside the notebook and survive autograde.

Every widget takes literal arguments, key first, then the prompt, then its structure, so that
:mod:`toolkit.exercises.keys` can read them from a notebook without running it:

- ``Choice(key, prompt, options, *, why=False)``
- ``Checklist(key, prompt, options)``
- ``Matching(key, prompt, left, right)``
- ``Ordering(key, prompt, items)``
- ``RolePlay(key, prompt, scenes, *, start=None)``

The widget classes are imported on first use, so :mod:`toolkit.exercises.values` and
:mod:`toolkit.exercises.scenes` can be used (by grading and analysis) without loading ipywidgets.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.exercises.kinds.checklist import Checklist
    from toolkit.exercises.kinds.choice import Choice
    from toolkit.exercises.kinds.matching import Matching
    from toolkit.exercises.kinds.ordering import Ordering
    from toolkit.exercises.kinds.roleplay import RolePlay
    from toolkit.exercises.widget import Exercise

_WHERE = {
    "Exercise": "toolkit.exercises.widget",
    "Checklist": "toolkit.exercises.kinds.checklist",
    "Choice": "toolkit.exercises.kinds.choice",
    "Matching": "toolkit.exercises.kinds.matching",
    "Ordering": "toolkit.exercises.kinds.ordering",
    "RolePlay": "toolkit.exercises.kinds.roleplay",
}

__all__ = ["Checklist", "Choice", "Exercise", "Matching", "Ordering", "RolePlay"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
