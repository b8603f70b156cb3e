"""What course notebooks import: ``toolkit.exercises`` offers every kind's widget and grader and
``total``, cheaply; graders, the response frames and validate never load ipywidgets."""

from __future__ import annotations

import subprocess
import sys

import pytest

import toolkit.exercises
from toolkit.exercises.grading import total
from toolkit.exercises.registry import KINDS

PUBLIC = [
    "Checklist",
    "Choice",
    "Exercise",
    "Matching",
    "Ordering",
    "RolePlay",
    "Text",
    "grade_checklist",
    "grade_choice",
    "grade_matching",
    "grade_ordering",
    "grade_roleplay",
    "grade_text",
    "total",
]


def test_the_public_names_are_pinned() -> None:
    assert sorted(toolkit.exercises.__all__) == PUBLIC
    names = {k.widget_name for k in KINDS.values()} | {k.grader_name for k in KINDS.values()}
    assert names | {"Exercise", "total"} == set(PUBLIC)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_name_is_its_kinds_widget_and_grader(kind: str) -> None:
    definition = KINDS[kind]
    widget = getattr(toolkit.exercises, definition.widget_name)
    assert widget is definition.widget_class()
    assert widget.kind == kind and issubclass(widget, toolkit.exercises.Exercise)
    assert widget.__qualname__ == definition.widget_name
    assert getattr(toolkit.exercises, definition.grader_name) is definition.grader
    assert toolkit.exercises.total is total


def test_nothing_is_cached_in_the_package_namespace() -> None:
    """The integrity probe fingerprints the package: names resolved later must not appear in it."""
    before = {k for k, v in vars(toolkit.exercises).items() if callable(v)}
    for name in PUBLIC:
        getattr(toolkit.exercises, name)
    assert {k for k, v in vars(toolkit.exercises).items() if callable(v)} == before


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="grade_essay"):
        toolkit.exercises.grade_essay  # noqa: B018


def test_grading_and_analysis_do_not_load_ipywidgets() -> None:
    code = (
        "import sys\n"
        "from toolkit.exercises import grade_roleplay, total\n"
        "import toolkit.data.responses, toolkit.validate.widgets, toolkit.autograde.verify\n"
        "import toolkit.demo.submission\n"
        "assert 'ipywidgets' not in sys.modules, 'ipywidgets was imported'\n"
        "from toolkit.exercises import Choice\n"
        "assert 'ipywidgets' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
