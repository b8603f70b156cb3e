"""The adversarial corpus (docs/threat-model.md): every case graded to its defined outcome in one batch."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.sample import ASSIGNMENT

from .conftest import (
    BAD_IDS,
    CORPUS,
    GAMING,
    NOTEBOOK,
    REPO,
    SECRET,
    TAMPERING,
    WIDGET_TESTS,
    CorpusRun,
    snapshot,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.needs("bubblewrap"),
]  # cttk autograde refuses to grade without isolation
CASES = sorted(p.stem for p in CORPUS.glob("*.ipynb"))


def scores(run: CorpusRun, student: str) -> dict[str, tuple[float | None, float]]:
    from toolkit.course.nbgrader_ops import gradebook

    out: dict[str, tuple[float | None, float]] = {}
    with gradebook(run.course.gradebook_url) as gb:
        nb = gb.find_submission_notebook(NOTEBOOK, ASSIGNMENT, student)
        for grade in nb.grades:
            out[grade.name] = (grade.auto_score, grade.max_score)
    return out


def outputs_text(run: CorpusRun, student: str) -> str:
    path = run.course.autograded / student / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    return json.dumps([c.get("outputs", []) for c in nb["cells"]])


def result_of(run: CorpusRun, student: str) -> Any:
    return next(r for r in run.result.results if r.student == student)


def test_every_adversarial_case_is_in_the_corpus(corpus_run: CorpusRun) -> None:
    covered = {meta.get("adversarial") for meta in corpus_run.cases.values()}
    assert covered >= {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}


def test_the_batch_completes(corpus_run: CorpusRun) -> None:
    students = {r.student for r in corpus_run.result.results}
    assert set(CASES) | {"base-right", "base-wrong"} <= students
    assert len(corpus_run.result.results) == len(CASES) + 2 + len(BAD_IDS)


# Only bubblewrap's network namespace keeps the network case from connecting out.
@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.needs("bubblewrap")) if c == "network" else c
        for c in CASES
    ],
)
def test_case_outcome(corpus_run: CorpusRun, case: str) -> None:
    expect = corpus_run.cases[case]["expect"]
    res = result_of(corpus_run, case)
    assert res.status == expect["status"], (res.reason, res.findings)
    said = " ".join([res.reason, *res.findings])
    if expect.get("finding"):
        assert expect["finding"] in said
    if expect.get("no_findings"):
        assert not res.findings, res.findings
    if res.status == "failed":
        assert res.reason  # a failure always says why
        return
    got = scores(corpus_run, case)
    for gid in expect.get("zero", []):
        assert got[gid][0] == 0, (gid, got[gid], said)
    for gid in expect.get("unscored", []):  # no score: left for the instructor, counts 0
        assert got[gid][0] is None, (gid, got[gid], said)
    for gid in expect.get("full", []):
        assert got[gid][0] == got[gid][1], (gid, got[gid], said)
    for gid, max_score in expect.get("max_score", {}).items():
        assert got[gid][1] == max_score
    text = outputs_text(corpus_run, case)
    if expect.get("output"):
        assert re.search(expect["output"], text), expect["output"]
    for absent in expect.get("output_absent", []):
        assert absent not in text
    if expect.get("max_bytes"):
        assert len(text) < expect["max_bytes"]


@pytest.mark.parametrize("case", TAMPERING)
def test_tampering_earns_marks_with_the_probes_off_and_none_with_them_on(
    corpus_run: CorpusRun, unprotected_run: CorpusRun, case: str
) -> None:
    zero = corpus_run.cases[case]["expect"]["zero"]
    unprotected = scores(unprotected_run, case)
    gained = [gid for gid in zero if (unprotected[gid][0] or 0) > 0]
    assert gained, f"{case} earns nothing even unprotected: {unprotected}"
    protected = scores(corpus_run, case)
    assert all(protected[gid][0] == 0 for gid in gained), protected


@pytest.mark.parametrize("case", GAMING)
def test_gaming_earns_widget_marks_unprotected_and_nothing_protected(
    corpus_run: CorpusRun, unprotected_run: CorpusRun, case: str
) -> None:
    wrong = scores(unprotected_run, "base-wrong")
    unprotected = scores(unprotected_run, case)
    gained = [g for g in WIDGET_TESTS if (unprotected[g][0] or 0) > (wrong[g][0] or 0)]
    assert gained, f"{case} earns nothing even unprotected: {unprotected}"
    res = result_of(corpus_run, case)
    if res.status == "failed":  # refused before anything ran: no grade at all
        assert not (corpus_run.course.autograded / case).exists()
        return
    protected, base = scores(corpus_run, case), scores(corpus_run, "base-wrong")
    assert all((protected[g][0] or 0) <= (base[g][0] or 0) for g in WIDGET_TESTS), protected


def test_a_link_copies_the_gradebook_unprotected_and_is_refused_protected(
    corpus_run: CorpusRun, unprotected_run: CorpusRun
) -> None:
    case = "symlink_to_gradebook"
    leaked = unprotected_run.course.autograded / case / ASSIGNMENT / "notes.txt"
    assert leaked.read_bytes().startswith(b"SQLite format 3")
    assert not leaked.is_symlink()
    assert result_of(corpus_run, case).status == "failed"
    assert not (corpus_run.course.autograded / case).exists()


def test_isolation_cases_reach_the_course_without_isolation_and_nothing_with_it(
    corpus_run: CorpusRun, exposed_run: CorpusRun
) -> None:
    assert exposed_run.result.layers is not None and exposed_run.result.layers.no_isolation
    secret_hex = SECRET.encode().hex()
    exposed, isolated = (
        outputs_text(exposed_run, "reads_secrets"),
        outputs_text(corpus_run, "reads_secrets"),
    )
    for leak in ("ANSWER-KEYS-READ", "53514c697465", secret_hex):  # keys, gradebook, secret
        assert leak in exposed, leak
        assert leak not in isolated, leak
    assert (exposed_run.course.root / "PWNED").is_file() and exposed_run.escape.is_file()
    assert not list(corpus_run.course.root.rglob("PWNED")) and not corpus_run.escape.exists()
    assert "CONNECTED 127.0.0.1" in outputs_text(exposed_run, "network")
    assert "CONNECTED" not in outputs_text(corpus_run, "network")


def test_controls_are_graded_whole(corpus_run: CorpusRun) -> None:
    right = scores(corpus_run, "base-right")
    wrong = scores(corpus_run, "base-wrong")
    auto = [g for g in right if g != "reflection"]
    assert all(right[g][0] == right[g][1] for g in auto)
    assert all(wrong[g][0] == 0 for g in auto)
    assert not result_of(corpus_run, "base-right").findings


def test_bad_trainee_ids_fail_with_a_reason(corpus_run: CorpusRun) -> None:
    bad = [r for r in corpus_run.result.results if r.student.startswith(("bad;", "bad ", "bad\\"))]
    assert len(bad) == len(BAD_IDS)
    assert all(r.status == "failed" and "not a valid name" in r.reason for r in bad)


def test_nothing_outside_the_working_copy_changed(corpus_run: CorpusRun) -> None:
    course = corpus_run.course
    now = snapshot(
        [course.source, course.submitted / "base-right", course.submitted / "base-wrong"]
    )
    assert now == corpus_run.before
    assert not corpus_run.escape.exists()
    assert not list(course.root.rglob("PWNED"))
    assert not list(course.autograded.rglob("cttk_results.json"))
    import sqlite3

    with sqlite3.connect(course.root / "gradebook.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_secrets_stay_out(corpus_run: CorpusRun) -> None:
    text = outputs_text(corpus_run, "reads_secrets")
    assert SECRET not in text
    assert "CTTK_TEST_SECRET" not in text


def test_no_process_survives(corpus_run: CorpusRun) -> None:
    survivors = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        # kernels of this checkout only: other checkouts may be grading on the same machine
        if (b"cttk-sandbox-" in cmd and str(REPO).encode() in cmd) or cmd.startswith(
            b"sleep\x003600"
        ):
            survivors.append(cmd)
    assert survivors == []


def test_layers_are_reported(corpus_run: CorpusRun) -> None:
    layers = corpus_run.result.layers
    assert layers is not None
    rows = dict(layers.describe())
    assert rows["resource limits"].startswith("on")
