"""Every command that uses the gradebook, on an empty, corrupt, truncated, foreign, locked or
read-only gradebook: one line ``cttk: error: ...`` that says what to do, exit status 2, and nothing
written (the course folder, the gradebook's bytes and the rosters are as they were)."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli.main import main
from toolkit.course.gradebook_file import check_gradebook
from toolkit.errors import CourseError

CONFIG = """\
c = get_config()
c.CourseDirectory.course_id = "cttk"
c.CourseDirectory.db_url = "sqlite:///{db}"
"""
NOTEBOOK = """{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"""
ROSTER = "trainee,first_name,last_name,email,agency,role\nt1,Ada,Example,a@example.org,PD,officer\n"

# building a gradebook with nbgrader (imports, migrations) takes seconds
pytestmark = pytest.mark.slow

READERS = [["export"], ["report", "cohort", "all", "--no-pdf"], ["report", "gaps", "--no-pdf"]]
WRITERS = [
    ["cohort", "import", "c2", "ROSTER"],
    ["release", "a1"],
    ["autograde", "a1"],
    ["feedback", "a1"],
]


@pytest.fixture(scope="session")
def good_gradebook(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a gradebook nbgrader made: one assignment, one student (larger than one page)."""
    from toolkit.course.nbgrader_ops import gradebook

    path = tmp_path_factory.mktemp("gb") / "gradebook.db"
    with gradebook(f"sqlite:///{path}") as gb:
        gb.add_assignment("a1")
        gb.add_student("t1", first_name="Ada", last_name="Example")
    return path.read_bytes()


def _course(root: Path, gradebook_bytes: bytes | None) -> Path:
    (root / "source" / "a1").mkdir(parents=True)
    (root / "source" / "a1" / "nb.ipynb").write_text(NOTEBOOK)
    (root / "course" / "cohorts").mkdir(parents=True)
    (root / "course" / "cohorts" / "c1.csv").write_text(ROSTER)
    (root / "roster.csv").write_text(ROSTER.replace("t1,", "t2,"))
    db = root / "gradebook.db"
    (root / "nbgrader_config.py").write_text(CONFIG.format(db=db))
    if gradebook_bytes is not None:
        db.write_bytes(gradebook_bytes)
    return db


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "/"
        for p in sorted(root.rglob("*"))
    }


def _damage(kind: str, good: bytes, db: Path) -> None:
    if kind == "empty":
        db.write_bytes(b"")
    elif kind == "corrupt":
        db.write_bytes(b"this is not a database\n" * 100)
    elif kind == "truncated":
        db.write_bytes(good[: len(good) // 2 + 100])
    elif kind == "scrambled":  # header intact, pages overwritten
        db.write_bytes(good[:100] + bytes(len(good) - 100))
    elif kind == "foreign":  # an SQLite file, but not nbgrader's
        db.unlink()
        sqlite3.connect(db).executescript(
            "CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES (1);"
        )
    elif kind == "read-only":
        db.chmod(0o444)


def _one_line_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("cttk: error: ") and "Traceback" not in output
    return lines[0]


@pytest.fixture
def locked() -> Iterator[Callable[[Path], None]]:
    """Hold an exclusive lock on a gradebook, as a program in the middle of writing it does."""
    held: list[sqlite3.Connection] = []

    def lock(db: Path) -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        held.append(conn)

    yield lock
    for conn in held:
        conn.execute("ROLLBACK")
        conn.close()


DAMAGE = ["empty", "corrupt", "truncated", "scrambled", "foreign"]
EXPECT = {
    "empty": "the gradebook is empty (0 bytes)",
    "corrupt": "not an SQLite database",
    "truncated": "truncated",
    "scrambled": "corrupt",
    "foreign": "not an nbgrader gradebook",
    "read-only": "read-only",
    "locked": "locked by another program",
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_the_check_names_each_kind_of_damage(
    damage: str, good_gradebook: bytes, tmp_path: Path
) -> None:
    db = _course(tmp_path, good_gradebook)
    _damage(damage, good_gradebook, db)
    with pytest.raises(CourseError, match=re.escape(EXPECT[damage])):
        check_gradebook(f"sqlite:///{db}")
    check_gradebook(f"sqlite:///{tmp_path / 'new.db'}", write=True)  # a new file is fine
    assert not (tmp_path / "new.db").exists()


def test_a_good_gradebook_passes_for_reading_and_writing(
    good_gradebook: bytes, tmp_path: Path
) -> None:
    db = _course(tmp_path, good_gradebook)
    check_gradebook(f"sqlite:///{db}", write=True)
    assert db.read_bytes() == good_gradebook


CASES = [
    pytest.param(damage, command, id=f"{damage}-{'-'.join(command[:2])}")
    for damage in [*DAMAGE, "locked", "read-only"]
    for command in READERS + WRITERS
    # reading a read-only gradebook is allowed (see the test below)
    if not (damage == "read-only" and command in READERS)
]


@pytest.mark.parametrize(("damage", "command"), CASES)
def test_every_command_gives_one_line_and_writes_nothing(
    damage: str,
    command: list[str],
    good_gradebook: bytes,
    tmp_path: Path,
    locked: Callable[[Path], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("toolkit.settings.GRADEBOOK_LOCK_WAIT_SECONDS", 0.2)
    root = tmp_path / "course"
    db = _course(root, good_gradebook)
    _damage(damage, good_gradebook, db)
    if damage == "locked":
        locked(db)
    before = _snapshot(root)
    args = [str(root / "roster.csv") if a == "ROSTER" else a for a in command]
    result = CliRunner().invoke(main, [*args, "--course", str(root)])
    assert result.exit_code == 2, result.output
    line = _one_line_error(result.output)
    assert EXPECT[damage] in line
    assert _snapshot(root) == before


def test_a_read_only_gradebook_can_still_be_read(good_gradebook: bytes, tmp_path: Path) -> None:
    db = _course(tmp_path, good_gradebook)
    db.chmod(0o444)
    result = CliRunner().invoke(main, ["export", "--course", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("cohort,trainee,")
    with pytest.raises(CourseError, match="read-only"):
        check_gradebook(f"sqlite:///{db}", write=True)


def test_nbgrader_alone_recreates_an_empty_gradebook_and_cttk_does_not(tmp_path: Path) -> None:
    from nbgrader.api import Gradebook

    bare = tmp_path / "bare.db"
    bare.write_bytes(b"")
    Gradebook(f"sqlite:///{bare}", "cttk").close()  # what nbgrader does when asked directly
    assert bare.stat().st_size > 0
    root = tmp_path / "course"
    db = _course(root, b"")
    result = CliRunner().invoke(main, ["release", "a1", "--course", str(root)])
    assert result.exit_code == 2 and "empty (0 bytes)" in _one_line_error(result.output)
    assert db.stat().st_size == 0
