"""Whole reports, run by papermill in real kernels, checked for structure, privacy and safety."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from toolkit.data.course_data import load_course_data
from toolkit.errors import CttkError
from toolkit.reports import cohort_report, gaps_report
from toolkit.reports.disclose import pseudonym
from toolkit.reports.pdf import find_chromium
from toolkit.reports.render import header

from .conftest import HOSTILE, KEY
from .printing import pdf_text, print_overflows

pytestmark = pytest.mark.slow


def _strict(path: Path) -> dict:
    def no_nan(token: str) -> None:
        raise AssertionError(f"{token} in {path}")

    return json.loads(path.read_text(), parse_constant=no_nan)


@pytest.fixture(scope="module")
def reports(course: Path, key_env) -> dict:
    return {
        "A": cohort_report(course, "A"),
        "C": cohort_report(course, "C", pdf=False),
        "names": cohort_report(course, "A", names=True, pdf=False),
        "gaps": gaps_report(course, ["A", "B", "C"]),
    }


def test_cohort_summary_holds_every_headline_figure(course: Path, reports: dict):
    summary = _strict(reports["A"].summary)
    data = load_course_data(course).cohort("A")
    assert summary["cohort"] == "A" and summary["n_trainees"] == 8
    by_name = {a["assignment"]: a for a in summary["assignments"]}
    assert set(by_name) == {"00_pretest", "01_module", "09_posttest"}
    post = by_name["09_posttest"]
    rows = data.scores[data.scores["assignment"] == "09_posttest"]
    pct = 100 * rows.groupby("trainee")["score"].sum() / 4
    assert post["n"] == 8 and post["mean_pct"] == pytest.approx(pct.mean(), abs=1e-3)
    assert post["median_pct"] == pytest.approx(pct.median(), abs=1e-3)
    for key in ("alpha", "alpha_ci", "sem", "items"):
        assert key in post
    item = post["items"][0]
    assert item["item"] == "posttest/q0"
    assert {"facility", "discrimination", "discriminative_efficiency", "flags"} <= set(item)
    module = by_name["01_module"]
    assert module["n_alpha"] == 7 and any("hand grade" in n for n in module["notes"])
    comps = {c["competency"]: c for c in summary["competencies"]}
    assert set(comps) == {"c1", "c2"} and comps["c1"]["n"] == 8
    assert comps["c1"]["ci"][0] <= comps["c1"]["mastery_rate"] <= comps["c1"]["ci"][1]
    gain = summary["gain"]
    assert gain["n_matched"] == 8 and gain["hake_gain"] > 0 and gain["p_value"] is not None
    assert gain["cohen_dz"] is not None and [c["scope"] for c in gain["competencies"]] == [
        "c1",
        "c2",
    ]
    assert summary["actions"], "the prescribed gaps give at least one action"


@pytest.mark.needs("chromium")
def test_outputs_exist_and_index_lists_them(course: Path, reports: dict):
    paths = reports["A"]
    assert paths.notebook.is_file() and paths.html.is_file()
    assert paths.pdf.read_bytes()[:5] == b"%PDF-"
    index = (course / "reports" / "index.html").read_text()
    # header + the three evaluators' reports; the copy with names has an index of its own
    assert index.count("<tr>") >= 4 and "names=True" not in index
    assert "cohort=A" in index and "cohorts=[&#x27;A&#x27;, &#x27;B&#x27;, &#x27;C&#x27;]" in index
    assert "cohort-A/cohort_report.pdf" in index and 'href="cohort-A/tables"' in index
    tables = {p.name for p in (paths.html.parent / "tables").glob("*.csv")}
    assert {"gain.csv", "mastery.csv", "items.csv", "actions.csv"} <= tables
    assert 'href="tables/gain.csv"' in paths.html.read_text()


def test_evaluator_report_is_pseudonymous_and_inert(course: Path, reports: dict):
    html = reports["A"].html.read_text()
    assert html.count("<img") >= 3  # distributions, item map, mastery heatmap, pre/post
    # aggregate only: no row about one trainee, not even under a pseudonym
    assert pseudonym("A-01", bytes.fromhex(KEY)) not in reports["A"].notebook.read_text()
    assert pseudonym("A-01", bytes.fromhex(KEY)) not in html
    for paths in (reports["A"], reports["gaps"], reports["C"]):
        for path in (paths.html, paths.summary, paths.notebook):
            text = re.sub(r"[A-Za-z0-9+/=]{200,}", "", path.read_text())  # drop image data
            assert KEY not in text
            assert "A-01" not in text and "Kim" not in text
            assert "<script>alert" not in text and '<img src="/etc/passwd"' not in text


def test_instructor_variant_names_trainees_escaped(reports: dict):
    html = reports["names"].html.read_text()
    assert "Kim L1 (A-01)" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and HOSTILE not in html
    assert _strict(reports["names"].summary)["names"] is True


def test_small_cohort_is_suppressed_with_notes(reports: dict):
    summary = _strict(reports["C"].summary)
    assert summary["suppressed"] is True and summary["n_trainees"] == 3
    for a in summary["assignments"]:
        assert a["mean_pct"] is None and a["alpha"] is None
        assert all(i["facility"] is None for i in a["items"])
    assert summary["gain"]["hake_gain"] is None
    assert all(c["mastery_rate"] is None for c in summary["competencies"])
    assert any("suppressed" in n for n in summary["notes"])


def test_gaps_report(reports: dict):
    summary = _strict(reports["gaps"].summary)
    assert summary["cohorts"] == ["A", "B", "C"]
    overview = {r["cohort"]: r for r in summary["overview"]}
    assert overview["C"]["suppressed"] and overview["C"]["n"] is None
    # complementary suppression: the shown total would reveal C, so one more cohort is hidden
    assert sum(r["suppressed"] for r in summary["overview"]) == 2
    kinds = {(g["kind"], g["name"]) for g in summary["coverage_gaps"]}
    assert ("topic", "prosecution") in kinds and ("competency", "c2") not in kinds  # 3 items
    assert summary["actions"] and all(a["evidence"] for a in summary["actions"])
    # a competency's status rests on the latest cohort with results (C is too small to have any)
    competencies = [a for a in summary["actions"] if a["area"].startswith("competency ")]
    assert competencies and all("cohort C" not in a["action"] for a in competencies)
    assert summary["n_drift_tests"] > 0
    html = reports["gaps"].html.read_text()
    assert "What to change for the next cohort" in html and html.count("<img") >= 2


def test_parameters_are_checked_before_any_kernel(course: Path):
    with pytest.raises(CttkError, match="not a valid name"):
        cohort_report(course, "../A")
    with pytest.raises(CttkError, match="threshold"):
        cohort_report(course, "A", threshold=True)
    with pytest.raises(CttkError, match="unknown cohort"):
        gaps_report(course, ["A", "Z"])
    with pytest.raises(CttkError, match="target"):
        gaps_report(course, target=1.5)


def _words_missing(text: str, columns: list[str]) -> list[str]:
    """Columns whose header words do not all appear in ``text`` (pdftotext may interleave the
    lines of two wrapped headers, so each word is looked for on its own; a word broken at its
    hyphen is joined again)."""
    joined = re.sub(r"-\s+", "", text.replace("\u00ad", "").replace("\u200b", ""))
    words = set(joined.replace("-", "").split())

    def found(column: str) -> bool:
        return all(w.replace("-", "") in words for w in header(column).split())

    return [c for c in columns if not found(c)]


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


@pytest.mark.browser
def test_every_table_prints_whole_on_a4(reports: dict):
    chromium = find_chromium()
    if chromium is None:
        pytest.fail("Chromium is needed to check the printed reports")
    for name in ("A", "gaps"):
        assert print_overflows(reports[name].html, chromium) == [], name
    cohort = pdf_text(reports["A"].pdf)
    for name, title in (("A", "Cohort evaluation report: A"), ("gaps", "Curriculum gaps")):
        page_one = pdf_text(reports[name].pdf, pages=1)
        assert page_one.lstrip().startswith(title), "page one is the executive summary"
        assert "What to do next" in page_one, "page one holds the summary's actions"
    means = [
        "scope", "n_matched", "n_pre_only", "n_post_only", "mean_pre_pct", "mean_post_pct",
        "change", "change_ci", "hake_gain", "hake_gain_individual", "gain_band",
    ]  # fmt: skip
    tests = ["cohen_dz", "effect_band", "t", "t_p", "wilcoxon_w"]
    tests += ["wilcoxon_p", "note"]
    gain = _section(cohort, "Learning gain: means", "Competency mastery")
    assert _words_missing(gain, means + tests) == [], "gain columns missing from the PDF"
    assert "Hedges corrected" not in gain
    assert "\u200b" not in cohort, "copied text holds no zero-width spaces"
    gaps = pdf_text(reports["gaps"].pdf)
    performance = _section(gaps, "Performance gaps (CSV)", "Coverage gaps")
    columns = ["cohort", "competency", "module", "n", "mastery_rate", "ci_low", "ci_high"]
    assert _words_missing(performance, [*columns, "target", "severity"]) == []
    coverage = _section(gaps, "Coverage gaps (CSV)", "Item gaps")
    assert _words_missing(coverage, ["kind", "name", "module", "n_items", "evidence"]) == []
