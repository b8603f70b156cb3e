"""Neutralise active and local content in a notebook before it becomes an HTML page.

Reports and feedback pages embed what trainees wrote: outputs of their code, their markdown answers,
attachment names. nbconvert's own ``sanitize_html`` is safe but escapes headings, paragraphs and
table headers, so reports come out as tag soup. This preprocessor cleans with `nh3
<https://nh3.readthedocs.io>`_ (the bindings of the Rust ``ammonia`` sanitiser, which parses HTML as
a browser does, so entity-encoded or mixed-case tricks are decoded before they are judged) against
a richer allowlist:

- ``text/html`` outputs are cleaned against :data:`TAGS` and :data:`ATTRIBUTES` (no ``script``,
  ``style``, ``iframe``, ``svg``, event handlers);
- markdown cells are rendered to HTML here, with nbconvert's own markdown renderer, and that HTML is
  cleaned the same way; the cell then holds only the cleaned HTML, so markdown links
  (``[x](javascript:...)``, reference-style links, autolinks) are judged like HTML ones;
- link targets are allowed by scheme only: ``http``, ``https``, ``mailto``, in-page anchors and
  relative links (see :func:`link_ok`); anything else loses its ``href``;
- images may show only embedded pictures (``data:image/...``, a plot) and the cell's own
  attachments: remote images (tracking) and local files are dropped;
- output types that can run code (JavaScript, SVG, widget views, anything unknown) are dropped,
  leaving the plain-text fallback;
- attachments whose name is not a plain file name (``../``, slashes) are dropped;
- a notebook title in metadata is reduced to plain text.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import nh3
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

#: Tags a report or feedback page may use.
TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
        "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
        "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
        "tr", "u", "ul", "wbr",
    }
)  # fmt: skip
#: Tags removed together with their content.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "noscript", "template", "title"})
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "title", "role", "aria-label", "aria-live", "style"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
}
#: Schemes a link may use (in any case or encoding); relative links and anchors need none.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
#: Sources an image may show: embedded pictures and the cell's attachments.
IMAGE_PREFIXES = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/svg+xml")
STYLE_PROPERTIES = frozenset({"text-align", "width", "color", "background-color"})
#: Output types kept as they are (text, images as data, JSON); text/html is cleaned.
SAFE_OUTPUTS = frozenset(
    {"text/plain", "image/png", "image/jpeg", "image/gif", "application/json", "text/latex"}
)
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,200}$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL | re.IGNORECASE)


def link_ok(url: str) -> bool:
    """Whether a link target is allowed: ``http``, ``https`` or ``mailto``, an in-page anchor, or
    a relative link that stays inside the notebook's folder (no ``//host``, no ``..``)."""
    target = _CONTROL.sub("", html_lib.unescape(url))
    scheme = _SCHEME.match(target)
    if scheme:
        return scheme.group(1).lower() in LINK_SCHEMES
    if target.startswith(("//", "\\", "/")):
        return False
    return ".." not in re.split(r"[/\\?#]", target.split("#", 1)[0])


def image_ok(src: str) -> bool:
    """Whether an image source is allowed: an embedded picture only."""
    target = _CONTROL.sub("", html_lib.unescape(src)).lower()
    return target.startswith(IMAGE_PREFIXES)


def _attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "a" and name == "href":
        return value if link_ok(value) else None
    if name == "src":
        return value if tag == "img" and image_ok(value) else None
    return value


def clean_html(text: str) -> str:
    """``text`` with every tag and attribute outside the allowlist removed (text is kept)."""
    return nh3.clean(
        text,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes={*LINK_SCHEMES, "data"},
        filter_style_properties=set(STYLE_PROPERTIES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


def markdown_html(text: str, attachments: dict[str, Any] | None = None) -> str:
    """``text`` rendered as nbconvert renders a markdown cell (attachments embedded), cleaned."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    renderer = IPythonRenderer(escape=False, attachments=dict(attachments or {}))
    try:
        rendered = MarkdownWithMath(renderer=renderer).render(text)
    except Exception:  # a missing attachment, a renderer error: show the text as text
        rendered = f"<pre>{html_lib.escape(text)}</pre>"
    return clean_html(rendered)


def clean_markdown(text: str, attachments: dict[str, Any] | None = None) -> str:
    """A markdown cell's new source: its cleaned HTML as one HTML block, which every markdown
    renderer passes through untouched (no blank line ends it early)."""
    parts = _PRE.split(markdown_html(text, attachments))
    flat = "".join(
        part.replace("\n", "&#10;") if i % 2 else part.replace("\n", " ")
        for i, part in enumerate(parts)
    )
    return f'<div class="cttk-markdown">{flat}</div>'


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
            nb.metadata["title"] = nh3.clean(str(title), tags=set())
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        attachments = cell.get("attachments")
        if isinstance(attachments, dict):
            for name in [n for n in attachments if not _PLAIN_NAME.match(str(n))]:
                del attachments[name]
        if cell.cell_type == "markdown":
            cell.source = clean_markdown(cell.source, attachments)
            cell.pop("attachments", None)  # embedded in the cleaned HTML
        for output in cell.get("outputs", []):
            clean_output(output)
        return cell, resources
