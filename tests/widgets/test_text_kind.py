"""The free-text kind: a ``Text`` widget saves a string no longer than its limit, its answers
reach the response frames as kind "text" with no score, it is never graded, and the demo
writes survey comments through it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pytest

from toolkit.data.responses import load_responses
from toolkit.errors import GradingError, ResponseError
from toolkit.exercises import Text, grade_text
from toolkit.exercises.keys import exercise_specs, keyed_exercises
from toolkit.exercises.registry import get_kind
from toolkit.exercises.store import load_record, save_answer
from toolkit.settings import TEXT_MAX_CHARS
from toolkit.validate.widgets import check_widgets


def survey_notebook(extra: str = "") -> Any:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from toolkit.exercises import Text\n\n"
            'Text("survey.comment.missing", "What was missing?", max_chars=300)' + extra,
            metadata={"nbgrader": {"grade": False, "grade_id": "missing", "locked": True}},
        )
    ]
    return nb


def test_it_saves_a_text_and_restores_it(tmp_path: Path) -> None:
    w = Text("survey.comment.missing", "What was missing?", max_chars=50, folder=tmp_path)
    assert w.status_state == "empty"
    w.box.value = "More on <b>interpreters</b>"
    record = load_record("survey.comment.missing", folder=tmp_path)
    assert record is not None
    assert (record["kind"], record["value"]) == ("text", {"text": "More on <b>interpreters</b>"})
    again = Text("survey.comment.missing", "What was missing?", max_chars=50, folder=tmp_path)
    assert again.box.value == "More on <b>interpreters</b>" and again.status_state == "saved"


def test_a_text_over_the_limit_is_not_saved(tmp_path: Path) -> None:
    w = Text("survey.comment.other", "Anything else?", max_chars=10, folder=tmp_path)
    w.box.value = "short"
    w.box.value = "x" * 11
    assert w.status_state == "error"
    record = load_record("survey.comment.other", folder=tmp_path)
    assert record is not None and record["value"] == {"text": "short"}


@pytest.mark.parametrize(
    "value",
    [{"text": 3}, {"text": ["a"]}, {"words": "a"}, "a", {"text": "x" * (TEXT_MAX_CHARS + 1)}],
)
def test_the_store_refuses_what_is_not_a_short_text(tmp_path: Path, value: Any) -> None:
    with pytest.raises(ResponseError):
        save_answer("survey.comment.other", "text", value, folder=tmp_path)
    save_answer("survey.comment.other", "text", {"text": "x" * TEXT_MAX_CHARS}, folder=tmp_path)


def test_the_limit_must_be_sensible(tmp_path: Path) -> None:
    from toolkit.errors import CttkError

    for bad in (0, TEXT_MAX_CHARS + 1, "200"):
        with pytest.raises(CttkError):
            Text("survey.comment.other", "?", bad, folder=tmp_path)  # type: ignore[arg-type]


def test_it_is_never_graded(tmp_path: Path) -> None:
    save_answer("survey.comment.other", "text", {"text": "fine"}, folder=tmp_path)
    with pytest.raises(GradingError, match="not graded automatically"):
        grade_text("survey.comment.other", folder=tmp_path)


def test_it_appears_in_the_response_frame_as_text(tmp_path: Path) -> None:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    (tmp_path / "source" / "10_reaction_survey").mkdir(parents=True)
    nbformat.write(survey_notebook(), tmp_path / "source" / "10_reaction_survey" / "s.ipynb")
    folder = tmp_path / "autograded" / "t01" / "10_reaction_survey"
    save_answer("survey.comment.missing", "text", {"text": "Case law"}, folder=folder)
    df = load_responses(tmp_path)
    assert df.attrs["problems"] == []
    [row] = df.to_dict("records")
    assert (row["exercise"], row["kind"], row["option"]) == (
        "survey.comment.missing",
        "text",
        "Case law",
    )
    assert row["correct"] is None or row["correct"] != row["correct"]  # None or NaN: no key


def test_validate_reads_it_as_an_unkeyed_survey_widget() -> None:
    nb = survey_notebook()
    [spec] = exercise_specs(nb)
    assert (spec.kind, spec.args) == ("text", {"max_chars": 300})
    assert keyed_exercises(nb) == ([], [spec])
    assert check_widgets("10_reaction_survey", {"s": nb}, survey=True) == []
    graded = survey_notebook("\ngrade_text('survey.comment.missing')")
    graded.cells[0].metadata["nbgrader"]["grade"] = True
    assert check_widgets("10_reaction_survey", {"s": graded}, survey=True) != []


def test_the_demo_writes_a_comment_within_the_limit() -> None:
    [spec] = exercise_specs(survey_notebook())
    kind = get_kind("text")
    assert kind.simulate_unkeyed is not None
    value = kind.simulate_unkeyed(spec, np.random.default_rng(0), 0.0, lambda: "y" * 500)
    assert value == {"text": "y" * 300}
    assert kind.parse(value) == "y" * 300
