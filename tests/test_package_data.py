"""Run-time files ship inside the package: a wheel built from this tree holds the report templates
and every package module, and the templates are found through importlib.resources."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from toolkit.reports.runner import templates_dir


def test_templates_are_found_as_package_data(repo_root: Path) -> None:
    found = sorted(p.name for p in templates_dir().glob("*.ipynb"))
    assert found == sorted(p.name for p in (repo_root / "templates").glob("*.ipynb"))
    assert found, "no report template found"


@pytest.mark.slow
def test_the_wheel_holds_templates_and_modules_but_no_course_answers(
    repo_root: Path, tmp_path: Path
) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(repo_root),
        ],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("cttk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (repo_root / "templates").glob("*.ipynb"):
        assert f"toolkit/reports/templates/{template.name}" in names
    modules = {p.relative_to(repo_root).as_posix() for p in (repo_root / "toolkit").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    # source notebooks hold solutions and hidden tests: they never ship to trainees' machines
    assert not [n for n in names if n.endswith(".ipynb") and "/templates/" not in n]
