"""Parameterised reports: papermill runs a template, nbconvert renders it, summary.json is kept,
Chromium prints the PDF and ``reports/index.html`` lists every report made."""

from toolkit.reports.api import cohort_report, gaps_report
from toolkit.reports.runner import ReportPaths, run_report, templates_dir

__all__ = ["ReportPaths", "cohort_report", "gaps_report", "run_report", "templates_dir"]
