"""The authoring checks of ``cttk validate`` fail planted bad items, pass clean ones, and find on the
repository's course only the findings its pending content rewrite is to remove."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml

from toolkit.validate import validate_course

Item = tuple[str, str, list[str], str]  # grade id, stem, options, key

PRE: list[Item] = [
    (
        "q1",
        "Ana, 15, works in a bar. What must be shown?",
        ["Act and purpose", "Act, means, purpose", "A border crossing"],
        "Act and purpose",
    ),
    (
        "q2",
        "A van stops at a checkpoint. Who speaks first?",
        ["The driver", "The youngest passenger", "Each one, apart"],
        "Each one, apart",
    ),
    (
        "q3",
        "A tip names a farm. What comes first?",
        ["Check it against records", "Raid the farm at dawn today", "Close the tip as hearsay"],
        "Check it against records",
    ),
]
POST: list[Item] = [
    (
        "q1",
        "Ben, 16, sells flowers for a man. What must be shown?",
        ["Purpose and the act", "Means and the act", "Travel abroad"],
        "Purpose and the act",
    ),
    (
        "q2",
        "At a hotel desk a clerk calls you. Whom do you talk to?",
        ["The manager", "The woman, privately", "The man who came in with her"],
        "The woman, privately",
    ),
    (
        "q3",
        "A caller reports a nail bar. Your first step?",
        ["Look for other reports", "Arrest the owner at once", "File it and do nothing"],
        "Look for other reports",
    ),
]


def _cell(source: str, grade_id: str, *, grade: bool) -> Any:
    meta = {"grade": grade, "grade_id": grade_id, "locked": True, "solution": False}
    if grade:
        meta["points"] = 1
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {**meta, "schema_version": 3}})


def _notebook(prefix: str, items: list[Item]) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("from toolkit.exercises import Choice"))
    for gid, stem, options, key in items:
        nb.cells.append(
            _cell(f"Choice({prefix + gid!r}, {stem!r}, {options!r})", f"{gid}_w", grade=False)
        )
        test = (
            "### BEGIN HIDDEN TESTS\nfrom toolkit.exercises import grade_choice\n"
            f"grade_choice({prefix + gid!r}, correct={key!r}, points=1)\n### END HIDDEN TESTS"
        )
        nb.cells.append(_cell(test, gid, grade=True))
    return nb


def make_course(
    root: Path, repo_root: Path, pre: list[Item], post: list[Item], **extra: Any
) -> Path:
    shutil.copy2(repo_root / "nbgrader_config.py", root / "nbgrader_config.py")
    for folder, stem, items in (("a0", "pre", pre), ("a9", "post", post)):
        (root / "source" / folder).mkdir(parents=True)
        nbformat.write(_notebook(f"{stem}.", items), root / "source" / folder / f"{stem}.ipynb")
    doc: dict[str, Any] = {
        "topics": [{"id": 1, "name": "Topic"}],
        "assignments": [{"id": "a0", "role": "pretest"}, {"id": "a9", "role": "posttest"}],
        "learning_gain": {"pretest": "a0", "posttest": "a9"},
        "competencies": [
            {
                "id": "offences",
                "statement": "Spot it.",
                "module": "a0",
                "topic": 1,
                "items": [f"{s}/q{i}" for s in ("pre", "post") for i in (1, 2, 3)],
            }
        ],
        "tracks": {"analyst": ["analyst"], "core": ["patrol officer", "prosecutor"]},
        "pairs": [{"pre": f"pre/q{i}", "post": f"post/q{i}"} for i in (1, 2, 3)],
    }
    doc.update(extra)
    (root / "course").mkdir()
    (root / "course" / "curriculum.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    return root


def authoring(root: Path) -> list[str]:
    return [str(f) for f in validate_course(root, checks=["authoring"]).findings]


def test_clean_items_pass(tmp_path: Path, repo_root: Path) -> None:
    assert authoring(make_course(tmp_path, repo_root, PRE, POST)) == []


def test_a_key_that_is_usually_the_longest_fails_the_assignment(
    tmp_path: Path, repo_root: Path
) -> None:
    pre = [(*PRE[0][:3], "Act, means, purpose"), (*PRE[1][:3], "The youngest passenger"), PRE[2]]
    found = authoring(make_course(tmp_path, repo_root, pre, POST))
    assert any(
        f.startswith("[authoring] a0: the key is the longest option in 2 of 3") for f in found
    )
    assert not any(f.startswith("[authoring] a9:") for f in found)


def test_a_key_much_longer_than_its_distractors_fails(tmp_path: Path, repo_root: Path) -> None:
    long_key = "Check it against records, earlier reports and what partner agencies hold"
    pre = [*PRE[:2], ("q3", PRE[2][1], [long_key, *PRE[2][2][1:]], long_key)]
    found = authoring(make_course(tmp_path, repo_root, pre, POST))
    assert any("pre: pre.q3: the key is" in f and "median length" in f for f in found)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("All of the above", "refers to the other options"),
        ("none of the options", "refers to the other options"),
        ("raid the FARM  at dawn today.", "are the same"),
    ],
)
def test_options_that_refer_to_others_or_repeat_fail(
    tmp_path: Path, repo_root: Path, option: str, message: str
) -> None:
    pre = [*PRE[:2], ("q3", PRE[2][1], [*PRE[2][2], option], PRE[2][3])]
    found = authoring(make_course(tmp_path, repo_root, pre, POST))
    assert any(f.startswith("[authoring] pre: pre.q3: option") and message in f for f in found), (
        found
    )


def test_a_pair_that_repeats_its_stem_key_or_options_fails(tmp_path: Path, repo_root: Path) -> None:
    post = [
        (
            "q1",
            PRE[0][1],
            ["Purpose and the act", "Means and the act", "Travel abroad"],
            "Purpose and the act",
        ),
        (
            "q2",
            POST[1][1],
            ["The manager", "Each one, apart", "The man with her"],
            "Each one, apart",
        ),
        ("q3", POST[2][1], list(reversed(PRE[2][2])), "Check it against records"),
    ]
    found = authoring(make_course(tmp_path, repo_root, PRE, post))
    assert "[authoring] pair pre/q1 / post/q1: both forms have the same stem" in " ".join(found)
    assert any("pair pre/q2 / post/q2: both forms have the same key text" in f for f in found)
    assert any(
        "pair pre/q3 / post/q3: both forms have the same key text and the same options" in f
        for f in found
    )


def test_unpaired_items_and_pairs_across_competencies_fail(tmp_path: Path, repo_root: Path) -> None:
    competencies = [
        {
            "id": "offences",
            "statement": "A.",
            "module": "a0",
            "topic": 1,
            "items": ["pre/q1", "pre/q2", "pre/q3", "post/q2", "post/q3"],
        },
        {
            "id": "identification",
            "statement": "B.",
            "module": "a0",
            "topic": 1,
            "items": ["post/q1"],
        },
    ]
    pairs = [{"pre": "pre/q1", "post": "post/q1"}, {"pre": "post/q2", "post": "pre/q2"}]
    root = make_course(tmp_path, repo_root, PRE, POST, competencies=competencies, pairs=pairs)
    found = authoring(root)
    assert "[authoring] pre/q3: pretest item is in no pair" in " ".join(found)
    assert any(f.startswith("[authoring] post/q3: posttest item is in no pair") for f in found)
    assert any(
        "pair pre/q1 / post/q1: the two items assess different competencies" in f for f in found
    )
    assert any("pair post/q2 / pre/q2: post/q2 is not a pretest item" in f for f in found)


def test_a_competency_with_only_analyst_items_fails(tmp_path: Path, repo_root: Path) -> None:
    items = [f"{s}/q{i}" for s in ("pre", "post") for i in (1, 2, 3)]
    competencies = [
        {
            "id": "offences",
            "statement": "A.",
            "module": "a0",
            "topic": 1,
            "items": items,
            "analyst": items,
        }
    ]
    found = authoring(make_course(tmp_path, repo_root, PRE, POST, competencies=competencies))
    assert found == [
        "[authoring] offences: no graded item of this competency is on the core track, so officers "
        "who do not write pandas cannot master it: add a widget item or take one off its analyst list"
    ]
    competencies[0]["analyst"] = items[1:]  # one core item is enough
    shutil.rmtree(tmp_path / "course")
    shutil.rmtree(tmp_path / "source")
    assert authoring(make_course(tmp_path, repo_root, PRE, POST, competencies=competencies)) == []


def test_the_repository_course_passes_the_authoring_checks(repo_root: Path) -> None:
    findings = validate_course(repo_root, checks=["authoring"]).findings
    assert [str(f) for f in findings] == []


def test_role_play_scenes_count_as_single_choice_items(tmp_path: Path, repo_root: Path) -> None:
    """A role-play scene with one best choice is checked like a choice: here both scenes' keys
    are the longest button, and one is far longer than the other buttons."""
    root = make_course(tmp_path, repo_root, PRE, POST)
    path = root / "source" / "a0" / "pre.ipynb"
    nb = nbformat.read(path, as_version=4)
    long_key = "Offer water, introduce yourself and ask the companion to wait outside the room"
    scenes = {
        "door": {
            "text": "A knock.",
            "choices": {long_key: "desk", "Shout": "desk", "Leave": "desk"},
        },
        "desk": {
            "text": "At the desk.",
            "choices": {
                "Ask her apart from him": "end",
                "Ask him what happened": "end",
                "Ask the two of them": "end",
            },
        },
        "end": {"text": "The end."},
    }
    scores = {
        "door": {long_key: 1, "Shout": 0, "Leave": 0},
        "desk": {"Ask her apart from him": 1, "Ask him what happened": 0, "Ask the two of them": 0},
    }
    nb.cells[0].source = "from toolkit.exercises import Choice, RolePlay"
    nb.cells.append(_cell(f"RolePlay('pre.rp', 'Meet her', {scenes!r})", "rp_w", grade=False))
    test = (
        "### BEGIN HIDDEN TESTS\nfrom toolkit.exercises import grade_roleplay\n"
        f"grade_roleplay('pre.rp', scores={scores!r}, points=1)\n### END HIDDEN TESTS"
    )
    nb.cells.append(_cell(test, "rp", grade=True))
    nbformat.write(nb, path)
    found = authoring(root)
    assert any("pre: pre.rp:door: the key is" in f and "median length" in f for f in found), found
    assert not any("pre.rp:desk: the key is" in f for f in found)
    assert any(
        f.startswith("[authoring] a0: the key is the longest option in 2 of 5") for f in found
    ), found
