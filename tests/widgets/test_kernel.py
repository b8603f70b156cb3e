"""In a real kernel with no front end (as nbgrader autograde runs a notebook): widgets build and
restore without writing to stderr, and hostile response files zero only the widget items they
spoil while the rest of the notebook grades normally (scored with nbgrader's own rule)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from nbgrader.utils import determine_grade

from toolkit.exercises.keys import answer_keys, exercise_specs, read_notebook
from toolkit.exercises.registry import get_kind
from toolkit.exercises.store import save_answer, store_path

pytestmark = pytest.mark.slow

STRICT_WARNINGS = "import warnings\nwarnings.simplefilter('always')"


def code_cell(source: str, grade_id: str, points: float | None = None) -> Any:
    meta: dict[str, Any] = {"grade_id": grade_id, "locked": True, "schema_version": 3}
    meta |= {"grade": points is not None, "solution": False, "task": False}
    if points is not None:
        meta["points"] = points
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": meta})


def run(nb: Any, folder: Path) -> Any:
    client = NotebookClient(
        nb,
        timeout=60,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute(env={"NBGRADER_EXECUTION": "autograde"})
    return nb


def stderr_of(nb: Any) -> list[str]:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error" or (out.output_type == "stream" and out.name == "stderr"):
                found.append(f"{cell.metadata.get('nbgrader', {}).get('grade_id')}: {out}")
    return found


def right_answers(source: Path, folder: Path) -> None:
    nb = read_notebook(source)
    keys = {k.exercise: k for k in answer_keys(nb)}
    rng = np.random.default_rng(0)
    for spec in exercise_specs(nb):
        value = get_kind(spec.kind).simulate(spec, keys[spec.exercise], rng, "right")
        save_answer(spec.exercise, spec.kind, value, folder=folder)


@pytest.mark.parametrize("answered", [False, True], ids=["fresh", "restoring"])
def test_building_every_widget_writes_nothing_to_stderr(
    tmp_path: Path, every_widget_notebook: Path, answered: bool
) -> None:
    if answered:
        right_answers(every_widget_notebook, tmp_path)
    nb = read_notebook(every_widget_notebook)
    widget_cells = [
        c for c in nb.cells if c.cell_type == "code" and not c.metadata["nbgrader"]["grade"]
    ]
    nb.cells = [nbformat.v4.new_code_cell(STRICT_WARNINGS), *widget_cells]
    run(nb, tmp_path)
    assert stderr_of(nb) == []
    views = [
        o
        for c in nb.cells[1:]
        for o in c.outputs
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(views) == len(widget_cells) - 1  # every widget cell but the import displays one
    if not answered:
        assert not store_path(tmp_path).exists()  # building is not answering


def corrupt(folder: Path) -> None:
    store_path(folder).write_text('{"schema": "cttk.responses/1", "exercises": {')


def huge(folder: Path) -> None:
    with store_path(folder).open("wb") as handle:
        handle.write(b'{"schema": "cttk.responses/1", "exercises": {}, "pad": "')
        handle.truncate(50 * 1024 * 1024)


def wrong_type(folder: Path) -> None:
    data = json.loads(store_path(folder).read_text())
    data["exercises"]["fx.needs"]["value"] = {"pairs": [["Medical care", "Clinic"]]}
    data["exercises"]["fx.plan"]["value"] = {"order": "Secure the person's safety"}
    store_path(folder).write_text(json.dumps(data))


SPOIL = {"invalid-json": corrupt, "50-megabytes": huge, "wrong-types": wrong_type}
ZEROED = {
    "invalid-json": {
        "choice_test",
        "checklist_test",
        "matching_test",
        "ordering_test",
        "roleplay_test",
    },
    "50-megabytes": {
        "choice_test",
        "checklist_test",
        "matching_test",
        "ordering_test",
        "roleplay_test",
    },
    "wrong-types": {"matching_test", "ordering_test"},
}


@pytest.mark.parametrize("spoil", sorted(SPOIL))
def test_a_hostile_response_file_zeroes_only_its_items(
    tmp_path: Path, every_widget_notebook: Path, spoil: str
) -> None:
    shutil.copy(every_widget_notebook, tmp_path / "nb.ipynb")
    right_answers(every_widget_notebook, tmp_path)
    SPOIL[spoil](tmp_path)
    nb = read_notebook(tmp_path / "nb.ipynb")
    nb.cells.insert(0, nbformat.v4.new_code_cell(STRICT_WARNINGS))
    nb.cells += [
        code_cell(
            "from toolkit.exercises import grade_choice\n"
            'grade_choice("fx.never.built", correct="A", points=1)',
            "unknown_key_test",
            points=1,
        ),
        code_cell("def double(x):\n    return 2 * x", "plain_solution"),
        code_cell("assert double(3) == 6", "plain_test", points=1),
    ]
    run(nb, tmp_path)
    assert stderr_of(nb) == []

    zeroed = ZEROED[spoil] | {"unknown_key_test"}
    grades = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            grades[meta["grade_id"]] = (determine_grade(cell)[0], float(meta["points"]), cell)
    assert len(grades) == 7
    for grade_id, (score, points, cell) in grades.items():
        if grade_id in zeroed:
            assert score == 0, grade_id
            stdout = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert "0 points:" in stdout, grade_id
        else:
            assert score == points, grade_id
