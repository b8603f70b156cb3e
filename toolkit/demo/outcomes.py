"""The demo's field outcomes: follow-up answers of the synthetic trainees, and an outcomes report
on the real FBI UCR file with a synthetic roll-out and a clearly labelled synthetic effect.

The demo's agencies are fictional. Each is mapped to a real agency (ORI) of the file, and further
real agencies are added to the synthetic roll-out so the estimate has enough trained agencies;
none of these agencies took part in any real training. The injected clearances never happened:
the report says so on its first page.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.course.layout import Course
from toolkit.exercises.store import save_answer
from toolkit.outcomes.followup import BARRIERS, FOLLOWUP, FREQUENCY, NOT_APPLICABLE
from toolkit.outcomes.report import outcomes_report
from toolkit.outcomes.synthetic import (
    inject_effect,
    panel_as_ucr,
    synthetic_rollout,
    synthetic_victim_support,
)
from toolkit.outcomes.ucr import bundled_ucr_file, read_agency_data
from toolkit.reports.runner import ReportPaths
from toolkit.settings import DEMO_OUTCOMES_EFFECT, DEMO_OUTCOMES_YEARS

#: Agencies in the demo's synthetic roll-out (the demo's own agencies first).
ROLLOUT_AGENCIES = 40
OUTCOMES_DIR = "outcomes-data"
#: Roles for which a task is often not part of the job.
TASKS_OUTSIDE = {
    "analyst": {"followup.screened", "followup.referred"},
    "prosecutor": {"followup.screened"},
}


def simulate_followup(course: Course, people: pd.DataFrame, rng: np.random.Generator) -> None:
    """Give the synthetic trainees' follow-up submissions plausible behaviour and barrier answers
    (the generic survey answers lean to the last option, which here is "not applicable")."""
    for row in people.itertuples(index=False):
        folder = course.submitted / row.trainee / FOLLOWUP
        if not folder.is_dir():
            continue
        for task in ("followup.screened", "followup.referred", "followup.case_plan"):
            if task in TASKS_OUTSIDE.get(row.role, set()) and rng.random() < 0.7:
                choice = NOT_APPLICABLE
            else:
                level = 1.3 + 0.5 * row.ability + rng.normal(0, 0.8)
                choice = FREQUENCY[int(np.clip(round(level), 0, 3))]  # never .. often
            save_answer(task, "choice", {"choice": choice, "why": ""}, folder=folder)
        ticked = [
            b
            for b, p in zip(BARRIERS, (0.2, 0.25, 0.5, 0.3, 0.25), strict=True)
            if rng.random() < p
        ]
        save_answer("followup.barriers", "checklist", {"selected": ticked}, folder=folder)


def demo_outcomes_files(
    folder: Path, people: pd.DataFrame, rng: np.random.Generator
) -> tuple[Path, Path, Path]:
    """Write the demo's agency file (the real UCR file with the synthetic effect injected), its
    roll-out, the map of its fictional agencies to real ORIs and synthetic victim-support
    records into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    data = read_agency_data(bundled_ucr_file())
    rollout = synthetic_rollout(
        data.panel, rng, agencies=ROLLOUT_AGENCIES, years=list(DEMO_OUTCOMES_YEARS)
    )
    names = sorted(people["agency"].unique())
    trained = people.groupby("agency").size()
    mapping = pd.DataFrame({"demo_agency": names, "ori": rollout["ori"].iloc[: len(names)]})
    mapping["note"] = "fictional demo agency mapped to a real ORI for illustration only"
    mapping.to_csv(folder / "agency_map.csv", index=False)
    officers = dict(zip(mapping["ori"], mapping["demo_agency"].map(trained), strict=True))
    rollout["officers_trained"] = [
        int(officers.get(o, n))
        for o, n in zip(rollout["ori"], rollout["officers_trained"], strict=True)
    ]
    injected = inject_effect(data.panel, rollout, DEMO_OUTCOMES_EFFECT, rng)
    agency_file = folder / "agency_data_synthetic_effect.csv"
    panel_as_ucr(
        injected, subcategory="All human trafficking (demo: synthetic effect added)"
    ).to_csv(agency_file, index=False)
    rollout_file = folder / "rollout.csv"
    rollout.to_csv(rollout_file, index=False)
    victims_file = folder / "victim_support_synthetic.csv"
    synthetic_victim_support(data.panel, rollout, rng).to_csv(victims_file, index=False)
    return agency_file, rollout_file, victims_file


def demo_outcomes_report(
    course: Course, people: pd.DataFrame, rng: np.random.Generator, *, pdf: bool
) -> ReportPaths:
    """The demo's outcomes report, labelled synthetic."""
    agency_file, rollout_file, victims_file = demo_outcomes_files(
        course.root / OUTCOMES_DIR, people, rng
    )
    return outcomes_report(
        agency_file,
        rollout_file,
        victim_support=victims_file,
        course_dir=course.root,
        synthetic=(
            f"demo data: a synthetic roll-out of real agencies, with a synthetic effect of "
            f"+{DEMO_OUTCOMES_EFFECT:g} points of clearance rate injected after training"
        ),
        pdf=pdf,
    )
