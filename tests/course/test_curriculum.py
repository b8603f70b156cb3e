"""The curriculum map of the repository, and the loader's checks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from toolkit.course.curriculum import load_curriculum, parse_curriculum
from toolkit.errors import CourseError
from toolkit.exercises.keys import answer_keys, read_notebook


def test_loader_returns_the_documented_frames(repo_root: Path) -> None:
    cur = load_curriculum(repo_root)
    assert list(cur.competencies.columns) == ["competency", "statement", "module", "topic"]
    assert list(cur.items.columns) == ["item", "competency"]
    assert cur.mastery_threshold == 0.7
    assert sorted(cur.topics["topic"]) == list(range(1, 12))
    assert set(cur.competencies["topic"]) == set(range(1, 12)), "every framework topic is covered"
    assert all(len(v) >= 3 for v in cur.competency_items().values())
    assert cur.learning_gain == {"pretest": "00_pretest", "posttest": "09_posttest"}
    assert cur.item_competencies()["legal_foundations/s1_test"] == ["offences"]


def test_pre_and_post_tests_are_parallel_forms(repo_root: Path) -> None:
    cur = load_curriculum(repo_root)
    mapped = cur.item_competencies()
    forms = {}
    for stem, folder in (("pretest", "00_pretest"), ("posttest", "09_posttest")):
        nb = read_notebook(repo_root / "source" / folder / f"{stem}.ipynb")
        keys = answer_keys(nb)
        assert len(keys) >= 20 and all(k.points == 1 for k in keys)
        forms[stem] = sorted(c for i, cs in mapped.items() if i.startswith(f"{stem}/") for c in cs)
    assert forms["pretest"] == forms["posttest"]
    assert set(forms["pretest"]) == set(cur.competencies["competency"])


def _doc(repo_root: Path) -> dict:
    return yaml.safe_load((repo_root / "course" / "curriculum.yaml").read_text(encoding="utf-8"))


def test_a_competency_naming_an_unknown_topic_is_rejected(repo_root: Path) -> None:
    doc = _doc(repo_root)
    doc["competencies"][0]["topic"] = 99
    with pytest.raises(CourseError, match="topic 99"):
        parse_curriculum(doc)


def test_a_bad_threshold_and_a_missing_file_are_rejected(repo_root: Path, tmp_path: Path) -> None:
    doc = _doc(repo_root)
    doc["mastery_threshold"] = 1.5
    with pytest.raises(CourseError, match="mastery_threshold"):
        parse_curriculum(doc)
    with pytest.raises(CourseError, match="no curriculum map"):
        load_curriculum(tmp_path)


def test_tracks_analyst_items_and_pairs_are_read(repo_root: Path) -> None:
    doc = _doc(repo_root)
    first = doc["competencies"][0]
    first["analyst"] = first["items"][:1]
    doc["tracks"] = {"analyst": ["analyst"], "core": ["patrol officer", "detective"]}
    doc["pairs"] = [{"pre": "pretest/q01", "post": "posttest/q01"}]
    cur = parse_curriculum(doc)
    assert cur.track_of_role("Detective") == "core" and cur.track_of_role("analyst") == "analyst"
    assert cur.track_of_role("unlisted") == "core"
    assert first["items"][0] not in cur.competency_items("core")[first["id"]]
    assert first["items"][0] in cur.competency_items("analyst")[first["id"]]
    assert cur.pairs.values.tolist() == [["pretest/q01", "posttest/q01"]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(tracks={"experts": ["analyst"]}), "track 'experts'"),
        (lambda d: d.update(tracks={"core": ["analyst"], "analyst": ["Analyst"]}), "twice"),
        (lambda d: d["competencies"][0].update(analyst=["nb/zz"]), "not one of its items"),
        (lambda d: d.update(pairs=[{"pre": "pretest/q01"}]), "exactly 'pre' and 'post'"),
        (
            lambda d: d.update(
                pairs=[
                    {"pre": "pretest/q01", "post": "posttest/q01"},
                    {"pre": "pretest/q01", "post": "posttest/q02"},
                ]
            ),
            "appears twice",
        ),
    ],
)
def test_malformed_tracks_and_pairs_are_rejected(repo_root: Path, change, message: str) -> None:
    doc = _doc(repo_root)
    change(doc)
    with pytest.raises(CourseError, match=message):
        parse_curriculum(doc)
