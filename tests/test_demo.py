"""The demo end to end: real nbgrader grading into a real gradebook, real papermill reports."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from toolkit.course.nbgrader_ops import gradebook
from toolkit.demo import DemoResult, run_demo

pytestmark = pytest.mark.slow

RIGHT, WRONG = "2026-A-t001", "2026-A-t002"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> DemoResult:
    workspace = tmp_path_factory.mktemp("demo") / "ws"
    return run_demo(
        course_dir=repo_root,
        workspace=workspace,
        cohorts=1,
        trainees=5,
        seed=7,
        profiles={RIGHT: "right", WRONG: "wrong"},
        progress=False,
        say=lambda _line: None,
    )


def _url(demo: DemoResult) -> str:
    return f"sqlite:///{demo.workspace / 'gradebook.db'}"


def test_every_trainee_has_a_graded_submission_of_every_assignment(demo: DemoResult) -> None:
    assignments = sorted(p.name for p in (demo.workspace / "source").iterdir() if p.is_dir())
    trainees = set(demo.trainees["trainee"])
    with gradebook(_url(demo)) as gb:
        for assignment in assignments:
            for trainee in trainees:
                assert (demo.workspace / "autograded" / trainee / assignment).is_dir()
            if any(nb.grade_cells for nb in gb.find_assignment(assignment).notebooks):
                graded = {s["student"] for s in gb.submission_dicts(assignment)}
                assert graded == trainees, assignment


def test_right_and_wrong_trainees_get_full_and_zero_automatic_marks(demo: DemoResult) -> None:
    with gradebook(_url(demo)) as gb:
        for assignment in gb.assignments:
            for notebook in assignment.notebooks:
                for cell in notebook.grade_cells:
                    if cell.cell_type != "code":
                        continue
                    right = gb.find_grade(cell.name, notebook.name, assignment.name, RIGHT)
                    wrong = gb.find_grade(cell.name, notebook.name, assignment.name, WRONG)
                    assert right.auto_score == cell.max_score, (assignment.name, cell.name)
                    assert wrong.auto_score == 0, (assignment.name, cell.name)


def test_hand_graded_items_are_graded_and_marked_as_simulated(demo: DemoResult) -> None:
    with gradebook(_url(demo)) as gb:
        for assignment in gb.assignments:
            for submission in gb.submission_dicts(assignment.name):
                assert not submission["needs_manual_grade"], submission["student"]


def test_report_files_exist_and_the_html_hides_code(demo: DemoResult) -> None:
    (paths,) = demo.reports.values()
    assert paths.html.is_file() and paths.summary.is_file() and paths.notebook.is_file()
    html = paths.html.read_text()
    assert "Cohort evaluation report" in html
    assert "load_course_data(" not in html  # code cells are hidden


def test_summary_figures_equal_those_computed_from_the_gradebook(demo: DemoResult) -> None:
    (cohort,) = demo.reports
    summary = json.loads(demo.reports[cohort].summary.read_text())
    assert summary["cohort"] == cohort
    assert summary["n_trainees"] == len(demo.trainees)
    with gradebook(_url(demo)) as gb:
        for entry in summary["assignments"]:
            subs = gb.submission_dicts(entry["assignment"])
            pcts = [100 * s["score"] / s["max_score"] for s in subs]
            assert entry["n"] == len(subs)
            assert entry["mean_pct"] == pytest.approx(statistics.mean(pcts), abs=1e-3)
            assert entry["median_pct"] == pytest.approx(statistics.median(pcts), abs=1e-3)
            assignment = gb.find_assignment(entry["assignment"])
            for item in entry["items"]:
                notebook, grade_id = item["item"].split("/")
                cell = gb.find_grade_cell(grade_id, notebook, assignment.name)
                marks = [
                    gb.find_grade(grade_id, notebook, assignment.name, s["student"]).score
                    for s in subs
                ]
                assert item["facility"] == pytest.approx(
                    statistics.mean(marks) / cell.max_score, abs=1e-3
                )


def test_report_for_an_unknown_cohort_is_a_one_line_error(demo: DemoResult) -> None:
    from click.testing import CliRunner

    from toolkit.cli.main import main

    result = CliRunner().invoke(
        main, ["report", "cohort", "2099-Z", "--course", str(demo.workspace)]
    )
    assert result.exit_code != 0
    assert result.output.startswith("cttk: error: unknown cohort '2099-Z'")
    assert "2026-A" in result.output
    assert not (demo.workspace / "reports" / "cohort-2099-Z").exists()


def test_export_has_one_row_per_trainee_and_item(demo: DemoResult, tmp_path) -> None:
    from toolkit.data.export import export_scores

    frame = export_scores(demo.workspace)
    with gradebook(_url(demo)) as gb:
        n_items = sum(
            len(nb.grade_cells) for assignment in gb.assignments for nb in assignment.notebooks
        )
    assert len(frame) == len(demo.trainees) * n_items
    assert set(frame["cohort"]) == {"2026-A"}
    assert not frame["needs_manual_grade"].any()


def test_feedback_pages_are_generated_and_sanitised(demo: DemoResult) -> None:
    from toolkit.course.nbgrader_ops import generate_feedback

    generate_feedback(demo.workspace, "01_legal_foundations")
    pages = list((demo.workspace / "feedback").glob("*/01_legal_foundations/*.html"))
    assert len(pages) == len(demo.trainees)
    assert all("<script" not in p.read_text().lower().split("</head>", 1)[-1] for p in pages)


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def test_summaries_hold_no_nan_and_counts_read_as_whole_numbers(demo: DemoResult) -> None:
    import math
    import re

    assert demo.gaps is not None
    for path in [*(p.summary for p in demo.reports.values()), demo.gaps.summary]:
        text = path.read_text()
        for leaf in _leaves(json.loads(text)):
            assert not (isinstance(leaf, float) and math.isnan(leaf)), path
            assert leaf not in ("nan", "NaN", "None"), path
        assert not re.search(r"\b\d+\.0 of \d", text), path


def test_the_model_trainees_learn_between_pre_and_post_test(demo: DemoResult) -> None:
    (paths,) = demo.reports.values()
    gain = json.loads(paths.summary.read_text())["gain"]
    assert gain["n_matched"] == len(demo.trainees)
    assert gain["mean_post_pct"] > gain["mean_pre_pct"]


def test_any_nbgrader_course_without_rosters_or_map_gets_a_cohort_report(
    demo: DemoResult, tmp_path: Path
) -> None:
    """A plain nbgrader course: no course/ folder, so no rosters and no curriculum map."""
    import shutil

    from toolkit.reports import cohort_report

    plain = tmp_path / "plain"
    plain.mkdir()
    shutil.copy(demo.workspace / "gradebook.db", plain)
    (plain / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'x'\n"
    )
    paths = cohort_report(plain, "all", pdf=False)
    summary = json.loads(paths.summary.read_text())
    assert summary["cohort"] == "all" and summary["n_trainees"] == len(demo.trainees)
    assert summary["competencies"] == []
    assert any("curriculum map" in note for note in summary["notes"])
    assert all(a["alpha"] is not None for a in summary["assignments"] if a["items"])
