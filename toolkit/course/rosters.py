"""Cohort rosters: one CSV per cohort under course/cohorts/ (trainee, names, email, agency, role).

Rosters hold personal data: the folder is private (0700, files 0600) and carries a ``.gitignore``
that keeps it out of version control wherever the course lives (:mod:`toolkit.course.private`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.course.layout import Course, check_name
from toolkit.course.nbgrader_ops import add_students
from toolkit.course.private import write_private
from toolkit.errors import CourseError
from toolkit.settings import COURSE_ID, DEFAULT_COHORT, ROSTER_DIR

ROSTER_COLUMNS = ["trainee", "first_name", "last_name", "email", "agency", "role"]


def roster_dir(root: Path) -> Path:
    return root / ROSTER_DIR


def write_roster(root: Path, cohort: str, trainees: pd.DataFrame) -> Path:
    """Write the roster of ``cohort`` (columns :data:`ROSTER_COLUMNS`), privately (mode 0600, in an
    ignored 0700 folder)."""
    check_name(cohort, "cohort")
    missing = [c for c in ROSTER_COLUMNS if c not in trainees.columns]
    if missing:
        raise CourseError(f"roster lacks columns {missing}", hint=f"give {ROSTER_COLUMNS}")
    path = roster_dir(root) / f"{cohort}.csv"
    return write_private(path, trainees[ROSTER_COLUMNS].to_csv(index=False))


def load_rosters(root: Path) -> pd.DataFrame:
    """Every roster of the course as one frame with a ``cohort`` column (empty when none)."""
    frames = []
    folder = roster_dir(root)
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = [c for c in ROSTER_COLUMNS if c not in frame.columns]
        if missing:
            raise CourseError(
                f"roster lacks columns {missing}", hint="fix the CSV header", path=path
            )
        frames.append(frame[ROSTER_COLUMNS].assign(cohort=path.stem))
    if not frames:
        return pd.DataFrame(columns=[*ROSTER_COLUMNS, "cohort"], dtype=str)
    rosters = pd.concat(frames, ignore_index=True)
    dupes = rosters.loc[rosters["trainee"].duplicated(), "trainee"].tolist()
    if dupes:
        raise CourseError(
            f"trainees on more than one roster: {dupes[:5]}",
            hint="each trainee belongs to one cohort",
            path=folder,
        )
    return rosters


def cohorts_of(trainee_ids: pd.Series, rosters: pd.DataFrame) -> pd.Series:
    """The cohort of each trainee id; trainees on no roster are in cohort ``all`` when there are no
    rosters at all, and in ``unassigned`` otherwise."""
    if rosters.empty:
        return pd.Series(DEFAULT_COHORT, index=trainee_ids.index, dtype="str")
    mapping = dict(zip(rosters["trainee"], rosters["cohort"], strict=True))
    return trainee_ids.map(mapping).fillna("unassigned").astype("str")


def read_roster_csv(path: Path) -> pd.DataFrame:
    """Read an academy's roster CSV and check it: columns, non-empty safe unique ids."""
    if not path.is_file():
        raise CourseError("no such roster file", hint="give the path of a CSV file", path=path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CourseError(f"cannot read the roster: {exc}", path=path) from None
    missing = [c for c in ROSTER_COLUMNS if c not in frame.columns]
    if missing:
        raise CourseError(
            f"roster lacks columns {missing}",
            hint=f"the header must hold {ROSTER_COLUMNS}",
            path=path,
        )
    for tid in frame["trainee"]:
        check_name(tid, "trainee id")
    dupes = frame.loc[frame["trainee"].duplicated(), "trainee"].tolist()
    if dupes:
        raise CourseError(
            f"repeated trainee ids {dupes[:5]}", hint="one row per trainee", path=path
        )
    return frame[ROSTER_COLUMNS]


def check_roster(root: Path, cohort: str, csv_path: Path) -> pd.DataFrame:
    """Read and check a roster for ``cohort``: its own rows, and no trainee already in another
    cohort. Writes nothing."""
    check_name(cohort, "cohort")
    frame = read_roster_csv(csv_path)
    existing = load_rosters(root)
    clash = existing[(existing["cohort"] != cohort) & existing["trainee"].isin(frame["trainee"])]
    if not clash.empty:
        first = clash.iloc[0]
        raise CourseError(
            f"trainee {first['trainee']!r} is already in cohort {first['cohort']!r}",
            hint="each trainee belongs to one cohort; remove them from one roster",
        )
    return frame


def import_roster(root: Path, cohort: str, csv_path: Path) -> pd.DataFrame:
    """Check a roster (:func:`check_roster`) and write it as ``cohort``; return it. The caller
    registers the trainees in the gradebook."""
    frame = check_roster(root, cohort, csv_path)
    write_roster(root, cohort, frame)
    return frame


def import_cohort(course_dir: str | Path, cohort: str, roster: Path) -> pd.DataFrame:
    """Import the roster CSV ``roster`` as ``cohort`` of the course at ``course_dir`` (see
    :func:`check_roster`) and register its trainees in the course's gradebook.

    Returns the imported roster.
    """
    course = Course.open(course_dir)
    frame = check_roster(course.root, cohort, roster)
    # the gradebook first: a gradebook that cannot be written leaves the rosters untouched
    add_students(course.gradebook_url, COURSE_ID, frame.to_dict("records"))
    write_roster(course.root, cohort, frame)
    return frame
