"""One grading worker: imports nbgrader once, then grades submissions one after another.

Each submission is graded by nbgrader's own ``Autograde`` converter, configured exactly as the
course configures it, except that its ``Execute`` preprocessor is a :class:`SandboxedExecute`
made for that submission: the worker reads the submission's findings from it. The
SQLite gradebook is shared by every worker: each connection waits up to a minute for a lock
instead of failing at once, and a submission whose grading still hit "database is locked" is
graded again (nbgrader's writes are idempotent updates, so nothing is doubled).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import settings
from toolkit.autograde.sandbox import become_subreaper
from toolkit.autograde.supply import KernelSupply
from toolkit.course.nbgrader_ops import load_config, quiet_nbgrader

if TYPE_CHECKING:
    from toolkit.autograde.sandbox import SandboxPolicy


@dataclass
class GradingOutcome:
    """What a worker reports about one submission."""

    student: str
    status: str  # "graded" or "failed"
    seconds: float
    reason: str = ""
    findings: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _reason(lines: list[str], exc: BaseException) -> str:
    """One line saying why nbgrader failed: the last line of the last traceback it logged."""
    for message in reversed(lines):
        if "Traceback" in message:
            tail = [ln for ln in message.strip().splitlines() if ln.strip()]
            if tail:
                return tail[-1].strip()[:300]
    skip = ("Please see", "There was an error processing", "Removing failed")
    for message in reversed(lines):
        if message.strip() and not message.startswith(skip):
            return " ".join(message.split())[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


def _sqlite_waits() -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _busy(dbapi_connection: Any, _record: Any) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {settings.AUTOGRADE_DB_BUSY_MS}")
            cursor.close()


class Grader:
    """nbgrader, imported and configured once per process."""

    def __init__(self, root: Path, policy: SandboxPolicy, slot: int, timeout: int | None) -> None:
        from toolkit.course.nbgrader_ops import ensure_tools_on_path

        ensure_tools_on_path()
        from nbgrader.converters import Autograde

        _sqlite_waits()
        self.root = root
        self.policy = policy
        self.slot = slot
        self.config = load_config(root)
        if timeout is not None:
            self.config.Execute.timeout = timeout
        self._preprocessors = Autograde.class_traits()["autograde_preprocessors"].default()
        #: This worker's kernels: the next one starts while a notebook runs.
        self.supply = KernelSupply(policy, slot)

    def close(self) -> None:
        """Stop the kernel started ahead (the worker is done)."""
        self.supply.close()

    def grade(self, assignment: str, student: str) -> GradingOutcome:
        """Autograde one submission; never raises for a bad submission."""
        start = time.perf_counter()
        for _attempt in range(settings.AUTOGRADE_DB_ATTEMPTS):
            ok, reason, findings = self._grade_once(assignment, student)
            if ok or "database is locked" not in reason:
                break
        status = "graded" if ok else "failed"
        return GradingOutcome(student, status, time.perf_counter() - start, reason, findings)

    def _grade_once(self, assignment: str, student: str) -> tuple[bool, str, list[str]]:
        """One run of nbgrader's converter: (graded, why not, findings of the sandboxed run)."""
        from nbgrader.converters import Autograde
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.preprocessors import Execute

        from toolkit.autograde.client import SandboxedExecute

        coursedir = CourseDirectory(config=self.config)
        coursedir.assignment_id = assignment
        coursedir.student_id = student
        app = Autograde(coursedir=coursedir, config=self.config)
        app.force = True
        app.create_student = True
        executor = SandboxedExecute(
            parent=app,
            policy=self.policy,
            slot=self.slot,
            source_dir=coursedir.format_path(coursedir.source_directory, ".", assignment),
            supply=self.supply,
        )
        if not self.policy.protections:
            executor.integrity_probes = executor.score_outside = False
        app.autograde_preprocessors = [
            executor if pp is Execute else pp for pp in self._preprocessors
        ]
        collect = _Collect()
        app.log.addHandler(collect)
        try:
            app.start()
        except Exception as exc:
            return False, _reason(collect.lines, exc), executor.findings
        finally:
            app.log.removeHandler(collect)
        return True, "", executor.findings


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, int(signal.SIGKILL), 0, 0, 0)


def worker_main(
    conn: Any, root: str, policy: SandboxPolicy, slot: int, timeout: int | None
) -> None:
    """Entry point of a worker process: ``("grade", assignment, student)`` in, GradingOutcome out."""
    _die_with_parent()
    become_subreaper()  # processes a kernel leaves behind stay below this worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    quiet_nbgrader()
    try:
        grader = Grader(Path(root), policy, slot, timeout)
    except Exception as exc:
        conn.send(("broken", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", slot))
    try:
        while True:
            try:
                task = conn.recv()
            except EOFError:
                return
            if task is None:
                return
            _, assignment, student = task
            conn.send(("done", grader.grade(assignment, student)))
    finally:
        grader.close()
