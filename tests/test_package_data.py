"""Run-time files ship inside the package: a wheel built from this tree holds the report templates
and every package module, and, installed into a fresh virtual environment, runs the demo,
validates the course and makes a report from a folder that is not the repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from toolkit.reports.runner import templates_dir

#: this checkout's editable install, which the fresh environment must not see
EDITABLE = ("__editable__", "cttk-", "a1_coverage")


def test_templates_are_found_as_package_data(repo_root: Path) -> None:
    found = sorted(p.name for p in templates_dir().glob("*.ipynb"))
    assert found == sorted(p.name for p in (repo_root / "templates").glob("*.ipynb"))
    assert found, "no report template found"


@pytest.fixture(scope="module")
def wheel(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
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
            str(out),
            str(repo_root),
        ],
        check=True,
        cwd=out,
    )
    (found,) = out.glob("cttk-*.whl")
    return found


@pytest.mark.slow
def test_the_wheel_holds_templates_and_modules_but_no_course_answers(
    repo_root: Path, wheel: Path
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (repo_root / "templates").glob("*.ipynb"):
        assert f"toolkit/reports/templates/{template.name}" in names
    modules = {p.relative_to(repo_root).as_posix() for p in (repo_root / "toolkit").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    # source notebooks hold solutions and hidden tests: they never ship to trainees' machines
    assert not [n for n in names if n.endswith(".ipynb") and "/templates/" not in n]


@pytest.mark.slow
def test_the_installed_wheel_runs_demo_validate_and_report_from_an_empty_folder(
    repo_root: Path, wheel: Path, tmp_path: Path
) -> None:
    # A fresh environment with the wheel installed by pip. Its dependencies are this
    # environment's, hard-linked in (no network, no copying), without this checkout's editable
    # install; so everything lives under the new environment's prefix, as after `pip install`.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    ours = Path(sysconfig.get_path("purelib"))
    deps = [str(p) for p in ours.iterdir() if not p.name.startswith(EDITABLE)]
    subprocess.run(["cp", "-al", *deps, str(purelib)], check=True)
    subprocess.run(["cp", "-al", str(Path(sys.prefix) / "share"), str(venv)], check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
    )
    where = subprocess.run(
        [str(python), "-c", "import toolkit; print(toolkit.__file__)"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(purelib), where

    empty = tmp_path / "empty"
    empty.mkdir()
    # the dependencies' scripts (nbgrader runs `alembic` by name) come last, after the new venv's
    our_bin = str(Path(sys.executable).parent)
    path = [
        str(venv / "bin"),
        *(p for p in os.environ["PATH"].split(os.pathsep) if p != our_bin),
        our_bin,
    ]
    env = {**os.environ, "PATH": os.pathsep.join(path), "CTTK_PSEUDONYM_KEY": "ef" * 32}
    env.pop("PYTHONPATH", None)
    cttk = str(venv / "bin" / "cttk")
    workspace = tmp_path / "academy"

    def run(*args: str) -> str:
        done = subprocess.run(
            [cttk, *args], cwd=empty, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
        return done.stdout

    run(
        "demo",
        "--course",
        str(repo_root),
        "--workspace",
        str(workspace),
        "--cohorts",
        "1",
        "--trainees",
        "5",
        "--assignment",
        "00_pretest",
        "--assignment",
        "09_posttest",
        "--no-pdf",
    )
    assert "OK" in run(
        "validate", "--course", str(workspace), "--skip", "solutions", "--skip", "blank"
    )
    out = tmp_path / "report"
    run("report", "cohort", "2026-A", "--course", str(workspace), "--output", str(out), "--no-pdf")
    summary = json.loads((out / "summary.json").read_text())
    assert summary
    assert (out / "cohort_report.html").is_file()
    assert list(empty.iterdir()) == []  # nothing written where the commands ran
