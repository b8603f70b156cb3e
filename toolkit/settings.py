"""Defaults, in one place. The command line and the functions read them from here."""

from __future__ import annotations

from typing import Final

#: Name of the file, beside an assignment's notebooks, in which widgets save answers.
RESPONSE_FILENAME: Final = "cttk_responses.json"
#: Version tag written into every response file.
RESPONSE_SCHEMA: Final = "cttk.responses/1"
#: A response file larger than this is not read (it scores 0 with a message).
RESPONSE_MAX_BYTES: Final = 1_000_000
#: The most role-play attempts a saved answer may hold (on save, the oldest practice attempts are
#: dropped; the first completed attempt, the graded one, is kept).
ROLEPLAY_MAX_ATTEMPTS: Final = 20
#: The most decisions one role-play attempt may hold.
ROLEPLAY_MAX_PATH: Final = 100
#: The environment variable naming the trainee on a hub; widgets seed the order they show their
#: options with it (else with the operating system's user name) and the exercise id.
SHUFFLE_IDENTITY_VARIABLE: Final = "JUPYTERHUB_USER"
#: The longest "why" text a choice widget shows back when it restores an answer.
CHOICE_WHY_MAX_CHARS: Final = 500
#: The default, and the largest allowed, length of a free-text answer (a ``Text`` widget); a
#: longer text is not saved.
TEXT_MAX_CHARS: Final = 2000
#: How much lower (in ability units) a simulated demo trainee rates their confidence "before the
#: course" than "now" in the reaction survey's retrospective questions.
DEMO_SURVEY_BEFORE_DROP: Final = 1.5

#: The course id nbgrader records in the gradebook (nbgrader_config.py reads it from here).
COURSE_ID: Final = "cttk"
#: Folder (under a course root) holding one roster CSV per cohort: private (0700, files 0600) and
#: ignored by version control through a ``.gitignore`` of its own.
ROSTER_DIR: Final = "course/cohorts"
#: Folder (under a course root) of the instructor's reports with trainee names (``--names``), with
#: an index of its own; private like the rosters and never linked from ``reports/index.html``.
NAMED_REPORTS_DIR: Final = "reports-named"
#: Modes of private folders and files (rosters, named reports).
PRIVATE_DIR_MODE: Final = 0o700
PRIVATE_FILE_MODE: Final = 0o600
#: How long a command waits for another program's lock on the gradebook before it gives up, s.
GRADEBOOK_LOCK_WAIT_SECONDS: Final = 5.0
#: Cohort used when a course has no rosters.
DEFAULT_COHORT: Final = "all"

#: Demo defaults.
DEMO_COHORTS: Final = 2
DEMO_TRAINEES: Final = 8
DEMO_SEED: Final = 2026
DEMO_WORKSPACE: Final = "cttk-demo"
#: The largest demo the command line accepts: cohorts, trainees per cohort.
DEMO_MAX_COHORTS: Final = 50
DEMO_MAX_TRAINEES: Final = 500
#: The most worker processes the command line accepts (grading, validation, the demo).
MAX_WORKERS: Final = 256
#: The longest per-cell or per-submission limit the command line accepts, seconds (a day).
MAX_LIMIT_SECONDS: Final = 86_400

#: Reports: groups smaller than this are suppressed for evaluators.
SUPPRESSION_THRESHOLD: Final = 5
#: A trainee masters a competency at or above this share of its points.
MASTERY_THRESHOLD: Final = 0.7
#: ``cttk validate``'s authoring checks: an assignment fails when its key is the strictly longest
#: option in more than this share of its single-choice items ...
AUTHORING_LONGEST_KEY_SHARE: Final = 1 / 3
#: ... and an item fails when its key is more than this many times the median length of its
#: distractors.
AUTHORING_KEY_LENGTH_RATIO: Final = 1.5
#: The track of a trainee whose roster role the curriculum map's ``tracks`` does not list.
DEFAULT_TRACK: Final = "core"
#: Wall-clock limit for one report notebook, seconds.
REPORT_TIMEOUT: Final = 600
#: Per-cell execution limit, seconds: nbgrader's autograde (nbgrader_config.py reads it from here)
#: and cttk validate's notebook runs.
CELL_TIMEOUT: Final = 30
#: Time allowed to print one report to PDF in headless Chromium, seconds.
PDF_TIMEOUT: Final = 120

#: Evaluation analytics (toolkit.analysis).
#: Assignments compared for learning gain: the pre-test and the post-test.
PRE_TEST: Final = "00_pretest"
POST_TEST: Final = "09_posttest"
#: The level-1 (reaction) survey assignment.
SURVEY: Final = "10_reaction_survey"
#: Share of a cohort expected to master each competency; below it is a performance gap.
MASTERY_TARGET: Final = 0.8
#: A competency assessed by fewer items than this is a coverage gap (and a `cttk validate` finding).
MIN_ITEMS_PER_COMPETENCY: Final = 3
#: Significance level of the drift tests (after Benjamini-Hochberg adjustment).
DRIFT_ALPHA: Final = 0.05
#: Confidence level of every interval a report shows (Wilson, Feldt).
INTERVAL_LEVEL: Final = 0.95
#: Moodle's reading of Cronbach's alpha: above the first satisfactory, below the second not.
ALPHA_SATISFACTORY: Final = 0.75
ALPHA_UNSATISFACTORY: Final = 0.64
#: Item flags: facility below / above, discrimination below, discriminative efficiency below.
FACILITY_TOO_HARD: Final = 0.2
FACILITY_TOO_EASY: Final = 0.9
DISCRIMINATION_WEAK: Final = 0.2
EFFICIENCY_DUBIOUS: Final = 0.15
#: Item figures from fewer trainees than this are shown as unstable.
UNSTABLE_BELOW: Final = 10
#: A competency whose pre-test mean is already at least this (percent) has little room to rise:
#: the same score on the post-test is not called "no gain" (a fall still is).
NO_GAIN_CEILING_PCT: Final = 90.0
#: Hake's gain bands (low below the first, high above the second) and Cohen's d bands
#: (small, medium, large from these sizes of |d|).
GAIN_LOW: Final = 0.3
GAIN_HIGH: Final = 0.7
EFFECT_SMALL: Final = 0.2
EFFECT_MEDIUM: Final = 0.5
EFFECT_LARGE: Final = 0.8
#: Cohen's d_z gets Hedges' small-sample correction below this many matched trainees.
HEDGES_BELOW: Final = 20
#: Report layout: actions on the executive summary, and in the body (the rest go to an appendix).
EXECUTIVE_ACTIONS: Final = 4  # five overran page one in print
BODY_ACTIONS: Final = 10
#: Version of the layout of ``summary.json`` (raised when a key changes meaning or goes away).
SUMMARY_SCHEMA_VERSION: Final = 2
#: p-values below this are printed as "p < 0.001".
P_FLOOR: Final = 0.001
#: Largest suppression threshold a report accepts.
MAX_SUPPRESSION_THRESHOLD: Final = 1000
#: Environment variable holding the pseudonym key (hex); else a key file in the config folder.
PSEUDONYM_KEY_ENV: Final = "CTTK_PSEUDONYM_KEY"
#: Environment variable naming the instructor's cttk config folder (default ~/.config/cttk).
CONFIG_DIR_ENV: Final = "CTTK_CONFIG_DIR"

# autograde
#: Wall-clock limit for one notebook of a submission, seconds (``cttk autograde --wall``).
AUTOGRADE_WALL_SECONDS: Final = 600.0
#: CPU seconds one kernel may use (an rlimit): the same budget as the wall-clock limit.
AUTOGRADE_CPU_SECONDS: Final = int(AUTOGRADE_WALL_SECONDS)
#: Address space of one kernel, bytes.
AUTOGRADE_MEMORY_BYTES: Final = 2 * 1024**3
#: Largest file one kernel may write, bytes.
AUTOGRADE_FILE_BYTES: Final = 64 * 1024**2
#: Files one kernel may hold open.
AUTOGRADE_OPEN_FILES: Final = 512
#: Processes the sandbox user may run (enforced only with a separate user).
AUTOGRADE_PROCESSES: Final = 96
#: Output one cell keeps while it runs, bytes; what comes after is dropped for a marker.
AUTOGRADE_OUTPUT_BYTES: Final = 1024**2
#: Size of a kernel's private /tmp under bubblewrap, bytes.
AUTOGRADE_TMP_BYTES: Final = 64 * 1024**2
#: A submitted notebook larger than this is not graded (nbgrader would load it whole, twice).
AUTOGRADE_MAX_NOTEBOOK_BYTES: Final = 20 * 1024**2
#: Sandbox mode: ``auto`` (every layer that works here), ``strict`` or ``minimal``.
AUTOGRADE_SANDBOX: Final = "auto"
#: Seconds one integrity probe around a grade cell may take.
AUTOGRADE_PROBE_TIMEOUT: Final = 15
#: Seconds a check that a sandbox layer works here may take.
AUTOGRADE_LAYER_CHECK_TIMEOUT: Final = 30
#: Seconds a grading worker may take to start (import nbgrader, read the course config).
AUTOGRADE_WORKER_START_SECONDS: Final = 120.0
#: A worker busy with one submission for twice the wall-clock limit plus this is killed.
AUTOGRADE_HANG_MARGIN_SECONDS: Final = 120.0
#: Start each worker's next kernel while the current one runs (only where kernels are isolated
#: from each other: bubblewrap or a separate user).
AUTOGRADE_KERNELS_AHEAD: Final = True
#: How long a gradebook connection waits for a lock (SQLite busy timeout), milliseconds.
AUTOGRADE_DB_BUSY_MS: Final = 60_000
#: Times a submission is graded when grading keeps hitting "database is locked".
AUTOGRADE_DB_ATTEMPTS: Final = 3
#: First user id lent to sandboxed kernels (running as root). Above every range that systemd
#: and distributions allocate (system, regular, homed, dynamic and container users, nobody)
#: and below 2**31; each id is also checked against the accounts and /etc/subuid before use.
AUTOGRADE_UID_FIRST: Final = 1_900_000_000
#: How many user ids, from AUTOGRADE_UID_FIRST, sandboxed kernels may use.
AUTOGRADE_UID_COUNT: Final = 1000
#: Notebooks ``cttk validate`` executes at once (each in its own process and kernel).
VALIDATE_WORKERS: Final = 2

# distributed autograde (cttk autograde --scheduler)
#: Times Dask runs a grading task again after it raised; a worker that dies is not counted here
#: (the scheduler moves its tasks to other workers by itself).
DISTRIBUTED_RETRIES: Final = 2
#: Seconds the client waits to reach the scheduler.
DISTRIBUTED_CONNECT_SECONDS: Final = 30
#: Largest autograded folder a worker sends back to the client, bytes; larger is a failure.
DISTRIBUTED_MAX_RESULT_BYTES: Final = 64 * 1024**2

# field outcomes (toolkit.outcomes, ``cttk report outcomes``)
#: Fewest trained agencies with a year before and after training, and fewest comparison agencies,
#: for the staggered difference-in-differences to be estimated at all.
OUTCOMES_MIN_TRAINED: Final = 5
OUTCOMES_MIN_COMPARISON: Final = 20
#: The pre-trend test fails (the report says the change cannot be attributed) below this p-value.
OUTCOMES_PRETREND_ALPHA: Final = 0.05
#: Power at which the report states the minimum detectable effect.
OUTCOMES_MDE_POWER: Final = 0.8
#: An agency-year with fewer offences than this has a "small count" (its rate is very noisy).
OUTCOMES_SMALL_COUNT: Final = 5
#: Share of analysed agency-years with small counts above which the report warns.
OUTCOMES_SMALL_COUNT_SHARE: Final = 0.5
#: A single agency's interrupted time series needs at least this many reported years before and
#: after its training year (the training year counts as after).
OUTCOMES_ITS_MIN_BEFORE: Final = 3
OUTCOMES_ITS_MIN_AFTER: Final = 2
#: The largest agency-data, roll-out or victim-support file read, bytes.
OUTCOMES_MAX_FILE_BYTES: Final = 200 * 1024**2
#: An interrupted time series whose interval's upper end is more than this many times its lower end
#: says too little to state (a handful of clearances): the report gives the reason instead.
OUTCOMES_ITS_MAX_INTERVAL_RATIO: Final = 100.0
#: The demo's synthetic effect on the clearance rate of its trained agencies (percentage points),
#: injected into the real UCR file and labelled as synthetic in its outcomes report.
DEMO_OUTCOMES_EFFECT: Final = 25.0
#: Training years of the demo's synthetic roll-out.
DEMO_OUTCOMES_YEARS: Final = (2016, 2017, 2018)
