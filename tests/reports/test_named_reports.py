"""The instructor's report with names (``--names``) lives in its own private folder with its own
index; the evaluators' index never links it."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from toolkit.reports import cohort_report
from toolkit.settings import NAMED_REPORTS_DIR

pytestmark = pytest.mark.slow


def test_named_report_is_private_and_kept_out_of_the_evaluators_index(
    course: Path, key_env
) -> None:
    named = cohort_report(course, "B", names=True, pdf=False)
    plain = cohort_report(course, "B", pdf=False)
    home = course / NAMED_REPORTS_DIR
    assert named.html.parent == home / "cohort-B" and named.index == home / "index.html"
    assert plain.index == course / "reports" / "index.html"
    evaluators = (course / "reports" / "index.json").read_text() + plain.index.read_text()
    assert NAMED_REPORTS_DIR not in evaluators and "names=True" not in plain.index.read_text()
    records = json.loads((home / "index.json").read_text())
    assert any(r["parameters"]["names"] is True for r in records)
    assert (home / ".gitignore").read_text().strip().endswith("*")
    for path in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
