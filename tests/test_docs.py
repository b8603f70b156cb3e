"""The repository's docs hold together: every link between them, and every statistic the reports
cite, lands on a heading that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.reports.summary import STATISTICS, STATISTICS_DOC, cite

LINK = re.compile(r"\]\(([^)\s]+)\)")


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a markdown file."""
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"#{1,6} (.+)", line)
        if match:
            slug = re.sub(r"[^\w\- ]", "", match.group(1).strip().lower()).replace(" ", "-")
            out.add(slug)
    return out


def _docs(repo: Path) -> list[Path]:
    return [repo / "README.md", *sorted((repo / "docs").glob("*.md"))]


def test_every_cited_statistic_has_a_heading(repo_root: Path) -> None:
    anchors = _anchors(repo_root / STATISTICS_DOC)
    missing = [name for name in STATISTICS if cite(name).split("#", 1)[1] not in anchors]
    assert not missing


def test_a_statistic_without_a_heading_cannot_be_cited() -> None:
    with pytest.raises(ValueError):
        cite("not_a_statistic")


def test_links_between_docs_resolve(repo_root: Path) -> None:
    broken = []
    for doc in _docs(repo_root):
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):  # http:, mailto:
                continue
            file, _, anchor = target.partition("#")
            dest = (doc.parent / file).resolve() if file else doc
            unknown_anchor = anchor and dest.suffix == ".md" and anchor not in _anchors(dest)
            if not dest.exists() or unknown_anchor:
                broken.append(f"{doc.name}: {target}")
    assert not broken
