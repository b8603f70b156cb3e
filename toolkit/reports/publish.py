"""What a finished report carries beside its HTML, and what it must not carry.

- :data:`PRINT_CSS` and :func:`with_print_css`: the screen and print style every report uses (A4,
  tables that wrap rather than scroll or clip, figures that fit the page, page one ending after the
  executive summary). Any report rendered by :func:`toolkit.reports.runner.run_report` gets it.
- :func:`scrub_notebook`: the executed notebook without the parameters that may hold a course path
  or a database URL (with its password), nor papermill's input and output paths.
- :func:`write_downloads`: every table a template showed with ``csv=...`` as
  ``tables/<name>.csv`` beside the report.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from toolkit.reports.render import CSV_FOLDER, CSV_METADATA

#: Report parameters never published: a course path, a gradebook URL (which may hold a password),
#: the paths of the outcomes report's input files.
PRIVATE_PARAMETERS = ("course_dir", "gradebook_url", "agency_data", "rollout", "victim_support")
_CSV_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,60}$")

PRINT_CSS = """
@page { size: A4; margin: 14mm 12mm 14mm 12mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; }
.jp-OutputArea-output, .jp-RenderedHTMLCommon, .jp-RenderedHTML, .jp-Cell-outputWrapper,
.jp-OutputArea, .jp-Cell, .jp-Notebook { overflow: visible !important; max-width: 100% !important; }
table.cttk { border-collapse: collapse; width: 100%; max-width: 100%; table-layout: auto;
  font-size: 8pt; margin: 4px 0 12px 0; }
table.cttk caption { caption-side: top; text-align: left; font-weight: bold; font-size: 9pt;
  padding: 2px 0; }
table.cttk th, table.cttk td { padding: 2px 4px !important; border-bottom: 1px solid #ccc;
  text-align: left !important; vertical-align: top; overflow-wrap: break-word;
  word-break: normal; white-space: normal !important; max-width: none !important; }
table.cttk td.cttk-num { text-align: right !important; white-space: nowrap !important; }
table.cttk th.cttk-num { text-align: right !important; }
table.cttk thead { display: table-header-group; }
table.cttk tr { break-inside: avoid; }
img { max-width: 100% !important; height: auto !important; break-inside: avoid; }
h1, h2, h3 { break-after: avoid; }
.jp-MarkdownCell { break-after: avoid; }
@media print { .jp-OutputArea-child, .jp-Cell-outputWrapper, .jp-OutputArea {
  break-inside: auto !important; } }
li { break-inside: avoid; }
.jp-mod-noOutputs.jp-mod-noInput { display: none !important; }
.cttk-executive { break-after: page; font-size: 9.5pt; }
.cttk-executive h1 { margin-top: 0; font-size: 18pt; }
.cttk-executive h2 { font-size: 12pt; margin: 6px 0 2px 0; }
.cttk-executive ul, .cttk-executive ol { margin: 2px 0; }
.cttk-executive li { margin-bottom: 2px; }
.cttk-executive small { font-size: 7.5pt; }
table.cttk-figures { width: 100%; border-collapse: collapse; margin: 6px 0; }
table.cttk-figures td { text-align: center; border: 1px solid #ccc; padding: 4px; }
.cttk-figure-value { font-size: 15pt; font-weight: bold; }
.cttk-figure-label, .cttk-figure-detail { font-size: 8pt; }
@media print {
  .jp-OutputArea-child, .jp-Cell-outputWrapper, .jp-OutputArea, .jp-Cell, .jp-Notebook {
    display: block !important; }
  .jp-OutputPrompt, .jp-InputPrompt { display: none !important; }
  .jp-OutputArea-output pre { white-space: pre-wrap; }
  a.cttk-csv { color: inherit; }
}
"""


def with_print_css(page: str, css: str = PRINT_CSS) -> str:
    """``page`` (a whole HTML document) with ``css`` added at the end of its head."""
    style = f"<style>{css}</style>"
    if "</head>" in page:
        return page.replace("</head>", style + "</head>", 1)
    return style + page


def scrub_notebook(nb: Any, private: tuple[str, ...] = PRIVATE_PARAMETERS) -> Any:
    """``nb`` without the ``private`` parameters (in papermill's metadata and its injected
    parameters cell) and without papermill's input and output paths; changed in place."""
    meta = nb.metadata.get("papermill", {})
    for name in ("input_path", "output_path"):
        meta.pop(name, None)
    params = meta.get("parameters", {})
    for name in private:
        params.pop(name, None)
    pattern = re.compile(rf"^({'|'.join(map(re.escape, private))})\s*=.*$", re.MULTILINE)
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "code" and ("injected-parameters" in tags or "parameters" in tags):
            cell.source = pattern.sub(r"\1 = '(not published)'", cell.source)
    return nb


def write_downloads(nb: Any, folder: Path) -> list[Path]:
    """Write every table shown with ``csv=...`` to ``folder/tables/<name>.csv``; return them."""
    written: list[Path] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            spec = output.get("metadata", {}).get(CSV_METADATA)
            if not isinstance(spec, dict) or not _CSV_NAME.match(str(spec.get("name", ""))):
                continue
            path = folder / CSV_FOLDER / f"{spec['name']}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(str(spec.get("csv", "")), encoding="utf-8")
            written.append(path)
    return written


def downloads_html(paths: list[Path], folder: Path) -> str:
    """A list of links to ``paths`` relative to ``folder`` (for an index or an appendix)."""
    links = "".join(
        f'<li><a href="{html.escape(p.relative_to(folder).as_posix(), quote=True)}">'
        f"{html.escape(p.name)}</a></li>"
        for p in paths
    )
    return f"<ul>{links}</ul>"
