"""Without Chromium a report is still made (HTML, summary.json, the notebook) and says why it has
no PDF; with Chromium the same call prints the PDF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.hidden_path import environment_without
from toolkit.reports import cohort_report

pytestmark = pytest.mark.slow


def test_without_chromium_the_report_is_made_and_says_why(
    course: Path, key_env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CTTK_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", environment_without(tmp_path / "bin")["PATH"])
    out = tmp_path / "report"
    paths = cohort_report(course, "A", out)
    assert paths.pdf is None and not list(out.glob("*.pdf"))
    assert paths.html.is_file() and paths.summary.is_file()
    assert paths.no_pdf is not None and "Chromium is not installed" in paths.no_pdf
    assert "apt-get install" in paths.no_pdf
    assert (out / "NO_PDF.txt").read_text(encoding="utf-8").strip() == paths.no_pdf
    record = json.loads((course / "reports" / "index.json").read_text())[-1]
    assert record["files"]["no-pdf"].endswith("NO_PDF.txt") and "pdf" not in record["files"]


@pytest.mark.needs("chromium")
def test_with_chromium_the_same_call_prints_the_pdf(course: Path, key_env, tmp_path: Path) -> None:
    out = tmp_path / "report"
    (out).mkdir()
    (out / "NO_PDF.txt").write_text("stale\n")
    paths = cohort_report(course, "A", out)
    assert paths.no_pdf is None and paths.pdf is not None
    assert paths.pdf.read_bytes()[:5] == b"%PDF-"
    assert not (out / "NO_PDF.txt").exists()
