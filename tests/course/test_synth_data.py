"""The committed CSV files are exactly what the seeded generators write, in source/ and release/."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.course.synth import DATASETS, dataset_csv


@pytest.mark.parametrize(("assignment", "name"), sorted(DATASETS))
def test_committed_data_match_the_generator(repo_root: Path, assignment: str, name: str) -> None:
    expected = dataset_csv(assignment, name)
    for top in ("source", "release"):
        text = (repo_root / top / assignment / name).read_text(encoding="utf-8")
        assert text == expected, f"{top}/{assignment}/{name}: run write_datasets and release again"
