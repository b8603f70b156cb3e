"""Every trainee's widget responses as one tidy frame, scored against the keys in source/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.support.responses import write_raw_answer
from toolkit.data.responses import COLUMNS, load_responses
from toolkit.exercises.kinds.roleplay import Attempt, roleplay_value
from toolkit.exercises.store import save_answer, store_path

ASSIGNMENT = "fx"
BEST_PATH = [
    ("start", "Introduce yourself and offer her water"),
    ("rapport", "Ask to talk with her apart from the driver, with an interpreter"),
]


@pytest.fixture
def course(tmp_path: Path, every_widget_notebook: Path) -> Path:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    (tmp_path / "source" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(every_widget_notebook, tmp_path / "source" / ASSIGNMENT / "every_widget.ipynb")
    return tmp_path


def answers(course: Path, trainee: str, stage: str = "autograded") -> Path:
    return course / stage / trainee / ASSIGNMENT


def fill(folder: Path) -> None:
    save_answer("fx.choice", "choice", {"choice": "His immigration status"}, folder=folder)
    save_answer(
        "fx.indicators",
        "checklist",
        {"selected": ["Employer holds identity documents", "Lives at home with family"]},
        folder=folder,
    )
    save_answer(
        "fx.needs",
        "matching",
        {"pairs": {"A safe place to sleep": "Shelter", "Medical care": "Legal aid"}},
        folder=folder,
    )
    order = [
        "Secure the person's safety",
        "Refer the person to victim services",
        "Open the joint investigation",
        "Interview with an interpreter",
    ]
    save_answer("fx.plan", "ordering", {"order": order}, folder=folder)
    wrong_then_best = [
        Attempt([("start", "Ask her for identity papers straight away")], False),
        Attempt(BEST_PATH, True),
        Attempt([("start", "Ask her for identity papers straight away")], False),
    ]
    save_answer("fx.contact", "roleplay", roleplay_value(wrong_then_best), folder=folder)


def rows(df: pd.DataFrame, exercise: str) -> pd.DataFrame:
    return df[df["exercise"] == exercise].reset_index(drop=True)


def test_one_row_per_chosen_option_scored_by_the_key(course: Path) -> None:
    fill(answers(course, "t01"))
    df = load_responses(course)
    assert list(df.columns[: len(COLUMNS)]) == COLUMNS
    assert df.attrs["problems"] == []
    assert set(df["trainee"]) == {"t01"} and set(df["assignment"]) == {ASSIGNMENT}

    choice = rows(df, "fx.choice")
    assert choice[["option", "correct", "score"]].values.tolist() == [
        ["His immigration status", False, 0.0]
    ]
    checklist = rows(df, "fx.indicators")
    assert checklist["correct"].tolist() == [True, False]
    assert checklist["score"].tolist() == [0.0, 0.0]  # one hit minus one false alarm
    matching = rows(df, "fx.needs")
    assert matching["option"].tolist() == [
        "A safe place to sleep->Shelter",
        "Medical care->Legal aid",
    ]
    assert matching["correct"].tolist() == [True, False]
    assert matching["score"].iloc[0] == 1.0  # one of three pairs, of 3 points
    ordering = rows(df, "fx.plan")
    assert ordering["position"].tolist() == [1, 2, 3, 4]
    assert ordering["correct"].tolist() == [True, True, False, False]
    assert ordering["score"].iloc[0] == pytest.approx(2 * (5 - 1) / 6, abs=1e-4)
    roleplay = rows(df, "fx.contact")
    assert roleplay["option"].tolist() == [choice for _scene, choice in BEST_PATH]
    assert roleplay["scene"].tolist() == ["start", "rapport"]
    assert roleplay["correct"].tolist() == [True, True]
    assert roleplay["score"].iloc[0] == 2.0


def test_dtypes_are_pandas_extension_types(course: Path) -> None:
    fill(answers(course, "t01"))
    df = load_responses(course)
    assert df["correct"].dtype == "boolean"
    assert df["score"].dtype == "Float64"
    assert df["position"].dtype == "Int64"
    assert isinstance(df["option"].dtype, pd.StringDtype)


def test_an_empty_checklist_and_unknown_keys_keep_their_rows(course: Path) -> None:
    folder = answers(course, "t02")
    save_answer("fx.indicators", "checklist", {"selected": []}, folder=folder)
    save_answer("other.free", "choice", {"choice": "Anything"}, folder=folder)
    df = load_responses(course)
    empty = rows(df, "fx.indicators")
    assert len(empty) == 1 and pd.isna(empty["option"].iloc[0])
    assert not empty["correct"].iloc[0] and empty["score"].iloc[0] == 0.0
    unknown = rows(df, "other.free")
    assert unknown["option"].tolist() == ["Anything"]
    assert pd.isna(unknown["correct"].iloc[0]) and pd.isna(unknown["score"].iloc[0])


def test_bad_files_and_values_are_reported_not_loaded(course: Path) -> None:
    fill(answers(course, "t01"))
    store_path(answers(course, "t02")).parent.mkdir(parents=True)
    store_path(answers(course, "t02")).write_text("{corrupt")
    folder = answers(course, "t03")
    save_answer("fx.plan", "checklist", {"selected": ["x"]}, folder=folder)
    save_answer("fx.needs", "matching", {"pairs": {"Medical care": "Clinic"}}, folder=folder)
    # a hand-edited file: the store itself never saves a malformed answer
    write_raw_answer(folder, "fx.choice", "choice", {"choice": ["not", "text"]})
    df = load_responses(course)
    problems = df.attrs["problems"]
    assert any(p.startswith("t02/fx: response file is not valid JSON") for p in problems)
    assert any(p.startswith("t03/fx/fx.choice") for p in problems)
    assert any("t03/fx/fx.plan" in p and "ordering key" in p for p in problems)
    assert sorted(set(df["trainee"])) == ["t01", "t03"]
    assert rows(df, "fx.needs").query("trainee == 't03'")["correct"].tolist() == [True]


def test_the_submitted_stage_can_be_read(course: Path) -> None:
    fill(answers(course, "t05", stage="submitted"))
    assert load_responses(course).empty
    assert set(load_responses(course, stage="submitted")["trainee"]) == {"t05"}


def test_shown_is_the_position_the_trainees_widget_showed(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.exercises import Choice

    options = ["His safety", "His immigration status", "The car wash licence"]
    seen = set()
    for trainee in [f"t{i:02d}" for i in range(12)]:
        folder = answers(course, trainee)
        monkeypatch.setenv("JUPYTERHUB_USER", trainee)
        widget = Choice("fx.choice", "Prompt", options, folder=folder)  # saves as clicked
        widget.radio.value = "His safety"
        seen.add(list(widget.radio.options).index("His safety") + 1)
    fill(answers(course, "zz"))
    df = load_responses(course)
    choice = df[(df["exercise"] == "fx.choice") & (df["trainee"] != "zz")].set_index("trainee")
    for trainee in choice.index:
        monkeypatch.setenv("JUPYTERHUB_USER", trainee)
        shown = list(Choice("fx.choice", "P", options, folder=course / "x").radio.options)
        assert choice.loc[trainee, "shown"] == shown.index("His safety") + 1
    assert seen == {1, 2, 3}  # the key was shown in every position across trainees
    assert choice["score"].tolist() == [1.0] * 12  # and scored alike wherever it was shown
    needs = rows(df, "fx.needs")
    assert len(needs) == 2 and needs["shown"].isna().all()  # only shuffled option lists
