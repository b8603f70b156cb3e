"""``cttk validate`` fails, with a message saying what to do, on small broken fixture courses."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
import yaml
from click.testing import CliRunner

from toolkit.cli.validate import validate
from toolkit.validate import validate_course

FAST = ["--skip", "release", "--skip", "solutions", "--skip", "blank"]


def _grade_cell(grade_id: str, key: str) -> nbformat.NotebookNode:
    source = (
        "### BEGIN HIDDEN TESTS\nfrom toolkit.exercises import grade_choice\n\n"
        f'grade_choice("{key}", correct="yes", points=1)\n### END HIDDEN TESTS'
    )
    meta = {"grade": True, "grade_id": grade_id, "locked": True, "points": 1, "solution": False}
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {**meta, "schema_version": 3}})


def _widget_cell(grade_id: str, key: str) -> nbformat.NotebookNode:
    meta = {"grade": False, "grade_id": grade_id, "locked": True, "solution": False}
    return nbformat.v4.new_code_cell(
        f'Choice("{key}", "Is it?", ["yes", "no"])',
        metadata={"nbgrader": {**meta, "schema_version": 3}},
    )


def make_course(root: Path, repo_root: Path, *, items: int, topics: int, mapped: int) -> Path:
    """A course with one assignment of ``items`` one-point items, ``topics`` framework topics, one
    competency on topic 1 and the first ``mapped`` items in the map."""
    shutil.copy2(repo_root / "nbgrader_config.py", root / "nbgrader_config.py")
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("from toolkit.exercises import Choice"))
    for i in range(1, items + 1):
        nb.cells += [_widget_cell(f"q{i}_widget", f"quiz.q{i}"), _grade_cell(f"q{i}", f"quiz.q{i}")]
    (root / "source" / "a1").mkdir(parents=True)
    nbformat.write(nb, root / "source" / "a1" / "quiz.ipynb")
    doc = {
        "mastery_threshold": 0.7,
        "topics": [{"id": t, "name": f"Topic {t}"} for t in range(1, topics + 1)],
        "assignments": [{"id": "a1", "role": "module", "title": "Quiz"}],
        "competencies": [
            {
                "id": "spotting",
                "statement": "Spot it.",
                "module": "a1",
                "topic": 1,
                "items": [f"quiz/q{i}" for i in range(1, mapped + 1)],
            }
        ],
    }
    (root / "course").mkdir()
    (root / "course" / "curriculum.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    return root


def test_a_well_mapped_fixture_course_passes(tmp_path: Path, repo_root: Path) -> None:
    root = make_course(tmp_path, repo_root, items=3, topics=1, mapped=3)
    assert validate_course(root, checks=["map", "widgets", "responses"]).findings == []


def test_an_unmapped_item_fails_with_a_clear_message(tmp_path: Path, repo_root: Path) -> None:
    root = make_course(tmp_path, repo_root, items=4, topics=1, mapped=3)
    result = CliRunner().invoke(validate, ["--course", str(root), *FAST])
    assert result.exit_code == 1
    assert (
        "[map] quiz/q4: graded item is not mapped: add it under a competency's items in "
        "course/curriculum.yaml"
    ) in result.output


def test_an_uncovered_topic_fails_with_a_clear_message(tmp_path: Path, repo_root: Path) -> None:
    root = make_course(tmp_path, repo_root, items=3, topics=2, mapped=3)
    result = CliRunner().invoke(validate, ["--course", str(root), *FAST])
    assert result.exit_code == 1
    assert "[map] topic 2: framework topic 'Topic 2' is not covered" in result.output


def test_too_few_items_and_a_widget_without_a_key_are_findings(
    tmp_path: Path, repo_root: Path
) -> None:
    root = make_course(tmp_path, repo_root, items=2, topics=1, mapped=2)
    nb = nbformat.read(root / "source" / "a1" / "quiz.ipynb", as_version=4)
    nb.cells.append(_widget_cell("extra_widget", "quiz.extra"))
    nbformat.write(nb, root / "source" / "a1" / "quiz.ipynb")
    (root / "source" / "a1" / "cttk_responses.json").write_text("{}", encoding="utf-8")
    messages = [
        str(f) for f in validate_course(root, checks=["map", "widgets", "responses"]).findings
    ]
    assert any("spotting: competency is assessed by 2 graded item(s)" in m for m in messages)
    assert any("quiz.extra: widget has no answer key" in m for m in messages)
    assert any("a response file is shipped" in m for m in messages)


def test_a_key_that_is_not_an_option_is_a_finding(tmp_path: Path, repo_root: Path) -> None:
    root = make_course(tmp_path, repo_root, items=3, topics=1, mapped=3)
    nb = nbformat.read(root / "source" / "a1" / "quiz.ipynb", as_version=4)
    nb.cells[-1].source = nb.cells[-1].source.replace('correct="yes"', 'correct="maybe"')
    nbformat.write(nb, root / "source" / "a1" / "quiz.ipynb")
    messages = [str(f) for f in validate_course(root, checks=["widgets"]).findings]
    assert messages == [
        "[widgets] quiz: quiz.q3: the key names 'maybe', which the widget does not offer: "
        "make the key and the widget agree"
    ]


@pytest.mark.slow
def test_a_broken_solution_and_a_stale_release_are_findings(
    tmp_path: Path, repo_root: Path
) -> None:
    root = make_course(tmp_path, repo_root, items=3, topics=1, mapped=3)
    nb = nbformat.read(root / "source" / "a1" / "quiz.ipynb", as_version=4)
    nb.cells[-1].source = nb.cells[-1].source.replace(
        "\n\ngrade", '\nprint("x", file=__import__("sys").stderr)\ngrade'
    )
    nbformat.write(nb, root / "source" / "a1" / "quiz.ipynb")
    report = validate_course(root, checks=["release", "solutions"])
    messages = [str(f) for f in report.findings]
    assert "[release] a1: release/a1 is missing: run cttk release --all" in messages
    assert (
        "[solutions] a1/quiz/q3: scores 0 of 1 with the solutions in (stderr: x): fix the solution, the key or the test"
        in messages
    )
