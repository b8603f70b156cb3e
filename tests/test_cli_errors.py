"""Bad input: a one-line error that says what to do, a non-zero exit, nothing half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.main import main

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output  # stdout and stderr together


def _one_line_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("cttk: error: ")
    assert "Traceback" not in output
    return lines[0]


def test_demo_refuses_a_non_empty_workspace(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    code, out = _run("demo", "--workspace", str(tmp_path))
    assert code != 0
    assert "not empty" in _one_line_error(out) and "--force" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_demo_force_never_deletes_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    code, out = _run("demo", "--workspace", str(tmp_path), "--force")
    assert code != 0
    assert "not an earlier demo workspace" in _one_line_error(out)
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_demo_refuses_to_write_into_the_repository() -> None:
    code, out = _run("demo", "--workspace", str(REPO / "cttk-demo-inside"))
    assert code != 0
    assert "inside the course repository" in _one_line_error(out)
    assert not (REPO / "cttk-demo-inside").exists()


def test_missing_nbgrader_config(tmp_path: Path) -> None:
    code, out = _run("report", "cohort", "2026-A", "--course", str(tmp_path))
    assert code != 0
    assert "nbgrader_config.py" in _one_line_error(out)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    shutil.copytree(REPO / "source", root / "source")
    shutil.copy(REPO / "nbgrader_config.py", root)
    return root


def test_unknown_assignment(course_copy: Path) -> None:
    code, out = _run("release", "99_nothing", "--course", str(course_copy))
    assert code != 0
    line = _one_line_error(out)
    assert "does not exist" in line and "01_legal_foundations" in line
    assert not (course_copy / "release").exists()


def test_unsafe_assignment_name(course_copy: Path) -> None:
    code, out = _run("release", "../source", "--course", str(course_copy))
    assert code != 0
    assert "not a valid name" in _one_line_error(out)


def test_report_without_a_gradebook(course_copy: Path) -> None:
    code, out = _run("report", "cohort", "2099-Z", "--course", str(course_copy))
    assert code != 0
    assert "no gradebook" in _one_line_error(out)
    assert not (course_copy / "reports").exists()
    assert not (course_copy / "gradebook.db").exists()


def test_a_database_error_from_nbgrader_becomes_one_line() -> None:
    import sqlite3

    import click
    import sqlalchemy as sa

    from toolkit.cli.common import friendly

    @click.command()
    @friendly
    def broken() -> None:
        raise sa.exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error"))

    result = CliRunner().invoke(broken, [])
    assert result.exit_code == 2
    line = _one_line_error(result.output)
    assert "the gradebook database failed (disk I/O error)" in line and "backup" in line

    @click.command()
    @friendly
    def other() -> None:
        raise ValueError("not a database error")

    assert isinstance(CliRunner().invoke(other, []).exception, ValueError)  # not swallowed
