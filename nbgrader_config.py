"""nbgrader configuration of the cttk course (this folder is the course root)."""

from pathlib import Path

from toolkit.settings import CELL_TIMEOUT, COURSE_ID, RESPONSE_FILENAME

c = get_config()  # type: ignore[name-defined]  # noqa: F821

_root = Path(__file__).resolve().parent

c.CourseDirectory.course_id = COURSE_ID
c.CourseDirectory.root = str(_root)
# SQLite is the single-instructor default; a shared PostgreSQL gradebook is one URL away, e.g.
# c.CourseDirectory.db_url = "postgresql+psycopg://nbgrader@db.example/cttk"
# (set-up: docs/scaling.md)
c.CourseDirectory.db_url = f"sqlite:///{_root / 'gradebook.db'}"

# A cell that runs longer than this is stopped and scores 0; the rest of the notebook still runs.
c.Execute.timeout = CELL_TIMEOUT
c.Execute.interrupt_on_timeout = True
c.Execute.allow_errors = True

# Widget answers live in cttk_responses.json beside each notebook. Autograde copies the instructor's
# non-notebook files over the submission's; never let it replace a trainee's answers.
c.Autograde.exclude_overwriting = {
    p.name: [RESPONSE_FILENAME] for p in (_root / "source").iterdir() if p.is_dir()
} if (_root / "source").is_dir() else {}

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback pages show each item's score, never the hidden tests or their keys (cttk feedback
# --explain releases them), and embed trainees' outputs and answers only after scripts, active
# outputs, unsafe links and images are removed. cttk feedback uses this list whatever is set here.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "toolkit.autograde.feedback.HideTests",
    "toolkit.reports.sanitize.ActiveContentFilter",
]
