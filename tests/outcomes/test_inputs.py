"""Bad agency, roll-out and victim-support files: one clear error or a stated limitation, never a
silent number. Data problems of the real file are found and kept, not cleaned away."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from toolkit.cli.main import main
from toolkit.errors import CttkError, OutcomesDataError
from toolkit.outcomes.estimate import staggered_did
from toolkit.outcomes.evaluate import evaluate_outcomes
from toolkit.outcomes.rollout import read_rollout
from toolkit.outcomes.synthetic import inject_effect, synthetic_rollout
from toolkit.outcomes.ucr import AgencyData, bundled_ucr_file, read_agency_data
from toolkit.outcomes.victims import read_victim_support, victim_support_summary

REPO = Path(__file__).resolve().parents[2]
HEADER = (
    "DATA_YEAR,ORI,PUB_AGENCY_NAME,STATE_ABBR,OFFENSE_SUBCAT_NAME,ACTUAL_COUNT,UNFOUNDED_COUNT,"
    "CLEARED_COUNT,JUVENILE_CLEARED_COUNT"
)


def _agency_file(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "agencies.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _rollout_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "rollout.csv"
    path.write_text("ori,first_trained_year,officers_trained\n" + "\n".join(rows) + "\n")
    return path


def test_the_real_file_is_summed_per_agency_year_and_its_problems_are_listed(
    ucr: AgencyData,
) -> None:
    assert ucr.rows == 4417
    assert ucr.agencies == 1168
    assert (ucr.first_year, ucr.last_year) == (2013, 2020)
    assert not ucr.panel.duplicated(["ori", "year"]).any()
    raw = pd.read_csv(bundled_ucr_file())
    assert ucr.panel["offences"].sum() == raw["ACTUAL_COUNT"].sum()
    assert ucr.panel["cleared"].sum() == raw["CLEARED_COUNT"].sum()
    found = set(ucr.problems["problem"])
    assert {"negative count", "clearances above offences"} <= found
    rated = ucr.panel[ucr.panel["offences"] > 0]
    above = rated[rated["cleared"] > rated["offences"]]
    assert (above["clearance_rate"] > 100).all()  # kept, not capped
    # absent agency-years are not reported, never zero
    assert ucr.not_reported() == 1168 * 8 - len(ucr.panel)
    assert (ucr.panel["offences"] == 0).sum() == 0


def test_an_absent_year_stays_missing_and_a_negative_count_is_kept(tmp_path: Path) -> None:
    path = _agency_file(
        tmp_path,
        [
            "2015,AA0000001,Alpha,AA,Commercial Sex Acts,3,0,1,0",
            "2015,AA0000001,Alpha,AA,Commercial Sex Acts,1,0,1,0",
            "2017,AA0000001,Alpha,AA,Involuntary Servitude,-1,0,0,0",
            "2016,BB0000002,Beta,BB,Commercial Sex Acts,2,0,3,0",
        ],
    )
    data = read_agency_data(path)
    panel = data.panel.set_index(["ori", "year"])
    assert panel.loc[("AA0000001", 2015), "offences"] == 4  # two monthly rows added
    assert panel.loc[("AA0000001", 2015), "clearance_rate"] == 50.0
    assert ("AA0000001", 2016) not in panel.index  # not reported: no row, no zero
    assert np.isnan(panel.loc[("AA0000001", 2017), "clearance_rate"])
    assert panel.loc[("BB0000002", 2016), "clearance_rate"] == 150.0
    assert data.not_reported() == 2 * 3 - 3
    assert sorted(data.problems["problem"]) == [
        "clearances above offences",
        "negative count",
        "no positive offence count",
    ]


@pytest.mark.parametrize(
    ("header", "row", "words"),
    [
        ("trainee,first_name,last_name,email", "t1,A,B,a@b", "lacks the column(s) DATA_YEAR"),
        (HEADER.replace(",CLEARED_COUNT", ""), "2015,AA0000001,A,AA,C,1,0,0", "CLEARED_COUNT"),
        (HEADER, "2015,AA0000001,A,AA,C,one,0,0,0", "not whole numbers"),
        (HEADER, "2015,,A,AA,C,1,0,0,0", "without an ORI"),
        (HEADER, "15000,AA0000001,A,AA,C,1,0,0,0", "years outside"),
    ],
)
def test_a_file_in_another_layout_is_one_error(
    tmp_path: Path, header: str, row: str, words: str
) -> None:
    with pytest.raises(OutcomesDataError) as caught:
        read_agency_data(_agency_file(tmp_path, [row], header))
    assert words in str(caught.value)


def test_an_empty_or_binary_file_is_one_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(OutcomesDataError, match="no rows"):
        read_agency_data(empty)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 50)
    with pytest.raises(OutcomesDataError):
        read_agency_data(binary)


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (["ZZ9999999,2016,10"], "absent from the agency data: 'ZZ9999999'"),
        (['"ZZ\n<script>",2016,10'], "absent from the agency data: 'ZZ\\n<script>'"),
        (["MO0480600,2025,10"], "outside the data's years 2013-2020"),
        (["MO0480600,2011,10"], "outside the data's years"),
        (["MO0480600,2016,10", "MO0480600,2017,3"], "more than once"),
        (["MO0480600,2016,-4"], "negative officers_trained"),
        (["MO0480600,next year,4"], "not whole numbers"),
    ],
)
def test_a_bad_rollout_is_one_error(
    ucr: AgencyData, tmp_path: Path, rows: list[str], words: str
) -> None:
    with pytest.raises(OutcomesDataError) as caught:
        read_rollout(_rollout_file(tmp_path, rows), ucr)
    assert words in str(caught.value)


def test_too_few_trained_agencies_is_a_stated_limitation_not_a_number(
    ucr: AgencyData, tmp_path: Path
) -> None:
    rollout = synthetic_rollout(ucr.panel, np.random.default_rng(1), agencies=2, years=[2017])
    result = staggered_did(ucr.panel, rollout)
    assert not result.estimated and np.isnan(result.estimate)
    assert "only 2 trained agency(ies)" in str(result.limitation)
    path = tmp_path / "rollout.csv"
    rollout.to_csv(path, index=False)
    ev = evaluate_outcomes(bundled_ucr_file(), path)
    assert ev.did["estimate"] is None and ev.did["ci_low"] is None
    assert ev.limitations[0].startswith("No effect is estimated: only 2 trained")
    assert "could not be estimated" in ev.headline[0]


def test_too_few_comparison_agencies_is_a_stated_limitation(ucr: AgencyData) -> None:
    rated = ucr.panel[ucr.panel["clearance_rate"].notna()]
    several = rated.groupby("ori")["year"].nunique()
    rollout = synthetic_rollout(
        ucr.panel, np.random.default_rng(2), agencies=30, years=[2016, 2017, 2018]
    )
    # everyone with two or more years is trained except 3 agencies
    keep = set(several[several >= 2].index) - set(rollout["ori"])
    few = ucr.panel[~ucr.panel["ori"].isin(sorted(keep)[3:])]
    result = staggered_did(few, rollout)
    assert not result.estimated
    assert "only 3 never-trained agency(ies)" in str(result.limitation)


def test_injection_adds_the_effect_only_after_training(ucr: AgencyData) -> None:
    rng = np.random.default_rng(3)
    rollout = synthetic_rollout(ucr.panel, rng, agencies=50, years=[2016, 2017])
    injected = inject_effect(ucr.panel, rollout, 30.0, rng)
    first = ucr.panel["ori"].map(rollout.set_index("ori")["first_trained_year"])
    after = first.notna() & (ucr.panel["year"] >= first)
    extra = injected["cleared"] - ucr.panel["cleared"]
    assert (extra[~after] == 0).all()
    share = extra[after].sum() / ucr.panel.loc[after, "offences"].clip(lower=0).sum()
    assert 0.25 < share < 0.35
    with pytest.raises(OutcomesDataError):
        inject_effect(ucr.panel, rollout, 150.0, rng)


def test_victim_records_never_leave_as_rows(ucr: AgencyData, tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    rollout = synthetic_rollout(ucr.panel, rng, agencies=10, years=[2017])
    oris = [*rollout["ori"], "MO0480600"]
    lines = [
        "case_id,ori,year,referred_to_services,services_accepted,days_to_referral,feedback_score"
    ]
    for i in range(200):
        referred = i % 3 != 0
        lines.append(
            f"SECRET-CASE-{i},{oris[i % len(oris)]},{2014 + i % 7},{'yes' if referred else 'no'},"
            f"{'yes' if referred and i % 2 else ''},{i % 30 if referred else ''},{1 + i % 5}"
        )
    path = tmp_path / "victims.csv"
    path.write_text("\n".join(lines) + "\n")
    records = read_victim_support(path, set(ucr.panel["ori"]))
    assert "case_id" not in records.columns
    summary = victim_support_summary(records, rollout)
    assert summary["cases"].sum() == 200
    assert len(summary) <= 3
    assert not summary.astype(str).apply(lambda c: c.str.contains("SECRET")).any().any()
    bad = tmp_path / "bad.csv"
    bad.write_text(lines[0] + "\nx,MO0480600,2016,perhaps,,,\n")
    with pytest.raises(OutcomesDataError, match="not yes/no"):
        read_victim_support(bad, set(ucr.panel["ori"]))
    bad.write_text(lines[0] + "\nx,MO0480600,2016,no,yes,,\n")
    with pytest.raises(OutcomesDataError, match="accepted but no referral"):
        read_victim_support(bad, set(ucr.panel["ori"]))
    bad.write_text(lines[0] + "\nx,MO0480600,2016,yes,yes,3,9\n")
    with pytest.raises(OutcomesDataError, match="feedback_score outside 1-5"):
        read_victim_support(bad, set(ucr.panel["ori"]))


def test_the_command_line_gives_one_error_line(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    rollout = _rollout_file(tmp_path, ["MO0480600,2016,10"])
    result = CliRunner().invoke(
        main,
        [
            "report",
            "outcomes",
            "--agency-data",
            str(other),
            "--rollout",
            str(rollout),
            "--course",
            str(REPO),
            "--output",
            str(tmp_path / "out"),
            "--no-pdf",
        ],
    )
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("cttk: error: the agency data file lacks")
    assert not (tmp_path / "out").exists()
    assert issubclass(OutcomesDataError, CttkError)
