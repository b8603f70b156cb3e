"""Pure analysis functions: frames in, frames out, no IO.

Statistic names and definitions follow ``docs/statistics.md`` (one anchor per statistic, named as
in the code); defaults and thresholds come from :mod:`toolkit.settings`. Functions that need the
curriculum map take a :class:`toolkit.course.curriculum.Curriculum`.
"""

from toolkit.analysis import reaction
from toolkit.analysis.gain import learning_gain, paired_gain
from toolkit.analysis.gaps import (
    CompetencyGaps,
    cohort_facility,
    competency_gaps,
    coverage_gaps,
    drift,
    item_gaps,
    performance_gaps,
    trend_tests,
)
from toolkit.analysis.items import (
    ItemFlags,
    course_option_statistics,
    item_statistics,
    option_point_biserial,
)
from toolkit.analysis.mastery import cohort_mastery, trainee_mastery, wilson
from toolkit.analysis.matrix import ScoreMatrix, score_matrix
from toolkit.analysis.recommend import curriculum_actions
from toolkit.analysis.reliability import test_statistics
from toolkit.analysis.scores import totals

__all__ = [
    "CompetencyGaps",
    "ItemFlags",
    "ScoreMatrix",
    "cohort_facility",
    "cohort_mastery",
    "competency_gaps",
    "course_option_statistics",
    "coverage_gaps",
    "curriculum_actions",
    "drift",
    "item_gaps",
    "item_statistics",
    "learning_gain",
    "option_point_biserial",
    "paired_gain",
    "performance_gaps",
    "reaction",
    "score_matrix",
    "test_statistics",
    "totals",
    "trainee_mastery",
    "trend_tests",
    "wilson",
]
