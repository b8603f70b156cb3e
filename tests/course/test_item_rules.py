"""The course's items follow the authoring rules: keys are not given away by their length or
position, options are distinct and never "all/none of the above", checklists interleave right and
wrong options, pre/post pairs are parallel but not copies, every competency can be mastered on the
core (widget) track, and the reaction survey keeps the ids and scales the reports rely on."""

from __future__ import annotations

import re
import statistics
from pathlib import Path
from typing import Any

import pytest
import yaml

from toolkit.exercises.keys import AnswerKey, ExerciseSpec, keyed_exercises, read_notebook

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "source"
AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
CONFIDENCE = [
    "Not at all confident",
    "Slightly confident",
    "Moderately confident",
    "Very confident",
    "Completely confident",
]
BARRIERS = {
    "Lack of support from my supervisor",
    "Agency policy or procedures",
    "Not enough time",
    "Lack of tools or resources",
    "Few chances to use it in my role",
}


def _keyed(folder: str) -> list[tuple[ExerciseSpec, AnswerKey]]:
    out = []
    for path in sorted((SOURCE / folder).glob("*.ipynb")):
        out += keyed_exercises(read_notebook(path))[0]
    return out


def _graded_folders() -> list[str]:
    return sorted(p.name for p in SOURCE.iterdir() if p.is_dir() and _keyed(p.name))


def _curriculum() -> dict[str, Any]:
    doc = yaml.safe_load((REPO / "course" / "curriculum.yaml").read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


@pytest.mark.parametrize("folder", _graded_folders())
def test_a_key_is_rarely_the_longest_and_never_much_longer(folder: str) -> None:
    singles = [(s, k) for s, k in _keyed(folder) if s.kind == "choice"]
    longest = 0
    for spec, key in singles:
        others = [len(str(o)) for o in spec.options if o != key.correct]
        assert len(str(key.correct)) <= 1.5 * statistics.median(others), spec.exercise
        longest += len(str(key.correct)) > max(others)
    assert longest <= len(singles) / 3, f"{folder}: {longest} of {len(singles)} keys are longest"


@pytest.mark.parametrize("folder", _graded_folders())
def test_options_are_distinct_and_never_all_or_none_of_the_above(folder: str) -> None:
    for spec, _key in _keyed(folder):
        options = [str(o) for o in spec.options]
        assert len(options) == len(set(options)), spec.exercise
        assert not any(re.search(r"\b(all|none) of the above\b", o, re.I) for o in options)


@pytest.mark.parametrize("folder", _graded_folders())
def test_checklists_interleave_right_and_wrong(folder: str) -> None:
    for spec, key in _keyed(folder):
        # A three-option grid in a fixed logical order (act, means, purpose) is exempt.
        if spec.kind != "checklist" or len(spec.options) <= 3:
            continue
        if len(key.correct) in (0, len(spec.options)):
            continue
        marks = [o in key.correct for o in spec.options]
        first_wrong = marks.index(False)
        assert any(marks[first_wrong:]), f"{spec.exercise}: every right option comes first"


def test_keys_of_the_tests_sit_in_every_position() -> None:
    for folder in ("00_pretest", "09_posttest"):
        positions = {
            spec.options.index(key.correct)
            for spec, key in _keyed(folder)
            if spec.kind == "choice" and len(spec.options) == 4
        }
        assert positions == {0, 1, 2, 3}, folder


def test_pairs_are_parallel_but_not_copies() -> None:
    doc = _curriculum()
    competency = {i: c["id"] for c in doc["competencies"] for i in c["items"]}
    pre = {s.exercise.split(".", 1)[1]: (s, k) for s, k in _keyed("00_pretest")}
    post = {s.exercise.split(".", 1)[1]: (s, k) for s, k in _keyed("09_posttest")}
    pairs = doc["pairs"]
    assert len(pairs) == len(pre) == len(post)
    for pair in pairs:
        a, b = pair["pre"], pair["post"]
        assert competency[a] == competency[b], pair
        (sa, ka), (sb, kb) = pre[a.split("/")[1]], post[b.split("/")[1]]
        assert sa.kind == sb.kind, pair
        assert not set(map(str, sa.options)) & set(map(str, sb.options)), pair
        if sa.kind == "choice":
            assert ka.correct != kb.correct, pair


def test_every_competency_can_be_mastered_on_the_core_track() -> None:
    for comp in _curriculum()["competencies"]:
        analyst = set(comp.get("analyst", []))
        assert analyst <= set(comp["items"]), comp["id"]
        core = [i for i in comp["items"] if i not in analyst]
        assert len(core) >= 3, comp["id"]


def test_thin_competencies_have_six_module_items() -> None:
    for comp in _curriculum()["competencies"]:
        if comp["id"] in ("dynamics", "victim_rights"):
            module = [i for i in comp["items"] if not i.startswith(("pretest/", "posttest/"))]
            module = [i for i in module if not i.endswith("/reflection")]
            assert len(module) >= 6, comp["id"]


def _survey() -> dict[str, ExerciseSpec]:
    from toolkit.exercises.keys import exercise_specs

    [path] = sorted((SOURCE / "10_reaction_survey").glob("*.ipynb"))
    return {s.exercise: s for s in exercise_specs(read_notebook(path))}


def test_the_survey_keeps_the_shared_ids_and_scales() -> None:
    specs = _survey()
    competencies = [c["id"] for c in _curriculum()["competencies"]]
    for c in competencies:
        assert specs[f"survey.before.{c}"].options == CONFIDENCE
        assert specs[f"survey.after.{c}"].options == CONFIDENCE
        assert specs[f"survey.intent.{c}"].options == [*AGREE, "Not part of my role"]
    agreement = [e for e in specs if e.count(".") == 1 and specs[e].kind == "choice"]
    assert all(specs[e].options == AGREE for e in agreement)
    assert any(e.endswith("_rev") for e in agreement)
    assert any(e.startswith("survey.facilitator_") for e in agreement)
    assert any(e.startswith("survey.usability_") for e in agreement)
    assert specs["survey.barriers"].kind == "checklist"
    assert set(specs["survey.barriers"].options) >= BARRIERS
    for name in ("most_useful", "least_useful", "missing", "other"):
        assert specs[f"survey.comment.{name}"].kind == "text"
