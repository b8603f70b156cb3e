"""Neutralise active and local content in a notebook before it becomes an HTML page.

Reports and feedback pages embed what trainees wrote: outputs of their code, their markdown answers,
attachment names. nbconvert's own ``sanitize_html`` is safe but escapes headings, paragraphs and
table headers, so reports come out as tag soup. This preprocessor keeps a richer allowlist and
removes everything else before export:

- ``text/html`` outputs and markdown cells are cleaned with bleach against :data:`TAGS`
  (no ``script``, ``style``, ``iframe``, event handlers, ``javascript:`` links or ``svg``);
- ``<img>`` and markdown images keep only ``data:``, ``http(s):`` and attachment sources, never
  a local file;
- output types that can run code (JavaScript, SVG, widget views, anything unknown) are dropped,
  leaving the plain-text fallback;
- attachments whose name is not a plain file name (``../``, slashes) are dropped;
- a notebook title in metadata is reduced to plain text.
"""

from __future__ import annotations

import re
from typing import Any

import bleach
from bleach.css_sanitizer import CSSSanitizer
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

#: Tags a report or feedback page may use.
TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
        "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
        "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
        "tr", "u", "ul",
    }
)  # fmt: skip
ATTRIBUTES = {
    "*": ["class", "id", "title", "role", "aria-label", "aria-live", "style"],
    "a": ["href"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan", "align"],
    "th": ["colspan", "rowspan", "align", "scope"],
}
PROTOCOLS = frozenset({"http", "https", "mailto", "data"})
#: Output types kept as they are (text, images as data, JSON); text/html is cleaned.
SAFE_OUTPUTS = frozenset(
    {"text/plain", "image/png", "image/jpeg", "image/gif", "application/json", "text/latex"}
)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?[^)]*\)")
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,200}$")
_CSS = CSSSanitizer(allowed_css_properties=["text-align", "width", "color", "background-color"])


def _src_ok(tag: str, name: str, value: str) -> bool:
    if name != "src":
        return name in ATTRIBUTES.get(tag, []) or name in ATTRIBUTES["*"]
    return value.startswith(("data:image/", "http://", "https://"))


def _attributes(tag: str, name: str, value: str) -> bool:
    return _src_ok(tag, name, value)


def clean_html(text: str) -> str:
    """``text`` with every tag and attribute outside the allowlist removed (text is kept)."""
    return bleach.clean(
        text,
        tags=TAGS,
        attributes=_attributes,
        protocols=PROTOCOLS,
        css_sanitizer=_CSS,
        strip=True,
        strip_comments=True,
    )


def clean_markdown(text: str) -> str:
    """Markdown with raw HTML cleaned and images that point at local files turned into their
    alt text (only ``data:``, ``http(s):`` and the cell's own attachments may be shown)."""

    def image(match: re.Match[str]) -> str:
        alt, url = match.group(1), match.group(2)
        if url.startswith(("data:image/", "http://", "https://")) or (
            url.startswith("attachment:") and _PLAIN_NAME.match(url[len("attachment:") :])
        ):
            return match.group(0)
        return f"[image removed: {alt}]"

    return clean_html(_MD_IMAGE.sub(image, text))


def clean_output(output: Any) -> None:
    """Clean one output in place: drop active types, clean HTML."""
    data = output.get("data")
    if not isinstance(data, dict):
        return
    for mime in list(data):
        if mime == "text/html":
            value = data[mime]
            data[mime] = clean_html("".join(value) if isinstance(value, list) else str(value))
        elif mime not in SAFE_OUTPUTS:
            del data[mime]
    if not data:
        data["text/plain"] = "[output removed: active content]"


class ActiveContentFilter(Preprocessor):  # type: ignore[misc]
    """nbconvert preprocessor applying :func:`clean_output` and :func:`clean_markdown` to a
    notebook. Enabled by default, so naming it in a converter's preprocessor list is enough."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        title = nb.metadata.get("title")
        if title is not None:
            nb.metadata["title"] = bleach.clean(str(title), tags=set(), strip=True)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        if cell.cell_type == "markdown":
            cell.source = clean_markdown(cell.source)
        for output in cell.get("outputs", []):
            clean_output(output)
        attachments = cell.get("attachments")
        if isinstance(attachments, dict):
            for name in [n for n in attachments if not _PLAIN_NAME.match(str(n))]:
                del attachments[name]
        return cell, resources
