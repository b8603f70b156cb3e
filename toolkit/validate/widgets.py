"""Checks of widgets against the answer keys of hidden tests, and of shipped response files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from toolkit.exercises.keys import ExerciseSpec, answer_keys, exercise_specs
from toolkit.settings import RESPONSE_FILENAME
from toolkit.validate.findings import Finding


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
        if s.key in correct:
            stray = key_strays(s, correct[s.key])
            if stray:
                out.append(
                    Finding(
                        "widgets",
                        f"{stem}: {s.key}",
                        f"the key names {stray!r}, which the widget does not offer: "
                        "make the key and the widget agree",
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


def _listed(value: Any) -> list[Any]:
    return [value] if isinstance(value, str) else list(value or [])


def key_strays(spec: ExerciseSpec, correct: Any) -> str | None:
    """The first thing an answer key names that its widget does not offer, or None.

    Without this, a mistyped key would still validate: the simulated right answer copies the key.
    """
    args = spec.args
    if spec.kind in ("choice", "checklist"):
        named = _listed(correct)
        offered = set(spec.options)
    elif spec.kind == "matching" and isinstance(correct, dict):
        lefts, rights = set(args.get("left") or spec.options), set(args.get("right") or [])
        named = [k for k in correct if k not in lefts]
        named += [r for v in correct.values() for r in _listed(v) if r not in rights]
        offered = set()
    elif spec.kind == "ordering":
        items = list(args.get("items") or spec.options)
        if sorted(map(str, _listed(correct))) != sorted(map(str, items)):
            extra = [c for c in _listed(correct) if c not in items]
            return str(extra[0]) if extra else "an order that leaves out some items"
        return None
    elif spec.kind == "roleplay" and isinstance(correct, dict):
        scenes = args.get("scenes") or {}
        named = []
        for scene, choices in correct.items():
            if scene not in scenes:
                named.append(scene)
                continue
            offered_choices = set((scenes[scene] or {}).get("choices") or {})
            named += [f"{scene}: {c}" for c in (choices or {}) if c not in offered_choices]
        offered = set()
    else:
        return None
    strays = [n for n in named if n not in offered]
    return str(strays[0]) if strays else None


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
