"""What a report template displays: escaped HTML for every piece of data-derived text.

Trainee ids, names, cohort and agency names, item names and chosen options all come from files
someone else wrote. They are shown only through these helpers, which escape them (and never through
Markdown, where ``![x](/etc/passwd)`` would still make an image of a local file).
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

import pandas as pd
from IPython.display import HTML, display

DASH = "—"
_EMPHASIS = re.compile(r"\*([^*\n]+)\*")


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value) or DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table_html(frame: pd.DataFrame, *, caption: str = "") -> str:
    """An HTML table of ``frame`` with every header and cell escaped."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="cttk">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def show_table(frame: pd.DataFrame, *, caption: str = "", empty: str = "Nothing to show.") -> None:
    """Display ``frame`` as an escaped table (or a sentence when it is empty)."""
    if frame.empty:
        show_text(empty)
    else:
        display(HTML(table_html(frame, caption=caption)))


def show_text(text: str, *, tag: str = "p") -> None:
    """Display ``text`` escaped, in a paragraph (or ``h1``..``h3``, ``li``)."""
    if tag not in {"p", "h1", "h2", "h3", "strong"}:
        raise ValueError(f"unsupported tag {tag}")
    display(HTML(f"<{tag}>{html.escape(text)}</{tag}>"))


def show_prose(text: str) -> None:
    """Display a paragraph of a template's prose, escaped, with ``*word*`` in italics. Templates
    format the figures they cite (thresholds, levels) into it from the evaluation or
    :mod:`toolkit.settings`, never by hand."""
    body = _EMPHASIS.sub(r"<em>\1</em>", html.escape(text))
    display(HTML(f"<p>{body}</p>"))


def show_list(lines: list[str], *, ordered: bool = False) -> None:
    """Display escaped lines as a list."""
    if not lines:
        return
    kind = "ol" if ordered else "ul"
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    display(HTML(f"<{kind}>{items}</{kind}>"))


def show_figure(fig: Any) -> None:
    """Display a matplotlib figure (of :mod:`toolkit.reports.plots`) as a PNG."""
    import io

    from IPython.display import Image

    if fig is None:
        return
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    display(Image(data=buffer.getvalue(), format="png"))
