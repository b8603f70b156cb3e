"""Is release/ what ``cttk release --all`` makes of source/ today? Release a scratch copy of the
course with the same function and compare."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import nbformat

from toolkit.errors import CttkError
from toolkit.validate.findings import Finding

#: nbgrader metadata fields that may differ between two runs without meaning anything.
VOLATILE_NBGRADER = {"checksum", "cell_type"}
_COPIED = ("nbgrader_config.py", "source", "course")
#: What to do about release/ being out of step with source/.
FIX = "run cttk release --all"


def _cells(nb: Any) -> list[tuple[str, str, str, dict[str, Any], dict[str, Any]]]:
    out = []
    for cell in nb.cells:
        meta = dict(cell.get("metadata", {}).get("nbgrader", {}))
        for k in VOLATILE_NBGRADER:
            meta.pop(k, None)
        shown = dict(cell.get("metadata", {}).get("jupyter", {}))  # hidden widget code
        out.append((str(cell.get("id", "")), cell.cell_type, cell.source, meta, shown))
    return out


def compare_release(expected: Path, actual: Path, assignment: str) -> list[Finding]:
    """Compare a freshly generated release folder with the committed one."""
    if not actual.is_dir():
        return [Finding("release", assignment, f"release/{assignment} is missing: {FIX}")]
    out: list[Finding] = []
    want = {p.name for p in expected.iterdir() if p.is_file()}
    have = {p.name for p in actual.iterdir() if p.is_file()}
    for name in sorted(want - have):
        out.append(Finding("release", f"{assignment}/{name}", f"missing from release/: {FIX}"))
    for name in sorted(have - want):
        out.append(
            Finding(
                "release",
                f"{assignment}/{name}",
                f"not produced from source/ any more: delete it and {FIX}",
            )
        )
    for name in sorted(want & have):
        a, b = expected / name, actual / name
        if name.endswith(".ipynb"):
            same = _cells(nbformat.read(a, as_version=4)) == _cells(nbformat.read(b, as_version=4))
        else:
            same = a.read_bytes() == b.read_bytes()
        if not same:
            out.append(
                Finding("release", f"{assignment}/{name}", f"out of date with source/: {FIX}")
            )
    return out


def check_release(root: Path, assignments: list[str], scratch: Path) -> list[Finding]:
    """Copy the course into ``scratch``, release every assignment there as ``cttk release`` does,
    compare with release/."""
    from toolkit.course.nbgrader_ops import release_assignments

    copy = scratch / "course-root"
    copy.mkdir()
    for name in _COPIED:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, copy / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        elif src.is_file():
            shutil.copy2(src, copy / name)
    out: list[Finding] = []
    for assignment in assignments:
        try:
            release_assignments(copy, [assignment])
        except CttkError as exc:
            out.append(
                Finding(
                    "release",
                    assignment,
                    f"nbgrader cannot release it ({exc}): fix the source notebook",
                )
            )
            continue
        out += compare_release(
            copy / "release" / assignment, root / "release" / assignment, assignment
        )
    return out
