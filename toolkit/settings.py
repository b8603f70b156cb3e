"""Defaults, in one place. The command line and the functions read them from here."""

from __future__ import annotations

from typing import Final

#: Name of the file, beside an assignment's notebooks, in which widgets save answers.
RESPONSE_FILENAME: Final = "cttk_responses.json"
#: Version tag written into every response file.
RESPONSE_SCHEMA: Final = "cttk.responses/1"
#: A response file larger than this is not read (it scores 0 with a message).
RESPONSE_MAX_BYTES: Final = 1_000_000

#: Course identifier written into nbgrader_config.py of a workspace.
COURSE_ID: Final = "cttk"
#: Folder (under a course root) holding one roster CSV per cohort.
ROSTER_DIR: Final = "course/cohorts"
#: Cohort used when a course has no rosters.
DEFAULT_COHORT: Final = "all"

#: Demo defaults.
DEMO_COHORTS: Final = 2
DEMO_TRAINEES: Final = 8
DEMO_SEED: Final = 2026
DEMO_WORKSPACE: Final = "cttk-demo"

#: Reports: groups smaller than this are suppressed for evaluators.
SUPPRESSION_THRESHOLD: Final = 5
#: A trainee masters a competency at or above this share of its points.
MASTERY_THRESHOLD: Final = 0.7
#: Wall-clock limit for one report notebook, seconds.
REPORT_TIMEOUT: Final = 600
#: Per-cell execution limit when grading, seconds.
CELL_TIMEOUT: Final = 30

#: Evaluation analytics (toolkit.analysis, issue 5).
#: Assignments compared for learning gain: the pre-test and the post-test.
PRE_TEST: Final = "00_pretest"
POST_TEST: Final = "09_posttest"
#: Share of a cohort expected to master each competency; below it is a performance gap.
MASTERY_TARGET: Final = 0.8
#: A competency assessed by fewer items than this is a coverage gap.
MIN_ITEMS_PER_COMPETENCY: Final = 3
#: Significance level of the drift tests (after Benjamini-Hochberg adjustment).
DRIFT_ALPHA: Final = 0.05
#: Environment variable holding the pseudonym key (hex); else a key file in the config folder.
PSEUDONYM_KEY_ENV: Final = "CTTK_PSEUDONYM_KEY"
#: Environment variable naming the instructor's cttk config folder (default ~/.config/cttk).
CONFIG_DIR_ENV: Final = "CTTK_CONFIG_DIR"
