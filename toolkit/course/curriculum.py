"""The curriculum map: competencies, the framework topics they belong to, and the items assessing them.

``course/curriculum.yaml`` is the single source of truth. :func:`load_curriculum` reads and checks it
and returns a :class:`Curriculum`, the one type that ``cttk validate``, the analyses
(:mod:`toolkit.analysis`) and the reports take:

- ``competencies``: columns ``competency, statement, module, topic`` (one row per competency;
  ``topic`` is the id of a row of ``topics``);
- ``items``: columns ``item, competency`` (one row per pair; ``item`` is ``notebook/grade_id``,
  the notebook's file name without ``.ipynb``); an item may assess several competencies;
- ``topics``: columns ``topic, name`` (the framework's topics, every one to be covered);
- ``assignments``: columns ``assignment, role, title`` (role: pretest, module, posttest, survey
  or followup);
- ``mastery_threshold``: share of a competency's points at or above which it is mastered
  (``docs/statistics.md#mastery``);
- ``tracks``: track -> the roster roles on it (``tracks: {analyst: [analyst], core: [...]}``);
  a role listed under no track is on :data:`~toolkit.settings.DEFAULT_TRACK`;
- ``analyst_items``: columns ``item, competency``: the links listed under a competency's optional
  ``analyst:`` key (a subset of its ``items``: the exercises that need pandas). The *core* track
  is every link but these; the *analyst* track is every link;
- ``pairs``: columns ``pre, post``: the parallel pre- and post-test items (``pairs:`` list of
  ``{pre: notebook/grade_id, post: notebook/grade_id}``). ``cttk validate`` checks that every
  pre- and post-test item is in a pair and that each pair is parallel.

Public names: :data:`CURRICULUM_FILE`, :data:`ROLES`, :data:`TRACKS`, :class:`Curriculum`,
:func:`load_curriculum`, :func:`parse_curriculum`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from toolkit.errors import CourseError
from toolkit.settings import DEFAULT_TRACK, MASTERY_THRESHOLD

#: Where the map lives, relative to the course root.
CURRICULUM_FILE = Path("course") / "curriculum.yaml"
#: What an assignment is for.
ROLES = ("pretest", "module", "posttest", "survey", "followup")
#: Roles of assignments that hold questions and no graded item.
UNGRADED_ROLES = ("survey", "followup")
#: The tracks a trainee can be on: ``core`` (the widgets' knowledge and judgement items) and
#: ``analyst`` (those and the pandas exercises).
TRACKS = ("core", "analyst")

_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_ITEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Curriculum:
    """The loaded curriculum map (see the module docstring for the frames' columns)."""

    competencies: pd.DataFrame
    items: pd.DataFrame
    topics: pd.DataFrame
    assignments: pd.DataFrame
    mastery_threshold: float = MASTERY_THRESHOLD
    learning_gain: dict[str, str] = field(default_factory=dict)
    tracks: dict[str, list[str]] = field(default_factory=dict)
    analyst_items: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["item", "competency"])
    )
    pairs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["pre", "post"]))

    def track_of_role(self, role: object) -> str:
        """The track of a roster role (case and spaces ignored); unlisted roles are on
        :data:`~toolkit.settings.DEFAULT_TRACK`."""
        wanted = str(role).strip().casefold() if isinstance(role, str) else ""
        for track, roles in self.tracks.items():
            if wanted in {r.strip().casefold() for r in roles}:
                return track
        return DEFAULT_TRACK

    def track_links(self, track: str) -> pd.DataFrame:
        """The ``item, competency`` links that count on ``track``: every link on the analyst
        track, every link but the analyst ones on the core track."""
        if track not in TRACKS:
            raise CourseError(f"unknown track {track!r}", hint=f"use one of {', '.join(TRACKS)}")
        if track == "analyst" or self.analyst_items.empty:
            return self.items.reset_index(drop=True)
        analyst = set(self.analyst_items.itertuples(index=False, name=None))
        keep = [pair not in analyst for pair in self.items.itertuples(index=False, name=None)]
        return self.items[keep].reset_index(drop=True)

    def item_competencies(self) -> dict[str, list[str]]:
        """``notebook/grade_id`` -> the competencies it assesses, in map order."""
        out: dict[str, list[str]] = {}
        for item, comp in self.items.itertuples(index=False):
            out.setdefault(str(item), []).append(str(comp))
        return out

    def competency_items(self, track: str | None = None) -> dict[str, list[str]]:
        """competency -> the items assessing it (an empty list when none do), counting only
        the items of ``track`` when one is given."""
        links = self.items if track is None else self.track_links(track)
        out: dict[str, list[str]] = {str(c): [] for c in self.competencies["competency"]}
        for item, comp in links.itertuples(index=False):
            out[str(comp)].append(str(item))
        return out

    def roles(self) -> dict[str, str]:
        """assignment -> role."""
        return dict(zip(self.assignments["assignment"], self.assignments["role"], strict=True))

    def resolve(self, items: pd.DataFrame, track: str | None = None) -> pd.DataFrame:
        """The map's links matched to the gradebook's item table: ``assignment, item, competency``
        (only the links of ``track`` when one is given).

        A key of the map matches a gradebook item by ``item`` (``notebook/grade_id``),
        ``assignment/item``, or a ``grade_id`` that only one item has; keys matching nothing are
        left out (:meth:`unmatched` lists them).
        """
        links = self.items if track is None else self.track_links(track)
        exact: dict[str, tuple[str, str]] = {}
        by_grade_id: dict[str, list[tuple[str, str]]] = {}
        for row in items.itertuples(index=False):
            pair = (str(row.assignment), str(row.item))
            exact[str(row.item)] = pair
            exact[f"{row.assignment}/{row.item}"] = pair
            by_grade_id.setdefault(str(row.grade_id), []).append(pair)
        out = []
        for key, competency in links.itertuples(index=False):
            target = exact.get(str(key))
            if target is None and len(by_grade_id.get(str(key), [])) == 1:
                target = by_grade_id[str(key)][0]
            if target is not None:
                out.append((*target, str(competency)))
        return pd.DataFrame(out, columns=["assignment", "item", "competency"]).drop_duplicates()

    def unmatched(self, items: pd.DataFrame) -> list[str]:
        """Keys of the map that name no item of the gradebook's item table."""
        known = set(items["item"]) | set(items["assignment"] + "/" + items["item"])
        known |= set(items["grade_id"])
        return sorted(set(self.items["item"].astype(str)) - known)


def _fail(message: str, path: Path | None) -> CourseError:
    return CourseError(message, hint=f"correct {CURRICULUM_FILE} and try again", path=path)


def _list(doc: dict[str, Any], name: str, path: Path | None) -> list[dict[str, Any]]:
    value = doc.get(name)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _fail(f"'{name}' must be a list of mappings", path)
    return value


def _unique(values: list[Any], what: str, path: Path | None) -> None:
    seen = set()
    for v in values:
        if v in seen:
            raise _fail(f"{what} {v!r} appears twice", path)
        seen.add(v)


def _tracks(doc: dict[str, Any], path: Path | None) -> dict[str, list[str]]:
    tracks = doc.get("tracks", {}) or {}
    if not isinstance(tracks, dict):
        raise _fail("'tracks' must map a track name to a list of roster roles", path)
    out: dict[str, list[str]] = {}
    for track, roles in tracks.items():
        if track not in TRACKS:
            raise _fail(f"track {track!r} is not one of {', '.join(TRACKS)}", path)
        if not isinstance(roles, list) or not all(isinstance(r, str) and r.strip() for r in roles):
            raise _fail(f"track {track}: give its roster roles as a list of texts", path)
        out[str(track)] = [r.strip() for r in roles]
    _unique([r.casefold() for roles in out.values() for r in roles], "roster role", path)
    return out


def _pairs(doc: dict[str, Any], path: Path | None) -> pd.DataFrame:
    pairs = doc.get("pairs", []) or []
    if not isinstance(pairs, list):
        raise _fail("'pairs' must be a list of {pre: item, post: item}", path)
    rows = []
    for pair in pairs:
        if (
            not isinstance(pair, dict)
            or set(pair) != {"pre", "post"}
            or not all(isinstance(v, str) and _ITEM.match(v) for v in pair.values())
        ):
            raise _fail(
                f"pair {pair!r} needs exactly 'pre' and 'post', each notebook/grade_id", path
            )
        rows.append((pair["pre"], pair["post"]))
    _unique([item for row in rows for item in row], "paired item", path)
    return pd.DataFrame(rows, columns=["pre", "post"])


def parse_curriculum(doc: Any, path: Path | None = None) -> Curriculum:
    """Check a parsed curriculum document and build the :class:`Curriculum` frames.

    Raises:
        CourseError: a required field is missing or malformed, an id repeats, or a competency names
            a topic or module that the map does not define.
    """
    if not isinstance(doc, dict):
        raise _fail("the curriculum must be a YAML mapping", path)
    threshold = doc.get("mastery_threshold", MASTERY_THRESHOLD)
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not 0 < threshold <= 1
    ):
        raise _fail("mastery_threshold must be a number above 0 and at most 1", path)

    topics = _list(doc, "topics", path)
    for t in topics:
        if not isinstance(t.get("id"), int) or not isinstance(t.get("name"), str):
            raise _fail(f"topic {t!r} needs an integer 'id' and a 'name'", path)
    _unique([t["id"] for t in topics], "topic", path)

    assignments = _list(doc, "assignments", path)
    for a in assignments:
        if not isinstance(a.get("id"), str) or a.get("role") not in ROLES:
            raise _fail(
                f"assignment {a!r} needs an 'id' and a 'role' out of {', '.join(ROLES)}", path
            )
    _unique([a["id"] for a in assignments], "assignment", path)
    known_assignments = {a["id"] for a in assignments}

    comps = _list(doc, "competencies", path)
    rows, pairs, analyst_links = [], [], []
    for c in comps:
        cid = c.get("id")
        if not isinstance(cid, str) or not _ID.match(cid):
            raise _fail(f"competency id {cid!r} must be lower-case letters, digits or '_'", path)
        for key in ("statement", "module"):
            if not isinstance(c.get(key), str) or not c[key].strip():
                raise _fail(f"competency {cid} needs a '{key}'", path)
        if c.get("topic") not in {t["id"] for t in topics}:
            raise _fail(
                f"competency {cid} names topic {c.get('topic')!r}, which is not listed", path
            )
        if c["module"] not in known_assignments:
            raise _fail(f"competency {cid} names module {c['module']!r}, not an assignment", path)
        items = c.get("items", [])
        if not isinstance(items, list) or not all(
            isinstance(i, str) and _ITEM.match(i) for i in items
        ):
            raise _fail(f"competency {cid}: items must be a list of 'notebook/grade_id'", path)
        _unique(items, f"competency {cid}: item", path)
        analyst = c.get("analyst", []) or []
        if not isinstance(analyst, list) or not all(isinstance(i, str) for i in analyst):
            raise _fail(f"competency {cid}: analyst must be a list of 'notebook/grade_id'", path)
        _unique(analyst, f"competency {cid}: analyst item", path)
        for i in analyst:
            if i not in items:
                raise _fail(f"competency {cid}: analyst item {i!r} is not one of its items", path)
        rows.append((cid, c["statement"].strip(), c["module"], int(c["topic"])))
        pairs += [(i, cid) for i in items]
        analyst_links += [(i, cid) for i in analyst]
    _unique([r[0] for r in rows], "competency", path)

    gain = doc.get("learning_gain", {}) or {}
    if not isinstance(gain, dict) or not set(gain.values()) <= known_assignments:
        raise _fail("learning_gain must map pretest/posttest to listed assignments", path)

    return Curriculum(
        tracks=_tracks(doc, path),
        analyst_items=pd.DataFrame(analyst_links, columns=["item", "competency"]),
        pairs=_pairs(doc, path),
        competencies=pd.DataFrame(rows, columns=["competency", "statement", "module", "topic"]),
        items=pd.DataFrame(pairs, columns=["item", "competency"]),
        topics=pd.DataFrame([(t["id"], t["name"]) for t in topics], columns=["topic", "name"]),
        assignments=pd.DataFrame(
            [(a["id"], a["role"], str(a.get("title", a["id"]))) for a in assignments],
            columns=["assignment", "role", "title"],
        ),
        mastery_threshold=float(threshold),
        learning_gain={str(k): str(v) for k, v in gain.items()},
    )


def load_curriculum(root: str | Path = ".") -> Curriculum:
    """Load and check ``course/curriculum.yaml`` of the course at ``root``.

    Raises:
        CourseError: the file is missing, is not YAML, or fails :func:`parse_curriculum`'s checks.
    """
    path = Path(root) / CURRICULUM_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CourseError(
            "the course has no curriculum map",
            hint=f"write {CURRICULUM_FILE} (see course/README.md)",
            path=path,
        ) from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _fail(f"the curriculum is not valid YAML: {exc}".splitlines()[0], path) from None
    return parse_curriculum(doc, path)


__all__ = [
    "CURRICULUM_FILE",
    "ROLES",
    "TRACKS",
    "UNGRADED_ROLES",
    "Curriculum",
    "load_curriculum",
    "parse_curriculum",
]
