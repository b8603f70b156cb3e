"""A PATH on which some programs are absent: one folder of links to everything else.

Used to check how cttk and the test suite behave on a machine without Chromium, bubblewrap or
PostgreSQL, on a machine that has them.
"""

from __future__ import annotations

import os
from pathlib import Path

#: What a machine without the three system packages lacks.
SYSTEM_PROGRAMS = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "bwrap",
    "psql",
    "pg_ctl",
    "pg_ctlcluster",
    "initdb",
    "postgres",
)


def path_without(folder: Path, hidden: tuple[str, ...] = SYSTEM_PROGRAMS) -> str:
    """PATH with ``hidden`` taken out: each PATH folder that holds one of them is replaced by a
    folder (under ``folder``) of links to its other programs; the rest stay as they are."""
    entries = []
    for n, entry in enumerate(os.environ.get("PATH", "").split(os.pathsep)):
        if not entry or not os.path.isdir(entry):
            continue
        names = set(os.listdir(entry))
        if not names & set(hidden):
            entries.append(entry)
            continue
        copy = folder / f"{n:02d}"
        copy.mkdir(parents=True, exist_ok=True)
        for program in sorted(names - set(hidden)):
            target = Path(entry) / program
            if target.is_file() and os.access(target, os.X_OK):
                (copy / program).symlink_to(target)
        entries.append(str(copy))
    return os.pathsep.join(entries)


def environment_without(folder: Path, hidden: tuple[str, ...] = SYSTEM_PROGRAMS) -> dict[str, str]:
    """This process's environment with PATH from :func:`path_without` and no Chromium override."""
    env = {k: v for k, v in os.environ.items() if k != "CTTK_CHROMIUM"}
    env["PATH"] = path_without(folder, hidden)
    return env
