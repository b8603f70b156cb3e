"""Pieces of a published report that need no kernel: the per-option table from the course's own
option text with per-option suppression, the scrubbed notebook, CSV downloads, p-values, the
executive summary and the pooled table of small groups."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from toolkit.analysis import course_option_statistics
from toolkit.reports.disclose import Counts, Table, disclose
from toolkit.reports.executive import executive_html, summary_envelope
from toolkit.reports.publish import scrub_notebook, with_print_css, write_downloads
from toolkit.reports.render import CSV_METADATA, csv_text, format_p, pooled, table_html

OPTIONS = ["Labour trafficking", "Smuggling", "Sex trafficking", "None of these"]


def _option_table() -> pd.DataFrame:
    # eight trainees; one planted an option the course does not have
    chosen = ["Labour trafficking"] * 6 + ["Smuggling", "Alex Ali scored 0 - ask me"]
    responses = pd.DataFrame(
        {
            "trainee": [f"t{i}" for i in range(8)],
            "assignment": "01_legal",
            "exercise": "legal.s1.type",
            "kind": "choice",
            "option": chosen,
        }
    )
    totals = pd.DataFrame(
        {"trainee": [f"t{i}" for i in range(8)], "assignment": "01_legal", "score": range(8)}
    )
    specs = pd.DataFrame(
        [("01_legal", "legal.s1.type", OPTIONS, ["Labour trafficking"])],
        columns=["assignment", "exercise", "options", "correct"],
    )
    return course_option_statistics(responses, totals, specs)


def test_per_option_table_lists_the_course_options_only() -> None:
    table = _option_table()
    assert table["option"].tolist() == OPTIONS  # unchosen options listed, planted text absent
    by = table.set_index("option")
    assert by.loc["Labour trafficking", "n_chose"] == 6 and by.loc["Labour trafficking", "correct"]
    assert by.loc["None of these", "n_chose"] == 0 and by["n"].eq(8).all()


def test_per_option_counts_below_the_threshold_are_blanked_per_question() -> None:
    @dataclass_evaluation
    class Ev:
        options: Table

    shown = disclose(Ev(options=Table(_option_table(), OPTION_RULE)), threshold=5).options.frame
    by = shown.set_index("option")
    assert by.loc["Smuggling", "n_chose"] is None and by.loc["Smuggling", "share"] is None
    # one hidden count and the question's total (8) would give it away: the next smallest
    # non-empty count of the same question is hidden too; nobody-chose counts stay
    assert by.loc["Labour trafficking", "n_chose"] is None
    assert by["suppressed"].tolist() == [True, True, False, False]
    assert by.loc["None of these", "n_chose"] == 0
    open_rule = disclose(Ev(options=Table(_option_table(), OPTION_RULE)), threshold=1)
    assert open_rule.options.frame.set_index("option").loc["Smuggling", "n_chose"] == 1


def _executed_notebook() -> nbformat.NotebookNode:
    secret = "postgresql://grader:hunter2@db.example.org/gradebook"
    nb = new_notebook(
        cells=[
            new_code_cell("course_dir = '.'", metadata={"tags": ["parameters"]}),
            new_code_cell(
                f"course_dir = '/srv/academy/course'\ngradebook_url = '{secret}'\ncohort = 'A'",
                metadata={"tags": ["injected-parameters"]},
            ),
        ]
    )
    nb.metadata["papermill"] = {
        "input_path": "/srv/venv/templates/cohort_report.ipynb",
        "output_path": "/srv/academy/course/reports/cohort-A/cohort_report.ipynb",
        "parameters": {"course_dir": "/srv/academy/course", "gradebook_url": secret, "cohort": "A"},
    }
    return nb


def test_published_notebook_carries_no_course_path_or_database_url() -> None:
    raw = nbformat.writes(_executed_notebook())
    assert "hunter2" in raw and "/srv/academy" in raw  # what papermill leaves behind
    text = nbformat.writes(scrub_notebook(_executed_notebook()))
    assert "hunter2" not in text and "/srv/" not in text
    assert "cohort = 'A'" in text and '"cohort": "A"' in text


def test_tables_are_written_as_csv_beside_the_report(tmp_path) -> None:
    frame = pd.DataFrame({"item": ["=HYPERLINK(1)", "q2"], "flags": [["a", "b"], []]})
    cell = new_code_cell("")
    cell.outputs = [
        new_output(
            "display_data",
            data={"text/html": table_html(frame, caption="Items", csv="items")},
            metadata={CSV_METADATA: {"name": "items", "csv": csv_text(frame)}},
        ),
        new_output("display_data", data={}, metadata={CSV_METADATA: {"name": "../x", "csv": "x"}}),
    ]
    written = write_downloads(new_notebook(cells=[cell]), tmp_path)
    assert written == [tmp_path / "tables" / "items.csv"]
    body = written[0].read_text()
    assert "'=HYPERLINK(1)" in body and "a; b" in body
    assert 'href="tables/items.csv"' in table_html(frame, csv="items")
    assert not (tmp_path.parent / "x.csv").exists()


def test_p_values_are_never_printed_as_zero() -> None:
    assert format_p(0.0) == "p < 0.001" and format_p(0.0003) == "p < 0.001"
    assert format_p(0.0123) == "p = 0.012"
    html = table_html(pd.DataFrame({"t_p": [0.00001, 0.2]}))
    assert "&lt; 0.001" in html and "<td>0</td>" not in html


def test_executive_block_and_summary_envelope() -> None:
    block = {
        "title": "Cohort <A>",
        "headline": ["8 of 8 trainees completed the post-test."],
        "figures": [{"label": "completed", "value": "8 of 8", "detail": "09_posttest"}],
        "competencies": {
            "target": 0.8,
            "rows": [
                {"name": "c1", "rate": 0.5, "ci_low": 0.2, "ci_high": 0.8, "n": 8,
                 "status": "uncertain"},
                {"name": "c2", "rate": 0.9, "ci_low": 0.6, "ci_high": 0.98, "n": 8,
                 "status": "at target"},
            ],
        },
        "actions": [{"priority": 1, "area": "x", "action": "Do <b>", "evidence": "e",
                     "status": "act"}],
        "more_actions": 3,
        "reaction": None,
    }  # fmt: skip
    page = executive_html(block)
    assert page.startswith('<div class="cttk-executive"><h1>Cohort &lt;A&gt;</h1>')
    assert 'alt="Dot plot of mastery rates' in page and "Do &lt;b&gt;" in page
    assert "(3 more in the full list of actions)" in page
    summary = summary_envelope(block, {"cohort": "A"})
    assert summary["schema_version"] >= 2 and summary["generated_at"].endswith("+00:00")
    assert summary["executive"] is block and summary["cohort"] == "A"
    assert "break-after: page" in with_print_css("<html><head></head></html>")


def test_suppressed_groups_are_pooled_in_plain_words() -> None:
    frame = pd.DataFrame(
        {"agency": ["A", "B", "C", "D"], "n": [None, None, 9, None], "suppressed": [1, 1, 0, 1]}
    ).astype({"suppressed": bool})
    out = pooled(frame, label="agency", population=17, what="agencies")
    assert out["agency"].tolist() == ["C", "3 other agencies, 8 trainees together"]
    assert out["n"].tolist() == [9, 8]


OPTION_RULE = Counts(
    n="n_chose", figures=("share", "point_biserial"), within=("assignment", "exercise")
)


def dataclass_evaluation(cls: type) -> type:
    """A minimal evaluation holding the annotated tables (for one rule at a time)."""
    from dataclasses import dataclass

    from toolkit.reports.disclose import Evaluation

    return dataclass(frozen=True, kw_only=True)(
        type(cls.__name__, (Evaluation,), dict(cls.__dict__))
    )


@pytest.mark.parametrize("p", [float("nan"), None])
def test_missing_p_is_a_dash(p: float | None) -> None:
    assert format_p(p) == "—"


def test_option_rows_use_the_item_ids_of_every_other_table() -> None:
    from types import SimpleNamespace

    from toolkit.reports.evaluate_cohort import _with_item_ids

    items = pd.DataFrame(
        {"assignment": ["01_legal"], "grade_id": ["test_type"], "item": ["legal/test_type"]}
    )
    keys = {"01_legal": {"legal.s1.type": SimpleNamespace(cell="test_type")}}
    out = _with_item_ids(_option_table(), items, keys)
    assert set(out["item"]) == {"legal/test_type"}
    assert set(_with_item_ids(_option_table(), items, {})["item"]) == {"legal.s1.type"}


def test_page_one_folds_near_identical_competency_actions_into_one_line() -> None:
    from toolkit.reports.executive import page_one_actions

    rows = [(0, "competency legal", "no gain", "e0", 8, "act")]
    rows += [(1, f"competency c{i}", f"strengthen c{i}", f"e{i}", 8, "act") for i in range(1, 12)]
    rows += [(2, "item q1", "check q1", "e", 8, "act"), (3, "test t", "add items", "e", 8, "act")]
    actions = pd.DataFrame(rows, columns=["priority", "area", "action", "evidence", "n", "status"])
    shown, more = page_one_actions(actions, 5)
    assert [a["area"] for a in shown] == ["competency legal", "competencies", "item q1", "test t"]
    assert shown[1]["action"].startswith("11 competencies are clearly below target: start with c1")
    assert more == 0


def test_the_reaction_headline_names_competencies_whose_confidence_fell() -> None:
    from types import SimpleNamespace

    from toolkit.reports.executive import _reaction_sentence

    def table(rows: list[dict[str, object]]) -> SimpleNamespace:
        return SimpleNamespace(frame=pd.DataFrame(rows))

    ev = SimpleNamespace(
        reaction_response=table([{"n_answered": 8, "n_invited": 8}]),
        reaction_items=table(
            [
                {"group": "general", "favourable": None, "mean_score": 3.5},
                {"group": "general", "favourable": 0.75, "mean_score": 4.1},
            ]
        ),
        reaction_confidence=table(
            [
                {"competency": "legal", "mean_before": 3.0, "mean_after": 2.5},
                {"competency": "rights", "mean_before": 2.0, "mean_after": 4.0},
            ]
        ),
    )
    text = _reaction_sentence(ev)  # type: ignore[arg-type]
    assert text is not None and "rose on average from 2.5 to 3.2" in text
    assert "fell for legal (3.0 -> 2.5)" in text
    # the mean answer, which is never suppressed for a question shown, not the favourable share
    assert "the 2 agreement questions averaged 3.8 of 5" in text


def test_long_ids_wrap_at_wbr_so_copied_text_has_no_zero_width_spaces() -> None:
    from toolkit.reports.render import table_html

    page = table_html(pd.DataFrame({"competency": ["legal_frameworks_and_rights"]}))
    assert "legal_<wbr>frameworks_<wbr>and_<wbr>rights" in page and "\u200b" not in page


def test_tables_show_rates_as_whole_percentages() -> None:
    from toolkit.reports.render import table_html

    page = table_html(
        pd.DataFrame({"mastery_rate": [0.375], "ci_high": [0.6], "mean_pre_pct": [36.932]})
    )
    assert ">38%<" in page and ">60%<" in page and ">37%<" in page and "0.375" not in page
