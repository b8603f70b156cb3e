"""Nothing active or local from a trainee reaches an HTML page; headings and tables survive."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from toolkit.reports.runner import render_html
from toolkit.reports.sanitize import clean_html, clean_markdown, image_ok, link_ok

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
    live = ["onerror=", "onload=", "<iframe", "<svg", 'src="/etc', 'src="file:', 'href="java']
    for marker in [*live, "alert('js')", "javascript:alert('link')"]:
        assert marker not in body, marker
    assert not re.search(r"<script(?![^>]*application/json)", body)
    assert "<h1" in body and "<h2>Scores</h2>" in body and "<th>a</th>" in body


def test_title_and_attachment_names_are_neutralised() -> None:
    from toolkit.reports.sanitize import ActiveContentFilter

    nb, _ = ActiveContentFilter().preprocess(_hostile_notebook(), {})
    assert nb.metadata["title"] == "Report"
    assert "attachments" not in nb.cells[0]  # the safe one is embedded in the cleaned HTML


def test_clean_html_keeps_report_markup() -> None:
    html = '<p class="note">Hi <strong>there</strong></p><img src="data:image/png;base64,AA">'
    assert clean_html(html) == html


def test_markdown_images_keep_only_embedded_pictures() -> None:
    text = "![a](https://x.org/a.png) ![b](attachment:ok.png) ![c](../secret.png)"
    html = clean_markdown(text, {"ok.png": {"image/png": "AAAA"}})
    assert re.findall(r"<img[^>]*>", html) == [
        '<img alt="a">',
        '<img src="data:image/png;base64,AAAA" alt="b">',
        '<img alt="c">',
    ]


HOSTILE_LINKS = [
    "[x](javascript:alert(1))",
    "[x](JavaScript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "[x](//evil.example/x)",
    "[x](../../gradebook.db)",
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="  JAVASCRIPT:alert(1)">x</a>',
    '<a href="&#0000106avascript:alert(1)">x</a>',
]


@pytest.mark.parametrize("text", HOSTILE_LINKS)
def test_links_outside_the_scheme_allowlist_lose_their_target(text: str) -> None:
    html = clean_markdown(text)
    assert "href" not in html, html


@pytest.mark.parametrize(
    "text, href",
    [
        ("[a](https://example.org/x?y=1)", "https://example.org/x?y=1"),
        ("[a](http://example.org)", "http://example.org"),
        ("[a](mailto:trainer@example.org)", "mailto:trainer@example.org"),
        ("[a](#section-2)", "#section-2"),
        ("[a](notes.ipynb#part)", "notes.ipynb#part"),
    ],
)
def test_safe_links_are_kept(text: str, href: str) -> None:
    assert f'href="{href}"' in clean_markdown(text)


def test_link_and_image_rules() -> None:
    assert link_ok("HTTPS://x.org") and not link_ok("jav&#x61;script:x")
    assert image_ok("data:image/png;base64,AA") and not image_ok("https://tracker.example/p.gif")
    assert clean_html('<img src="https://tracker.example/p.gif">') == "<img>"
    assert clean_html('<a href="data:text/html,x">t</a>') == '<a rel="noopener noreferrer">t</a>'


def test_cleaned_markdown_survives_nbconvert_as_one_block() -> None:
    text = "# T\n\n```\na\n\nb\n```\n\n| h |\n|---|\n| [j](javascript:x) |\n"
    cleaned = clean_markdown(text)
    assert "\n" not in cleaned
    nb = new_notebook(cells=[new_markdown_cell(text)])
    nb.metadata["language_info"] = {"name": "python"}
    body = _body(render_html(nb))
    assert "<pre><code>a\n\nb\n</code></pre>" in body
    assert "<th>h</th>" in body and "javascript" not in body


def test_a_markdown_javascript_link_is_live_without_the_filter_and_dead_with_it() -> None:
    from nbconvert import HTMLExporter

    nb = new_notebook(
        cells=[new_markdown_cell("[claim](JaVaScRiPt:alert(1)) [k][r]\n\n[r]: javascript:x")]
    )
    nb.metadata["language_info"] = {"name": "python"}
    plain, _ = HTMLExporter().from_notebook_node(nb)
    assert 'href="JaVaScRiPt:alert(1)"' in _body(plain)
    cleaned = _body(render_html(nb))
    assert "javascript" not in cleaned.lower()
