"""Checks of widgets against the answer keys of hidden tests, and of shipped response files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from toolkit.exercises.keys import answer_keys, exercise_specs
from toolkit.exercises.registry import get_kind
from toolkit.settings import RESPONSE_FILENAME
from toolkit.validate.findings import Finding


def check_widgets(assignment: str, notebooks: dict[str, Any], *, survey: bool) -> list[Finding]:
    """Exercise ids unique within the assignment; every widget has an answer key in a hidden test,
    every answer key has a widget, and the key names only what the widget offers (a survey has
    widgets and no keys)."""
    out: list[Finding] = []
    specs = [(stem, s) for stem, nb in notebooks.items() for s in exercise_specs(nb)]
    keys = [(stem, k) for stem, nb in notebooks.items() for k in answer_keys(nb)]
    for exercise, n in sorted(Counter(s.exercise for _, s in specs).items()):
        if n > 1:
            out.append(
                Finding(
                    "widgets",
                    f"{assignment}: {exercise}",
                    f"{n} widgets use this exercise id: give each widget its own id",
                )
            )
    for exercise, n in sorted(Counter(k.exercise for _, k in keys).items()):
        if n > 1:
            out.append(
                Finding(
                    "widgets",
                    f"{assignment}: {exercise}",
                    f"the exercise is graded {n} times: grade each widget once",
                )
            )
    widget_kind = {s.exercise: s.kind for _, s in specs}
    key_kind = {k.exercise: k.kind for _, k in keys}
    if survey:
        for exercise in sorted(key_kind):
            out.append(
                Finding(
                    "widgets",
                    f"{assignment}: {exercise}",
                    "a survey is not graded: remove this grading call",
                )
            )
        return out
    correct = {k.exercise: k.correct for _, k in keys}
    for stem, s in specs:
        if s.exercise in correct:
            # Without this, a mistyped key would still validate: the simulated right answer
            # copies the key.
            stray = get_kind(s.kind).key_strays(s, correct[s.exercise])
            if stray:
                out.append(
                    Finding(
                        "widgets",
                        f"{stem}: {s.exercise}",
                        f"the key names {stray!r}, which the widget does not offer: "
                        "make the key and the widget agree",
                    )
                )
        if s.exercise not in key_kind:
            out.append(
                Finding(
                    "widgets",
                    f"{stem}: {s.exercise}",
                    "widget has no answer key: grade it in a hidden test of a grade cell",
                )
            )
        elif key_kind[s.exercise] != s.kind:
            out.append(
                Finding(
                    "widgets",
                    f"{stem}: {s.exercise}",
                    f"a {s.kind} widget is graded as {key_kind[s.exercise]}: "
                    "use the grading helper of its kind",
                )
            )
    for stem, k in keys:
        if k.exercise not in widget_kind:
            out.append(
                Finding(
                    "widgets",
                    f"{stem}: {k.exercise}",
                    f"answer key in {k.cell} has no widget: build the widget or remove the key",
                )
            )
    return out


def check_response_files(root: Path) -> list[Finding]:
    """No response file may be shipped in source/ or release/ (autograde would use it)."""
    out = []
    for top in ("source", "release"):
        for path in sorted((root / top).rglob(RESPONSE_FILENAME)) if (root / top).is_dir() else []:
            rel = path.relative_to(root)
            out.append(
                Finding(
                    "responses",
                    str(rel),
                    "a response file is shipped: delete it (answers belong to trainees)",
                )
            )
    return out
