"""The response store: atomic, versioned, by exercise id; hostile files read as errors, never crash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from toolkit.errors import ResponseError
from toolkit.exercises.store import load_answer, read_store, save_answer, store_path
from toolkit.settings import RESPONSE_SCHEMA


def test_save_then_load_round_trips(tmp_path: Path) -> None:
    save_answer("m1.s1", "choice", {"choice": "A", "why": "because"}, folder=tmp_path)
    assert load_answer("m1.s1", "choice", folder=tmp_path) == {"choice": "A", "why": "because"}
    data = json.loads(store_path(tmp_path).read_text())
    assert data["schema"] == RESPONSE_SCHEMA
    assert data["exercises"]["m1.s1"]["revision"] == 1


def test_each_save_bumps_the_revision_and_keeps_other_exercises(tmp_path: Path) -> None:
    save_answer("a", "choice", {"choice": "x"}, folder=tmp_path)
    save_answer("b", "checklist", {"selected": []}, folder=tmp_path)
    record = save_answer("a", "choice", {"choice": "y"}, folder=tmp_path)
    assert record["revision"] == 2
    assert load_answer("b", "checklist", folder=tmp_path) == {"selected": []}


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    for i in range(5):
        save_answer("a", "choice", {"choice": str(i)}, folder=tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["cttk_responses.json"]


def test_wrong_kind_reads_as_unanswered(tmp_path: Path) -> None:
    save_answer("a", "checklist", {"selected": ["x"]}, folder=tmp_path)
    assert load_answer("a", "choice", folder=tmp_path) is None


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe\x00", b'{"schema": "other/9", "exercises": {}}', b"[1, 2, 3]"],
    ids=["invalid-json", "not-utf8", "foreign-schema", "not-an-object"],
)
def test_hostile_files_raise_response_error(tmp_path: Path, content: bytes) -> None:
    store_path(tmp_path).write_bytes(content)
    with pytest.raises(ResponseError):
        read_store(store_path(tmp_path))
    assert load_answer("a", "choice", folder=tmp_path) is None


def test_oversized_file_is_not_read(tmp_path: Path) -> None:
    store_path(tmp_path).write_bytes(b" " * 2_000_000)
    with pytest.raises(ResponseError, match="more than"):
        read_store(store_path(tmp_path))


def test_a_corrupt_file_is_replaced_on_the_next_save(tmp_path: Path) -> None:
    store_path(tmp_path).write_text("{oops")
    save_answer("a", "choice", {"choice": "x"}, folder=tmp_path)
    assert load_answer("a", "choice", folder=tmp_path) == {"choice": "x"}


@pytest.mark.parametrize("exercise", ["", "../etc", "A B", "x" * 81, "Upper"])
def test_bad_exercise_ids_are_refused(tmp_path: Path, exercise: str) -> None:
    with pytest.raises(ResponseError, match="invalid exercise id"):
        save_answer(exercise, "choice", {"choice": "x"}, folder=tmp_path)


def test_unserialisable_values_do_not_touch_the_file(tmp_path: Path) -> None:
    save_answer("a", "choice", {"choice": "x"}, folder=tmp_path)
    before = store_path(tmp_path).read_bytes()
    with pytest.raises(TypeError):
        save_answer("a", "choice", {"choice": object()}, folder=tmp_path)
    assert store_path(tmp_path).read_bytes() == before


def test_a_malformed_answer_or_an_unknown_kind_is_never_saved(tmp_path: Path) -> None:
    save_answer("a", "choice", {"choice": "x"}, folder=tmp_path)
    with pytest.raises(ResponseError, match="saved choice answer"):
        save_answer("a", "choice", {"choice": ["not", "text"]}, folder=tmp_path)
    with pytest.raises(ResponseError, match="unknown exercise kind"):
        save_answer("b", "essay", {"text": "x"}, folder=tmp_path)
    assert load_answer("a", "choice", folder=tmp_path) == {"choice": "x"}
    assert load_answer("b", "essay", folder=tmp_path) is None
