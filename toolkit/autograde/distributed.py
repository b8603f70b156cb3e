"""Grading a batch on a Dask distributed cluster (``cttk autograde --scheduler``).

Every Dask task grades one submission with the same :class:`~toolkit.autograde.worker.Grader`
and sandbox the local pool uses, in a scratch course of its own (see :mod:`.handoff`): the task
writes nothing into the course. The client, the process that runs the batch, writes each result
into the gradebook and ``autograded/`` once, as its task finishes. A worker that dies while
grading loses nothing: the scheduler runs its task again on another worker, and only the one
result that comes back is written. A submission that kills every worker it is given (or a task
that keeps raising) is recorded as failed, as in the pool.

Each worker process imports nbgrader once and detects the sandbox layers of its own machine for
the requested mode (``strict`` fails there as it would here); when it runs as root it leases its
own sandbox user id. Workers must see the course folder (``source/`` and ``submitted/``) at the
same path as the client, on a shared filesystem; they need no access to the gradebook.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import logging
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from toolkit import settings
from toolkit.autograde.handoff import GradedSubmission, read_graded, seed_gradebook, write_graded
from toolkit.autograde.sandbox import SandboxPolicy, UidLease, become_subreaper, detect
from toolkit.autograde.worker import Grader, GradingOutcome
from toolkit.course.layout import Course
from toolkit.errors import CttkError

LOCAL_PREFIX = "local:"

# One Grader per worker process and batch settings, built on the first task it runs.
_GRADERS: dict[tuple[str, SandboxPolicy, int | None], tuple[Grader, UidLease | None]] = {}
_GRADERS_LOCK = threading.Lock()


def parse_scheduler(spec: str) -> tuple[str, int]:
    """``("local", N)`` for ``local:N``, else ``("address", 0)``; a bad spec is a CttkError."""
    if spec.startswith(LOCAL_PREFIX):
        count = spec[len(LOCAL_PREFIX) :]
        if not count.isdigit() or not 1 <= int(count) <= settings.MAX_WORKERS:
            raise CttkError(
                f"bad local cluster size in {spec!r}",
                hint=f"use local:N with N from 1 to {settings.MAX_WORKERS}",
            )
        return "local", int(count)
    if not spec.strip():
        raise CttkError("empty scheduler address", hint="e.g. tcp://10.0.0.5:8786 or local:2")
    return "address", 0


@contextlib.contextmanager
def open_scheduler(spec: str) -> Iterator[str]:
    """The address of the scheduler ``spec`` names; ``local:N`` starts a LocalCluster of N
    single-threaded worker processes for the duration of the ``with`` block."""
    kind, count = parse_scheduler(spec)
    if kind == "address":
        yield spec
        return
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=count,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        yield str(cluster.scheduler_address)


def _grader(root: str, policy: SandboxPolicy, timeout: int | None) -> Grader:
    """This worker process's Grader for these settings, with its own machine's layers."""
    key = (root, policy, timeout)
    with _GRADERS_LOCK:
        if key not in _GRADERS:
            from toolkit.course.nbgrader_ops import quiet_nbgrader

            quiet_nbgrader()
            become_subreaper()  # processes a kernel leaves behind stay below this worker
            layers = detect(policy.mode)
            lease = UidLease(1) if layers.separate_user else None
            here = replace(
                policy,
                bwrap=layers.bwrap,
                separate_user=layers.separate_user,
                uids=tuple(lease.uids) if lease else (),
            )
            grader = Grader(Path(root), here, 0, timeout)
            atexit.register(grader.close)  # the kernel started ahead
            _GRADERS[key] = (grader, lease)
        return _GRADERS[key][0]


def grade_task(
    root: str,
    assignment: str,
    student: str,
    seed: bytes,
    policy: SandboxPolicy,
    timeout: int | None,
) -> tuple[GradingOutcome, GradedSubmission | None]:
    """One Dask task: grade ``student``'s submission in a scratch course seeded with ``seed``.

    Returns the worker's outcome and, when graded, what to write into the course.
    """
    grader = _grader(root, policy, timeout)
    scratch = Path(tempfile.mkdtemp(prefix="cttk-dask-"))
    try:
        db = scratch / "gradebook.db"
        db.write_bytes(seed)
        (scratch / "source").symlink_to(Path(root) / "source", target_is_directory=True)
        (scratch / "submitted").mkdir()
        (scratch / "submitted" / student).symlink_to(
            Path(root) / "submitted" / student, target_is_directory=True
        )
        local = copy.copy(grader)
        local.config = copy.deepcopy(grader.config)
        local.config.CourseDirectory.root = str(scratch)
        local.config.CourseDirectory.db_url = f"sqlite:///{db}"
        outcome = local.grade(assignment, student)
        if outcome.status != "graded":
            return outcome, None
        try:
            folder = scratch / "autograded" / student / assignment
            graded = read_graded(f"sqlite:///{db}", folder, assignment, student)
        except CttkError as exc:
            outcome.status, outcome.reason = "failed", exc.message
            return outcome, None
        return outcome, graded
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


class ClusterRunner:
    """Grades submissions on the Dask cluster at ``address``; the same ``run`` as the pool's."""

    def __init__(
        self, address: str, *, course: Course, policy: SandboxPolicy, timeout: int | None
    ) -> None:
        self._address = address
        self._course = course
        self._policy = policy
        self._timeout = timeout

    def run(
        self,
        assignment: str,
        students: Iterable[str],
        on_done: Callable[[GradingOutcome], None],
        *,
        keep: bool = False,
    ) -> None:
        """Grade every student, writing each result into the course and then calling
        ``on_done`` (in this process) as each finishes. (``keep`` is the pool's: the cluster
        outlives the run either way, unless it is a ``local:N`` cluster of this run alone.)"""
        from distributed import Client

        seed = seed_gradebook(self._course.gradebook_url)
        with open_scheduler(self._address) as address:
            try:
                client = Client(address, timeout=settings.DISTRIBUTED_CONNECT_SECONDS)
            except OSError as exc:
                raise CttkError(
                    f"cannot reach the Dask scheduler at {address}: {exc}",
                    hint="start it with `dask scheduler`, or use --scheduler local:N",
                ) from None
            with client:
                self._grade(client, assignment, students, seed, on_done)

    def _grade(
        self,
        client: Any,
        assignment: str,
        students: Iterable[str],
        seed: bytes,
        on_done: Callable[[GradingOutcome], None],
    ) -> None:
        from distributed import as_completed

        seeded = client.scatter(seed, broadcast=True, hash=False)
        batch = uuid.uuid4().hex[:8]
        futures = {
            client.submit(
                grade_task,
                str(self._course.root),
                assignment,
                student,
                seeded,
                self._policy,
                self._timeout,
                key=f"cttk-grade-{assignment}-{student}-{batch}",
                retries=settings.DISTRIBUTED_RETRIES,
                pure=False,
            ): (student, time.monotonic())
            for student in students
        }
        try:
            for future in as_completed(futures):
                student, started = futures[future]
                on_done(self._finish(future, student, started))
        finally:
            client.cancel(list(futures))

    def _finish(self, future: Any, student: str, started: float) -> GradingOutcome:
        """Write a finished task's result into the course; the outcome to report."""
        try:
            outcome, graded = future.result()
        except Exception as exc:
            reason = f"grading task failed on the cluster: {type(exc).__name__}: {exc}"
            return GradingOutcome(student, "failed", time.monotonic() - started, reason[:300])
        if graded is not None:
            try:
                write_graded(self._course, graded)
            except Exception as exc:
                outcome.status = "failed"
                outcome.reason = f"could not record the grades: {type(exc).__name__}: {exc}"[:300]
        return outcome
