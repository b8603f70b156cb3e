"""The curriculum map as the analysis sees it: competencies and the items that assess them.

Whoever reads ``course/curriculum.yaml`` hands the analysis a mapping {item -> [competency ids]} and
a competency table; :meth:`CurriculumMap.from_mapping` is that small interface.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from toolkit.settings import MASTERY_THRESHOLD

COMPETENCY_COLUMNS = ["competency", "statement", "module", "topic"]


@dataclass(frozen=True)
class CurriculumMap:
    """Competencies (competency, statement, module, topic), item links (item, competency), the
    mastery threshold, and the framework's topics (for coverage; default: the competencies')."""

    competencies: pd.DataFrame
    links: pd.DataFrame
    threshold: float = MASTERY_THRESHOLD
    topics: tuple[str, ...] = field(default=())

    @classmethod
    def from_mapping(
        cls,
        item_competencies: Mapping[str, Sequence[str]],
        competencies: pd.DataFrame | Iterable[Mapping[str, Any]],
        *,
        threshold: float = MASTERY_THRESHOLD,
        topics: Iterable[str] = (),
    ) -> CurriculumMap:
        """Build the map from {item -> [competency ids]} and a competency table.

        Items are named as in the gradebook frames (``notebook/grade_id``); a bare ``grade_id`` or
        ``assignment/notebook/grade_id`` is resolved later by :meth:`resolve`.
        """
        table = pd.DataFrame(competencies).copy()
        if "id" in table.columns and "competency" not in table.columns:
            table = table.rename(columns={"id": "competency"})
        for column in COMPETENCY_COLUMNS:
            if column not in table.columns:
                table[column] = ""
        table = table[COMPETENCY_COLUMNS].astype(str).drop_duplicates("competency")
        links = pd.DataFrame(
            [(str(item), str(c)) for item, comps in item_competencies.items() for c in comps],
            columns=["item", "competency"],
        ).drop_duplicates()
        if not 0 < threshold <= 1:
            raise ValueError(f"mastery threshold {threshold} is not in (0, 1]")
        all_topics = tuple(dict.fromkeys([*topics, *table["topic"][table["topic"] != ""]]))
        return cls(
            competencies=table.reset_index(drop=True),
            links=links.reset_index(drop=True),
            threshold=float(threshold),
            topics=all_topics,
        )

    def resolve(self, items: pd.DataFrame) -> pd.DataFrame:
        """Link rows matched to gradebook items: assignment, item, competency.

        A key matches an item by ``item``, ``assignment/item`` or a ``grade_id`` that is unique.
        """
        exact: dict[str, tuple[str, str]] = {}
        by_grade_id: dict[str, list[tuple[str, str]]] = {}
        for row in items.itertuples(index=False):
            pair = (str(row.assignment), str(row.item))
            exact[str(row.item)] = pair
            exact[f"{row.assignment}/{row.item}"] = pair
            by_grade_id.setdefault(str(row.grade_id), []).append(pair)
        out = []
        for link in self.links.itertuples(index=False):
            target: tuple[str, str] | None = exact.get(link.item)
            if target is None and len(by_grade_id.get(link.item, [])) == 1:
                target = by_grade_id[link.item][0]
            if target is not None:
                out.append((*target, link.competency))
        return pd.DataFrame(out, columns=["assignment", "item", "competency"]).drop_duplicates()

    def unmatched(self, items: pd.DataFrame) -> list[str]:
        """Keys of the map that name no gradebook item."""
        known = set(items["item"]) | set(items["assignment"] + "/" + items["item"])
        known |= set(items["grade_id"])
        return sorted(set(self.links["item"]) - known)
