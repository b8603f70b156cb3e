"""Make a trainee's submission as a trainee would: the released notebook with code written into the
solution cells, and widget answers saved exactly as the widgets save them.

A keyed widget gets its kind's simulated answer (``simulate`` of the kind in
:mod:`toolkit.exercises.registry`), right or wrong as the trainee's ability makes likely; a
widget with no key (a survey question) gets an opinion (:func:`simulate_opinion`)."""

from __future__ import annotations

import re
import shutil
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import nbformat
import numpy as np

from toolkit.course.layout import Course, copy_assignment_folder
from toolkit.errors import CourseError
from toolkit.exercises.keys import (
    AnswerKey,
    ExerciseSpec,
    keyed_exercises,
    read_notebook,
)
from toolkit.exercises.kinds.base import Outcome
from toolkit.exercises.registry import get_kind
from toolkit.exercises.store import save_answer
from toolkit.settings import DEMO_SURVEY_BEFORE_DROP

Profile = Literal["model", "right", "wrong"]
_MARKER = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*$")

#: What a simulated trainee writes in each module's reflection, from weak to strong; the
#: instructor's share of points picks one. Each answer fits its prompt. A key
#: ``"<assignment>/<grade_id>"`` gives the answers to another hand-graded cell of that assignment.
REFLECTIONS: dict[str, list[str]] = {
    "01_legal_foundations": [
        "I am not sure. Jamie said it was a personal choice, so it may not be trafficking.",
        "Because Jamie is under 18, consent does not matter and the act and purpose are enough. "
        "I would speak to Jamie calmly and call child services.",
        "Under the international definition a person under 18 needs only the act (the man houses "
        "Jamie and arranges the meetings) and the purpose (commercial sex), so Jamie's consent and "
        "the absence of force change nothing; US federal law says the same for commercial sex. "
        "Young people often do not see themselves as victims and may be attached to the person "
        "exploiting them. I would make sure Jamie is safe, fed and somewhere private, explain "
        "plainly who I am, avoid any blame, involve a trained child interviewer and an advocate, "
        "and make no promises I cannot keep.",
    ],
    "02_dynamics_and_indicators": [
        "Two indicators seems fine. Most people we stop are not victims anyway.",
        "A missed victim stays exploited, a false alarm costs an assessment. I would keep two "
        "indicators because the sensitivity was acceptable. People who fear police may hide signs.",
        "A missed victim stays under the trafficker's control and may be treated as an offender; "
        "a false alarm costs a specialist assessment and some worry for the person. Our rule found "
        "most victims but flagged many people who were not, so I would keep two indicators and "
        "plan for the extra assessments rather than guess. Fear of police, a debt seen as a matter "
        "of honour or a coached story can hide every indicator, so I would speak to the person "
        "alone, with a vetted interpreter and a support partner, and give them time.",
    ],
    "03_victim_centred_response": [
        "I would ask her what happened and take a statement straight away while it is fresh.",
        "I would go somewhere private, use an interpreter, say who I am and not promise anything. "
        "That helps her trust me.",
        "I would first make sure the person is safe, has water and food and can see a doctor, and "
        "talk somewhere private away from anyone who came with them, using a vetted interpreter "
        "and offering an officer of the gender they prefer. I would say honestly who I am, why I "
        "am there and how long it will take, and make no promise I cannot keep, because broken "
        "promises confirm what traffickers say about police. I would ask only what is needed for "
        "safety now and bring in an advocate, so that the full account comes later, once.",
    ],
    "04_investigation_and_analytics": [
        "The analysis proves who the trafficker is, so the women do not need to testify.",
        "One number talks to all the phones and gets paid, so it is probably the controller. We "
        "should get bank records too.",
        "The analysis shows one number in contact with every recovered phone and paid by most of "
        "them, which fits a controller, and a second hub with contact but no payments, which fits a "
        "driver. It does not show who holds the number or what the calls were about, so attribution "
        "is still needed. Subscriber records and the receiving accounts' bank records, obtained by "
        "lawful request, and travel or advertising records would corroborate it without asking "
        "more of the eight women.",
    ],
    "05_legal_frameworks": [
        "The colleague is right that we have to follow the state law where we work.",
        "A case can fail the state statute but still meet federal law, like Ava in Corvale. We "
        "should talk to the prosecutor.",
        "Definitions differ between the layers of law: a case can meet the international and "
        "federal definitions and still fail a narrower state statute. Rui was harboured by threats "
        "in Belmont but never moved, and Belmont's stated rule requires movement, so its statute "
        "fails while federal law is met. The investigator should involve the prosecutor early, "
        "consider federal charges or other offences, and keep treating the person as a victim and "
        "referring them to support whatever the charging decision.",
    ],
    "06_cross_jurisdiction": [
        "We should send all the workers' details to Lusandria so they can check them.",
        "The victim-service lead should be in the plan and we should only share what is needed. "
        "The workers should not be treated as criminals.",
        "The plan names a victim-service lead with shelter, interpreters, medical care and legal "
        "advice ready on the day. We share with Lusandria only what the case needs and the privacy "
        "rules allow, with particular care because the workers' families may be at risk at home. "
        "We treat the workers as possible victims, not as offenders for their status or for "
        "working without permits, and agree one interview plan across agencies so that nobody "
        "has to tell their story twice.",
    ],
    "07_rights_and_data_protection": [
        "We work with the partner, so I would send them the full table.",
        "I would not send names. I would send anonymous figures instead, because victim data is "
        "sensitive.",
        "I would not hand over names by default: victims' data is sensitive personal data, sharing "
        "needs a lawful basis and a clear purpose, and coded data would still be personal data. For "
        "planning, the partner can have generalised, k-anonymous figures with small cells "
        "suppressed; follow-up contact goes through individual referrals made with each person's "
        "informed consent. What guides me is the people's safety and that of their families, "
        "confidentiality and their right to decide, and a secure, recorded way of sharing.",
    ],
    "08_partnerships_and_outcomes": [
        "I would report the number of arrests because that is what the public understands.",
        "I would report the share of cases closed and the share of victims referred. Arrest "
        "targets might push officers to arrest victims.",
        "I would report case resolution (the share closed and the time to close, compared fairly "
        "because cases opened late have had less time) and victim support (the share of identified "
        "victims referred and the share of referrals taken up, with victims' own feedback gathered "
        "by the partner). Small numbers swing a lot and more identified victims can mean better "
        "detection. A target on arrests could push officers to arrest victims for offences they "
        "were forced to commit, so the victim-service lead should review the figures with us.",
    ],
    "08_partnerships_and_outcomes/capstone": [
        "Marek should be interviewed at the site with a co-worker translating, and if he will not "
        "testify the case cannot go ahead.",
        "This is forced labour: passports held, a debt and threats of deportation. We interview him "
        "once with a sign-language interpreter, get the bank records, make a joint plan with "
        "Belmont, refer him to shelter and legal aid, and share only what is needed.",
        "Identification: recruiting and harbouring (act), withheld passports, threats of police and "
        "a debt used to hold the men (means), forced labour (purpose), under the international "
        "definition and 18 U.S.C. 1589-1590; his refusal to testify changes neither his status nor "
        "his support. Interview: once, planned and recorded, with a qualified interpreter in his "
        "sign language, an advocate and breaks, somewhere private and accessible. Evidence: payroll "
        "and the brother's bank account through mutual legal assistance to Estavia, site and "
        "container records, phones, the inspector's and co-workers' accounts. Joint plan: each "
        "state's authority and law, a lead agency, deconfliction and evidence custody, with the "
        "victim-service lead in it. Support: housing, health care, communication support, legal "
        "advice on Continued Presence and the T visa, and safety planning for his mother, never as "
        "leverage. Data: only what each partner needs, on a lawful basis and with consent, sent "
        "securely; nothing to Estavia that could expose his family, and any immigration "
        "application kept confidential.",
    ],
}
#: The answer for a hand-graded cell of an assignment not listed above.
GENERIC_REFLECTIONS = [
    "I am not sure what to write here.",
    "I would apply what the module taught and ask a colleague when unsure.",
    "I would apply the module's steps in order, explain each decision and its legal basis, and "
    "involve the victim-service partner from the start.",
]
#: What a simulated trainee may write in a survey's free-text box (often nothing).
COMMENTS = [
    "The case studies felt close to what we see on patrol.",
    "More time on interviewing with an interpreter would help.",
    "The data exercises were hard but useful for our analysts.",
    "I would like a session with our local NGO partners.",
    "",
    "",
]
#: What a simulated trainee may write in each of the survey's free-text boxes (often nothing);
#: other boxes draw from :data:`COMMENTS`.
SURVEY_COMMENTS: dict[str, list[str]] = {
    "survey.comment.most_useful": [
        "The role-play with Lena: I had never thought about the interpreter being part of it.",
        "The comparison of federal and state rules.",
        "",
    ],
    "survey.comment.least_useful": [
        "The pandas exercises; I am a patrol officer and will not use them.",
        "Some of the EU material does not apply to my agency.",
        "",
    ],
    "survey.comment.missing": [
        "More time on interviewing with an interpreter.",
        "A session with our local NGO partners and the referral pathway.",
        "",
    ],
    "survey.comment.other": COMMENTS,
    "followup.comment.helped": [
        "Having the indicator card in the patrol car.",
        "My sergeant asked about referrals at every briefing.",
        "",
    ],
    "followup.comment.missing": [
        "A contact list for interpreters available at night.",
        "Clear guidance on when to call the task force.",
        "",
    ],
    "followup.comment.other": ["", "", "The follow-up form was quick to fill in."],
    "supervisor.comment": [
        "Screens routinely now; needs support writing the referral note.",
        "Good first contact with people in vulnerable situations; more practice on joint case plans.",
        "",
    ],
}


@dataclass(frozen=True)
class SolutionCell:
    notebook: str
    grade_id: str
    cell_type: str
    right: str
    points: float


@dataclass
class AssignmentPlan:
    """What can be simulated in one assignment, read once from source/ and release/."""

    assignment: str
    release_dir: Path
    released: dict[str, Any]  # notebook name -> released NotebookNode
    exercises: list[tuple[ExerciseSpec, AnswerKey]] = field(default_factory=list)
    opinions: list[ExerciseSpec] = field(default_factory=list)  # widgets with no key (surveys)
    solutions: list[SolutionCell] = field(default_factory=list)


def _strip_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if not _MARKER.match(line))


def plan_assignment(course: Course, assignment: str) -> AssignmentPlan:
    release_dir = course.release / course.check_assignment(assignment)
    plan = AssignmentPlan(assignment, release_dir, {})
    for src_path in course.notebooks(assignment):
        rel_path = release_dir / src_path.name
        if not rel_path.is_file():
            raise CourseError(
                f"{src_path.name} of {assignment} has not been released",
                hint="run: cttk release --all",
                path=rel_path,
            )
        source = read_notebook(src_path)
        plan.released[src_path.stem] = read_notebook(rel_path)
        keyed, unkeyed = keyed_exercises(source)
        plan.exercises += keyed
        plan.opinions += unkeyed
        for cell in source.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("solution"):
                plan.solutions.append(
                    SolutionCell(
                        notebook=src_path.stem,
                        grade_id=meta["grade_id"],
                        cell_type=cell.cell_type,
                        right=_strip_markers(cell.source),
                        points=float(meta.get("points", 0) or 0),
                    )
                )
    return plan


def difficulty(item: str) -> float:
    """A stable difficulty per item (same for every cohort and seed): mostly easy, some hard."""
    rng = np.random.default_rng(zlib.crc32(item.encode()))
    return float(rng.normal(-0.6, 0.9))


def p_right(ability: float, item: str) -> float:
    return float(1.0 / (1.0 + np.exp(-1.4 * (ability - difficulty(item)))))


def _outcome(profile: Profile, ability: float, item: str, rng: np.random.Generator) -> Outcome:
    if profile != "model":
        return profile
    return "right" if rng.random() < p_right(ability, item) else "wrong"


def simulate_opinion(spec: ExerciseSpec, rng: np.random.Generator, ability: float) -> Any | None:
    """A survey answer (an exercise with no key), from its kind's ``simulate_unkeyed``: a little
    higher for trainees who did well, with an occasional comment; lower on a retrospective
    "before the course" question, and at the other end of the scale on a reverse-worded one (id
    ending in ``_rev``). None for kinds a survey does not use (nothing is saved for them)."""
    simulate = get_kind(spec.kind).simulate_unkeyed
    if simulate is None:
        return None
    lean = (
        ability - DEMO_SURVEY_BEFORE_DROP if spec.exercise.startswith("survey.before.") else ability
    )
    if spec.exercise.endswith("_rev"):
        # Reverse-worded: agreeing is the unfavourable answer, so lean towards the other end.
        spec = replace(spec, options=spec.options[::-1])
    remarks = SURVEY_COMMENTS.get(spec.exercise, COMMENTS)
    return simulate(spec, rng, lean, lambda: str(rng.choice(remarks)))


def reflection_quality(profile: Profile, ability: float) -> float:
    """Share of the reflection's points an instructor would give (0..1)."""
    if profile == "right":
        return 1.0
    if profile == "wrong":
        return 0.0
    return float(np.clip(1.0 / (1.0 + np.exp(-1.2 * (ability + 0.3))), 0.0, 1.0))


def write_submission(
    plan: AssignmentPlan,
    dest: Path,
    *,
    ability: float,
    rng: np.random.Generator,
    profile: Profile = "model",
    timestamp: str = "2026-11-20 10:00:00.000000 UTC",
) -> None:
    """Write ``dest`` (submitted/<trainee>/<assignment>/) as the trainee would have left it."""
    if dest.exists():
        shutil.rmtree(dest)
    copy_assignment_folder(plan.release_dir, dest)
    by_cell = {(s.notebook, s.grade_id): s for s in plan.solutions}
    for name, released in plan.released.items():
        nb = nbformat.from_dict(released)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            sol = by_cell.get((name, meta.get("grade_id", "")))
            if sol is None:
                continue
            if sol.cell_type == "markdown":
                quality = reflection_quality(profile, ability)
                answers = REFLECTIONS.get(
                    f"{plan.assignment}/{sol.grade_id}",
                    REFLECTIONS.get(plan.assignment, GENERIC_REFLECTIONS),
                )
                cell.source = answers[min(2, int(quality * 3))]
            elif _outcome(profile, ability, f"{plan.assignment}/{sol.grade_id}", rng) == "right":
                cell.source = sol.right
        nbformat.write(nb, dest / f"{name}.ipynb")
    for spec, key in plan.exercises:
        outcome = _outcome(profile, ability, f"{plan.assignment}/{spec.exercise}", rng)
        value = get_kind(spec.kind).simulate(spec, key, rng, outcome)
        save_answer(spec.exercise, spec.kind, value, folder=dest)
    for spec in plan.opinions:
        opinion = simulate_opinion(spec, rng, ability)
        if opinion is not None:
            save_answer(spec.exercise, spec.kind, opinion, folder=dest)
    (dest / "timestamp.txt").write_text(timestamp + "\n", encoding="utf-8")
