"""The outcomes report end to end (papermill, nbconvert; no PDF): summary.json holds the effect
with its interval, method and event study; the HTML escapes agency names from the file; CSV files
hold agency-years, never a victim record; level 3 appears from the course's follow-up answers;
groups below the threshold are suppressed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.exercises.store import save_answer
from toolkit.outcomes.report import outcomes_report
from toolkit.outcomes.synthetic import synthetic_rollout
from toolkit.outcomes.ucr import AgencyData, bundled_ucr_file

REPO = Path(__file__).resolve().parents[2]
HOSTILE = '<img src="/etc/passwd" onerror="alert(1)">'
SECRET = "CASE-SECRET-"


def _course(root: Path, trainees: int) -> Path:
    (root / "course").mkdir(parents=True)
    shutil.copy(REPO / "course" / "curriculum.yaml", root / "course" / "curriculum.yaml")
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'x'\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
    )
    for assignment in ("10_reaction_survey", "11_followup"):
        shutil.copytree(REPO / "source" / assignment, root / "source" / assignment)
    for i in range(trainees):
        followup = root / "autograded" / f"t{i:02d}" / "11_followup"
        survey = root / "autograded" / f"t{i:02d}" / "10_reaction_survey"
        agree = "Agree" if i % 3 else "Disagree"
        save_answer("followup.applied.identification", "choice", {"choice": agree}, folder=followup)
        save_answer("followup.screened", "choice", {"choice": "Often"}, folder=followup)
        save_answer(
            "followup.barriers", "checklist", {"selected": ["Not enough time"]}, folder=followup
        )
        save_answer("survey.intent.identification", "choice", {"choice": "Agree"}, folder=survey)
    return root


@pytest.mark.slow
def test_outcomes_report_end_to_end(ucr: AgencyData, tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    rollout = synthetic_rollout(ucr.panel, rng, agencies=40, years=[2016, 2017, 2018])
    rollout.to_csv(tmp_path / "rollout.csv", index=False)
    raw = pd.read_csv(bundled_ucr_file(), dtype=str)
    raw.loc[raw["ORI"] == rollout["ori"].iloc[0], "PUB_AGENCY_NAME"] = HOSTILE
    raw.to_csv(tmp_path / "agencies.csv", index=False)
    cases = [
        {
            "case_id": f"{SECRET}{i}",
            "ori": rollout["ori"].iloc[i % 40] if i % 4 else "MO0480600",
            "year": 2014 + i % 7,
            "referred_to_services": "yes" if i % 3 else "no",
            "services_accepted": "yes" if i % 3 == 1 else "",
            "days_to_referral": i % 20 if i % 3 else "",
            "feedback_score": 1 + i % 5,
        }
        for i in range(150)
    ]
    pd.DataFrame(cases).to_csv(tmp_path / "victims.csv", index=False)
    course = _course(tmp_path / "course", trainees=12)

    paths = outcomes_report(
        tmp_path / "agencies.csv",
        tmp_path / "rollout.csv",
        victim_support=tmp_path / "victims.csv",
        course_dir=course,
        output_dir=tmp_path / "out",
        threshold=5,
        synthetic="synthetic roll-out, no effect injected",
        pdf=False,
    )
    summary = json.loads(paths.summary.read_text())
    att = summary["att"]
    assert {"estimate", "ci_low", "ci_high", "method", "event_study"} <= set(att)
    assert att["ci_low"] <= att["estimate"] <= att["ci_high"]
    assert "Callaway and Sant'Anna" in att["method"]
    assert {"relative_year", "estimate", "ci_low", "ci_high"} <= set(att["event_study"][0])
    assert att["pretrend"]["p_value"] is not None and att["pretrend"]["statistic"] >= 0
    assert att["minimum_detectable_effect"] > 0
    assert summary["synthetic"] == "synthetic roll-out, no effect injected"
    assert summary["data_problems"]["negative count"] == 1
    level3 = {r["competency"]: r for r in summary["level3"]["application"]}
    assert level3["identification"]["n"] == 12
    assert level3["identification"]["applying_share"] == pytest.approx(8 / 12, abs=1e-4)
    assert level3["offences"]["applying_share"] is None  # nobody answered: nothing to show
    assert summary["level3"]["barriers"][0]["share"] == 1.0
    # page one: behaviour on the job, and what to change about the most common barrier
    assert "Most often in the way: Not enough time (100% of respondents)." in summary["headline"]
    assert any(a.startswith("Build screening and referral into") for a in summary["actions"])
    # the same page one as every report: the executive block, versioned and dated
    assert summary["schema_version"] >= 2 and summary["generated_at"]
    executive = summary["executive"]
    assert executive["headline"][0].startswith("SYNTHETIC")
    card = executive["figures"][0]
    assert card["label"].startswith("change in clearance rate (synthetic")
    # the published notebook names no input file's path; every CSV says the effect is synthetic
    notebook = paths.notebook.read_text()
    assert str(tmp_path) not in notebook
    tables = sorted((tmp_path / "out" / "tables").glob("*.csv"))
    assert {"agency_years.csv", "event_study.csv", "clearance_by_year.csv"} <= {
        t.name for t in tables
    }
    for table in tables:
        if table.stat().st_size:
            assert "synthetic" in pd.read_csv(table).columns, table.name
    assert 'alt="figure"' not in paths.html.read_text()
    assert [a["action"] for a in executive["actions"]] == summary["actions"][
        : len(executive["actions"])
    ]
    assert all(a["evidence"] for a in executive["actions"])
    # each action carries its own evidence: the barrier's action cites that barrier
    routine = next(a for a in executive["actions"] if a["action"].startswith("Build screening"))
    assert "Not enough time" in routine["evidence"]
    page = paths.html.read_text()
    assert 'class="cttk-executive"' in page and "What to do next" in page
    groups = {(r["group"], r["period"]): r for r in summary["victim_support"]}
    assert sum(r["cases"] for r in groups.values()) == 150

    page = paths.html.read_text()
    assert HOSTILE not in page and '<img src="/etc/passwd' not in page
    assert "&lt;img src=" in page
    assert "SYNTHETIC: synthetic roll-out" in page
    for produced in (p for p in (tmp_path / "out").rglob("*") if p.is_file()):
        assert SECRET not in produced.read_text(errors="replace"), produced.name
    years = pd.read_csv(tmp_path / "out" / "tables" / "agency_years.csv")
    assert len(years) == len(ucr.panel) and years["first_trained_year"].notna().sum() > 0
    assert len(pd.read_csv(tmp_path / "out" / "tables" / "event_study.csv")) == len(
        att["event_study"]
    )
    index = (course / "reports" / "index.json").read_text()
    assert '"kind": "outcomes"' in index

    # the same answers with a stricter threshold: level-3 figures of 12 trainees are blanked
    strict = outcomes_report(
        tmp_path / "agencies.csv",
        tmp_path / "rollout.csv",
        course_dir=course,
        output_dir=tmp_path / "strict",
        threshold=20,
        pdf=False,
    )
    strict_summary = json.loads(strict.summary.read_text())
    assert all(r["applying_share"] is None for r in strict_summary["level3"]["application"])
    assert "Too few follow-up answers to report behaviour on the job." in strict_summary["headline"]
    assert not any("Not enough time" in line for line in strict_summary["headline"])
