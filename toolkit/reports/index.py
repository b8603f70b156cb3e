"""``reports/index.html``: every report made, with its date and parameters.

Each report appends one record to ``reports/index.json``; the HTML page is rebuilt from it, with
every value escaped and links made relative to the index.
"""

from __future__ import annotations

import html
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

INDEX_JSON = "index.json"
INDEX_HTML = "index.html"


def _records(folder: Path) -> list[dict[str, Any]]:
    path = folder / INDEX_JSON
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return data if isinstance(data, list) else []


def record_report(
    folder: Path, kind: str, parameters: dict[str, Any], files: dict[str, Path]
) -> Path:
    """Add a report to the index in ``folder`` and rebuild ``index.html``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    records = _records(folder)
    records.append(
        {
            "kind": kind,
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "parameters": parameters,
            "files": {name: os.path.relpath(path, folder) for name, path in files.items()},
        }
    )
    tmp = folder / f".{INDEX_JSON}.tmp"
    tmp.write_text(json.dumps(records, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(folder / INDEX_JSON)
    page = folder / INDEX_HTML
    page.write_text(index_html(records), encoding="utf-8")
    return page


def index_html(records: list[dict[str, Any]]) -> str:
    """The index page (newest first)."""
    rows = []
    for rec in reversed(records):
        params = ", ".join(f"{k}={v}" for k, v in sorted(rec.get("parameters", {}).items()))
        links = " ".join(
            f'<a href="{html.escape(str(path), quote=True)}">{html.escape(str(name))}</a>'
            for name, path in rec.get("files", {}).items()
            if not str(path).startswith(("/", "javascript:")) and ":" not in str(path)
        )
        rows.append(
            f"<tr><td>{html.escape(str(rec.get('date', '')))}</td>"
            f"<td>{html.escape(str(rec.get('kind', '')))}</td>"
            f"<td>{html.escape(params)}</td><td>{links}</td></tr>"
        )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>cttk reports</title>'
        "<style>body{font-family:sans-serif}td,th{padding:4px 8px;border-bottom:1px solid #ddd}"
        "</style></head><body><h1>Reports</h1><table><thead><tr><th>date (UTC)</th>"
        "<th>report</th><th>parameters</th><th>files</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></body></html>\n"
    )
