"""Checks of widgets against the answer keys of hidden tests, and of shipped response files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from ..keys import answer_keys, exercise_specs
from ..settings import RESPONSE_FILENAME
from .findings import Finding


def check_widgets(assignment: str, notebooks: dict[str, Any], *, survey: bool) -> list[Finding]:
    """Widget keys unique within the assignment; every widget has an answer key in a hidden test and
    every answer key has a widget (a survey has widgets and no keys)."""
    out: list[Finding] = []
    specs = [(stem, s) for stem, nb in notebooks.items() for s in exercise_specs(nb)]
    keys = [(stem, k) for stem, nb in notebooks.items() for k in answer_keys(nb)]
    for key, n in sorted(Counter(s.key for _, s in specs).items()):
        if n > 1:
            out.append(
                Finding(
                    "widgets",
                    f"{assignment}: {key}",
                    f"{n} widgets use this key: give each widget its own key",
                )
            )
    for key, n in sorted(Counter(k.key for _, k in keys).items()):
        if n > 1:
            out.append(
                Finding(
                    "widgets",
                    f"{assignment}: {key}",
                    f"the key is graded {n} times: grade each widget once",
                )
            )
    widget_kind = {s.key: s.kind for _, s in specs}
    key_kind = {k.key: k.kind for _, k in keys}
    if survey:
        for key in sorted(key_kind):
            out.append(
                Finding(
                    "widgets",
                    f"{assignment}: {key}",
                    "a survey is not graded: remove this grading call",
                )
            )
        return out
    correct = {k.key: k.correct for _, k in keys}
    for stem, s in specs:
        if s.key in correct and s.kind in ("choice", "checklist"):
            answer = correct[s.key]
            wanted = [answer] if isinstance(answer, str) else list(answer or [])
            missing = [w for w in wanted if w not in s.options]
            if missing:
                out.append(
                    Finding(
                        "widgets",
                        f"{stem}: {s.key}",
                        f"the key names {missing[0]!r}, which is not an option of the widget: "
                        "make the key and the options agree",
                    )
                )
        if s.key not in key_kind:
            out.append(
                Finding(
                    "widgets",
                    f"{stem}: {s.key}",
                    "widget has no answer key: grade it in a hidden test of a grade cell",
                )
            )
        elif key_kind[s.key] != s.kind:
            out.append(
                Finding(
                    "widgets",
                    f"{stem}: {s.key}",
                    f"a {s.kind} widget is graded as {key_kind[s.key]}: use the grading helper of its kind",
                )
            )
    for stem, k in keys:
        if k.key not in widget_kind:
            out.append(
                Finding(
                    "widgets",
                    f"{stem}: {k.key}",
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
