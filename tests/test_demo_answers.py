"""The demo's hand-written answers fit the assignment they are written into, and its survey
answers follow the survey's wording (reverse-worded items, retrospective "before" questions)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from toolkit.demo.submission import (
    GENERIC_REFLECTIONS,
    REFLECTIONS,
    SURVEY_COMMENTS,
    simulate_opinion,
)
from toolkit.exercises.keys import ExerciseSpec, read_notebook

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]


def _hand_graded(repo_root: Path) -> set[tuple[str, str]]:
    out = set()
    for path in sorted((repo_root / "source").glob("*/*.ipynb")):
        for cell in read_notebook(path).cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "markdown" and meta.get("solution"):
                out.add((path.parent.name, meta["grade_id"]))
    return out


def test_every_written_answer_has_its_own_answers(repo_root: Path) -> None:
    cells = _hand_graded(repo_root)
    assert ("08_partnerships_and_outcomes", "capstone") in cells
    for assignment, grade_id in cells:
        key = f"{assignment}/{grade_id}" if grade_id != "reflection" else assignment
        assert key in REFLECTIONS, key
    texts = [t for answers in REFLECTIONS.values() for t in answers]
    assert len(texts) == len(set(texts)), "each module's answers are its own"
    assert all(len(a) == 3 for a in REFLECTIONS.values()) and len(GENERIC_REFLECTIONS) == 3


def test_only_module_01_talks_about_jamie() -> None:
    assert all("Jamie" in t for t in REFLECTIONS["01_legal_foundations"][1:])
    others = [
        t for a, answers in REFLECTIONS.items() if a != "01_legal_foundations" for t in answers
    ]
    assert not any("Jamie" in t for t in others)


def _mean_index(exercise: str, ability: float) -> float:
    spec = ExerciseSpec(exercise, "choice", AGREE, args={"options": AGREE})
    rng = np.random.default_rng(3)
    picks = [simulate_opinion(spec, rng, ability)["choice"] for _ in range(400)]
    return float(np.mean([AGREE.index(p) for p in picks]))


def test_reverse_worded_items_lean_the_other_way() -> None:
    assert _mean_index("survey.satisfied", 0.5) > 2.5
    assert _mean_index("survey.too_fast_rev", 0.5) < 1.5


def test_confidence_before_the_course_is_rated_lower() -> None:
    assert _mean_index("survey.before.offences", 0.0) < _mean_index("survey.after.offences", 0.0)


def test_a_survey_checklist_gets_some_ticks() -> None:
    options = ["Not enough time", "Agency policy or procedures", "Lack of tools or resources"]
    spec = ExerciseSpec("survey.barriers", "checklist", options, args={"options": options})
    rng = np.random.default_rng(5)
    answers = [simulate_opinion(spec, rng, 0.0) for _ in range(200)]
    ticked = [len(a["selected"]) for a in answers]
    assert all(set(a["selected"]) <= set(options) for a in answers)
    assert 0 < sum(ticked) < 200 * len(options)


def test_a_comment_fits_its_box() -> None:
    spec = ExerciseSpec("survey.comment.least_useful", "text", [], args={"max_chars": 2000})
    rng = np.random.default_rng(2)
    texts = {simulate_opinion(spec, rng, 0.0)["text"] for _ in range(50)}
    assert texts <= set(SURVEY_COMMENTS["survey.comment.least_useful"]) and len(texts) > 1
