"""validate refuses answer keys that name what the widget does not offer, for every kind."""

from __future__ import annotations

from typing import Any

import pytest

from toolkit.exercises.keys import ExerciseSpec
from toolkit.exercises.registry import get_kind

SCENES = {
    "a": {"text": "t", "choices": {"go": "b", "stay": "b"}},
    "b": {"text": "end", "choices": {}},
}
SPECS = {
    "choice": ExerciseSpec("k", "choice", ["x", "y"]),
    "checklist": ExerciseSpec("k", "checklist", ["x", "y", "z"]),
    "matching": ExerciseSpec(
        "k", "matching", ["need"], args={"left": ["need"], "right": ["s1", "s2"]}
    ),
    "ordering": ExerciseSpec("k", "ordering", ["1", "2", "3"], args={"items": ["1", "2", "3"]}),
    "roleplay": ExerciseSpec("k", "roleplay", ["a", "b"], args={"scenes": SCENES}),
}


@pytest.mark.parametrize(
    ("kind", "good", "bad", "stray"),
    [
        ("choice", "x", "w", "w"),
        ("checklist", ["x", "z"], ["x", "q"], "q"),
        ("matching", {"need": "s2"}, {"need": "s9"}, "s9"),
        ("matching", {"need": ["s1", "s2"]}, {"other": "s1"}, "other"),
        ("ordering", ["3", "1", "2"], ["3", "1", "4"], "4"),
        ("ordering", ["3", "1", "2"], ["3", "1"], "an order that leaves out some items"),
        ("roleplay", {"a": {"go": 1}}, {"a": {"run": 1}}, "a: run"),
        ("roleplay", {"a": {"go": 1}}, {"c": {"go": 1}}, "c"),
    ],
)
def test_key_strays(kind: str, good: Any, bad: Any, stray: str) -> None:
    key_strays = get_kind(kind).key_strays
    assert key_strays(SPECS[kind], good) is None
    assert key_strays(SPECS[kind], bad) == stray
