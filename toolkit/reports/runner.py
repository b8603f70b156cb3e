"""Run a report template with papermill, render HTML with code hidden, and keep its summary.

A template displays its headline figures as JSON in a cell tagged ``summary``; the runner writes that
JSON to ``summary.json`` beside the HTML, the tables shown with ``csv=...`` to ``tables/*.csv``, adds
the print style and the page title (the summary's ``executive.title``), and removes private
parameters from the executed notebook (:mod:`toolkit.reports.publish`). The notebook itself writes
no files.
"""

from __future__ import annotations

import importlib.resources
import json
import keyword
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from toolkit.errors import ReportError
from toolkit.reports.kernel import PrivateKernelManager
from toolkit.reports.publish import scrub_notebook, with_print_css, write_downloads
from toolkit.settings import REPORT_TIMEOUT

SUMMARY_TAG = "summary"
_ALLOWED = (str, int, float, bool, type(None), list)


def templates_dir() -> Path:
    """The report templates shipped in the package (``toolkit/reports/templates``, which in the
    repository links to the course's top-level ``templates/`` folder)."""
    folder = importlib.resources.files("toolkit.reports") / "templates"
    return Path(str(folder))


@dataclass(frozen=True)
class ReportPaths:
    """Files of one report: executed notebook, HTML, summary.json, PDF and the index page."""

    notebook: Path
    html: Path
    summary: Path
    pdf: Path | None = None
    index: Path | None = None
    #: why there is no PDF although one was asked for (the same text is in ``NO_PDF.txt``)
    no_pdf: str | None = None


def check_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """Names must be identifiers (papermill does not escape them); values plain data."""
    for name, value in parameters.items():
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ReportError(f"report parameter name {name!r} is not a Python identifier")
        if not isinstance(value, _ALLOWED) or (
            isinstance(value, list) and not all(isinstance(v, str | int | float) for v in value)
        ):
            raise ReportError(
                f"report parameter {name} has an unsupported value of type {type(value).__name__}"
            )
    return parameters


def extract_summary(nb: Any) -> dict[str, Any]:
    for cell in nb.cells:
        if SUMMARY_TAG in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "application/json" in data:
                    value = data["application/json"]
                    return json.loads(value) if isinstance(value, str) else dict(value)
    raise ReportError(f"the report has no cell tagged {SUMMARY_TAG!r} with a JSON output")


def render_html(nb: Any) -> str:
    """HTML with code hidden and active or local content removed (:mod:`toolkit.reports.sanitize`)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from toolkit.reports.sanitize import ActiveContentFilter

    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    exporter.register_preprocessor(ActiveContentFilter, enabled=True)
    # the summary cell's JSON goes to summary.json, not into the page
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_all_outputs_tags={SUMMARY_TAG}, enabled=True), enabled=True
    )
    body, _ = exporter.from_notebook_node(nb)
    return body


def run_report(
    template: str,
    parameters: dict[str, Any],
    output_dir: Path,
    *,
    cwd: Path | None = None,
    timeout: int = REPORT_TIMEOUT,
) -> ReportPaths:
    """Execute ``templates/<template>.ipynb`` with ``parameters`` into ``output_dir``."""
    import papermill as pm

    source = templates_dir() / f"{template}.ipynb"
    if not source.is_file():
        raise ReportError(f"no report template {template!r}", path=source)
    check_parameters(parameters)
    output_dir.mkdir(parents=True, exist_ok=True)
    out_nb = output_dir / f"{template}.ipynb"
    try:
        pm.execute_notebook(
            str(source),
            str(out_nb),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(cwd or output_dir),
            progress_bar=False,
            execution_timeout=timeout,
            log_output=False,
            kernel_manager_class=PrivateKernelManager,
        )
    except pm.PapermillExecutionError as exc:
        raise ReportError(
            f"report {template} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}",
            hint="open the executed notebook to see the cell",
            path=out_nb,
        ) from None
    nb = scrub_notebook(nbformat.read(out_nb, as_version=4))
    nbformat.write(nb, out_nb)
    summary = extract_summary(nb)
    nb.metadata["title"] = str(summary.get("executive", {}).get("title") or template)
    html_path = output_dir / f"{template}.html"
    html_path.write_text(with_print_css(render_html(nb)), encoding="utf-8")
    write_downloads(nb, output_dir)
    summary_path = output_dir / "summary.json"
    summary_path.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return ReportPaths(notebook=out_nb, html=html_path, summary=summary_path)
