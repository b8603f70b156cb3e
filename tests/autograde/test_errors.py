"""Bad input to `cttk autograde` is one line with a hint, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.autograde.sandbox import detect
from toolkit.autograde.state import submission_hash
from toolkit.autograde.verify import compare, expects_number, missing_result, read_probe
from toolkit.cli.main import main
from toolkit.errors import SandboxError

REPO = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["autograde", *args])
    return result.exit_code, result.output


def test_unknown_assignment() -> None:
    code, out = run("no_such_assignment", "--course", str(REPO))
    assert code == 2
    assert out.startswith("cttk: error: assignment 'no_such_assignment' does not exist")
    assert "Traceback" not in out and "choose one of" in out


def test_missing_config(tmp_path: Path) -> None:
    code, out = run("01_legal_foundations", "--course", str(tmp_path))
    assert code == 2 and "no nbgrader_config.py" in out and len(out.strip().splitlines()) == 1


def test_unknown_student(tmp_path: Path) -> None:
    code, out = run("01_legal_foundations", "--student", "nobody", "--course", str(REPO))
    assert code == 2 and "no submission of 01_legal_foundations for 'nobody'" in out


def test_assignment_or_all() -> None:
    code, out = run("--course", str(REPO))
    assert code == 2 and "--all" in out


def test_unknown_sandbox_mode_is_an_error() -> None:
    with pytest.raises(SandboxError):
        detect("paranoid")  # type: ignore[arg-type]


def test_submission_hash_sees_every_change(tmp_path: Path) -> None:
    (tmp_path / "a.ipynb").write_text("{}")
    first = submission_hash(tmp_path)
    (tmp_path / "b.txt").write_text("x")
    second = submission_hash(tmp_path)
    (tmp_path / "b.txt").write_text("y")
    assert len({first, second, submission_hash(tmp_path)}) == 3


def test_probe_needs_the_nonce() -> None:
    out = [{"output_type": "stream", "name": "stdout", "text": 'CTTK-PROBE {"nonce": "a"}\n'}]
    assert isinstance(read_probe(out, "b"), str)
    assert not isinstance(read_probe(out, "a"), str)
    assert "did not run as sent" in str(read_probe([], "a"))


def test_compare_flags_added_and_changed_members() -> None:
    from toolkit.autograde.verify import Fingerprint

    base = Fingerprint({"builtins": {"len": 1}, "objects": {"pandas.Series": {"a": 1}}})
    same = Fingerprint({"builtins": {"len": 1, "_": 9}, "objects": {"pandas.Series": {"a": 1}}})
    added = Fingerprint(
        {"builtins": {"len": 1}, "objects": {"pandas.Series": {"a": 1, "tolist": 2}}}
    )
    assert compare(base, same) == []
    assert compare(base, added) == ["pandas.Series.tolist"]


def test_a_score_cell_without_a_score_did_not_run() -> None:
    src = "from toolkit.exercises.grading import total\ntotal(1, 2)"
    assert expects_number(src) and not expects_number("assert x == 1")
    assert missing_result(src, []) is not None
    assert missing_result(src, [{"output_type": "execute_result"}]) is None
