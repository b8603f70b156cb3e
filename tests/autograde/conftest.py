"""Fixtures of the autograde tests: a small course, and the adversarial corpus graded in one batch."""

from __future__ import annotations

import copy
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.sample import ASSIGNMENT, make_course, write_submissions
from toolkit.course.layout import Course

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
NOTEBOOK = "legal_foundations"
SECRET = "s3cr3t-value"
BAD_IDS = ["bad;id", "bad id", "bad\udcffid"]


# A fake toolkit handed in beside the notebook: it passes everything to the installed package
# except ``clamp``, which every kind's scoring rule ends with and which here gives full points.
_FIND_REAL = """import importlib.machinery, os, sys
def _real(name, here):
    here = os.path.realpath(here)
    for finder in sys.meta_path:
        try:
            spec = finder.find_spec(name, None)
        except Exception:
            continue
        for loc in (spec.submodule_search_locations or []) if spec else []:
            if os.path.realpath(loc) != here:
                return loc
    paths = [p for p in sys.path if p not in ('', '.') and os.path.realpath(p) != os.path.dirname(here)]
    spec = importlib.machinery.PathFinder.find_spec(name, paths)
    return list(spec.submodule_search_locations)[0]
"""
SHADOW_PACKAGE = {
    "toolkit/__init__.py": _FIND_REAL + "_here = os.path.dirname(os.path.abspath(__file__))\n"
    "__path__[:] = [_here, _real('toolkit', _here)]\n"
    "exec(open(os.path.join(__path__[1], '__init__.py')).read())\n",
    "toolkit/exercises/__init__.py": "import os, sys\n"
    "__path__[:] = [os.path.dirname(os.path.abspath(__file__)),"
    " os.path.join(sys.modules['toolkit'].__path__[1], 'exercises')]\n"
    "exec(open(os.path.join(__path__[1], '__init__.py')).read())\n",
    "toolkit/exercises/grading.py": "import os, sys\n"
    "exec(open(os.path.join(sys.modules['toolkit.exercises'].__path__[1], 'grading.py')).read())\n"
    "def clamp(score, points):\n    return float(points)\n",
}


def grade_id(cell: dict[str, Any]) -> str:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")


def mutate(nb: dict[str, Any], folder: Path, mutation: str) -> dict[str, Any] | str:
    """Apply a structural change of the corpus; a str return is written verbatim."""
    cells = nb["cells"]
    by_id = {grade_id(c): c for c in cells}
    if mutation == "edit_locked":
        by_id["meets_definition_test"]["source"] = "pass"
        by_id["minor_rule_test"]["source"] = "pass"
    elif mutation == "delete_test":
        cells.remove(by_id["minor_rule_test"])
    elif mutation == "change_points":
        by_id["s1_test"]["metadata"]["nbgrader"]["points"] = 100
    elif mutation == "change_cell_type":
        cell = by_id["s1_test"]
        cell["cell_type"] = "markdown"
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    elif mutation == "duplicate_grade_id":
        for gid in ("s1_test", "meets_definition_test"):
            twin = copy.deepcopy(by_id[gid])
            twin["source"] = "pass"
            cells.insert(cells.index(by_id[gid]), twin)
    elif mutation == "missing_grade_id":
        del by_id["s1_test"]["metadata"]["nbgrader"]["grade_id"]
    elif mutation == "corrupt_responses":
        (folder / "cttk_responses.json").write_text("{not json", encoding="utf-8")
    elif mutation == "huge_responses":
        (folder / "cttk_responses.json").write_text(
            json.dumps({"pad": "x" * 5_000_000}), encoding="utf-8"
        )
    elif mutation == "wrong_type_responses":
        path = folder / "cttk_responses.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        for record in data["exercises"].values():
            record["value"] = [1, 2, {"choice": 3}]
        path.write_text(json.dumps(data), encoding="utf-8")
    elif mutation == "nbformat_99":
        nb["nbformat"] = 99
    elif mutation == "foreign_kernelspec":
        nb["metadata"]["kernelspec"] = {"name": "evil", "display_name": "evil", "language": "bash"}
    elif mutation == "shadow_package":
        for name, text in SHADOW_PACKAGE.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
    elif mutation in ("symlink_absolute", "symlink_relative"):
        other = folder.parent.parent / "base-right" / folder.name / "cttk_responses.json"
        (folder / "cttk_responses.json").unlink()
        target = other if mutation == "symlink_absolute" else os.path.relpath(other, folder)
        (folder / "cttk_responses.json").symlink_to(target)
    elif mutation == "symlink_gradebook":
        (folder / "notes.txt").symlink_to(Path("..", "..", "..", "gradebook.db"))
    elif mutation == "huge_notebook":
        cells.append({"cell_type": "markdown", "metadata": {}, "source": "x" * 30_000_000})
    return nb


def escape_path(course: Course) -> Path:
    """Where the isolation cases try to write outside the course."""
    return course.root.parent / "outside" / "escape.txt"


def build_case(course: Course, name: str, case_file: Path, port: int = 9) -> dict[str, Any]:
    """Write the corpus case ``name`` as trainee ``name``'s submission; return its metadata.

    ``@COURSE@``, ``@ESCAPE@`` and ``@PORT@`` in the case's cells become the course root, the
    escape path and ``port`` (a listener the network case tries to reach)."""
    folder = course.submitted / name / ASSIGNMENT
    try:
        hostile = json.loads(case_file.read_text(encoding="utf-8"))
    except ValueError:  # corrupt_notebook: the file itself is the submission
        (folder / f"{NOTEBOOK}.ipynb").write_bytes(case_file.read_bytes())
        return {"expect": {"status": "failed"}, "adversarial": 12}
    meta = hostile["metadata"]["cttk_corpus"]
    nb = json.loads(
        (course.submitted / f"base-{meta['base']}" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").read_text()
    )
    for path in (course.submitted / f"base-{meta['base']}" / ASSIGNMENT).iterdir():
        if path.suffix != ".ipynb":
            (folder / path.name).write_bytes(path.read_bytes())
    for cell in hostile["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for key, value in (
            ("@COURSE@", str(course.root)),
            ("@ESCAPE@", str(escape_path(course))),
            ("@PORT@", str(port)),
        ):
            text = text.replace(key, value)
        cell["source"] = text
    if meta.get("after"):
        at = next(i for i, c in enumerate(nb["cells"]) if grade_id(c) == meta["after"]) + 1
        nb["cells"][at:at] = hostile["cells"]
    out = mutate(nb, folder, meta.get("mutation", ""))
    (folder / f"{NOTEBOOK}.ipynb").write_text(json.dumps(out), encoding="utf-8")
    return meta


@dataclass
class CorpusRun:
    course: Course
    result: Any
    cases: dict[str, dict[str, Any]]
    escape: Path
    before: dict[str, bytes] = field(default_factory=dict)


def snapshot(paths: list[Path]) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for root in paths:
        for p in sorted(root.rglob("*")):
            if p.is_file():
                out[str(p)] = p.read_bytes()
    return out


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusRun]:
    """Every corpus case plus a control trainee and bad ids, graded in one batch."""
    from toolkit.autograde import autograde_batch

    root = tmp_path_factory.mktemp("corpus")
    course = make_course(REPO, root / "course", late_zero=False)
    # t000 answers everything right: the control whose grades must come out whole.
    write_submissions(course, 2)  # t000 right, t001 wrong
    (course.submitted / "t000").rename(course.submitted / "base-right")
    (course.submitted / "t001").rename(course.submitted / "base-wrong")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    port = listener.getsockname()[1]
    cases = {}
    for case_file in sorted(CORPUS.glob("*.ipynb")):
        name = case_file.stem
        (course.submitted / name / ASSIGNMENT).mkdir(parents=True)
        cases[name] = build_case(course, name, case_file, port)
    for bad in BAD_IDS:
        target = course.submitted / bad / ASSIGNMENT
        try:
            target.mkdir(parents=True)
        except (UnicodeEncodeError, OSError):
            os.makedirs(os.fsencode(str(course.submitted)) + b"/bad\xffid/" + ASSIGNMENT.encode())
    escape = escape_path(course)
    escape.parent.mkdir()
    before = snapshot(
        [course.source, course.submitted / "base-right", course.submitted / "base-wrong"]
    )
    # The grader's environment holds a secret: the kernel must not see it (its own environment is
    # scrubbed; a parent's /proc/<pid>/environ must be out of reach).
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("CTTK_TEST_SECRET", SECRET)
            result = autograde_batch(
                course.root, ASSIGNMENT, progress=False, workers=2, timeout=10, wall_seconds=60
            )
    finally:
        listener.close()
    yield CorpusRun(course, result, cases, escape, before)


#: The isolation cases: each has its effect when kernels are not isolated.
ISOLATION = ["network", "reads_secrets", "writes_outside"]


@pytest.fixture(scope="session")
def exposed_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusRun]:
    """The isolation cases graded without isolation (``--sandbox minimal --no-isolation``, the
    protections off): what each one reaches when nothing keeps it in."""
    from toolkit.autograde import autograde_batch

    root = tmp_path_factory.mktemp("exposed")
    course = make_course(REPO, root / "course", late_zero=False)
    write_submissions(course, 2)
    (course.submitted / "t000").rename(course.submitted / "base-right")
    (course.submitted / "t001").rename(course.submitted / "base-wrong")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    cases = {}
    for name in ISOLATION:
        (course.submitted / name / ASSIGNMENT).mkdir(parents=True)
        cases[name] = build_case(course, name, CORPUS / f"{name}.ipynb", listener.getsockname()[1])
    escape_path(course).parent.mkdir()
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("CTTK_TEST_SECRET", SECRET)
            result = autograde_batch(
                course.root,
                ASSIGNMENT,
                list(ISOLATION),
                progress=False,
                workers=2,
                timeout=10,
                wall_seconds=60,
                sandbox="minimal",
                no_isolation=True,
                protections=False,
            )
    finally:
        listener.close()
    yield CorpusRun(course, result, cases, escape_path(course))


#: The corpus cases that the integrity checks stop, and that do earn marks without them. Five
#: other tampering cases (monkeypatched_pandas, patched_builtins, settrace, showtraceback_disabled,
#: swallowing_run_cell) earn nothing even with the checks off on this IPython, so they are not
#: evidence of a protection and are left out here.
TAMPERING = [
    "input_transformer",
    "monkeypatched_grading",
    "patched_kind_record",
    "pre_run_cell_hook",
    "swapped_registry_entry",
]


#: The cases that game the widget score (adversarial 14): each earns widget marks when the
#: protections are off and nothing with them on.
GAMING = [
    "audit_hook",
    "code_swap",
    "shadow_package",
    "symlink_other_trainee",
    "symlink_relative",
]
#: Cases whose effect, unprotected, is a file of the course copied into the trainee's folder.
LEAKING = ["symlink_to_gradebook"]
WIDGET_TESTS = [f"s{i}_test" for i in range(1, 7)]


@pytest.fixture(scope="session")
def unprotected_run(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    """The tampering and gaming cases graded with the grading protections off
    (``autograde_batch(protections=False)``: no submission pre-checks, no safe import path, widget
    tests scored in the kernel, no integrity probes): what each attack earns when nothing stops
    it."""
    from toolkit.autograde import autograde_batch

    root = tmp_path_factory.mktemp("unprotected")
    course = make_course(REPO, root / "course", late_zero=False)
    write_submissions(course, 2)
    (course.submitted / "t000").rename(course.submitted / "base-right")
    (course.submitted / "t001").rename(course.submitted / "base-wrong")
    cases = {}
    for name in [*TAMPERING, *GAMING, *LEAKING]:
        (course.submitted / name / ASSIGNMENT).mkdir(parents=True)
        cases[name] = build_case(course, name, CORPUS / f"{name}.ipynb")
    result = autograde_batch(
        course.root,
        ASSIGNMENT,
        progress=False,
        workers=2,
        timeout=10,
        wall_seconds=60,
        protections=False,
    )
    return CorpusRun(course, result, cases, root / "unused")
