"""Nothing active or local from a trainee reaches an HTML page; headings and tables survive."""

from __future__ import annotations

import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from toolkit.reports.runner import render_html
from toolkit.reports.sanitize import clean_html, clean_markdown

HOSTILE_MARKDOWN = """# My answer

<script>alert('md')</script>
<img src="x" onerror="alert('img')">
<a href="javascript:alert('link')">click</a>
![passwd](/etc/passwd) ![home](file:///home/user/secret.png)
<iframe src="https://evil.example"></iframe>
"""


def _hostile_notebook() -> nbformat.NotebookNode:
    outputs = [
        new_output(
            "display_data",
            data={
                "text/html": "<h2>Scores</h2><script>alert('out')</script>"
                "<svg onload=\"alert('svg')\"></svg>"
            },
        ),
        new_output(
            "display_data", data={"application/javascript": "alert('js')", "text/plain": "js"}
        ),
        new_output("display_data", data={"image/svg+xml": "<svg onload=\"alert('svg2')\"/>"}),
        new_output(
            "display_data",
            data={
                "text/html": "<table><thead><tr><th>a</th></tr></thead>"
                "<tbody><tr><td>1</td></tr></tbody></table>"
            },
        ),
    ]
    cell = new_markdown_cell(HOSTILE_MARKDOWN)
    cell["attachments"] = {"../../etc/passwd": {"image/png": "AAAA"}, "ok.png": {"image/png": "AA"}}
    nb = new_notebook(cells=[cell, new_code_cell("x", outputs=outputs)])
    nb.metadata["title"] = "<script>alert('title')</script>Report"
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def _body(page: str) -> str:
    return page.split("</head>", 1)[1]


def test_report_html_has_no_active_or_local_content() -> None:
    body = _body(render_html(_hostile_notebook()))
    # escaped text such as "&lt;script&gt;" may stay (it is inert); no live element or attribute
    live = ["onerror=", "onload=", "javascript:", "/etc/passwd", "file:///", "<iframe", "<svg"]
    for marker in [*live, "alert('js')"]:
        assert marker not in body, marker
    assert not re.search(r"<script(?![^>]*application/json)", body)
    assert "<h1" in body and "<h2>Scores</h2>" in body and "<th>a</th>" in body


def test_title_and_attachment_names_are_neutralised() -> None:
    from toolkit.reports.sanitize import ActiveContentFilter

    nb, _ = ActiveContentFilter().preprocess(_hostile_notebook(), {})
    assert nb.metadata["title"] == "alert('title')Report"
    assert list(nb.cells[0]["attachments"]) == ["ok.png"]


def test_clean_html_keeps_report_markup() -> None:
    html = '<p class="note">Hi <strong>there</strong></p><img src="data:image/png;base64,AA">'
    assert clean_html(html) == html


def test_markdown_images_keep_only_safe_sources() -> None:
    text = "![a](https://x.org/a.png) ![b](attachment:ok.png) ![c](../secret.png)"
    assert clean_markdown(text) == (
        "![a](https://x.org/a.png) ![b](attachment:ok.png) [image removed: c]"
    )
