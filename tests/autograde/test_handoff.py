"""The hand-off of a submission graded away from the course: the scratch gradebook's seed, the one
write into the course (nbgrader's review rule, hand grades kept), unsafe result paths refused, and
the scheduler option."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from toolkit.autograde.distributed import parse_scheduler
from toolkit.autograde.handoff import GradedSubmission, seed_gradebook, write_graded
from toolkit.course.layout import Course
from toolkit.course.nbgrader_ops import gradebook
from toolkit.errors import CttkError, GradingError

A, NB = "a1", "nb"


@pytest.fixture
def course(tmp_path: Path) -> Course:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    (tmp_path / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.db_url = {url!r}\n"
    )
    with gradebook(url) as gb:
        gb.add_assignment(A, duedate="2030-01-01 00:00:00")
        gb.add_notebook(NB, A)
        gb.add_grade_cell("auto", NB, A, max_score=2.0, cell_type="code")
        gb.add_grade_cell("essay", NB, A, max_score=3.0, cell_type="markdown")
        gb.add_solution_cell("essay", NB, A)
        gb.add_student("old")
        gb.add_submission(A, "old")
    return Course.open(tmp_path)


def _graded(student: str, auto: float, files: dict[str, tuple[bytes, int]]) -> GradedSubmission:
    return GradedSubmission(
        A,
        student,
        datetime(2030, 1, 2, 3, 4, 5),
        ((NB, "auto", auto), (NB, "essay", None)),
        ((NB, "essay", "No response."),),
        ((NB, 0.0),),
        files,
    )


def test_seed_holds_the_assignment_and_no_trainee(course: Course, tmp_path: Path) -> None:
    seed = tmp_path / "seed.db"
    seed.write_bytes(seed_gradebook(course.gradebook_url))
    with gradebook(f"sqlite:///{seed}") as gb:
        assignment = gb.find_assignment(A)
        assert [nb.name for nb in assignment.notebooks] == [NB]
        assert {c.name for c in assignment.notebooks[0].grade_cells} == {"auto", "essay"}
        assert str(assignment.duedate).startswith("2030-01-01")
        assert gb.students == [] and assignment.submissions == []


def test_write_graded_records_once_and_keeps_hand_grades(course: Course) -> None:
    with gradebook(course.gradebook_url) as gb:
        gb.find_grade("essay", NB, A, "old").manual_score = 2.5
        gb.db.commit()
    for _ in range(2):  # a result written twice is still one submission
        write_graded(course, _graded("old", 2.0, {"nb.ipynb": (b"{}", 0o640)}))
    write_graded(course, _graded("new", 0.0, {"data/x.csv": (b"1,2", 0o600)}))
    with gradebook(course.gradebook_url) as gb:
        assert len(gb.find_assignment(A).submissions) == 2
        old = gb.find_submission_notebook(NB, A, "old")
        grades = {g.name: g for g in old.grades}
        assert grades["auto"].auto_score == 2.0 and not grades["auto"].needs_manual_grade
        assert grades["essay"].manual_score == 2.5  # the hand grade survives
        assert grades["essay"].needs_manual_grade  # and is flagged for review, as in nbgrader
        assert old.late_submission_penalty == 0.0
        assert gb.find_comment("essay", NB, A, "old").auto_comment == "No response."
        assert gb.find_submission(A, "new").timestamp == datetime(2030, 1, 2, 3, 4, 5)
    out = course.autograded / "old" / A / "nb.ipynb"
    assert out.read_bytes() == b"{}" and out.stat().st_mode & 0o777 == 0o640
    assert (course.autograded / "new" / A / "data" / "x.csv").read_bytes() == b"1,2"


def test_a_result_path_outside_the_folder_is_refused(course: Course, tmp_path: Path) -> None:
    dest = course.autograded / "old" / A
    write_graded(course, _graded("old", 1.0, {"nb.ipynb": (b"{}", 0o644)}))
    for name in ["../../escape.txt", str(tmp_path / "escape.txt"), "a/../../escape.txt"]:
        # Unchecked, the path would land outside the trainee's autograded folder.
        assert not (dest / name).resolve().is_relative_to(dest)
        files = {name: (b"x", 0o644), "nb.ipynb": (b"", 0o644)}
        with pytest.raises(GradingError):
            write_graded(course, _graded("old", 2.0, files))
    assert not list(course.root.rglob("escape.txt")) and not (tmp_path / "escape.txt").exists()
    assert (dest / "nb.ipynb").read_bytes() == b"{}"  # the earlier result is untouched
    assert sorted(p.name for p in dest.parent.iterdir()) == [A]  # no leftover temporary folder
    with gradebook(course.gradebook_url) as gb:
        assert gb.find_grade("auto", NB, A, "old").auto_score == 1.0


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("local:2", ("local", 2)), ("tcp://10.0.0.5:8786", ("address", 0))],
)
def test_scheduler_spec(spec: str, expected: tuple[str, int]) -> None:
    assert parse_scheduler(spec) == expected


@pytest.mark.parametrize("spec", ["local:0", "local:x", "local:", "local:100000", " "])
def test_bad_scheduler_spec(spec: str) -> None:
    with pytest.raises(CttkError):
        parse_scheduler(spec)


def test_cli_refuses_a_bad_local_cluster_before_grading(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from toolkit.cli.main import main

    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    (tmp_path / "source" / A).mkdir(parents=True)
    args = ["autograde", A, "--scheduler", "local:0", "--course", str(tmp_path), "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("cttk: error: bad local cluster size")
    assert not (tmp_path / ".cttk").exists()
