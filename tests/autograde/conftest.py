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
    elif mutation == "huge_notebook":
        cells.append({"cell_type": "markdown", "metadata": {}, "source": "x" * 30_000_000})
    return nb


def build_case(course: Course, name: str, case_file: Path) -> dict[str, Any]:
    """Write the corpus case ``name`` as trainee ``name``'s submission; return its metadata."""
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
    cases = {}
    for case_file in sorted(CORPUS.glob("*.ipynb")):
        name = case_file.stem
        (course.submitted / name / ASSIGNMENT).mkdir(parents=True)
        cases[name] = build_case(course, name, case_file)
    for bad in BAD_IDS:
        target = course.submitted / bad / ASSIGNMENT
        try:
            target.mkdir(parents=True)
        except (UnicodeEncodeError, OSError):
            os.makedirs(os.fsencode(str(course.submitted)) + b"/bad\xffid/" + ASSIGNMENT.encode())
    escape = root / "outside" / "escape.txt"
    escape.parent.mkdir()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    before = snapshot(
        [course.source, course.submitted / "base-right", course.submitted / "base-wrong"]
    )
    env = {
        "CTTK_TEST_SECRET": SECRET,
        "CTTK_TEST_PORT": str(listener.getsockname()[1]),
        "CTTK_ESCAPE_PATH": str(escape),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = autograde_batch(
            course.root, ASSIGNMENT, progress=False, workers=2, timeout=3, wall_seconds=60
        )
    finally:
        listener.close()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    yield CorpusRun(course, result, cases, escape, before)


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


@pytest.fixture(scope="session")
def unprotected_run(tmp_path_factory: pytest.TempPathFactory) -> CorpusRun:
    """The tampering cases graded with the integrity checks switched off in the course's config
    (``SandboxedExecute.integrity_probes``): what each attack earns when nothing stops it."""
    from toolkit.autograde import autograde_batch

    root = tmp_path_factory.mktemp("unprotected")
    course = make_course(REPO, root / "course", late_zero=False)
    with (course.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write("\nc.SandboxedExecute.integrity_probes = False\n")
    write_submissions(course, 2)
    (course.submitted / "t000").rename(course.submitted / "base-right")
    (course.submitted / "t001").rename(course.submitted / "base-wrong")
    cases = {}
    for name in TAMPERING:
        (course.submitted / name / ASSIGNMENT).mkdir(parents=True)
        cases[name] = build_case(course, name, CORPUS / f"{name}.ipynb")
    result = autograde_batch(
        course.root, ASSIGNMENT, progress=False, workers=2, timeout=3, wall_seconds=60
    )
    return CorpusRun(course, result, cases, root / "unused")
