"""Authoring checks of the options an item offers: cues that let a test-wise trainee find the key
without knowing the answer.

- In an assignment, the key is the strictly longest option in more than
  :data:`~toolkit.settings.AUTHORING_LONGEST_KEY_SHARE` of its single-choice items.
- A key more than :data:`~toolkit.settings.AUTHORING_KEY_LENGTH_RATIO` times the median length of
  its distractors.
- "All of the above" or "none of the above" as an option (meaningless once options are shuffled,
  and a cue either way).
- Two options that are the same text up to case, spaces and punctuation.

A single-choice item is a choice widget graded with exactly one accepted option, or a role-play
scene offering several choices of which exactly one earns the scene's best score (each such scene
counts as one item, named ``<exercise>:<scene id>``).
"""

from __future__ import annotations

import re
import statistics
from typing import Any

from toolkit.exercises.keys import AnswerKey, ExerciseSpec, keyed_exercises
from toolkit.settings import AUTHORING_KEY_LENGTH_RATIO, AUTHORING_LONGEST_KEY_SHARE
from toolkit.validate.findings import Finding

CHECK = "authoring"
_ABOVE = re.compile(r"\b(all|none|both|neither)\s+of\s+the\s+(above|options|answers)\b", re.I)
_NOT_WORD = re.compile(r"[\W_]+")


def normalised(text: str) -> str:
    """``text`` compared as an author means it: case, spaces and punctuation ignored."""
    return _NOT_WORD.sub(" ", text.casefold()).strip()


def single_key(spec: ExerciseSpec, key: AnswerKey) -> str | None:
    """The one accepted option of a single-choice item, else None."""
    correct = key.correct
    if spec.kind != "choice":
        return None
    if isinstance(correct, list | tuple) and len(correct) == 1:
        correct = correct[0]
    return correct if isinstance(correct, str) and correct in spec.options else None


def single_choice_items(spec: ExerciseSpec, key: AnswerKey) -> list[tuple[str, list[str], str]]:
    """``(name, options, key)`` of every single-choice item of a widget: a choice with one
    accepted option, or each role-play scene whose key has exactly one best-scoring choice."""
    answer = single_key(spec, key)
    if answer is not None:
        return [(spec.exercise, [str(o) for o in spec.options], answer)]
    scenes, scores = spec.args.get("scenes"), key.correct
    if spec.kind != "roleplay" or not isinstance(scenes, dict) or not isinstance(scores, dict):
        return []
    items = []
    for sid, marks in scores.items():
        choices = list((scenes.get(sid) or {}).get("choices") or {})
        if len(choices) < 2 or not isinstance(marks, dict) or not marks:
            continue
        best = [c for c, m in marks.items() if m == max(marks.values()) and c in choices]
        if len(best) == 1:
            items.append((f"{spec.exercise}:{sid}", [str(c) for c in choices], str(best[0])))
    return items


def key_is_longest(options: list[str], key: str) -> bool:
    """Whether ``key`` is strictly longer than every other option."""
    return all(len(key) > len(o) for o in options if o != key)


def key_length_ratio(options: list[str], key: str) -> float:
    """The key's length over the median length of the distractors."""
    others = [len(o) for o in options if o != key]
    median = statistics.median(others) if others else 0
    return len(key) / median if median else float("inf")


def option_lists(spec: ExerciseSpec) -> list[list[str]]:
    """The lists of texts a widget offers (options, a matching's two columns, an ordering's
    steps, each role-play scene's choices)."""
    lists = [spec.args.get(name) for name in ("options", "left", "right", "items")]
    scenes = spec.args.get("scenes")
    if isinstance(scenes, dict):
        lists += [(s or {}).get("choices") for s in scenes.values() if isinstance(s, dict)]
    return [[str(o) for o in x] for x in lists if isinstance(x, list | tuple | dict)]


def check_option_cues(
    assignment: str,
    notebooks: dict[str, Any],
    *,
    longest_share: float = AUTHORING_LONGEST_KEY_SHARE,
    length_ratio: float = AUTHORING_KEY_LENGTH_RATIO,
) -> list[Finding]:
    """The authoring findings of one assignment (``notebooks``: stem -> notebook)."""
    out: list[Finding] = []
    longest: list[str] = []
    single = 0
    for stem, nb in notebooks.items():
        keyed, unkeyed = keyed_exercises(nb)
        for spec, key in keyed:
            for name, options, answer in single_choice_items(spec, key):
                single += 1
                if key_is_longest(options, answer):
                    longest.append(name)
                ratio = key_length_ratio(options, answer)
                if ratio <= length_ratio:
                    continue
                out.append(
                    Finding(
                        CHECK,
                        f"{stem}: {name}",
                        f"the key is {ratio:.1f} times the median length of the distractors "
                        f"(at most {length_ratio:g}): shorten it or give the distractors the "
                        "same detail",
                    )
                )
        for spec in [s for s, _ in keyed] + unkeyed:
            for options in option_lists(spec):
                out += _option_text_findings(f"{stem}: {spec.exercise}", options)
    if single and len(longest) > longest_share * single:
        out.append(
            Finding(
                CHECK,
                assignment,
                f"the key is the longest option in {len(longest)} of {single} single-choice items "
                f"(at most {longest_share:.0%}; {', '.join(sorted(longest)[:5])}"
                f"{', ...' if len(longest) > 5 else ''}): vary which option is longest",
            )
        )
    return out


def _option_text_findings(where: str, options: list[str]) -> list[Finding]:
    out = []
    for option in options:
        if _ABOVE.search(option):
            out.append(
                Finding(
                    CHECK,
                    where,
                    f"option {option[:40]!r} refers to the other options, which are shown "
                    "shuffled: write a self-contained option",
                )
            )
    seen: dict[str, str] = {}
    for option in options:
        same = seen.get(normalised(option))
        seen.setdefault(normalised(option), option)
        if same is not None:
            out.append(
                Finding(
                    CHECK,
                    where,
                    f"options {same[:40]!r} and {option[:40]!r} are the same: make every option "
                    "different",
                )
            )
    return out


__all__ = ["check_option_cues", "key_is_longest", "key_length_ratio", "normalised"]
