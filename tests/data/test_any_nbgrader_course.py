"""A course nobody here wrote: nbgrader's own example course (``ps1`` of its user guide, with a
manually graded task cell), set up with nbgrader's CLI and API only, then read by every command
that reads a gradebook.

What it holds: task cells, extra credit, manual grades overriding automatic ones, a late
submission with nbgrader's ``zero`` penalty, two notebooks in one assignment, a trainee with no
submission, an assignment nobody submitted, and a gradebook at a ``db_url`` set in
``nbgrader_config.py`` (not the default place).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.main import main
from toolkit.data.gradebook import load_gradebook

pytestmark = pytest.mark.slow

TASK = "cell-938593c4a215c6cc"  # the task cell of nbgrader's example problem1.ipynb
CONFIG = """\
c = get_config()
c.CourseDirectory.course_id = "example_course"
c.CourseDirectory.db_url = "sqlite:///{db}"
c.LateSubmissionPlugin.penalty_method = "zero"
"""
STUDENTS = """\
id,first_name,last_name,email
bitdiddle,Ben,Bitdiddle,ben@example.org
hacker,Alyssa,Hacker,alyssa@example.org
reasoner,Louis,Reasoner,louis@example.org
"""


@dataclass(frozen=True)
class Example:
    root: Path
    url: str


def _nbgrader(root: Path, *args: str) -> None:
    done = subprocess.run(
        ["nbgrader", *args], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Example:
    import nbgrader
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    guide = Path(nbgrader.__file__).parent / "docs" / "source" / "user_guide"
    root = tmp_path_factory.mktemp("example_course")
    shutil.copytree(guide / "source" / "ps1", root / "source" / "ps1")
    (root / "source" / "ps2").mkdir()
    shutil.copy(guide / "source" / "ps1" / "problem2.ipynb", root / "source" / "ps2")
    shutil.copytree(guide / "submitted", root / "submitted")
    (root / "grades").mkdir()
    db = root / "grades" / "example.sqlite"
    url = f"sqlite:///{db}"
    (root / "nbgrader_config.py").write_text(CONFIG.format(db=db))
    (root / "students.csv").write_text(STUDENTS)

    # bitdiddle submitted after this due date, hacker before it
    _nbgrader(
        root, "db", "assignment", "add", "ps1", "--duedate=2015-02-02 00:00:00 America/Los_Angeles"
    )
    _nbgrader(root, "db", "student", "import", "students.csv")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    nbapi = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    for assignment in ("ps1", "ps2"):
        assert nbapi.generate_assignment(assignment, force=True)["success"]
    _nbgrader(root, "autograde", "ps1")

    with Gradebook(url, "example_course") as gb:
        # hand grades: the task cell with extra credit, a manual grade over an automatic one
        task = gb.find_grade(TASK, "problem1", "ps1", "hacker")
        task.manual_score, task.extra_credit, task.needs_manual_grade = 3.0, 0.5, False
        over = gb.find_grade("correct_squares", "problem1", "ps1", "hacker")
        assert over.auto_score == 1.0
        over.manual_score = 0.0
        for grade_id, score in (("part-a", 1.0), ("part-b", 1.5)):
            grade = gb.find_grade(grade_id, "problem2", "ps1", "bitdiddle")
            grade.manual_score, grade.needs_manual_grade = score, False
        gb.db.commit()
    return Example(root=root, url=url)


def test_the_loader_agrees_with_nbgrader_on_every_grade(example: Example) -> None:
    from nbgrader.api import Gradebook

    frames = load_gradebook(example.url)
    assert frames.trainees["trainee"].tolist() == ["bitdiddle", "hacker", "reasoner"]
    items = frames.items.set_index("item")
    assert items.loc[f"problem1/{TASK}", "kind"] == "manual"
    assert items.loc[f"problem1/{TASK}", "max_score"] == 4.0
    assert set(frames.items["assignment"]) == {"ps1", "ps2"}
    scores = frames.scores
    assert "reasoner" not in set(scores["trainee"])  # no submission: no grades
    assert "ps2" not in set(scores["assignment"])  # nobody submitted it
    with Gradebook(example.url, "example_course") as gb:
        for student in ("bitdiddle", "hacker"):
            submission = gb.find_submission("ps1", student)
            mine = scores[(scores["trainee"] == student) & (scores["assignment"] == "ps1")]
            assert mine["score"].sum() == pytest.approx(submission.score)
            assert len(mine) == sum(len(nb.grades) for nb in submission.notebooks)
            row = frames.submissions.set_index(["trainee", "assignment"]).loc[(student, "ps1")]
            assert row["late_penalty"] == pytest.approx(submission.late_submission_penalty or 0)
        hacker = scores[scores["trainee"] == "hacker"].set_index("item")
        assert hacker.loc[f"problem1/{TASK}", "score"] == 3.5  # manual + extra credit
        assert hacker.loc["problem1/correct_squares", "score"] == 0.0  # manual beats auto
    late = frames.submissions.set_index("trainee").loc["bitdiddle", "late_penalty"]
    assert late > 0  # the zero method takes the whole score


def test_export_and_reports_work_on_it(
    example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CTTK_PSEUDONYM_KEY", "cd" * 32)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    course = ["--course", str(example.root)]
    out = tmp_path / "scores.csv"
    done = runner.invoke(main, ["export", *course, "--output", str(out)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(out.open()))
    assert {r["trainee"] for r in rows} == {"bitdiddle", "hacker"}
    assert any(r["item"] == f"problem1/{TASK}" for r in rows)
    for command in (["report", "cohort", "all"], ["report", "gaps"]):
        done = runner.invoke(main, [*command, *course, "--no-pdf"])
        assert done.exit_code == 0, done.output
    assert (example.root / "reports" / "cohort-all" / "summary.json").is_file()
    assert (example.root / "reports" / "gaps" / "summary.json").is_file()
    assert os.listdir(tmp_path) == ["scores.csv"]
