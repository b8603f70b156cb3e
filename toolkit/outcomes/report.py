"""``cttk report outcomes``: check the inputs, run the outcomes template, write its CSV files,
print the PDF and record the report in ``reports/index.html``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.course.layout import Course
from toolkit.errors import ReportError
from toolkit.outcomes.rollout import read_rollout
from toolkit.outcomes.ucr import read_agency_data
from toolkit.outcomes.victims import read_victim_support
from toolkit.reports.api import finish_report
from toolkit.reports.render import CSV_FOLDER
from toolkit.reports.runner import ReportPaths, run_report
from toolkit.settings import MAX_SUPPRESSION_THRESHOLD, SUPPRESSION_THRESHOLD

TEMPLATE = "outcomes_report"
#: The longest label of a synthetic effect.
MAX_LABEL = 200


def _check_label(synthetic: str) -> str:
    if not isinstance(synthetic, str) or len(synthetic) > MAX_LABEL or not synthetic.isprintable():
        raise ReportError(
            f"the synthetic label must be one printable line of at most {MAX_LABEL} characters"
        )
    return synthetic


def _check_threshold(threshold: Any) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise ReportError(f"threshold {threshold!r} is not a whole number")
    if not 1 <= threshold <= MAX_SUPPRESSION_THRESHOLD:
        raise ReportError(f"threshold {threshold} is not from 1 to {MAX_SUPPRESSION_THRESHOLD}")
    return threshold


def write_csv_files(
    output: Path, agency_data: Path, rollout: Path, summary: Path, synthetic: str = ""
) -> dict[str, Path]:
    """``tables/agency_years.csv`` (the public agency-year figures, with each agency's training
    year) and ``tables/event_study.csv`` (from ``summary.json``), beside the report's other
    tables. With ``synthetic``, every row says so (the figures hold an injected effect). No
    victim record is written."""
    data = read_agency_data(agency_data)
    plan = read_rollout(rollout, data)
    panel = data.panel.merge(plan, on="ori", how="left")
    events = pd.DataFrame(json.loads(summary.read_text(encoding="utf-8"))["att"]["event_study"])
    folder = output / CSV_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, frame in (("agency_years", panel), ("event_study", events)):
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        files[f"{name}_csv"] = path
    if synthetic:  # every table of the report, not only these two
        for path in sorted(folder.glob("*.csv")):
            try:
                labelled = pd.read_csv(path, dtype=str, keep_default_na=False)
            except pd.errors.EmptyDataError:
                continue
            labelled.assign(synthetic=synthetic).to_csv(path, index=False)
    return files


def outcomes_report(
    agency_data: str | Path,
    rollout: str | Path,
    *,
    victim_support: str | Path | None = None,
    course_dir: str | Path = ".",
    output_dir: str | Path | None = None,
    threshold: int = SUPPRESSION_THRESHOLD,
    synthetic: str = "",
    pdf: bool = True,
) -> ReportPaths:
    """Outcomes report (levels 3 and 4) into ``output_dir`` (default ``COURSE/reports/outcomes``).

    Every input is read and checked before the template runs, so a bad file is one
    :class:`~toolkit.errors.OutcomesDataError`; ``synthetic`` labels an effect that was injected
    (the demo) on every page of the report.
    """
    course = Course.open(course_dir)
    _check_threshold(threshold)
    _check_label(synthetic)
    agency_path = Path(agency_data).resolve()
    rollout_path = Path(rollout).resolve()
    data = read_agency_data(agency_path)
    read_rollout(rollout_path, data)
    victims_path = None
    if victim_support is not None:
        victims_path = Path(victim_support).resolve()
        read_victim_support(victims_path, set(data.panel["ori"]))
    out = Path(output_dir) if output_dir else course.root / "reports" / "outcomes"
    parameters: dict[str, Any] = {
        "agency_data": str(agency_path),
        "rollout": str(rollout_path),
        "victim_support": str(victims_path) if victims_path else None,
        "course_dir": str(course.root),
        "threshold": threshold,
        "synthetic": synthetic,
    }
    paths = run_report(TEMPLATE, parameters, out, cwd=course.root)
    csvs = write_csv_files(out, agency_path, rollout_path, paths.summary, synthetic)
    shown = {
        "agency_data": agency_path.name,
        "rollout": rollout_path.name,
        "victim_support": victims_path.name if victims_path else None,
        "threshold": threshold,
        "synthetic": synthetic or None,
    }
    return finish_report("outcomes", course, paths, shown, pdf, extra_files=csvs)
