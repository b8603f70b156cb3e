"""Grade many submissions of one assignment: in parallel, sandboxed, resumable.

The grades are nbgrader's own (its ``Autograde`` converter in each worker, see
:mod:`.worker`), written into the course's gradebook. A submission that cannot be graded is
recorded with its reason and never stops the batch; one already graded from the same files and
the same answer keys is skipped unless ``force``. A submission holding a link, a device or FIFO, or
Python code is refused before anything of it is copied (:mod:`.precheck`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from toolkit import settings
from toolkit.autograde.distributed import ClusterRunner, open_scheduler
from toolkit.autograde.pool import WorkerPool
from toolkit.autograde.precheck import submission_problem
from toolkit.autograde.sandbox import (
    Layers,
    Limits,
    Mode,
    SandboxPolicy,
    UidLease,
    detect,
    require_isolation,
)
from toolkit.autograde.state import BatchState, Entry, keys_hash, submission_hash
from toolkit.autograde.worker import GradingOutcome
from toolkit.course.layout import Course, check_name
from toolkit.errors import CourseError, CttkError


@dataclass(frozen=True)
class SubmissionResult:
    """The outcome of one submission in a batch."""

    student: str
    status: str  # "graded", "failed" or "skipped"
    seconds: float
    reason: str = ""
    findings: tuple[str, ...] = ()


@dataclass
class BatchResult:
    """Every submission's outcome, and the sandbox layers that were active."""

    assignment: str
    results: list[SubmissionResult] = field(default_factory=list)
    layers: Layers | None = None
    seconds: float = 0.0

    @property
    def graded(self) -> list[str]:
        return [r.student for r in self.results if r.status == "graded"]

    @property
    def skipped(self) -> list[str]:
        return [r.student for r in self.results if r.status == "skipped"]

    @property
    def failed(self) -> list[SubmissionResult]:
        return [r for r in self.results if r.status == "failed"]


def submitted_students(course: Course, assignment: str) -> list[str]:
    """Trainees with a submission folder for ``assignment``."""
    if not course.submitted.is_dir():
        return []
    return sorted(p.name for p in course.submitted.iterdir() if (p / assignment).is_dir())


def printable(name: str) -> str:
    """A name safe to print (ids may hold undecodable bytes)."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_gradebook(course: Course, assignment: str) -> None:
    from toolkit.course.nbgrader_ops import gradebook

    try:
        with gradebook(course.gradebook_url) as gb:
            gb.find_assignment(assignment)
    except CttkError:
        raise
    except Exception as exc:
        raise CourseError(
            f"assignment {assignment!r} is not in the gradebook ({type(exc).__name__})",
            hint=f"release it first: cttk release {assignment}",
        ) from None


def autograde_batch(
    course_dir: str | Path,
    assignment: str,
    students: list[str] | None = None,
    *,
    progress: bool = True,
    workers: int | None = None,
    timeout: int | None = None,
    force: bool = False,
    sandbox: Mode = settings.AUTOGRADE_SANDBOX,
    wall_seconds: float = settings.AUTOGRADE_WALL_SECONDS,
    limits: Limits | None = None,
    scheduler: str | None = None,
    pool: SharedPool | None = None,
    protections: bool = True,
    no_isolation: bool = False,
) -> BatchResult:
    """Autograde ``students`` (default: every submission) of ``assignment``.

    Args:
        workers: worker processes (default: the number of CPUs, at most one per submission).
        timeout: seconds per cell (default: ``Execute.timeout`` of the course's nbgrader config).
        force: grade again submissions already graded from the same files.
        sandbox: ``auto`` (every layer that works here), ``strict`` (bubblewrap required) or
            ``minimal`` (limits, process group and working copy only).
        wall_seconds: wall-clock cap for one notebook.
        limits: per-kernel resource limits.
        scheduler: the address of a Dask scheduler to grade on instead of local worker
            processes (see :mod:`.distributed`; ``workers`` is then ignored).
        pool: worker processes shared with other batches (:class:`SharedPool`, made with the
            same sandbox options), used instead of a pool of this batch's own.
        no_isolation: grade even where kernels cannot be isolated (no working bubblewrap; the
            ``minimal`` mode); the batch's layers then say so. Without it such a batch is refused
            with a :class:`~toolkit.errors.SandboxError` naming what is missing.
        protections: False only in tests, to show what an attack earns unprotected (see
            :attr:`SandboxPolicy.protections`).
    """
    clock = time.perf_counter()
    course = Course.open(course_dir)
    course.check_assignment(assignment)
    available = submitted_students(course, assignment)
    if students is not None:
        unknown = [s for s in students if s not in available]
        if unknown:
            raise CourseError(
                f"no submission of {assignment} for {printable(unknown[0])!r}",
                hint="collect it first, or choose one of the trainees under submitted/",
                path=course.submitted,
            )
    todo = list(students) if students is not None else available
    result = BatchResult(assignment)
    _check_gradebook(course, assignment)  # a broken gradebook is the first thing to fix
    layers = require_isolation(detect(sandbox), no_isolation=no_isolation)
    result.layers = layers
    state = BatchState(course.root, assignment)
    keys = keys_hash(course.source / assignment)

    queue: list[str] = []
    hashes: dict[str, str] = {}
    for student in todo:
        try:
            check_name(student, "trainee id")
        except CttkError as exc:
            result.results.append(SubmissionResult(printable(student), "failed", 0.0, str(exc)))
            continue
        folder = course.submitted / student / assignment
        problem = submission_problem(folder) if protections else None
        if problem:
            result.results.append(SubmissionResult(student, "failed", 0.0, problem))
            continue
        # The keys are part of what a grade was computed from: new keys, new grade.
        hashes[student] = submission_hash(folder) + ":" + keys
        done = state.is_done(student, hashes[student])
        if done and not force and (course.autograded / student / assignment).is_dir():
            result.results.append(
                SubmissionResult(student, "skipped", 0.0, "unchanged since graded")
            )
        else:
            queue.append(student)

    n = max(1, min(workers or os.cpu_count() or 1, len(queue)))
    own = not scheduler and pool is None
    lease = UidLease(n) if (queue and layers.separate_user and own) else None
    if queue:
        policy = _policy(sandbox, layers, limits, wall_seconds, lease, protections)
        bar = tqdm(
            total=len(queue), desc=f"autograde {assignment}", unit="sub", disable=not progress
        )

        def on_done(outcome: GradingOutcome) -> None:
            state.record(
                outcome.student,
                Entry(
                    outcome.status,
                    hashes.get(outcome.student, ""),
                    round(outcome.seconds, 3),
                    outcome.reason,
                    outcome.findings,
                ),
            )
            result.results.append(
                SubmissionResult(
                    outcome.student,
                    outcome.status,
                    outcome.seconds,
                    outcome.reason,
                    tuple(outcome.findings),
                )
            )
            bar.update(1)

        runner: WorkerPool | ClusterRunner
        if scheduler:
            runner = ClusterRunner(scheduler, course=course, policy=policy, timeout=timeout)
        elif pool is not None:
            runner = pool.get()
        else:
            runner = WorkerPool(n, root=str(course.root), policy=policy, timeout=timeout)
        try:
            runner.run(assignment, queue, on_done, keep=pool is not None and not scheduler)
        except RuntimeError as exc:
            raise CttkError(str(exc), hint="check the course's nbgrader configuration") from None
        finally:
            bar.close()
            if lease:
                lease.close()
    order = {s: i for i, s in enumerate(todo)}
    result.results.sort(key=lambda r: order.get(r.student, -1))
    result.seconds = time.perf_counter() - clock
    return result


def _policy(
    sandbox: Mode,
    layers: Layers,
    limits: Limits | None,
    wall_seconds: float,
    lease: UidLease | None,
    protections: bool = True,
) -> SandboxPolicy:
    return SandboxPolicy(
        mode=sandbox,
        limits=limits or Limits(),
        bwrap=layers.bwrap,
        separate_user=layers.separate_user,
        wall_seconds=wall_seconds,
        uids=tuple(lease.uids) if lease else (),
        protections=protections,
    )


class SharedPool:
    """One pool of worker processes for several batches, started when a batch first needs it
    (a run where every submission is unchanged starts none)."""

    def __init__(
        self,
        root: Path,
        *,
        workers: int | None = None,
        timeout: int | None = None,
        sandbox: Mode = settings.AUTOGRADE_SANDBOX,
        wall_seconds: float = settings.AUTOGRADE_WALL_SECONDS,
        limits: Limits | None = None,
        protections: bool = True,
    ) -> None:
        self._root, self._timeout = root, timeout
        self._options = (sandbox, limits, wall_seconds)
        self._protections = protections
        self._n = max(1, workers or os.cpu_count() or 1)
        self._pool: WorkerPool | None = None
        self._lease: UidLease | None = None

    def get(self) -> WorkerPool:
        if self._pool is None:
            sandbox, limits, wall_seconds = self._options
            layers = detect(sandbox)
            self._lease = UidLease(self._n) if layers.separate_user else None
            policy = _policy(sandbox, layers, limits, wall_seconds, self._lease, self._protections)
            self._pool = WorkerPool(
                self._n, root=str(self._root), policy=policy, timeout=self._timeout
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        if self._lease is not None:
            self._lease.close()
        self._pool = self._lease = None


def autograde_assignments(
    course_dir: str | Path, assignments: Sequence[str] | None = None, **options: Any
) -> Iterator[BatchResult]:
    """Autograde each of ``assignments`` (default: every assignment in source/), one batch after
    another, with the keyword ``options`` of :func:`autograde_batch`; yield each batch's result
    as it ends. Every batch grades with the same worker processes (:class:`SharedPool`) or,
    with a ``scheduler`` option, on the same Dask cluster; ``local:N`` starts one LocalCluster of
    N worker processes for every assignment."""
    names = list(assignments) if assignments is not None else Course.open(course_dir).assignments()
    scheduler = options.pop("scheduler", None)
    if scheduler is None and len(names) > 1:  # one pool of workers for every assignment
        keys = ("workers", "timeout", "sandbox", "wall_seconds", "limits", "protections")
        pool = SharedPool(
            Course.open(course_dir).root, **{k: options[k] for k in keys if k in options}
        )
        try:
            for name in names:
                yield autograde_batch(course_dir, name, pool=pool, **options)
        finally:
            pool.close()
        return
    if scheduler is None:
        for name in names:
            yield autograde_batch(course_dir, name, **options)
        return
    with open_scheduler(scheduler) as address:  # one cluster for every assignment
        for name in names:
            yield autograde_batch(course_dir, name, scheduler=address, **options)
