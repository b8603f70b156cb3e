"""The demo's outcomes inputs: fictional agencies mapped to real ORIs of the file, a synthetic
roll-out the report accepts, an injected effect that shows in the clearances only after training,
and follow-up answers for the synthetic trainees."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.course.layout import Course
from toolkit.demo.outcomes import ROLLOUT_AGENCIES, demo_outcomes_files, simulate_followup
from toolkit.demo.people import synthetic_trainees
from toolkit.exercises.store import read_store
from toolkit.outcomes.followup import FOLLOWUP
from toolkit.outcomes.rollout import read_rollout
from toolkit.outcomes.ucr import AgencyData, read_agency_data
from toolkit.outcomes.victims import read_victim_support
from toolkit.settings import RESPONSE_FILENAME


def test_demo_inputs_are_valid_and_labelled(ucr: AgencyData, tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    people = synthetic_trainees(["2026-A"], 12, rng)
    agency_file, rollout_file, victims_file = demo_outcomes_files(tmp_path, people, rng)
    data = read_agency_data(agency_file)
    rollout = read_rollout(rollout_file, data)
    assert len(rollout) == ROLLOUT_AGENCIES
    mapping = pd.read_csv(tmp_path / "agency_map.csv")
    assert set(mapping["demo_agency"]) == set(people["agency"])
    assert set(mapping["ori"]) <= set(rollout["ori"]) and set(mapping["ori"]) <= set(
        ucr.panel["ori"]
    )
    officers = rollout.set_index("ori")["officers_trained"]
    for rec in mapping.itertuples():
        assert officers[rec.ori] == (people["agency"] == rec.demo_agency).sum()
    # the injected clearances appear only from the training year on
    merged = data.panel.merge(ucr.panel, on=["ori", "year"], suffixes=("", "_real"))
    first = merged["ori"].map(rollout.set_index("ori")["first_trained_year"])
    after = first.notna() & (merged["year"] >= first)
    extra = merged["cleared"] - merged["cleared_real"]
    assert (extra[~after] == 0).all() and extra[after].sum() > 0
    assert (merged["offences"] == merged["offences_real"]).all()
    records = read_victim_support(victims_file, set(ucr.panel["ori"]))
    assert len(records) > 0


def test_demo_followup_answers(tmp_path: Path) -> None:
    rng = np.random.default_rng(6)
    people = synthetic_trainees(["2026-A"], 6, rng)
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    course = Course.open(tmp_path)
    for trainee in people["trainee"]:
        (course.submitted / trainee / FOLLOWUP).mkdir(parents=True)
    simulate_followup(course, people, rng)
    for trainee in people["trainee"]:
        answers = read_store(course.submitted / trainee / FOLLOWUP / RESPONSE_FILENAME)["exercises"]
        assert {"followup.screened", "followup.referred", "followup.case_plan"} <= set(answers)
        assert "followup.barriers" in answers
