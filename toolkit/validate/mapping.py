"""Checks of the curriculum map against the graded items of the source notebooks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from toolkit.course.curriculum import CURRICULUM_FILE, UNGRADED_ROLES, Curriculum
from toolkit.settings import MIN_ITEMS_PER_COMPETENCY
from toolkit.validate.findings import Finding


def graded_items(notebooks: dict[str, Any]) -> list[str]:
    """``notebook/grade_id`` of every grade cell (code or markdown) of the given notebooks."""
    items = []
    for stem, nb in notebooks.items():
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade"):
                items.append(f"{stem}/{meta.get('grade_id')}")
    return items


def check_map(
    curriculum: Curriculum,
    assignments: dict[str, dict[str, Any]],
    *,
    min_items: int = MIN_ITEMS_PER_COMPETENCY,
) -> list[Finding]:
    """Every graded item mapped and every mapped item real; every competency assessed by at least
    ``min_items`` items; every framework topic covered; assignments listed with a role; the pre- and
    post-test each cover every competency. ``assignments`` maps assignment -> {stem: notebook}."""
    out: list[Finding] = []
    where = str(CURRICULUM_FILE)
    roles = curriculum.roles()
    for a in sorted(set(assignments) - set(roles)):
        out.append(Finding("map", a, f"add {a} under 'assignments' in {where} with its role"))
    for a in sorted(set(roles) - set(assignments)):
        out.append(
            Finding("map", a, f"{a} is listed in {where} but has no folder in source/: remove it")
        )

    stems = Counter(stem for nbs in assignments.values() for stem in nbs)
    for stem, n in sorted(stems.items()):
        if n > 1:
            out.append(
                Finding(
                    "map",
                    stem,
                    f"{n} assignments have a notebook {stem}.ipynb: rename all but one (items are named notebook/grade_id)",
                )
            )

    notebook_of = {stem: a for a, nbs in assignments.items() for stem in nbs}
    graded = {item for nbs in assignments.values() for item in graded_items(nbs)}
    mapped = curriculum.item_competencies()
    for item in sorted(graded - set(mapped)):
        role = roles.get(notebook_of.get(item.split("/")[0], ""), "")
        if role in UNGRADED_ROLES:
            out.append(Finding("map", item, "a survey is not graded: remove the grade cell"))
        else:
            out.append(
                Finding(
                    "map",
                    item,
                    f"graded item is not mapped: add it under a competency's items in {where}",
                )
            )
    for item in sorted(set(mapped) - graded):
        out.append(
            Finding(
                "map",
                item,
                f"mapped item has no grade cell in source/: fix or remove it in {where}",
            )
        )

    by_comp = {
        c: [i for i in items if i in graded] for c, items in curriculum.competency_items().items()
    }
    for comp, items in by_comp.items():
        if len(items) < min_items:
            out.append(
                Finding(
                    "map",
                    comp,
                    f"competency is assessed by {len(items)} graded item(s): map at least {min_items}",
                )
            )

    topic_of = dict(
        zip(curriculum.competencies["competency"], curriculum.competencies["topic"], strict=True)
    )
    covered = {int(topic_of[c]) for c, items in by_comp.items() if items}
    for topic, name in curriculum.topics.itertuples(index=False):
        if int(topic) not in covered:
            out.append(
                Finding(
                    "map",
                    f"topic {topic}",
                    f"framework topic '{name}' is not covered: add a competency with graded items for it",
                )
            )

    for role, assignment in sorted(curriculum.learning_gain.items()):
        stems_here = set(assignments.get(assignment, {}))
        comps_here = {
            c for c, items in by_comp.items() if any(i.split("/")[0] in stems_here for i in items)
        }
        for comp in sorted(set(by_comp) - comps_here):
            out.append(
                Finding(
                    "map",
                    assignment,
                    f"the {role} has no item for competency {comp}: add one so that learning gain covers it",
                )
            )
    return out


def read_assignments(source: Path) -> dict[str, dict[str, Any]]:
    """assignment -> {notebook stem: NotebookNode} for every folder of ``source``."""
    from toolkit.exercises.keys import read_notebook

    out: dict[str, dict[str, Any]] = {}
    for folder in sorted(p for p in source.iterdir() if p.is_dir() and not p.name.startswith(".")):
        out[folder.name] = {p.stem: read_notebook(p) for p in sorted(folder.glob("*.ipynb"))}
    return out
