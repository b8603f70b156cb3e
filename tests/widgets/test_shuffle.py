"""Options are shown in an order drawn per trainee and per exercise, stable across rebuilds, and
answers are saved by option text whatever the order shown."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from toolkit.exercises import Checklist, Choice, Matching, Ordering, RolePlay
from toolkit.exercises.shuffle import display_order, shown_positions, trainee_identity
from toolkit.exercises.store import store_path

OPTIONS = ["key", "second", "third", "fourth"]


def saved_value(folder: Path, key: str) -> object:
    return json.loads(store_path(folder).read_text())["exercises"][key]["value"]


def test_order_is_stable_for_a_trainee_and_differs_between_trainees() -> None:
    assert display_order(OPTIONS, "x.q1", "ana") == display_order(OPTIONS, "x.q1", "ana")
    orders = {tuple(display_order(OPTIONS, "x.q1", f"t{i}")) for i in range(60)}
    assert len(orders) > 12  # many of the 24 orders occur
    assert sorted(display_order(OPTIONS, "x.q1", "ana")) == sorted(OPTIONS)
    by_exercise = {tuple(display_order(OPTIONS, f"x.q{i}", "ana")) for i in range(30)}
    assert len(by_exercise) > 8


def test_the_written_first_option_lands_in_every_position_about_equally() -> None:
    firsts = Counter(shown_positions(OPTIONS, "x.q1", f"t{i}")["key"] for i in range(2000))
    assert set(firsts) == {1, 2, 3, 4}
    assert all(400 < n < 600 for n in firsts.values()), firsts


def test_identity_comes_from_the_hub_else_the_os(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-ana")
    assert trainee_identity() == "hub-ana"
    monkeypatch.delenv("JUPYTERHUB_USER")
    monkeypatch.setattr("getpass.getuser", lambda: "os-bob")
    assert trainee_identity() == "os-bob"


def test_an_ordering_never_starts_in_the_written_order() -> None:
    for i in range(200):
        assert display_order(["a", "b"], "x.plan", f"t{i}", avoid_written=True) == ["b", "a"]
        assert display_order(OPTIONS, "x.plan", f"t{i}", avoid_written=True) != OPTIONS


def test_widgets_show_the_drawn_order_and_keep_it_after_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "trainee-7")
    want = display_order(OPTIONS, "t.q", "trainee-7")
    choice = Choice("t.q", "P", OPTIONS, folder=tmp_path)
    assert list(choice.radio.options) == want == choice.shown
    assert list(Choice("t.q", "P", OPTIONS, folder=tmp_path).radio.options) == want
    checklist = Checklist("t.q", "P", OPTIONS, folder=tmp_path)
    assert [b.description for b in checklist.boxes] == want
    matching = Matching("t.m", "P", ["l1", "l2"], OPTIONS, folder=tmp_path)
    assert list(matching.dropdowns[0].options)[1:] == display_order(OPTIONS, "t.m", "trainee-7")
    ordering = Ordering("t.o", "P", OPTIONS, folder=tmp_path)
    assert ordering.order == display_order(OPTIONS, "t.o", "trainee-7", avoid_written=True)


def test_role_play_buttons_are_shuffled_per_trainee_and_scene(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenes = {
        "a": {"text": "First.", "choices": {o: "b" for o in OPTIONS}},
        "b": {"text": "Second.", "choices": {o: "end" for o in OPTIONS}},
        "end": {"text": "The end."},
    }
    monkeypatch.setenv("JUPYTERHUB_USER", "trainee-7")
    play = RolePlay("t.rp", "P", scenes, folder=tmp_path)
    assert [b.description for b in play.choices.children] == display_order(
        OPTIONS, "t.rp:a", "trainee-7"
    )
    again = RolePlay("t.rp", "P", scenes, folder=tmp_path / "again")
    assert [b.description for b in again.choices.children] == display_order(
        OPTIONS, "t.rp:a", "trainee-7"
    )  # the same order after a rebuild
    next(b for b in play.choices.children if b.description == "key").click()
    assert [b.description for b in play.choices.children] == display_order(
        OPTIONS, "t.rp:b", "trainee-7"
    )
    assert play.attempts[0].path == [("a", "key")]  # saved by label, whatever the position
    firsts = set()
    for i in range(40):
        monkeypatch.setenv("JUPYTERHUB_USER", f"t{i}")
        shown = RolePlay("t.rp", "P", scenes, folder=tmp_path / f"t{i}").choices.children
        firsts.add(shown[0].description)
    assert firsts == set(OPTIONS)  # the written first button is not always first


def test_shuffle_false_keeps_the_written_order(tmp_path: Path) -> None:
    scale = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
    assert list(Choice("s.q", "P", scale, shuffle=False, folder=tmp_path).radio.options) == scale
    boxes = Checklist("s.c", "P", scale, shuffle=False, folder=tmp_path).boxes
    assert [b.description for b in boxes] == scale


def test_answers_are_saved_by_text_not_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = {}
    for who in ("ana", "bob", "cy", "dee"):
        monkeypatch.setenv("JUPYTERHUB_USER", who)
        folder = tmp_path / who
        choice = Choice("t.q", "P", OPTIONS, folder=folder)
        choice.radio.value = choice.radio.options[choice.shown.index("third")]
        checklist = Checklist("t.c", "P", OPTIONS, folder=folder)
        for option in ("fourth", "key"):
            checklist.box_of[option].value = True
        values[who] = (saved_value(folder, "t.q"), saved_value(folder, "t.c"))
        # a rebuild under another identity shows another order but the same answer
        monkeypatch.setenv("JUPYTERHUB_USER", who + "-elsewhere")
        assert Choice("t.q", "P", OPTIONS, folder=folder).radio.value == "third"
        assert {
            o for o, b in Checklist("t.c", "P", OPTIONS, folder=folder).box_of.items() if b.value
        } == {
            "fourth",
            "key",
        }
    assert all(
        v == ({"choice": "third", "why": ""}, {"selected": ["key", "fourth"]})
        for v in values.values()
    )


def test_answers_saved_before_shuffling_still_restore(tmp_path: Path) -> None:
    """A cttk.responses/1 file written by the unshuffled widgets (option texts, display order)."""
    store_path(tmp_path).write_text(
        json.dumps(
            {
                "schema": "cttk.responses/1",
                "exercises": {
                    "t.q": {
                        "kind": "choice",
                        "value": {"choice": "second", "why": "x"},
                        "revision": 1,
                    },
                    "t.c": {
                        "kind": "checklist",
                        "value": {"selected": ["third", "key"]},
                        "revision": 1,
                    },
                    "t.o": {"kind": "ordering", "value": {"order": OPTIONS}, "revision": 1},
                },
            }
        )
    )
    assert Choice("t.q", "P", OPTIONS, folder=tmp_path).radio.value == "second"
    boxes = Checklist("t.c", "P", OPTIONS, folder=tmp_path).box_of
    assert {o for o, b in boxes.items() if b.value} == {"third", "key"}
    assert Ordering("t.o", "P", OPTIONS, folder=tmp_path).order == OPTIONS
