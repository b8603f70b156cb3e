"""Widget responses as data: every trainee's saved answers in one tidy frame.

:func:`load_responses` reads ``<course>/autograded/<trainee>/<assignment>/cttk_responses.json``
(or the ``submitted`` copies) and the answer keys written in the hidden tests of
``<course>/source/<assignment>/*.ipynb`` (read with :mod:`toolkit.exercises.keys`, never executed), and
returns one row per chosen option. Columns, in this order:

=============  ===========  ==================================================================
column         dtype        meaning
=============  ===========  ==================================================================
trainee        string       trainee id (the folder name)
assignment     string       assignment id
exercise       string       exercise id, e.g. ``legal.s1.type``
kind           string       the exercise kind: ``choice``, ``checklist``, ``matching``,
                            ``ordering``, ``roleplay`` (or any registered kind)
option         string       what was chosen (see below); ``<NA>`` for an empty checklist
correct        boolean      whether this option is right by the key; ``<NA>`` when no key is known
score          Float64      the exercise's score by the key (as the grading helper gives it),
                            repeated on each row of the exercise; ``<NA>`` when no key is known
position       Int64        1-based step for ``ordering`` and ``roleplay``; ``<NA>`` otherwise
scene          string       the role-play scene of the decision; ``<NA>`` otherwise
points         Float64      the exercise's maximum points by the key; ``<NA>`` when no key
shown          Int64        1-based position the option was shown at to this trainee (a
                            shuffled ``choice`` or ``checklist``; ``<NA>`` otherwise), assuming
                            the trainee id is the hub user name the widget drew its order from
                            (:mod:`toolkit.exercises.shuffle`)
=============  ===========  ==================================================================

Each kind makes its own rows (its ``option_rows``; see the module of the kind in
:mod:`toolkit.exercises.kinds`): the chosen option (``choice``); one row per ticked option
(``checklist``; a checklist answered with nothing ticked gives one row with ``option`` ``<NA>``,
correct when the key says nothing applies); one row per pair ``"left->right"`` (``matching``;
unmatched items give no row); one row per position with the item placed there (``ordering``,
correct when the key has the same item at that position); one row per decision of the counted
attempt with the choice's label (``roleplay``, correct when it is a best-scoring choice of its
scene by the key).

Files that cannot be read and answers of the wrong shape give no rows; each is described in
``frame.attrs["problems"]`` (a list of one-line texts), so nothing is dropped silently. Scores are
always recomputed from the keys: scores or flags in a trainee's file are never trusted.

For distractor analysis, group by ``(assignment, exercise, option)`` and correlate the presence
of the option with the trainee's total score.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from toolkit.course.layout import Course
from toolkit.errors import CttkError
from toolkit.exercises.keys import AnswerKey, answer_keys, exercise_specs, read_notebook
from toolkit.exercises.kinds.base import Row
from toolkit.exercises.registry import get_kind
from toolkit.exercises.shuffle import shown_positions
from toolkit.exercises.store import read_store
from toolkit.settings import RESPONSE_FILENAME

#: The columns every consumer may rely on, in order.
COLUMNS: list[str] = ["trainee", "assignment", "exercise", "kind", "option", "correct", "score"]
#: Further columns, after :data:`COLUMNS`.
EXTRA_COLUMNS: list[str] = ["position", "scene", "points", "shown"]
DTYPES: dict[str, str] = {
    "trainee": "string",
    "assignment": "string",
    "exercise": "string",
    "kind": "string",
    "option": "string",
    "correct": "boolean",
    "score": "Float64",
    "position": "Int64",
    "scene": "string",
    "points": "Float64",
    "shown": "Int64",
}
#: Kinds whose options are shown shuffled and picked one per row.
SHUFFLED_KINDS = ("choice", "checklist")

Stage = Literal["autograded", "submitted"]


def course_keys(course: Course) -> dict[str, dict[str, AnswerKey]]:
    """Answer keys of every assignment: ``{assignment: {exercise id: AnswerKey}}``."""
    keys: dict[str, dict[str, AnswerKey]] = {}
    for assignment in course.assignments():
        found: dict[str, AnswerKey] = {}
        for path in course.notebooks(assignment):
            found.update({k.exercise: k for k in answer_keys(read_notebook(path))})
        keys[assignment] = found
    return keys


def course_options(course: Course) -> dict[str, dict[str, list[str]]]:
    """The written options of every shuffled choice and checklist: ``{assignment: {exercise id:
    options}}``."""
    out: dict[str, dict[str, list[str]]] = {}
    for assignment in course.assignments():
        found: dict[str, list[str]] = {}
        for path in course.notebooks(assignment):
            for spec in exercise_specs(read_notebook(path)):
                if spec.kind in SHUFFLED_KINDS and spec.args.get("shuffle", True) is not False:
                    found[spec.exercise] = [str(o) for o in spec.options]
        out[assignment] = found
    return out


def store_rows(
    trainee: str,
    assignment: str,
    store: Mapping[str, Any],
    keys: Mapping[str, AnswerKey],
    options: Mapping[str, list[str]] | None = None,
) -> tuple[list[Row], list[str]]:
    """Rows of one response store (already read and checked), and the problems found.
    ``options`` (exercise -> written options of a shuffled widget) gives the ``shown`` column."""
    rows: list[Row] = []
    problems: list[str] = []
    for exercise, record in sorted(store.get("exercises", {}).items()):
        where = f"{trainee}/{assignment}/{exercise}"
        kind = record.get("kind") if isinstance(record, dict) else None
        if not isinstance(kind, str):
            problems.append(f"{where}: saved answer has no kind")
            continue
        key = keys.get(exercise)
        if key is not None and key.kind != kind:
            problems.append(f"{where}: saved as {kind}, but the key is a {key.kind} key")
            continue
        known = key is not None and key.correct is not None
        try:
            option_rows, score = get_kind(kind).option_rows(
                record.get("value"), key if known else None
            )
        except (CttkError, TypeError, ValueError, KeyError, AttributeError) as exc:
            problems.append(f"{where}: {getattr(exc, 'message', exc.__class__.__name__)}")
            continue
        written = (options or {}).get(exercise)
        shown = shown_positions(written, exercise, trainee) if written else {}
        for row in option_rows:
            option = row.get("option")
            row = {**row, "shown": shown.get(option) if isinstance(option, str) else None}
            rows.append(
                {
                    "trainee": trainee,
                    "assignment": assignment,
                    "exercise": exercise,
                    "kind": kind,
                    "score": score,
                    "points": key.points if known and key is not None else None,
                    **row,
                }
            )
    return rows, problems


def _folders(parent: Path) -> Iterator[Path]:
    """Sub-folders of ``parent`` with usable names, sorted; symlinks are not followed."""
    if not parent.is_dir():
        return
    for child in sorted(parent.iterdir()):
        name = child.name
        if child.is_symlink() or not child.is_dir() or name.startswith("."):
            continue
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            continue
        if name.isprintable():
            yield child


def frame(rows: list[Row], problems: list[str] | None = None) -> pd.DataFrame:
    """The tidy response frame of ``rows`` with the documented columns and dtypes."""
    columns = COLUMNS + EXTRA_COLUMNS
    df = pd.DataFrame(rows, columns=columns)
    df = df.astype(DTYPES)
    df = df.sort_values(["trainee", "assignment", "exercise", "position"], kind="stable")
    df = df.reset_index(drop=True)
    df.attrs["problems"] = list(problems or [])
    return df


def load_responses(course_dir: str | Path, *, stage: Stage = "autograded") -> pd.DataFrame:
    """Every trainee's widget responses in the ``stage`` folder of the course, one row per chosen
    option, scored against the keys in ``source/`` (see the module docstring for the columns)."""
    if stage not in ("autograded", "submitted"):
        raise CttkError(f"unknown stage {stage!r}", hint="use 'autograded' or 'submitted'")
    course = Course.open(course_dir)
    keys = course_keys(course)
    options = course_options(course)
    rows: list[Row] = []
    problems: list[str] = []
    for trainee_dir in _folders(course.root / stage):
        for assignment_dir in _folders(trainee_dir):
            path = assignment_dir / RESPONSE_FILENAME
            where = f"{trainee_dir.name}/{assignment_dir.name}"
            if not path.exists():
                continue
            try:
                store = read_store(path)
            except CttkError as exc:
                problems.append(f"{where}: {exc.message}")
                continue
            found, trouble = store_rows(
                trainee_dir.name,
                assignment_dir.name,
                store,
                keys.get(assignment_dir.name, {}),
                options.get(assignment_dir.name, {}),
            )
            rows += found
            problems += trouble
    return frame(rows, problems)


__all__ = [
    "COLUMNS",
    "EXTRA_COLUMNS",
    "course_keys",
    "course_options",
    "frame",
    "load_responses",
    "store_rows",
]
