"""Widget answers scored in the grading process, never in the trainee's kernel.

Trainee code shares the kernel with the hidden tests, so whatever a test computes there can be
bent (a fake ``toolkit`` package, a swapped ``__code__``, an audit hook that rewrites the response
file just before a test reads it). For the tests that only score saved widget answers, cttk does
not ask the kernel at all:

1. :func:`take_snapshot` copies the response file as handed in, before any trainee code runs, into
   a private folder of the grading process;
2. :func:`keyed_cells` reads, from the instructor's **source** notebook, each hidden test whose
   work is one grader call (or ``total`` of several) with literal arguments, e.g.
   ``grade_choice("pre.q01", correct="...", points=1)``;
3. :func:`score_cell` calls those graders, looked up in :mod:`toolkit.exercises.registry`, on the
   snapshot, here in the grading process.

The client (:mod:`.client`) gives such a cell that score as its only output, which nbgrader then
records; the hidden test is not sent to the kernel, so its keys never reach trainee code. Plain
``nbgrader autograde`` still runs the same cell in the kernel and gives an honest submission the
same score.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import CttkError, GradingError
from toolkit.exercises import registry
from toolkit.exercises.grading import total
from toolkit.settings import RESPONSE_FILENAME, RESPONSE_MAX_BYTES


@dataclass(frozen=True)
class GraderCall:
    """One literal call of a kind's grader in a hidden test."""

    kind: str
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]


def _literal_call(node: ast.expr) -> GraderCall | None:
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name | ast.Attribute):
        return None
    name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
    kind = registry.kind_for_grader(name)
    if kind is None or any(isinstance(a, ast.Starred) for a in node.args):
        return None
    try:
        args = tuple(ast.literal_eval(a) for a in node.args)
        kwargs = tuple((k.arg, ast.literal_eval(k.value)) for k in node.keywords if k.arg)
    except ValueError:
        return None
    if len(kwargs) != len(node.keywords) or any(k == "folder" for k, _ in kwargs):
        return None
    return GraderCall(kind.name, args, kwargs)


def grader_calls(source: str) -> tuple[GraderCall, ...] | None:
    """The grader calls of a hidden test that does nothing else, or None.

    The test may import names and must end with one grader call or ``total(...)`` of grader calls,
    every argument a literal; any other statement means the test checks more than saved answers
    and is left to the kernel.
    """
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return None
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    if not all(isinstance(s, ast.Import | ast.ImportFrom) for s in tree.body[:-1]):
        return None
    last = tree.body[-1].value
    parts: list[ast.expr] = [last]
    if (
        isinstance(last, ast.Call)
        and isinstance(last.func, ast.Name | ast.Attribute)
        and (last.func.id if isinstance(last.func, ast.Name) else last.func.attr) == "total"
        and not last.keywords
    ):
        parts = list(last.args)
    calls = [_literal_call(p) for p in parts]
    if not calls or any(c is None for c in calls):
        return None
    return tuple(c for c in calls if c is not None)


def keyed_cells(source_notebook: Path) -> dict[str, tuple[GraderCall, ...]]:
    """``grade_id`` -> grader calls of every hidden test of ``source_notebook`` that only scores
    saved widget answers (see :func:`grader_calls`). A missing notebook has none."""
    from toolkit.exercises.keys import read_notebook

    if not source_notebook.is_file():
        return {}
    out: dict[str, tuple[GraderCall, ...]] = {}
    for cell in read_notebook(source_notebook).cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        calls = grader_calls(cell.source)
        if calls and meta.get("grade_id"):
            out[str(meta["grade_id"])] = calls
    return out


def take_snapshot(folder: Path) -> Path:
    """Copy ``folder``'s response file, as it is now, into a new private folder and return that
    folder (the caller removes it). Only a regular file is copied, without following a link and
    at most one byte over the size limit (so the reader still sees it is too large)."""
    snap = Path(tempfile.mkdtemp(prefix="cttk-snapshot-"))
    source = folder / RESPONSE_FILENAME
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return snap  # no (readable) response file: every widget scores 0, "not answered"
    with os.fdopen(fd, "rb") as fh:
        if stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            (snap / RESPONSE_FILENAME).write_bytes(fh.read(RESPONSE_MAX_BYTES + 1))
    return snap


def remove_snapshot(snap: Path) -> None:
    shutil.rmtree(snap, ignore_errors=True)


def score_cell(calls: tuple[GraderCall, ...], snapshot: Path) -> tuple[float, str]:
    """The score of one hidden test from the snapshot, and what its graders printed (why an
    answer scored 0). Raises :class:`GradingError` for a key the grader rejects."""
    printed = io.StringIO()
    parts: list[float] = []
    with contextlib.redirect_stdout(printed):
        for call in calls:
            grader = registry.get_kind(call.kind).grader
            try:
                parts.append(grader(*call.args, folder=snapshot, **dict(call.kwargs)))
            except CttkError:
                raise
            except Exception as exc:  # a key the grader cannot use: the author's mistake
                raise GradingError(f"hidden test cannot be scored: {exc}") from None
    return total(*parts), printed.getvalue()
