"""Seeded generators of synthetic case data for the exercises (no real person or case).

Field names follow the Human Trafficking Case Data Standard (HTCDS v2.0, IOM, CC BY 4.0) where a
field fits; columns HTCDS has no field for are named plainly. :data:`DATASETS` says which generator
writes which CSV file of which assignment.
"""

from toolkit.course.synth.agency import agency_cases
from toolkit.course.synth.datasets import (
    DATASETS,
    dataset_csv,
    write_course_datasets,
    write_datasets,
)
from toolkit.course.synth.encounters import screening_encounters
from toolkit.course.synth.jurisdictions import jurisdiction_cases, state_rules
from toolkit.course.synth.legal import legal_cases
from toolkit.course.synth.network import call_records, payment_records, phones
from toolkit.course.synth.victims import victim_records

__all__ = [
    "DATASETS",
    "agency_cases",
    "call_records",
    "dataset_csv",
    "jurisdiction_cases",
    "legal_cases",
    "payment_records",
    "phones",
    "screening_encounters",
    "state_rules",
    "victim_records",
    "write_course_datasets",
    "write_datasets",
]
