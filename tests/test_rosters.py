"""Rosters: import checks the CSV and keeps each trainee in one cohort."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.course.rosters import cohorts_of, import_roster, load_rosters
from toolkit.errors import CourseError

HEADER = "trainee,first_name,last_name,email,agency,role\n"


def _csv(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body)
    return path


def test_import_then_load(tmp_path: Path) -> None:
    roster = _csv(tmp_path, "r.csv", "t1,Ana,Ruiz,a@x.org,Northvale PD,detective\n")
    import_roster(tmp_path, "2026-A", roster)
    loaded = load_rosters(tmp_path)
    assert loaded.to_dict("records") == [
        {
            "trainee": "t1",
            "first_name": "Ana",
            "last_name": "Ruiz",
            "email": "a@x.org",
            "agency": "Northvale PD",
            "role": "detective",
            "cohort": "2026-A",
        }
    ]


def test_a_trainee_cannot_join_two_cohorts(tmp_path: Path) -> None:
    import_roster(tmp_path, "2026-A", _csv(tmp_path, "a.csv", "t1,A,B,e,PD,r\n"))
    with pytest.raises(CourseError, match="already in cohort '2026-A'"):
        import_roster(tmp_path, "2026-B", _csv(tmp_path, "b.csv", "t1,A,B,e,PD,r\n"))
    assert sorted(p.name for p in (tmp_path / "course" / "cohorts").glob("*.csv")) == ["2026-A.csv"]


@pytest.mark.parametrize(
    ("body", "message"),
    [("../x,A,B,e,PD,r\n", "not a valid name"), ("t1,A,B,e,PD,r\nt1,C,D,e,PD,r\n", "repeated")],
)
def test_bad_rosters_are_refused(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(CourseError, match=message):
        import_roster(tmp_path, "2026-A", _csv(tmp_path, "r.csv", body))
    assert not (tmp_path / "course").exists()


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("id,name\n1,x\n")
    with pytest.raises(CourseError, match="lacks columns"):
        import_roster(tmp_path, "2026-A", path)


def test_without_rosters_everyone_is_in_cohort_all(tmp_path: Path) -> None:
    import pandas as pd

    ids = pd.Series(["a", "b"])
    assert cohorts_of(ids, load_rosters(tmp_path)).tolist() == ["all", "all"]


def test_cohort_import_registers_the_trainees_in_the_gradebook(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from toolkit.cli.main import main
    from toolkit.course.nbgrader_ops import gradebook

    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    roster = _csv(tmp_path, "r.csv", "t1,Ana,Ruiz,a@x.org,Northvale PD,detective\n")
    result = CliRunner().invoke(
        main, ["cohort", "import", "2026-A", str(roster), "--course", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == "Cohort 2026-A: 1 trainees registered.\n"
    with gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        assert [(s.id, s.last_name, s.email) for s in gb.students] == [("t1", "Ruiz", "a@x.org")]
    assert load_rosters(tmp_path)["cohort"].tolist() == ["2026-A"]
