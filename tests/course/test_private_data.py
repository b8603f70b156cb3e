"""Rosters are private by default: mode 0600 in a 0700 folder that version control ignores
wherever the course lives; the shipped example roster is fictional and imports cleanly."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pandas as pd

from toolkit.course.private import GITIGNORE
from toolkit.course.rosters import import_roster, read_roster_csv, roster_dir

EXAMPLE = Path(__file__).resolve().parents[2] / "course" / "examples" / "roster-example.csv"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _untracked(repo: Path) -> list[str]:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line[3:] for line in done.stdout.splitlines()]


def test_an_imported_roster_is_private_and_ignored_by_git(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    path = import_roster(tmp_path, "2026-A", EXAMPLE)
    folder = roster_dir(tmp_path)
    written = folder / "2026-A.csv"
    assert len(path) == 8 and written.is_file()
    assert _mode(written) == 0o600 and _mode(folder) == 0o700
    assert _untracked(tmp_path) == []  # nothing for `git add .` to pick up
    # the folder's own .gitignore is what keeps it out: without it git would offer the roster
    (folder / ".gitignore").unlink()
    assert "course/cohorts/2026-A.csv" in _untracked(tmp_path)


def test_a_loose_roster_folder_is_tightened_on_the_next_import(tmp_path: Path) -> None:
    folder = roster_dir(tmp_path)
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    import_roster(tmp_path, "2026-B", EXAMPLE)
    assert _mode(folder) == 0o700
    assert (folder / ".gitignore").read_text() == GITIGNORE


def test_the_example_roster_is_fictional_and_valid() -> None:
    frame = read_roster_csv(EXAMPLE)
    assert len(frame) == 8 and frame["trainee"].str.startswith("ex-").all()
    # reserved example domain only: no address that could reach a real person
    assert frame["email"].str.endswith("@example.org").all()
    assert not pd.concat([frame["first_name"], frame["last_name"]]).duplicated().any()
