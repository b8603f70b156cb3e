"""Grading helpers: partial credit by the documented rules; hostile response files score 0 with a
one-line message on stdout and never raise; key mistakes by the author do raise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from toolkit.errors import GradingError
from toolkit.exercises import (
    grade_checklist,
    grade_choice,
    grade_matching,
    grade_ordering,
    grade_roleplay,
    total,
)
from toolkit.exercises.kinds.roleplay import Attempt, roleplay_value
from toolkit.exercises.store import save_answer, store_path
from toolkit.settings import ROLEPLAY_MAX_ATTEMPTS

SCORES = {
    "start": {"good": 1, "bad": 0},
    "rapport": {"private": 1, "public": 0},
    "guarded": {"explain": 1, "threaten": -1},
}


def save(folder: Path, exercise: str, kind: str, value: Any) -> None:
    save_answer(exercise, kind, value, folder=folder)


@pytest.mark.parametrize(
    ("choice", "expected"), [("A", 2.0), ("B", 2.0), ("C", 0.0)], ids=["a", "also", "wrong"]
)
def test_choice_accepts_several_answers(tmp_path: Path, choice: str, expected: float) -> None:
    save(tmp_path, "k", "choice", {"choice": choice, "why": ""})
    assert grade_choice("k", correct=["A", "B"], points=2, folder=tmp_path) == expected


@pytest.mark.parametrize(
    ("selected", "expected"),
    [(["a", "b"], 2.0), (["a"], 1.0), (["a", "c"], 0.0), (["c"], 0.0), ([], 0.0)],
)
def test_checklist_hits_minus_false_alarms(
    tmp_path: Path, selected: list[str], expected: float
) -> None:
    save(tmp_path, "k", "checklist", {"selected": selected})
    assert grade_checklist("k", correct=["a", "b"], points=2, folder=tmp_path) == expected


def test_matching_is_the_share_of_correct_pairs(tmp_path: Path) -> None:
    key = {"sleep": "Shelter", "care": ["Clinic", "Hospital"], "law": "Legal aid"}
    save(tmp_path, "k", "matching", {"pairs": {"sleep": "Shelter", "care": "Hospital", "x": "y"}})
    assert grade_matching("k", correct=key, points=3, folder=tmp_path) == 2.0


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (["a", "b", "c", "d", "e"], 1.0),
        (["a", "b", "d", "c", "e"], 0.8),  # one pair of neighbours swapped: tau = 8/10
        (["e", "d", "c", "b", "a"], 0.0),  # reversed: tau = -1, floored
        (["b", "a", "d", "c", "e"], 0.6),
    ],
)
def test_ordering_is_kendall_tau_floored(tmp_path: Path, order: list[str], expected: float) -> None:
    save(tmp_path, "k", "ordering", {"order": order})
    correct = ["a", "b", "c", "d", "e"]
    assert grade_ordering("k", correct=correct, points=1, folder=tmp_path) == expected


def test_ordering_with_foreign_items_scores_zero(tmp_path: Path, capsys: Any) -> None:
    save(tmp_path, "k", "ordering", {"order": ["a", "x"]})
    assert grade_ordering("k", correct=["a", "b"], points=1, folder=tmp_path) == 0.0
    assert "does not hold" in capsys.readouterr().out


def attempts(*runs: tuple[list[tuple[str, str]], bool]) -> dict[str, Any]:
    return roleplay_value([Attempt(path, done) for path, done in runs])


def test_roleplay_counts_the_first_completed_attempt(tmp_path: Path) -> None:
    first = ([("start", "good"), ("rapport", "private")], True)  # 2 points
    second = ([("start", "bad"), ("guarded", "explain")], True)  # 1 point
    unfinished = ([("start", "good")], False)
    save(tmp_path, "k", "roleplay", attempts(first, second, unfinished))
    assert grade_roleplay("k", scores=SCORES, points=2, folder=tmp_path) == 2.0
    # replaying to the best path after a poor first run earns nothing more
    save(tmp_path, "k", "roleplay", attempts(second, first))
    assert grade_roleplay("k", scores=SCORES, points=2, folder=tmp_path) == 1.0
    # an unfinished attempt before the first completed one does not count
    save(tmp_path, "k", "roleplay", attempts(unfinished, second, first))
    assert grade_roleplay("k", scores=SCORES, points=2, folder=tmp_path) == 1.0


def test_roleplay_without_a_completed_attempt_counts_the_first(tmp_path: Path, capsys: Any) -> None:
    save(
        tmp_path,
        "k",
        "roleplay",
        attempts(([("start", "good")], False), ([("start", "bad")], False)),
    )
    assert grade_roleplay("k", scores=SCORES, points=2, folder=tmp_path) == 1.0
    assert "the first attempt counts" in capsys.readouterr().out


def test_roleplay_keeps_the_graded_attempt_when_practice_overflows() -> None:
    graded = Attempt([("start", "bad"), ("guarded", "explain")], True)
    practice = [Attempt([("start", "good"), ("rapport", "private")], True)] * 30
    kept = roleplay_value([graded, *practice])["attempts"]
    assert len(kept) == ROLEPLAY_MAX_ATTEMPTS
    assert kept[0]["path"][0] == {"scene": "start", "choice": "bad"}


def test_roleplay_never_trusts_saved_scores_or_repeated_scenes(tmp_path: Path) -> None:
    value = attempts(([("start", "good")] * 5 + [("rapport", "invented")], True))
    value["attempts"][0]["score"] = 99
    value["score"] = 99
    save(tmp_path, "k", "roleplay", value)
    assert grade_roleplay("k", scores=SCORES, points=2, folder=tmp_path) == 1.0


def test_roleplay_floors_negative_totals(tmp_path: Path) -> None:
    save(tmp_path, "k", "roleplay", attempts(([("start", "bad"), ("guarded", "threaten")], True)))
    assert grade_roleplay("k", scores=SCORES, points=2, folder=tmp_path) == 0.0


def every_grader(folder: Path, exercise: str = "k") -> dict[str, float]:
    return {
        "choice": grade_choice(exercise, correct="A", folder=folder),
        "checklist": grade_checklist(exercise, correct=["A"], folder=folder),
        "matching": grade_matching(exercise, correct={"A": "B"}, folder=folder),
        "ordering": grade_ordering(exercise, correct=["A", "B"], folder=folder),
        "roleplay": grade_roleplay(exercise, scores=SCORES, folder=folder),
    }


def one_line_messages(out: str, count: int) -> None:
    lines = out.splitlines()
    assert len(lines) == count, out
    assert all("0 points" in line for line in lines)


@pytest.mark.parametrize(
    "content",
    [b"{ not json", b"[" * 100_000 + b"]" * 100_000, b'{"schema": "cttk.responses/1"}'],
    ids=["invalid-json", "deeply-nested", "no-exercises"],
)
def test_a_corrupt_file_scores_zero_with_a_message(
    tmp_path: Path, capsys: Any, content: bytes
) -> None:
    store_path(tmp_path).write_bytes(content)
    assert set(every_grader(tmp_path).values()) == {0.0}
    captured = capsys.readouterr()
    one_line_messages(captured.out, 5)
    assert captured.err == ""


def test_a_50_megabyte_file_scores_zero_without_being_read(tmp_path: Path, capsys: Any) -> None:
    with store_path(tmp_path).open("wb") as handle:
        handle.write(b'{"schema": "cttk.responses/1", "exercises": {"k": ')
        handle.truncate(50 * 1024 * 1024)
    assert set(every_grader(tmp_path).values()) == {0.0}
    out = capsys.readouterr().out
    one_line_messages(out, 5)
    assert "more than" in out


def test_a_fifo_in_place_of_the_file_does_not_hang(tmp_path: Path, capsys: Any) -> None:
    import os

    os.mkfifo(store_path(tmp_path))
    assert grade_choice("k", correct="A", folder=tmp_path) == 0.0
    assert "not a regular file" in capsys.readouterr().out


WRONG_TYPES = [
    None,
    7,
    "A",
    ["A"],
    {"choice": ["A"], "selected": "A", "pairs": "A", "order": {"A": 1}, "attempts": "A"},
    {"choice": None, "selected": [None], "pairs": {"A": 3}, "order": [1, 2], "attempts": [None]},
    {"attempts": [{"path": [{"scene": 1, "choice": "good"}], "completed": "yes"}]},
]


@pytest.mark.parametrize("value", WRONG_TYPES)
def test_values_of_the_wrong_type_score_zero(tmp_path: Path, capsys: Any, value: Any) -> None:
    data: dict[str, Any] = {"schema": "cttk.responses/1", "exercises": {}}
    for kind in ["choice", "checklist", "matching", "ordering", "roleplay"]:
        data["exercises"]["k"] = {"kind": kind, "value": value, "revision": "x"}
        store_path(tmp_path).write_text(json.dumps(data))
        assert every_grader(tmp_path)[kind] == 0.0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert all("0 points" in line for line in captured.out.splitlines())


def test_an_answer_of_another_kind_scores_zero(tmp_path: Path, capsys: Any) -> None:
    save(tmp_path, "k", "checklist", {"selected": ["A"]})
    assert grade_choice("k", correct="A", folder=tmp_path) == 0.0
    assert "not a choice answer" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", ["never.answered", "../../etc/passwd"])
def test_an_unknown_exercise_id_scores_zero(tmp_path: Path, capsys: Any, exercise: str) -> None:
    save(tmp_path, "k", "choice", {"choice": "A"})
    assert set(every_grader(tmp_path, exercise).values()) == {0.0}
    one_line_messages(capsys.readouterr().out, 5)


def test_the_rest_of_the_file_still_grades(tmp_path: Path) -> None:
    save(tmp_path, "good", "choice", {"choice": "A"})
    data = json.loads(store_path(tmp_path).read_text())
    data["exercises"]["bad"] = {"kind": "choice", "value": [1, 2]}
    store_path(tmp_path).write_text(json.dumps(data))
    assert grade_choice("bad", correct="A", folder=tmp_path) == 0.0
    assert grade_choice("good", correct="A", folder=tmp_path) == 1.0


@pytest.mark.parametrize(
    "call",
    [
        lambda: grade_choice("k", correct="A", points=0),
        lambda: grade_choice("k", correct="A", points=float("nan")),
        lambda: grade_checklist("k", correct="A"),
        lambda: grade_matching("k", correct=["A"]),  # type: ignore[arg-type]
        lambda: grade_ordering("k", correct=["A", "A"]),
        lambda: grade_roleplay("k", scores={"start": {"x": "1"}}),  # type: ignore[dict-item]
    ],
)
def test_a_key_written_wrongly_raises_for_the_author(call: Any) -> None:
    with pytest.raises(GradingError):
        call()


def test_total_sums_and_results_stay_within_points(tmp_path: Path) -> None:
    save(tmp_path, "k", "roleplay", attempts(([("start", "good"), ("rapport", "private")], True)))
    score = grade_roleplay("k", scores=SCORES, points=1.5, folder=tmp_path)
    assert score == 1.5
    assert total(score, 0.25, 0.0) == 1.75
