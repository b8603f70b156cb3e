"""Fixtures shared by every test folder, and the skips for missing system packages.

A test that needs a system package says so with a marker: ``browser`` (Chromium), ``postgres``
(PostgreSQL), or ``needs("chromium" | "bubblewrap" | "postgresql", ...)``. When the package is
missing the test is skipped, and the run ends with one line per missing package naming it, what
it is for, how many tests were skipped, and the command that installs it. Nothing else is ever
skipped for a missing program.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import pytest

from toolkit.course.system import BY_NAME, describe_missing

REPO = Path(__file__).resolve().parents[1]
#: The system package each marker implies.
MARKER_NEEDS = {"browser": "chromium", "postgres": "postgresql"}
SKIP_PREFIX = "system package missing: "


def pytest_configure(config: pytest.Config) -> None:
    # nbgrader runs `alembic` by name and kernels start `python`: use this interpreter's scripts.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def needed_packages(item: pytest.Item) -> set[str]:
    """The system packages a test needs, from its markers."""
    needed = {pkg for marker, pkg in MARKER_NEEDS.items() if item.get_closest_marker(marker)}
    for marker in item.iter_markers("needs"):
        unknown = [name for name in marker.args if name not in BY_NAME]
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: unknown system package {unknown}")
        needed.update(marker.args)
    return needed


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    present: dict[str, bool] = {}
    for item in items:
        for name in sorted(needed_packages(item)):
            if name not in present:
                present[name] = BY_NAME[name].installed()
            if not present[name]:
                item.add_marker(pytest.mark.skip(reason=SKIP_PREFIX + name))
                break


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per missing system package (how many tests it cost, and how to install it), and
    one per any other reason a test was skipped."""
    skipped: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        reason = reason.removeprefix("Skipped: ")
        if reason.startswith(SKIP_PREFIX):
            skipped[reason.removeprefix(SKIP_PREFIX)] += 1
        else:
            other[reason] += 1
    if other:
        terminalreporter.section("skipped")
        for reason, count in sorted(other.items()):
            terminalreporter.write_line(f"skipped {count} test(s): {reason}")
    if not skipped:
        return
    terminalreporter.section("skipped for missing system packages")
    missing = [BY_NAME[name] for name in sorted(skipped)]
    for package in missing:
        terminalreporter.write_line(
            f"skipped {skipped[package.name]} test(s): {package.program} is not installed "
            f"(apt package {package.name}: {package.purpose})"
        )
    terminalreporter.write_line(describe_missing(missing)[-1])


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO
