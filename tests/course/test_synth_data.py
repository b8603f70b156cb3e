"""The committed CSV files are exactly what the seeded generators write, in source/ and release/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.course.synth import DATASETS, dataset_csv


@pytest.mark.parametrize(("assignment", "name"), sorted(DATASETS))
def test_committed_data_match_the_generator(repo_root: Path, assignment: str, name: str) -> None:
    expected = dataset_csv(assignment, name)
    for top in ("source", "release"):
        text = (repo_root / top / assignment / name).read_text(encoding="utf-8")
        assert text == expected, (
            f"{top}/{assignment}/{name}: run `cttk datasets`, then `cttk release --all`"
        )


def test_cttk_datasets_rewrites_the_data_files(repo_root: Path, tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(repo_root / "source", course / "source")
    shutil.copy2(repo_root / "nbgrader_config.py", course)
    (assignment, name), *_ = sorted(DATASETS)
    (course / "source" / assignment / name).write_text("tampered\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["datasets", "--course", str(course)])
    assert result.exit_code == 0, result.output
    assert "cttk release --all" in result.output
    for assignment, name in DATASETS:
        text = (course / "source" / assignment / name).read_text(encoding="utf-8")
        assert text == dataset_csv(assignment, name)
