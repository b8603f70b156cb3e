"""Without Chromium, bubblewrap and PostgreSQL: `cttk system` says what is missing and how to
install it, and the tests that need them are skipped with one summary line each.

The machine running the suite has the three; they are hidden by running with a PATH that lacks
them (tests/support/hidden_path.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.hidden_path import environment_without
from toolkit.course.system import (
    BY_NAME,
    PACKAGES,
    describe_missing,
    install_command,
    missing_packages,
)

CTTK = [sys.executable, "-m", "toolkit.cli.main"]


def test_the_install_command_names_each_package() -> None:
    command = install_command(PACKAGES, sudo=True)
    assert command.startswith("sudo apt-get install -y")
    assert command.split()[-3:] == ["chromium", "bubblewrap", "postgresql"]
    assert not install_command(PACKAGES, sudo=False).startswith("sudo")
    lines = describe_missing([BY_NAME["bubblewrap"]])
    assert lines[0].startswith("missing: bwrap (apt package bubblewrap)")
    assert lines[-1].endswith("--no-install-recommends bubblewrap")


def test_hidden_programs_are_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = environment_without(tmp_path / "bin")
    monkeypatch.delenv("CTTK_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", env["PATH"])
    assert [p.name for p in missing_packages("test")] == ["chromium", "bubblewrap", "postgresql"]
    assert [p.name for p in missing_packages("demo")] == ["chromium", "bubblewrap"]


@pytest.mark.slow
def test_cttk_system_prints_what_is_missing_and_the_command(tmp_path: Path) -> None:
    env = environment_without(tmp_path / "bin")
    done = subprocess.run(
        [*CTTK, "system", "--for", "demo"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "missing: chromium (apt package chromium)" in done.stderr
    assert "missing: bwrap (apt package bubblewrap)" in done.stderr
    assert "postgresql" not in done.stderr  # the demo does not use it
    assert "install them with: " in done.stderr
    assert "apt-get install -y --no-install-recommends chromium bubblewrap" in done.stderr
    strict = subprocess.run(
        [*CTTK, "system", "--strict"], env=env, capture_output=True, text=True, check=False
    )
    assert strict.returncode == 2
    assert "missing: pg_ctl (apt package postgresql)" in strict.stderr


@pytest.mark.slow
@pytest.mark.needs("chromium", "bubblewrap", "postgresql")
def test_cttk_system_is_content_when_everything_is_there() -> None:
    assert missing_packages("test") == []
    present = subprocess.run(
        [*CTTK, "system", "--strict"], capture_output=True, text=True, check=False
    )
    assert present.returncode == 0 and "everything the test uses is installed" in present.stdout


def test_make_readies_the_system_before_the_demo_and_the_tests(repo_root: Path) -> None:
    for target, purpose in (("demo", "demo"), ("test", "test")):
        plan = subprocess.run(
            ["make", "-n", "-o", ".venv/.installed", target],
            cwd=repo_root,
            capture_output=True,
            text=True,
            check=True,
            # the Makefile's own defaults, not those of a make this suite may run under
            env={
                k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
            },
        ).stdout.splitlines()
        check = next(i for i, line in enumerate(plan) if f"cttk system --for {purpose}" in line)
        assert "--install" in plan[check]
        assert check < next(
            i for i, line in enumerate(plan) if "cttk demo" in line or "pytest" in line
        )
    ci = (repo_root / ".ci" / "run").read_text()
    assert 'make test SYSTEM_ARGS="--install --strict"' in ci
    # CI installs only what make itself needs; the system packages come through `cttk system`
    apt = [line for line in ci.splitlines() if "apt-get install" in line]
    assert all(p not in line for line in apt for p in ("chromium", "bubblewrap", "postgresql"))


@pytest.mark.slow
def test_the_suite_skips_what_needs_a_hidden_program_with_one_line_each(
    repo_root: Path, tmp_path: Path
) -> None:
    env = environment_without(tmp_path / "bin")
    chosen = [
        "tests/test_postgres.py",
        "tests/browser/test_widgets_in_lab.py",
        "tests/reports/test_reports.py::test_outputs_exist_and_index_lists_them",
        "tests/autograde/test_corpus.py::test_case_outcome[network]",
        "tests/test_system.py::test_the_install_command_names_each_package",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--durations=0", *chosen],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 0, out[-3000:]
    browser = out.count("\nskipped ")  # one line per reason, nothing else
    assert browser == 3, out[-3000:]
    assert "skipped 1 test(s): pg_ctl is not installed (apt package postgresql" in out
    assert "test(s): chromium is not installed (apt package chromium" in out
    assert "skipped 1 test(s): bwrap is not installed (apt package bubblewrap" in out
    assert "--no-install-recommends bubblewrap chromium postgresql" in out
    assert "1 passed" in out
