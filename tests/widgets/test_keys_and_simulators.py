"""Keys and widgets are read from notebooks without running them, and the demo's simulated answers
score full points when right and nothing when wrong under the same grading helpers."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pytest

from toolkit.exercises import Checklist, Choice, Matching, Ordering, RolePlay
from toolkit.exercises.keys import answer_keys, exercise_specs, read_notebook
from toolkit.exercises.registry import get_kind
from toolkit.exercises.store import save_answer

KINDS = ["checklist", "choice", "matching", "ordering", "roleplay"]


def test_the_fixture_notebook_is_parsed(every_widget_notebook: Path) -> None:
    nb = read_notebook(every_widget_notebook)
    specs = {s.exercise: s for s in exercise_specs(nb)}
    keys = {k.exercise: k for k in answer_keys(nb)}
    assert sorted(s.kind for s in specs.values()) == KINDS
    assert specs.keys() == keys.keys()
    assert specs["fx.needs"].args["right"] == ["Shelter", "Clinic", "Legal aid"]
    assert specs["fx.needs"].options == [
        "A safe place to sleep",
        "Medical care",
        "Advice on legal rights",
    ]
    assert specs["fx.contact"].options[:3] == ["start", "rapport", "guarded"]
    assert specs["fx.choice"].args["why"] is True
    assert keys["fx.contact"].correct["start"]["Introduce yourself and offer her water"] == 1
    assert keys["fx.plan"].points == 2.0 and keys["fx.needs"].points == 3.0


def test_keyword_arguments_are_parsed_too() -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            'Matching(exercise="m.k", prompt="P", left=["a"], right=["b"])\n'
            'Ordering("o.k", "P", items=["x", "y"])'
        )
    ]
    specs = exercise_specs(nb)
    assert [(s.exercise, s.kind, s.options) for s in specs] == [
        ("m.k", "matching", ["a"]),
        ("o.k", "ordering", ["x", "y"]),
    ]
    assert specs[0].args["right"] == ["b"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_simulated_answers_score_as_intended(
    tmp_path: Path, every_widget_notebook: Path, seed: int
) -> None:
    nb = read_notebook(every_widget_notebook)
    keys = {k.exercise: k for k in answer_keys(nb)}
    rng = np.random.default_rng(seed)
    for outcome, expect_full in [("right", True), ("wrong", False)]:
        folder = tmp_path / outcome
        for spec in exercise_specs(nb):
            key, kind = keys[spec.exercise], get_kind(spec.kind)
            value = kind.simulate(spec, key, rng, outcome)
            save_answer(spec.exercise, spec.kind, value, folder=folder)
            score = kind.grader(
                spec.exercise, points=key.points, folder=folder, **{kind.key_argument: key.correct}
            )
            assert score == (key.points if expect_full else 0.0), (outcome, spec.exercise)


def test_simulated_answers_restore_into_the_widgets(
    tmp_path: Path, every_widget_notebook: Path
) -> None:
    nb = read_notebook(every_widget_notebook)
    keys = {k.exercise: k for k in answer_keys(nb)}
    rng = np.random.default_rng(7)
    for spec in exercise_specs(nb):
        value = get_kind(spec.kind).simulate(spec, keys[spec.exercise], rng, "wrong")
        save_answer(spec.exercise, spec.kind, value, folder=tmp_path)
    classes = [Checklist, Choice, Matching, Ordering, RolePlay]
    namespace = {c.__name__: partial(c, folder=tmp_path) for c in classes}
    built = [
        eval(cell.source, namespace)
        for cell in nb.cells
        if cell.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_widget")
    ]
    assert len(built) == 5
    assert all(widget.status_state == "saved" for widget in built)
