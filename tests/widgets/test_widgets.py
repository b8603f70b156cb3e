"""Each widget kind saves on change, restores when rebuilt, and refuses saved values that do not
fit; every control is labelled and reachable without a mouse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from tests.support.responses import write_raw_answer
from toolkit.errors import CttkError
from toolkit.exercises import Checklist, Choice, Matching, Ordering, RolePlay
from toolkit.exercises.store import load_record, store_path

SCENES: dict[str, Any] = {
    "start": {
        "text": "A young woman in a stopped van looks frightened.",
        "choices": {"Offer water and introduce yourself": "rapport", "Demand papers": "guarded"},
    },
    "rapport": {
        "text": "She accepts the water.",
        "choices": {
            "Talk apart with an interpreter": "good",
            "Question her in front of him": "poor",
        },
    },
    "guarded": {"text": "She says nothing.", "choices": {"Slow down and explain": "good"}},
    "good": {"text": "She agrees to talk with a support worker."},
    "poor": {"text": "The chance is lost for now."},
}


def saved(folder: Path, key: str) -> Any:
    return json.loads(store_path(folder).read_text())["exercises"][key]


def test_choice_saves_and_restores_with_why(tmp_path: Path) -> None:
    w = Choice("t.choice", "Prompt", ["A", "B", "C"], why=True, folder=tmp_path)
    assert w.status_state == "empty"
    w.radio.value = "B"
    w.why.value = "because"
    record = saved(tmp_path, "t.choice")
    assert record["value"] == {"choice": "B", "why": "because"}
    assert record["revision"] == 2
    again = Choice("t.choice", "Prompt", ["A", "B", "C"], why=True, folder=tmp_path)
    assert (again.radio.value, again.why.value) == ("B", "because")
    assert again.status_state == "saved"
    assert "Answer saved" in again.status.value


def test_checklist_saves_and_restores(tmp_path: Path) -> None:
    w = Checklist("t.check", "Prompt", ["x", "y", "z"], folder=tmp_path)
    w.box_of["z"].value = True
    w.box_of["x"].value = True
    assert saved(tmp_path, "t.check")["value"] == {"selected": ["x", "z"]}  # written order
    again = Checklist("t.check", "Prompt", ["x", "y", "z"], folder=tmp_path)
    assert [again.box_of[o].value for o in "xyz"] == [True, False, True]


def test_matching_saves_pairs_and_unmatches(tmp_path: Path) -> None:
    w = Matching("t.match", "Prompt", ["sleep", "care"], ["Shelter", "Clinic"], folder=tmp_path)
    w.dropdowns[0].value = "Shelter"
    w.dropdowns[1].value = "Shelter"
    assert saved(tmp_path, "t.match")["value"] == {"pairs": {"sleep": "Shelter", "care": "Shelter"}}
    w.dropdowns[1].value = "(choose)"
    assert saved(tmp_path, "t.match")["value"] == {"pairs": {"sleep": "Shelter"}}
    again = Matching("t.match", "Prompt", ["sleep", "care"], ["Shelter", "Clinic"], folder=tmp_path)
    assert [d.value for d in again.dropdowns] == ["Shelter", "(choose)"]


def test_ordering_moves_saves_and_restores(tmp_path: Path) -> None:
    w = Ordering("t.order", "Prompt", ["b", "a", "c"], shuffle=False, folder=tmp_path)
    assert not store_path(tmp_path).exists()  # showing the list is not an answer
    w.up[1].click()  # "a" moves to the top
    assert saved(tmp_path, "t.order")["value"] == {"order": ["a", "b", "c"]}
    assert [label.value for label in w.labels] == ["1. a", "2. b", "3. c"]
    assert w.up[0].disabled and w.down[2].disabled
    w.down[2].click()  # no row below the last: nothing changes
    assert saved(tmp_path, "t.order")["revision"] == 1
    w.down[1].click()
    again = Ordering("t.order", "Prompt", ["b", "a", "c"], folder=tmp_path)  # shuffled start
    assert again.order == ["a", "c", "b"]
    assert again.up[2].tooltip == "Move up: b"


def test_ordering_can_save_the_order_as_shown(tmp_path: Path) -> None:
    w = Ordering("t.order", "Prompt", ["a", "b"], folder=tmp_path)
    w.confirm.click()
    assert saved(tmp_path, "t.order")["value"] == {"order": ["b", "a"]}  # never starts as written
    assert w.status_state == "saved"


def click(w: RolePlay, label: str) -> None:
    button = next(b for b in w.choices.children if b.description == label)
    button.click()


def test_roleplay_saves_the_path_and_restarts(tmp_path: Path) -> None:
    w = RolePlay("t.play", "Prompt", SCENES, folder=tmp_path)
    assert sorted(b.description for b in w.choices.children) == sorted(SCENES["start"]["choices"])
    click(w, "Offer water and introduce yourself")
    click(w, "Question her in front of him")
    assert w.current.id == "poor" and w.choices.children == ()
    value = saved(tmp_path, "t.play")["value"]
    assert value["attempts"] == [
        {
            "path": [
                {"scene": "start", "choice": "Offer water and introduce yourself"},
                {"scene": "rapport", "choice": "Question her in front of him"},
            ],
            "completed": True,
        }
    ]
    assert not w.restart.disabled
    assert "(<span class='cttk-attempt-status'>graded</span>)" in w.history.value
    w.restart.click()
    click(w, "Demand papers")
    assert "practice, not graded" in w.history.value
    value = saved(tmp_path, "t.play")["value"]
    assert [a["completed"] for a in value["attempts"]] == [True, False]
    assert "score" not in json.dumps(value)  # scores live only in the hidden test's key

    again = RolePlay("t.play", "Prompt", SCENES, folder=tmp_path)
    assert again.current.id == "guarded"
    assert "Attempt 2" in again.history.value
    click(again, "Slow down and explain")
    assert [a.completed for a in again.attempts] == [True, True]


def test_restart_before_any_decision_saves_nothing(tmp_path: Path) -> None:
    w = RolePlay("t.play", "Prompt", SCENES, folder=tmp_path)
    w.restart.click()
    assert not store_path(tmp_path).exists()


def test_graded_attempt_cannot_be_abandoned_for_a_fresh_start(tmp_path: Path) -> None:
    w = RolePlay("t.play", "Prompt", SCENES, folder=tmp_path)
    click(w, "Demand papers")  # a first decision, the attempt not finished
    assert w.restart.disabled
    assert "graded when completed" in w.history.value
    w.start_again()  # even called directly, no new attempt begins
    assert len(w.attempts) == 1 and w.current.id == "guarded"


@pytest.mark.parametrize(
    "scenes",
    [
        {},
        {"a": {"text": "x", "choices": {"go": "missing"}}},
        {"a": {"text": "x", "choices": {"go": "b"}}, "b": {"text": "y", "choices": {"back": "a"}}},
        {"a": "not a scene"},
    ],
    ids=["empty", "unknown-target", "cycle", "not-a-dict"],
)
def test_roleplay_refuses_bad_scene_trees(tmp_path: Path, scenes: Any) -> None:
    with pytest.raises(CttkError, match=r"role-play t\.play"):
        RolePlay("t.play", "Prompt", scenes, folder=tmp_path)


BUILDERS = {
    "choice": lambda f: Choice("t.x", "P", ["A", "B"], folder=f),
    "checklist": lambda f: Checklist("t.x", "P", ["A", "B"], folder=f),
    "matching": lambda f: Matching("t.x", "P", ["A"], ["B"], folder=f),
    "ordering": lambda f: Ordering("t.x", "P", ["A", "B"], folder=f),
    "roleplay": lambda f: RolePlay("t.x", "P", SCENES, folder=f),
}
BAD_VALUES = [
    None,
    "text",
    ["list"],
    {"choice": 3, "selected": "A", "pairs": ["A"], "order": "AB", "attempts": {}},
    {"choice": "Z", "selected": [1], "pairs": {"A": "Z"}, "order": ["A", "A"], "attempts": [1]},
    {
        "order": ["A", "C"],
        "attempts": [{"path": [{"scene": "guarded", "choice": "Slow down and explain"}]}],
    },
]


@pytest.mark.parametrize("kind", sorted(BUILDERS))
@pytest.mark.parametrize("value", BAD_VALUES)
def test_saved_values_that_do_not_fit_read_as_unanswered(
    tmp_path: Path, kind: str, value: Any
) -> None:
    write_raw_answer(tmp_path, "t.x", kind, value)
    w = BUILDERS[kind](tmp_path)
    assert w.status_state == "empty"
    assert w.answer() in (
        None,
        {"selected": []},
        {"pairs": {}},
        {"order": getattr(w, "shown", None)},
    )


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_a_corrupt_or_huge_file_does_not_break_building(tmp_path: Path, kind: str) -> None:
    store_path(tmp_path).write_text("{broken")
    assert BUILDERS[kind](tmp_path).status_state == "empty"
    with store_path(tmp_path).open("wb") as handle:
        handle.truncate(5_000_000)
    assert BUILDERS[kind](tmp_path).status_state == "empty"


def test_a_save_that_fails_says_so_in_the_status_line(tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    w = Choice("t.x", "P", ["A", "B"], folder=folder)
    folder.write_text("a file where the folder should be")
    w.radio.value = "A"
    assert w.status_state == "error"
    assert "NOT saved" in w.status.value


def _controls(w: widgets.Widget) -> list[widgets.Widget]:
    found = []
    for child in getattr(w, "children", ()):
        if isinstance(child, widgets.Box):
            found += _controls(child)
        elif not isinstance(child, widgets.HTML | widgets.Label):
            found.append(child)
    return found


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_every_control_has_a_readable_label(tmp_path: Path, kind: str) -> None:
    w = BUILDERS[kind](tmp_path)
    controls = _controls(w)
    assert controls
    for control in controls:
        assert control.description.strip(), f"{control!r} has no label"
        assert not control.disabled or isinstance(control, widgets.Button)
    status = w.status.value
    assert "role='status'" in status and "aria-live='polite'" in status


def test_saved_record_is_keyed_and_versioned(tmp_path: Path) -> None:
    w = Matching("t.m", "P", ["A"], ["B"], folder=tmp_path)
    w.dropdowns[0].value = "B"
    record = load_record("t.m", folder=tmp_path)
    assert record is not None
    assert record["kind"] == "matching" and record["revision"] == 1 and record["saved_at"]
    data = json.loads(store_path(tmp_path).read_text())
    assert data["schema"] == "cttk.responses/1"
