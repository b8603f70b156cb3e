"""The course folder: any nbgrader course root works, with nbgrader's defaults."""

from __future__ import annotations

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
