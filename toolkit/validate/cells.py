"""Authoring checks of a notebook's text cells.

- Two markdown cells of one notebook with the same text (whitespace ignored): usually a cell pasted
  twice, so a part of the notebook is missing.
- A manually graded answer cell (an nbgrader grade cell that is also a solution cell, such as a
  reflection) without its prompt right above it: the markdown cells directly above the answer cell
  must state the cell's points ("3 points") and ask something (a question mark, or an instruction
  such as "explain", "describe" or "in four to six sentences"). Otherwise a trainee sees only the
  answer box.
"""

from __future__ import annotations

import re
from typing import Any

from toolkit.validate.findings import Finding

CHECK = "authoring"
#: Markdown cells shorter than this (after normalising) are not compared (rules, short notes).
MIN_DUPLICATE_CHARS = 40
_ASKS = re.compile(
    r"\?|\b(explain|describe|write|answer|say|name|list|give|compare|justify|sentences?)\b", re.I
)


def _text(cell: Any) -> str:
    return " ".join(str(cell.get("source", "")).split())


def _nbgrader(cell: Any) -> dict[str, Any]:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def duplicated_markdown(stem: str, nb: Any) -> list[Finding]:
    """A finding for every markdown cell that repeats an earlier one of the same notebook."""
    out: list[Finding] = []
    first: dict[str, int] = {}
    for i, cell in enumerate(nb.cells):
        text = _text(cell)
        if cell.get("cell_type") != "markdown" or len(text) < MIN_DUPLICATE_CHARS:
            continue
        if text in first:
            out.append(
                Finding(
                    CHECK,
                    f"{stem}: cell {i}",
                    f"repeats markdown cell {first[text]} ({text[:40]!r}...): replace the copy "
                    "with the text meant for this place",
                )
            )
        else:
            first[text] = i
    return out


def _points_stated(text: str, points: Any) -> bool:
    try:
        value = float(points)
    except (TypeError, ValueError):
        return False
    number = f"{value:g}"
    return re.search(rf"(?<![\d.]){re.escape(number)}\s+points?\b", text, re.I) is not None


def unprompted_answers(stem: str, nb: Any) -> list[Finding]:
    """A finding for every manually graded answer cell without a prompt right above it."""
    out: list[Finding] = []
    cells = list(nb.cells)
    for i, cell in enumerate(cells):
        meta = _nbgrader(cell)
        if not (meta.get("grade") and meta.get("solution")):
            continue
        above: list[str] = []
        j = i - 1
        while j >= 0 and cells[j].get("cell_type") == "markdown" and not _nbgrader(cells[j]):
            above.insert(0, _text(cells[j]))
            j -= 1
        prompt = " ".join(above)
        if _points_stated(prompt, meta.get("points")) and _ASKS.search(prompt):
            continue
        out.append(
            Finding(
                CHECK,
                f"{stem}: {meta.get('grade_id')}",
                f"the manually graded answer cell has no prompt right above it: put the question, "
                f"with its points ({meta.get('points')}), in a markdown cell just before the "
                "answer cell",
            )
        )
    return out


def check_text_cells(notebooks: dict[str, Any]) -> list[Finding]:
    """The text-cell findings of one assignment's notebooks (``notebooks``: stem -> notebook)."""
    out: list[Finding] = []
    for stem, nb in notebooks.items():
        out += duplicated_markdown(stem, nb)
        out += unprompted_answers(stem, nb)
    return out


__all__ = ["check_text_cells", "duplicated_markdown", "unprompted_answers"]
