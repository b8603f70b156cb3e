"""A small synthetic nbgrader course (no kernels to build it): pre/post tests, a module with a
hand-graded item left ungraded, a curriculum map, hostile roster text and a cohort below the
suppression threshold."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.support import gradebook as bench
from toolkit.course.rosters import write_roster

REPO = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script>"
HOSTILE_AGENCY = '<img src="/etc/passwd">'
KEY = "ab" * 32


CURRICULUM = """\
mastery_threshold: 0.7
learning_gain: {pretest: 00_pretest, posttest: 09_posttest}
topics:
  - {id: 1, name: identification}
  - {id: 2, name: referral}
  - {id: 3, name: prosecution}
assignments:
  - {id: 00_pretest, role: pretest}
  - {id: 01_module, role: module}
  - {id: 09_posttest, role: posttest}
competencies:
  - id: c1
    statement: recognise indicators of trafficking
    module: 01_module
    topic: 1
    items: [pretest/q0, pretest/q1, posttest/q0, posttest/q1, module/m0, module/m1]
  - id: c2
    statement: refer a victim to services
    module: 01_module
    topic: 2
    items: [pretest/q2, posttest/q2, module/reflection]
"""


@pytest.fixture(scope="session")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("course")
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'x'\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(root / 'gradebook.db')!r}\n"
    )
    (root / "course").mkdir()
    (root / "course" / "curriculum.yaml").write_text(CURRICULUM)
    cohorts = {"A": 8, "B": 8, "C": 3}
    people = []
    for cohort, n in cohorts.items():
        for i in range(n):
            people.append(
                {
                    "trainee": f"{cohort}-{i:02d}",
                    "first_name": HOSTILE if i == 0 else "Kim",
                    "last_name": f"L{i}",
                    "email": f"{cohort}{i}@example.org",
                    "agency": HOSTILE_AGENCY if i < 6 else "Harbor PD",
                    "role": "officer",
                    "cohort": cohort,
                    "ability": (i - 4) / 3,
                }
            )
    trainees = pd.DataFrame(people)
    A = bench.Assignment
    bench.build_gradebook(
        f"sqlite:///{root / 'gradebook.db'}",
        trainees,
        [
            A("00_pretest", "pretest", ["q0", "q1", "q2", "q3"], shift=-1.0),
            A(
                "01_module",
                "module",
                ["m0", "m1", "m2", "reflection"],
                max_score=2.0,
                manual=["reflection"],
            ),
            A("09_posttest", "posttest", ["q0", "q1", "q2", "q3"], shift=0.8),
        ],
        seed=3,
        skip=["B-07"],
        ungraded=[("A-03", "module/reflection")],
    )
    for cohort, group in trainees.groupby("cohort"):
        write_roster(root, str(cohort), group)
    return root


@pytest.fixture(scope="session")
def key_env() -> pytest.MonkeyPatch:
    patch = pytest.MonkeyPatch()
    patch.setenv("CTTK_PSEUDONYM_KEY", KEY)
    yield patch
    patch.undo()
