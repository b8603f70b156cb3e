"""A kind defined here, and registered only for these tests, goes through the whole pipeline (save
and restore, grade, response frames, validate, the demo's simulated answers, the integrity check)
with no change anywhere else: everything outside a kind's module reads the registry."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import nbformat
import numpy as np
import pytest

from tests.support.responses import write_raw_answer
from toolkit.autograde import verify
from toolkit.data.responses import load_responses
from toolkit.demo.submission import AssignmentPlan, write_submission
from toolkit.errors import CttkError, GradingError
from toolkit.exercises import registry
from toolkit.exercises.grading import Folder, check_points, clamp, grade_saved
from toolkit.exercises.keys import AnswerKey, ExerciseSpec, answer_keys, exercise_specs
from toolkit.exercises.kinds.base import ExerciseKind, Outcome, Row, saved_field, saved_value_error
from toolkit.exercises.store import load_record, save_answer
from toolkit.exercises.widget import Exercise
from toolkit.validate.widgets import check_widgets


# -- the toy kind: estimate a number within a range; right when close enough ----------------------
def parse_estimate(value: Any) -> float:
    estimate = saved_field(value, "estimate", "estimate")
    if isinstance(estimate, bool) or not isinstance(estimate, int | float):
        raise saved_value_error("estimate", "is not a number")
    return float(estimate)


def estimate_score(estimate: float, correct: float, points: float) -> float:
    """Full points within 10% of the correct number, half within 25%, else 0."""
    error = abs(estimate - correct) / max(abs(correct), 1.0)
    return clamp(points if error <= 0.1 else points / 2 if error <= 0.25 else 0.0, points)


def grade_estimate(
    exercise: str, *, correct: float, points: float = 1, folder: Folder = None
) -> float:
    points = check_points(exercise, points)
    if isinstance(correct, bool) or not isinstance(correct, int | float):
        raise GradingError(f"grading {exercise}: give the correct number")
    return grade_saved(
        exercise, "estimate", folder, lambda v: estimate_score(parse_estimate(v), correct, points)
    )


def estimate_rows(value: Any, key: AnswerKey | None) -> tuple[list[Row], float | None]:
    estimate = parse_estimate(value)
    if key is None:
        return [{"option": f"{estimate:g}", "correct": None}], None
    score = estimate_score(estimate, float(key.correct), key.points)
    return [{"option": f"{estimate:g}", "correct": score == key.points}], score


def simulate_estimate(
    spec: ExerciseSpec, key: AnswerKey, rng: np.random.Generator, outcome: Outcome
) -> Any:
    low, high = spec.args["low"], spec.args["high"]
    if outcome == "right":
        return {"estimate": float(key.correct)}
    return {"estimate": float(low if key.correct - low > high - key.correct else high)}


def estimate_key_strays(spec: ExerciseSpec, correct: Any) -> str | None:
    low, high = spec.args.get("low"), spec.args.get("high")
    return None if low <= correct <= high else str(correct)


def estimate_widget() -> type[Exercise]:
    import ipywidgets as widgets

    class Estimate(Exercise):
        kind: ClassVar[str] = "estimate"

        def __init__(
            self,
            exercise: str,
            prompt: str,
            low: float,
            high: float,
            *,
            folder: str | os.PathLike[str] | None = None,
        ) -> None:
            super().__init__(exercise, prompt, folder=folder)
            self.slider = widgets.FloatSlider(min=low, max=high, value=low, description="Estimate")
            self.slider.observe(self._on_change, names="value")
            self._finish([self.slider])

        def answer(self) -> dict[str, Any]:
            return {"estimate": self.slider.value}

        def restore(self, value: Any) -> None:
            self.slider.value = parse_estimate(value)

    return Estimate


ESTIMATE = ExerciseKind(
    name="estimate",
    widget_name="Estimate",
    structure=("low", "high"),
    widget_factory=estimate_widget,
    grader=grade_estimate,
    parse=parse_estimate,
    score=estimate_score,
    option_rows=estimate_rows,
    simulate=simulate_estimate,
    key_strays=estimate_key_strays,
)


# -- a notebook that builds it and grades it ------------------------------------------------------
def toy_notebook(correct: float = 12) -> Any:
    nb = nbformat.v4.new_notebook()
    widget = nbformat.v4.new_code_cell(
        "from toolkit.exercises import Estimate\n\n"
        'Estimate("toy.victims", "How many people were found in the house?", 0, 40)',
        metadata={"nbgrader": {"grade": False, "grade_id": "toy_widget", "locked": True}},
    )
    test = nbformat.v4.new_code_cell(
        "### BEGIN HIDDEN TESTS\nfrom toolkit.exercises import grade_estimate\n\n"
        f'grade_estimate("toy.victims", correct={correct}, points=2)\n### END HIDDEN TESTS',
        metadata={"nbgrader": {"grade": True, "grade_id": "toy_test", "points": 2}},
    )
    nb.cells = [widget, test]
    return nb


@pytest.fixture
def estimate() -> Iterator[ExerciseKind]:
    with registry.registered(ESTIMATE) as kind:
        yield kind


def test_registering_for_a_block_only(estimate: ExerciseKind) -> None:
    assert registry.KINDS["estimate"] is estimate
    assert registry.kind_for_widget("Estimate") is estimate
    assert registry.kind_for_grader("grade_estimate") is estimate
    with pytest.raises(CttkError, match="already used"):
        registry.register(ESTIMATE)


def test_outside_the_block_it_is_unknown() -> None:
    assert "estimate" not in registry.KINDS
    assert exercise_specs(toy_notebook()) == []
    assert not verify.expects_number("grade_estimate('toy.victims', correct=12)")
    with pytest.raises(CttkError, match="unknown exercise kind 'estimate'"):
        registry.get_kind("estimate")


def test_its_widget_saves_and_restores(tmp_path: Path, estimate: ExerciseKind) -> None:
    from toolkit.exercises import Estimate

    w = Estimate("toy.victims", "How many?", 0, 40, folder=tmp_path)
    assert w.status_state == "empty"
    w.slider.value = 11.0
    record = load_record("toy.victims", folder=tmp_path)
    assert record is not None
    assert (record["kind"], record["value"]) == ("estimate", {"estimate": 11.0})
    again = Estimate("toy.victims", "How many?", 0, 40, folder=tmp_path)
    assert again.slider.value == 11.0 and again.status_state == "saved"


def test_its_grader_scores_a_saved_answer(
    tmp_path: Path, capsys: Any, estimate: ExerciseKind
) -> None:
    from toolkit.exercises import grade_estimate as imported

    assert imported is grade_estimate
    save_answer("toy.victims", "estimate", {"estimate": 14}, folder=tmp_path)
    assert grade_estimate("toy.victims", correct=12, points=2, folder=tmp_path) == 1.0
    write_raw_answer(tmp_path, "toy.victims", "estimate", {"estimate": "many"})
    assert grade_estimate("toy.victims", correct=12, points=2, folder=tmp_path) == 0.0
    assert "0 points: saved estimate answer is not a number" in capsys.readouterr().out


def test_its_answers_appear_in_the_response_frame(tmp_path: Path, estimate: ExerciseKind) -> None:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    (tmp_path / "source" / "toy").mkdir(parents=True)
    nbformat.write(toy_notebook(), tmp_path / "source" / "toy" / "toy.ipynb")
    folder = tmp_path / "autograded" / "t01" / "toy"
    save_answer("toy.victims", "estimate", {"estimate": 12.5}, folder=folder)
    df = load_responses(tmp_path)
    assert df.attrs["problems"] == []
    row = df.iloc[0]
    assert (row["exercise"], row["kind"], row["option"]) == ("toy.victims", "estimate", "12.5")
    assert bool(row["correct"]) and row["score"] == 2.0 and row["points"] == 2.0


def test_validate_checks_its_keys_against_its_widget(estimate: ExerciseKind) -> None:
    assert [(s.exercise, s.kind, s.args) for s in exercise_specs(toy_notebook())] == [
        ("toy.victims", "estimate", {"low": 0, "high": 40})
    ]
    assert check_widgets("toy", {"toy": toy_notebook()}, survey=False) == []
    [finding] = check_widgets("toy", {"toy": toy_notebook(correct=99)}, survey=False)
    assert "the key names '99', which the widget does not offer" in str(finding)


def test_the_demo_simulates_it_through_the_registry(tmp_path: Path, estimate: ExerciseKind) -> None:
    nb = toy_notebook()
    [spec], [key] = exercise_specs(nb), answer_keys(nb)
    (tmp_path / "release").mkdir()
    plan = AssignmentPlan("toy", tmp_path / "release", {}, exercises=[(spec, key)])
    for profile, expected in [("right", 2.0), ("wrong", 0.0)]:
        dest = tmp_path / profile
        rng = np.random.default_rng(0)
        write_submission(plan, dest, ability=0.0, rng=rng, profile=profile)
        assert grade_estimate("toy.victims", correct=12, points=2, folder=dest) == expected


def test_the_integrity_check_expects_a_score_from_its_grader(estimate: ExerciseKind) -> None:
    source = toy_notebook().cells[1].source
    assert verify.expects_number(source)
    assert verify.missing_result(source, []) is not None
    assert __name__ in verify.fingerprinted_modules()


def test_the_per_option_analysis_reads_the_kinds_from_the_registry() -> None:
    assert registry.option_kinds() == ["checklist", "choice"]
    picked = dataclasses.replace(ESTIMATE, option_analysis=True)
    with registry.registered(picked):
        assert registry.option_kinds() == ["checklist", "choice", "estimate"]
