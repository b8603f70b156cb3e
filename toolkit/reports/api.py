"""The report functions the command line and the demo call: check parameters, run the template,
print the PDF, record the report in ``reports/index.html``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.course.layout import Course, check_name
from toolkit.course.private import make_private, private_dir
from toolkit.errors import ReportError
from toolkit.reports.index import record_report
from toolkit.reports.pdf import no_pdf_reason, print_pdf
from toolkit.reports.render import CSV_FOLDER
from toolkit.reports.runner import ReportPaths, run_report

if TYPE_CHECKING:
    from toolkit.data.course_data import CourseData

from toolkit.settings import (
    MASTERY_TARGET,
    MAX_SUPPRESSION_THRESHOLD,
    NAMED_REPORTS_DIR,
    POST_TEST,
    PRE_TEST,
    SUPPRESSION_THRESHOLD,
)


def check_threshold(threshold: Any) -> int:
    """A suppression threshold: an int from 1 to the settings' maximum (bools refused)."""
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int)
        or not (1 <= threshold <= MAX_SUPPRESSION_THRESHOLD)
    ):
        raise ReportError(
            f"threshold {threshold!r} is not a whole number from 1 to {MAX_SUPPRESSION_THRESHOLD}",
            hint=f"use e.g. --threshold {SUPPRESSION_THRESHOLD} (10 or 11 is stricter)",
        )
    return threshold


def check_share(value: Any, what: str) -> float:
    """A share in (0, 1]."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ReportError(f"{what} {value!r} is not a share between 0 and 1")
    return float(value)


def _course_data(course: Course, gradebook_url: str | None) -> CourseData:
    from toolkit.data.course_data import load_course_data

    return load_course_data(course.root, gradebook_url, curriculum=False)


NO_PDF_FILE = "NO_PDF.txt"


def finish_report(
    kind: str,
    course: Course,
    paths: ReportPaths,
    parameters: dict[str, Any],
    pdf: bool,
    *,
    index_dir: Path | None = None,
    extra_files: dict[str, Path] | None = None,
) -> ReportPaths:
    """Print the PDF (or, without Chromium, write why not to ``NO_PDF.txt``) and record the
    report, its ``extra_files`` and the ``parameters`` an index may show (never the course folder
    or the gradebook URL) in the index of ``index_dir`` (default ``COURSE/reports``)."""
    why_not = no_pdf_reason() if pdf else None
    pdf_path = (
        print_pdf(paths.html, paths.html.with_suffix(".pdf")) if pdf and not why_not else None
    )
    files = {"html": paths.html, "summary": paths.summary, **(extra_files or {})}
    files["notebook"] = paths.notebook
    note = paths.html.parent / NO_PDF_FILE
    note.unlink(missing_ok=True)
    if pdf_path:
        files["pdf"] = pdf_path
    elif why_not:
        note.write_text(why_not + "\n", encoding="utf-8")
        files["no-pdf"] = note
    tables = paths.html.parent / CSV_FOLDER
    if tables.is_dir():
        files["tables (CSV)"] = tables
    shown = {k: v for k, v in parameters.items() if k not in ("course_dir", "gradebook_url")}
    index = record_report(index_dir or course.root / "reports", kind, shown, files)
    return ReportPaths(
        notebook=paths.notebook,
        html=paths.html,
        summary=paths.summary,
        pdf=pdf_path,
        index=index,
        no_pdf=why_not,
    )


def cohort_report(
    course_dir: str | Path,
    cohort: str,
    output_dir: str | Path | None = None,
    *,
    threshold: int = SUPPRESSION_THRESHOLD,
    names: bool = False,
    pre: str = PRE_TEST,
    post: str = POST_TEST,
    gradebook_url: str | None = None,
    pdf: bool = True,
) -> ReportPaths:
    """Cohort evaluation report of ``cohort`` into ``output_dir``
    (default ``COURSE/reports/cohort-COHORT``; with ``names`` ``COURSE/reports-named/cohort-COHORT``,
    recorded in that folder's own index, never in ``reports/index.html``, and readable by the owner
    only).

    ``names=True`` makes the instructor's variant, with trainee names instead of pseudonyms.
    """
    course = Course.open(course_dir)
    check_name(cohort, "cohort")
    check_name(pre, "pre-test assignment")
    check_name(post, "post-test assignment")
    check_threshold(threshold)
    if not isinstance(names, bool):
        raise ReportError("names must be True or False")
    _course_data(course, gradebook_url).check_cohort(cohort)
    # the instructor's copy with names lives apart, privately, with an index of its own
    home = course.root / (NAMED_REPORTS_DIR if names else "reports")
    if names:
        private_dir(home)
    out = Path(output_dir) if output_dir else home / f"cohort-{cohort}"
    parameters: dict[str, Any] = {
        "course_dir": str(course.root),
        "cohort": cohort,
        "threshold": threshold,
        "names": names,
        "pre": pre,
        "post": post,
        "gradebook_url": gradebook_url,
    }
    paths = run_report("cohort_report", parameters, out, cwd=course.root)
    done = finish_report("cohort", course, paths, parameters, pdf, index_dir=home)
    if names:
        make_private(out)
        make_private(home)
    return done


def gaps_report(
    course_dir: str | Path,
    cohorts: Sequence[str] | None = None,
    output_dir: str | Path | None = None,
    *,
    threshold: int = SUPPRESSION_THRESHOLD,
    target: float = MASTERY_TARGET,
    pre: str = PRE_TEST,
    gradebook_url: str | None = None,
    pdf: bool = True,
) -> ReportPaths:
    """Curriculum gaps report over ``cohorts`` (default: all; their order is the trend's order)
    into ``output_dir`` (default ``COURSE/reports/gaps``)."""
    course = Course.open(course_dir)
    check_threshold(threshold)
    check_share(target, "target")
    check_name(pre, "pre-test assignment")
    data = _course_data(course, gradebook_url)
    chosen = list(cohorts) if cohorts else data.cohorts
    for cohort in chosen:
        data.check_cohort(check_name(cohort, "cohort"))
    if len(set(chosen)) != len(chosen):
        raise ReportError("a cohort is named twice", hint="name each cohort once")
    out = Path(output_dir) if output_dir else course.root / "reports" / "gaps"
    parameters: dict[str, Any] = {
        "course_dir": str(course.root),
        "cohorts": chosen,
        "threshold": threshold,
        "target": float(target),
        "pre": pre,
        "gradebook_url": gradebook_url,
    }
    paths = run_report("curriculum_gaps", parameters, out, cwd=course.root)
    return finish_report("gaps", course, paths, parameters, pdf)
