"""Which synthetic data set is written into which assignment folder, and the function that writes them.

The CSV files are committed beside the notebooks (and released with them); after changing a
generator, regenerate them with ``cttk datasets`` (:func:`write_course_datasets`), then
``cttk release --all``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from toolkit.course.layout import Course
from toolkit.course.synth.agency import agency_cases
from toolkit.course.synth.encounters import screening_encounters
from toolkit.course.synth.jurisdictions import jurisdiction_cases, state_rules
from toolkit.course.synth.legal import legal_cases
from toolkit.course.synth.network import call_records, payment_records, phones
from toolkit.course.synth.victims import victim_records

#: (assignment, file name) -> generator with its default seed.
DATASETS: dict[tuple[str, str], Callable[[], pd.DataFrame]] = {
    ("01_legal_foundations", "cases.csv"): legal_cases,
    ("02_dynamics_and_indicators", "encounters.csv"): screening_encounters,
    ("04_investigation_and_analytics", "phones.csv"): phones,
    ("04_investigation_and_analytics", "calls.csv"): call_records,
    ("04_investigation_and_analytics", "payments.csv"): payment_records,
    ("05_legal_frameworks", "state_rules.csv"): state_rules,
    ("05_legal_frameworks", "jurisdiction_cases.csv"): jurisdiction_cases,
    ("07_rights_and_data_protection", "victims.csv"): victim_records,
    ("08_partnerships_and_outcomes", "agency_cases.csv"): agency_cases,
}


def dataset_csv(assignment: str, name: str) -> str:
    """The CSV text of one data set, exactly as it is written to disk."""
    return DATASETS[(assignment, name)]().to_csv(index=False, lineterminator="\n")


def write_datasets(source: Path) -> list[Path]:
    """Write every data set into ``source/<assignment>/`` (creating the folder); return the paths."""
    written = []
    for assignment, name in DATASETS:
        path = source / assignment / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dataset_csv(assignment, name), encoding="utf-8", newline="")
        written.append(path)
    return written


def write_course_datasets(*, course_dir: Path) -> list[Path]:
    """Write every data set into the ``source/`` folder of the course at ``course_dir``."""
    return write_datasets(Course.open(course_dir).source)
