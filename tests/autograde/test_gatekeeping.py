"""What is decided before a kernel starts: which submissions are refused, which user ids may be
lent and killed, whether this machine can isolate kernels, and which tests are scored outside."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from toolkit.autograde import sandbox
from toolkit.autograde.precheck import submission_problem
from toolkit.autograde.scoring import grader_calls, keyed_cells, score_cell, take_snapshot
from toolkit.autograde.state import keys_hash
from toolkit.autograde.uids import UID_RANGE, uid_problem
from toolkit.errors import GradingError, SandboxError
from toolkit.settings import RESPONSE_FILENAME

REPO = Path(__file__).resolve().parents[2]
LEGAL = REPO / "source" / "01_legal_foundations" / "legal_foundations.ipynb"


def _submission(tmp_path: Path) -> Path:
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "answers.ipynb").write_text("{}", encoding="utf-8")
    (folder / RESPONSE_FILENAME).write_text("{}", encoding="utf-8")
    (folder / "data").mkdir()
    (folder / "data" / "cases.csv").write_text("a\n1\n", encoding="utf-8")
    return folder


def test_an_ordinary_submission_passes(tmp_path: Path) -> None:
    assert submission_problem(_submission(tmp_path)) is None


@pytest.mark.parametrize(
    "make, named",
    [
        (lambda f: (f / "link.txt").symlink_to("/etc/shadow"), "link.txt is a symbolic link"),
        (lambda f: (f / "up").symlink_to("../../gradebook.db"), "up is a symbolic link"),
        (lambda f: (f / "dir").symlink_to(f / "data"), "dir is a symbolic link"),
        (lambda f: os.mkfifo(f / "data" / "pipe"), "data/pipe is a FIFO"),
        (lambda f: (f / "helper.py").write_text("x = 1"), "helper.py is Python code"),
        (lambda f: (f / "data" / "m.cpython-311.so").write_bytes(b""), "m.cpython-311.so"),
        (lambda f: (f / "evil.pth").write_text("import os"), "evil.pth is Python code"),
        (lambda f: (f / "__pycache__").mkdir(), "__pycache__ is a Python cache folder"),
    ],
)
def test_links_special_files_and_python_are_refused_by_name(
    tmp_path: Path, make: object, named: str
) -> None:
    folder = _submission(tmp_path)
    make(folder)  # type: ignore[operator]
    problem = submission_problem(folder)
    assert problem is not None and named in problem


def test_a_socket_is_refused(tmp_path: Path) -> None:
    folder = _submission(tmp_path)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "s"))
        assert "s is a socket" in (submission_problem(folder) or "")


def test_sandbox_ids_belong_to_nobody() -> None:
    assert all(uid_problem(uid) is None for uid in list(UID_RANGE)[:5])
    assert "outside the sandbox range" in (uid_problem(61184) or "")
    assert "outside" in (uid_problem(0) or "")


def test_an_id_with_an_account_is_never_leased_or_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    import pwd

    taken = UID_RANGE.start
    real = pwd.getpwuid

    def fake(uid: int) -> pwd.struct_passwd:
        if uid == taken:
            return pwd.struct_passwd(("someone", "x", uid, uid, "", "/", "/bin/sh"))
        return real(uid)

    monkeypatch.setattr(pwd, "getpwuid", fake)
    assert "belongs to the account 'someone'" in (uid_problem(taken) or "")
    with pytest.raises(SandboxError, match="refusing to kill"):
        sandbox.kill_user(taken)
    lease = sandbox.UidLease(1)
    try:
        assert lease.uids and lease.uids[0] != taken
    finally:
        lease.close()


def test_subuid_ranges_are_avoided(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.autograde import uids

    subuid = tmp_path / "subuid"
    subuid.write_text(f"alice:{UID_RANGE.start}:10\n", encoding="utf-8")
    monkeypatch.setattr(uids, "SUBUID", subuid)
    monkeypatch.setattr(uids._subuid_ranges, "__defaults__", (subuid,))
    assert "containers" in (uid_problem(UID_RANGE.start + 3) or "")
    assert uid_problem(UID_RANGE.start + 10) is None


def test_without_bubblewrap_grading_is_refused_unless_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The code finds bubblewrap through PATH: a PATH without it is a machine without it.
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    layers = sandbox.detect("auto")
    assert not layers.bwrap and not layers.isolated
    with pytest.raises(SandboxError, match="cannot be isolated") as info:
        sandbox.require_isolation(layers, no_isolation=False)
    assert "bubblewrap" in info.value.message and "install bubblewrap" in (info.value.hint or "")
    marked = sandbox.require_isolation(layers, no_isolation=True)
    assert marked.no_isolation
    assert marked.describe()[0][0] == sandbox.NO_ISOLATION


def test_minimal_mode_is_never_isolated() -> None:
    layers = sandbox.detect("minimal")
    with pytest.raises(SandboxError):
        sandbox.require_isolation(layers, no_isolation=False)


@pytest.mark.skipif(not Path("/usr/bin/bwrap").exists(), reason="bubblewrap not installed")
@pytest.mark.needs("bubblewrap")
def test_with_bubblewrap_kernels_are_isolated() -> None:
    layers = sandbox.detect("auto")
    assert layers.isolated
    assert sandbox.require_isolation(layers, no_isolation=False) is layers


# -- scoring outside the kernel -------------------------------------------------------------------


def test_widget_tests_of_the_course_are_scored_outside() -> None:
    keyed = keyed_cells(LEGAL)
    assert sorted(keyed) == [f"s{i}_test" for i in range(1, 7)] + ["us_minor_test"]
    assert [c.kind for c in keyed["s1_test"]] == ["choice", "checklist"]
    # code tests (asserts on the trainee's function) stay in the kernel
    assert "meets_definition_test" not in keyed


@pytest.mark.parametrize(
    "source",
    [
        "x = 1\ngrade_choice('a.b', correct='x', points=1)",  # does more than score
        "grade_choice('a.b', correct=KEY, points=1)",  # key is not a literal
        "grade_choice('a.b', correct='x', folder='/tmp')",  # chooses its own file
        "total(grade_choice('a.b', correct='x'), len([]))",  # total of something else
        "assert meets_definition(cases)",
        "grade_choice(*args)",
    ],
)
def test_tests_that_do_more_than_score_answers_stay_in_the_kernel(source: str) -> None:
    assert grader_calls(source) is None


def _store(folder: Path, exercises: dict[str, object]) -> None:
    record = {"schema": "cttk.responses/1", "exercises": exercises}
    (folder / RESPONSE_FILENAME).write_text(json.dumps(record), encoding="utf-8")


def test_the_snapshot_is_scored_not_the_file_changed_later(tmp_path: Path) -> None:
    _store(tmp_path, {"a.b": {"kind": "choice", "value": {"choice": "wrong", "why": ""}}})
    snap = take_snapshot(tmp_path)
    _store(tmp_path, {"a.b": {"kind": "choice", "value": {"choice": "right", "why": ""}}})
    calls = grader_calls(
        "from toolkit.exercises import grade_choice\ngrade_choice('a.b', correct='right', points=2)"
    )
    assert calls is not None
    assert score_cell(calls, snap)[0] == 0.0
    assert score_cell(calls, take_snapshot(tmp_path))[0] == 2.0


def test_a_linked_or_missing_response_file_scores_zero(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    _store(other, {"a.b": {"kind": "choice", "value": {"choice": "right", "why": ""}}})
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / RESPONSE_FILENAME).symlink_to(other / RESPONSE_FILENAME)
    calls = grader_calls("grade_choice('a.b', correct='right', points=1)")
    assert calls is not None
    score, said = score_cell(calls, take_snapshot(mine))
    assert score == 0.0 and "not answered" in said
    assert score_cell(calls, take_snapshot(tmp_path / "none"))[0] == 0.0


def test_a_bad_key_is_the_authors_error(tmp_path: Path) -> None:
    calls = grader_calls("grade_choice('a.b', correct='x', points=-1)")
    assert calls is not None
    with pytest.raises(GradingError):
        score_cell(calls, take_snapshot(tmp_path))


def test_keys_hash_follows_the_hidden_tests_only(tmp_path: Path) -> None:
    nb = json.loads(LEGAL.read_text(encoding="utf-8"))
    (tmp_path / "a.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    before = keys_hash(tmp_path)
    nb["cells"][0]["source"] = "# a new title"
    (tmp_path / "a.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    assert keys_hash(tmp_path) == before
    test = next(
        c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "s1_test"
    )
    test["source"] = "".join(test["source"]).replace("Labour trafficking", "Sex trafficking")
    (tmp_path / "a.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    assert keys_hash(tmp_path) != before
