"""What a report template displays: escaped HTML for every piece of data-derived text.

Trainee ids, names, cohort and agency names, item names and chosen options all come from files
someone else wrote. They are shown only through these helpers, which escape them (and never through
Markdown, where ``![x](/etc/passwd)`` would still make an image of a local file).

Every table a report shows can also be had as CSV beside the report: :func:`show_table` with
``csv="name"`` links ``tables/name.csv`` and carries the CSV in the output's metadata, which the
runner writes to that file (:mod:`toolkit.reports.downloads`); the notebook itself writes no files.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import HTML, display

from toolkit.settings import P_FLOOR

DASH = "—"
_EMPHASIS = re.compile(r"\*([^*\n]+)\*")
#: Output metadata key carrying a table's CSV (name, text) for the runner.
CSV_METADATA = "cttk_csv"
CSV_FOLDER = "tables"
_CSV_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,60}$")
#: Columns holding p-values (formatted "p < 0.001" below :data:`~toolkit.settings.P_FLOOR`).
P_COLUMNS = frozenset({"p", "t_p", "wilcoxon_p", "chi2_p", "trend_p", "p_adjusted", "p_value"})
#: Shares (0..1) a table shows as whole percentages, like the headlines (the CSV keeps them whole).
RATE_COLUMNS = frozenset(
    {"mastery_rate", "ci_low", "ci_high", "favourable", "favourable_ci_low",
     "favourable_ci_high", "share", "rates"}
)  # fmt: skip
#: Percentages (0..100) a table shows whole.
PCT_COLUMNS = frozenset({"mean_pct", "median_pct", "mean_pre_pct", "mean_post_pct"})


#: Column headers a reader sees (any other column: its name with spaces for underscores).
HEADERS = {
    "n_matched": "n matched",
    "n_pre_only": "pre-test only",
    "n_post_only": "post-test only",
    "mean_pre_pct": "pre-test",
    "mean_post_pct": "post-test",
    "change": "change (points)",
    "change_ci": "change CI",
    "hake_gain": "Hake g",
    "hake_gain_individual": "mean individual g",
    "gain_band": "gain band",
    "cohen_dz": "d_z",
    "hedges_corrected": "Hedges corrected",
    "t_p": "t-test p",
    "wilcoxon_w": "Wilcoxon W",
    "wilcoxon_p": "Wilcoxon p",
    "mean_pct": "mean",
    "median_pct": "median",
    "sd_pct": "sd %",
    "alpha_ci": "alpha CI",
    "mastery_rate": "mastery rate",
    "ci_low": "CI low",
    "ci_high": "CI high",
    "n_mastered": "n mastered",
    "chi2_p": "chi-square p",
    "trend_p": "trend p",
    "p_adjusted": "adjusted p",
    "n_chose": "n chose",
    "point_biserial": "point-biserial",
    "favourable_ci_low": "CI low",
    "favourable_ci_high": "CI high",
}


def header(column: Any) -> str:
    """The header a reader sees for ``column``."""
    name = str(column)
    return HEADERS.get(name, name.replace("_", " "))


def format_p(p: Any) -> str:
    """A p-value as text: "p < 0.001" below the floor, else "p = 0.012" (3 digits)."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return DASH
    value = float(p)
    return f"p < {P_FLOOR}" if value < P_FLOOR else f"p = {value:.3f}"


def pct(share: Any) -> str:
    """A share (0..1) as a whole percentage."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return DASH
    return f"{100 * float(share):.0f}%"


def _cell(value: Any, column: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return DASH
    if column in P_COLUMNS:
        return format_p(value).removeprefix("p = ").replace("p < ", "< ")
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v, column) for v in value) or DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    numeric = isinstance(value, int | float | np.number)
    if numeric and column in RATE_COLUMNS and math.isfinite(float(value)):
        return f"{100 * float(value):.0f}%"
    if numeric and column in PCT_COLUMNS and math.isfinite(float(value)):
        return f"{float(value):.0f}%"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


#: A line-break opportunity (``<wbr>``, not a zero-width space, so that text copied from the PDF
#: is clean): lets a long id (``module/reflection_q2``) wrap after "/", "_" or "." in print
#: instead of pushing its table past the page edge.
_BREAK = "<wbr>"
_BREAKABLE = re.compile(r"([/_.])(?=\w)")
_ID_LIKE = re.compile(r"^[\w./-]+[,;:)]?$")


def _td(value: Any, column: str) -> str:
    text = html.escape(_cell(value, column))
    numeric = isinstance(value, int | float | np.number) and not isinstance(value, bool)
    if numeric:
        return f'<td class="cttk-num">{text}</td>'
    return f"<td>{_breakable(text)}</td>"


def _num_class(values: pd.Series) -> str:
    """The header class of a column of numbers (right-aligned over its right-aligned cells)."""
    known = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    numeric = [isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in known]
    return ' class="cttk-num"' if numeric and all(numeric) else ""


def _breakable(text: str) -> str:
    """``text`` with a break opportunity after "/", "_" and "." inside every long id-like word
    (letters, digits, ``/``, ``_``, ``.``, ``-`` only); other words are left as they are."""
    return " ".join(
        _BREAKABLE.sub(rf"\1{_BREAK}", word) if len(word) > 14 and _ID_LIKE.match(word) else word
        for word in text.split(" ")
    )


def table_html(frame: pd.DataFrame, *, caption: str = "", csv: str | None = None) -> str:
    """An HTML table of ``frame`` with every header and cell escaped (a CSV link in the caption
    with ``csv``)."""
    head = "".join(
        f'<th scope="col"{_num_class(frame[c])}>{html.escape(header(c))}</th>'
        for c in frame.columns
    )
    columns = [str(c) for c in frame.columns]
    body = "".join(
        "<tr>" + "".join(_td(v, c) for v, c in zip(row, columns, strict=True)) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    link = ""
    if csv is not None:
        link = f' <a class="cttk-csv" href="{CSV_FOLDER}/{html.escape(csv)}.csv">(CSV)</a>'
    cap = f"<caption>{html.escape(caption)}{link}</caption>" if caption or link else ""
    return f'<table class="cttk">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV (lists joined by "; ", cells that a spreadsheet would run as a formula
    prefixed with an apostrophe)."""
    out = frame.copy()
    for column in out.columns:
        out[column] = out[column].map(
            lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v
        )
        out[column] = out[column].map(
            lambda v: f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v
        )
    return out.to_csv(index=False)


def show_table(
    frame: pd.DataFrame,
    *,
    caption: str = "",
    empty: str = "Nothing to show.",
    csv: str | None = None,
) -> None:
    """Display ``frame`` as an escaped table (or a sentence when it is empty); with ``csv`` (a
    lower-case name) the table is also written to ``tables/<csv>.csv`` beside the report and
    linked from its caption."""
    if csv is not None and not _CSV_NAME.match(csv):
        raise ValueError(f"bad CSV name {csv!r}")
    if frame.empty:
        show_text(empty)
        return
    metadata = {CSV_METADATA: {"name": csv, "csv": csv_text(frame)}} if csv else None
    display(HTML(table_html(frame, caption=caption, csv=csv)), metadata=metadata)


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


def figure_html(fig: Any, alt: str) -> str:
    """A matplotlib figure as an ``<img>`` (PNG data) with its alt text."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<img class="cttk-figure" src="data:image/png;base64,{data}" '
        f'alt="{html.escape(alt, quote=True)}">'
    )


def show_figure(fig: Any, alt: str = "") -> None:
    """Display a figure of :mod:`toolkit.reports.plots` (a ``(Figure, alt text)`` pair, or a
    Figure and ``alt``) as a PNG with alt text; nothing for None."""
    if fig is None:
        return
    if isinstance(fig, tuple):
        fig, alt = fig
    if fig is None:
        return
    display(HTML(figure_html(fig, alt or "figure")))


def pooled(
    frame: pd.DataFrame, *, label: str, n: str = "n", population: int | None, what: str
) -> pd.DataFrame:
    """A disclosed table of group sizes (with a ``suppressed`` column) with its suppressed rows
    pooled into one: "other <what> (k <what>)" and their combined size, which the reader could
    work out anyway from the total ``population``; no row is pooled when nothing was suppressed.
    """
    if "suppressed" not in frame.columns or not frame["suppressed"].astype(bool).any():
        return frame.drop(columns=["suppressed"], errors="ignore")
    hidden = frame["suppressed"].astype(bool)
    kept = frame[~hidden].drop(columns=["suppressed"])
    known = pd.to_numeric(kept[n], errors="coerce").sum()
    size = None if population is None else int(population - known)
    k = int(hidden.sum())
    row: dict[str, Any] = dict.fromkeys(kept.columns)
    row[label] = f"{k} other {what}" + ("" if size is None else f", {size} trainees together")
    row[n] = size
    return pd.concat([kept, pd.DataFrame([row])], ignore_index=True)


def show_download(frame: pd.DataFrame, *, csv: str, label: str) -> None:
    """A link to ``tables/<csv>.csv`` (written by the runner from the output's metadata), for a
    table offered only as a download."""
    if not _CSV_NAME.match(csv):
        raise ValueError(f"bad CSV name {csv!r}")
    link = f'<p><a class="cttk-csv" href="{CSV_FOLDER}/{csv}.csv">{html.escape(label)}</a></p>'
    display(HTML(link), metadata={CSV_METADATA: {"name": csv, "csv": csv_text(frame)}})
