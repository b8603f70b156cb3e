"""The course folder: any nbgrader course root works, with nbgrader's defaults."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from toolkit.course.layout import Course, check_name
from toolkit.errors import CourseError


def test_gradebook_defaults_to_the_course_root_when_config_is_silent(tmp_path: Path) -> None:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    assert Course.open(tmp_path).gradebook_url == f"sqlite:///{tmp_path / 'gradebook.db'}"


def test_gradebook_url_comes_from_nbgrader_config(tmp_path: Path) -> None:
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.db_url = 'postgresql://db.example/cttk'\n"
    )
    assert Course.open(tmp_path).gradebook_url == "postgresql://db.example/cttk"


def test_a_folder_without_config_is_not_a_course(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match=r"nbgrader_config\.py"):
        Course.open(tmp_path)


@pytest.mark.parametrize("name", ["../x", "a/b", "", ".hidden", "a b", "x;rm"])
def test_unsafe_names(name: str) -> None:
    with pytest.raises(CourseError, match="not a valid name"):
        check_name(name, "assignment")


def _course_copy(repo: Path, dest: Path) -> Path:
    """The repository's course definition without release/ (nbgrader_config, source, course)."""
    dest.mkdir(parents=True)
    shutil.copy(repo / "nbgrader_config.py", dest / "nbgrader_config.py")
    for name in ("source", "course"):
        shutil.copytree(repo / name, dest / name, ignore=shutil.ignore_patterns("cohorts"))
    return dest


def _released(root: Path) -> tuple[dict[str, bytes], set[tuple[str, str, str, float | None]]]:
    """Every file under release/, and every cell nbgrader recorded in the gradebook."""
    from toolkit.course.nbgrader_ops import gradebook

    files = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "release").rglob("*"))
        if p.is_file()
    }
    cells = set()
    with gradebook(Course.open(root).gradebook_url) as gb:
        for assignment in gb.assignments:
            for nb in assignment.notebooks:
                for cell in [*nb.grade_cells, *nb.solution_cells, *nb.task_cells]:
                    score = getattr(cell, "max_score", None)
                    cells.add((assignment.name, nb.name, cell.name, score))
    return files, cells


@pytest.mark.slow
def test_release_all_writes_what_releasing_each_assignment_writes(
    tmp_path: Path, repo_root: Path
) -> None:
    from click.testing import CliRunner

    from toolkit.cli.main import main
    from toolkit.validate import validate_course

    every = _course_copy(repo_root, (tmp_path / "every").resolve())
    each = _course_copy(repo_root, (tmp_path / "each").resolve())
    assignments = Course.open(every).assignments()
    assert len(assignments) > 1

    result = CliRunner().invoke(main, ["release", "--all", "--course", str(every)])
    assert result.exit_code == 0, result.output
    assert result.output.count("nbgrader generate_assignment") == len(assignments)
    for assignment in assignments:
        result = CliRunner().invoke(main, ["release", assignment, "--course", str(each)])
        assert result.exit_code == 0, result.output
        assert f"nbgrader generate_assignment {assignment}: wrote " in result.output

    files, cells = _released(every)
    assert {path.split("/")[1] for path in files} == set(assignments)
    assert (files, cells) == _released(each)
    assert validate_course(every, checks=["release"]).findings == []


@pytest.mark.parametrize("args", [[], ["01_legal_foundations", "--all"]])
def test_release_needs_one_assignment_or_all(tmp_path: Path, args: list[str]) -> None:
    from click.testing import CliRunner

    from toolkit.cli.main import main

    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    result = CliRunner().invoke(main, ["release", *args, "--course", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith("cttk: error: name one ASSIGNMENT or pass --all")
    assert not (tmp_path / "release").exists()
