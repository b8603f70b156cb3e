"""`cttk report cohort` reads a PostgreSQL gradebook named by ``db_url`` in nbgrader_config.py and
reports exactly what it reports from the same gradebook in SQLite."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import test_postgres

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
pg_url = test_postgres.pg_url  # the throw-away PostgreSQL server


def _copy_gradebook(source: str, dest: str) -> None:
    """Every row of nbgrader's tables, from one database to another."""
    from nbgrader.api import Base

    src, dst = sa.create_engine(source), sa.create_engine(dest)
    try:
        Base.metadata.create_all(dst)
        with src.connect() as read, dst.begin() as write:
            for table in Base.metadata.sorted_tables:
                rows = [dict(r) for r in read.execute(table.select()).mappings()]
                if rows:
                    write.execute(table.insert(), rows)
    finally:
        src.dispose()
        dst.dispose()


def _report(course: Path) -> dict:
    cli = [sys.executable, "-m", "toolkit.cli.main"]
    proc = subprocess.run(
        [*cli, "report", "cohort", "A", "--course", str(course), "--no-pdf"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads((course / "reports" / "cohort-A" / "summary.json").read_text())
    assert isinstance(summary, dict)
    return summary


def test_cohort_report_from_postgres_matches_sqlite(
    course: Path, key_env: pytest.MonkeyPatch, pg_url: str, tmp_path: Path
) -> None:
    lite, pg = tmp_path / "sqlite", tmp_path / "postgres"
    for dest in (lite, pg):
        shutil.copytree(course, dest, ignore=shutil.ignore_patterns("reports"))
    _copy_gradebook(f"sqlite:///{course / 'gradebook.db'}", pg_url)
    (pg / "gradebook.db").unlink()
    config = pg / "nbgrader_config.py"
    text = config.read_text().replace(repr(f"sqlite:///{course / 'gradebook.db'}"), repr(pg_url))
    assert pg_url in text
    config.write_text(text)
    lite_config = lite / "nbgrader_config.py"
    lite_config.write_text(
        lite_config.read_text().replace(str(course / "gradebook.db"), str(lite / "gradebook.db"))
    )

    from_pg, from_lite = _report(pg), _report(lite)
    assert from_pg["n_trainees"] == 8
    # everything but the moment each report was made
    assert from_pg.pop("generated_at") and from_lite.pop("generated_at")
    assert from_pg == from_lite
