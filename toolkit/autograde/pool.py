"""A small pool of worker processes that survives its workers.

Unlike ``concurrent.futures``, one worker that crashes or hangs costs only the submission it was
grading: the worker is killed (its kernels die with it), the submission is recorded as failed
with the reason, and a fresh worker takes the slot.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from toolkit import settings
from toolkit.autograde.sandbox import SandboxPolicy, kill_user, slot_uids
from toolkit.autograde.worker import GradingOutcome, worker_main


@dataclass
class _Slot:
    index: int
    process: Any
    conn: Connection
    ready: bool = False
    task: str | None = None
    started: float = 0.0


class WorkerPool:
    """``workers`` processes grading ``assignment`` submissions."""

    def __init__(
        self,
        workers: int,
        *,
        root: str,
        policy: SandboxPolicy,
        timeout: int | None,
    ) -> None:
        self._ctx = mp.get_context("spawn")
        self._root = root
        self._timeout = timeout
        #: A worker busy with one submission for longer than this has hung: it is killed.
        self._hard = policy.wall_seconds * 2 + settings.AUTOGRADE_HANG_MARGIN_SECONDS
        self._policy = policy
        self._slots = [self._spawn(i) for i in range(workers)]

    def _spawn(self, index: int) -> _Slot:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=worker_main,
            args=(child, self._root, self._policy, index, self._timeout),
            daemon=True,
        )
        proc.start()
        child.close()
        return _Slot(index, proc, parent, started=time.monotonic())

    def _kill(self, slot: _Slot) -> None:
        slot.process.kill()
        slot.process.join(5)
        if self._policy.separate_user:
            for uid in slot_uids(self._policy, slot.index):
                kill_user(uid)
        slot.conn.close()

    def run(
        self,
        assignment: str,
        students: Iterable[str],
        on_done: Callable[[GradingOutcome], None],
        *,
        keep: bool = False,
    ) -> None:
        """Grade every student, calling ``on_done`` (in this process) as each finishes.

        The workers stop when it returns, unless ``keep`` (another batch follows; the caller
        then calls :meth:`close`). They always stop when it raises."""
        queue = deque(students)
        busy = 0
        try:
            while queue or busy:
                for slot in self._slots:
                    if slot.ready and slot.task is None and queue:
                        slot.task = queue.popleft()
                        slot.started = time.monotonic()
                        slot.conn.send(("grade", assignment, slot.task))
                        busy += 1
                ready = wait([s.conn for s in self._slots], timeout=1.0)
                for i, slot in enumerate(self._slots):
                    waited = time.monotonic() - slot.started
                    if slot.conn in ready:
                        try:
                            msg = slot.conn.recv()
                        except (EOFError, OSError):
                            msg = ("crashed", "the grading worker exited unexpectedly")
                        kind = msg[0]
                        if kind == "ready":
                            slot.ready = True
                        elif kind == "done":
                            slot.task, busy = None, busy - 1
                            on_done(msg[1])
                        else:
                            if kind == "broken":
                                raise RuntimeError(f"a grading worker could not start: {msg[1]}")
                            busy -= self._fail(i, msg[1], on_done)
                    elif slot.task is not None and waited > self._hard:
                        busy -= self._fail(i, f"hung for over {self._hard:g} s; killed", on_done)
                    elif not slot.ready and waited > settings.AUTOGRADE_WORKER_START_SECONDS:
                        raise RuntimeError("a grading worker did not start in time")
        except BaseException:
            keep = False
            raise
        finally:
            if not keep:
                self.close()

    def _fail(self, i: int, reason: str, on_done: Callable[[GradingOutcome], None]) -> int:
        slot = self._slots[i]
        task = slot.task
        if not slot.ready:
            raise RuntimeError(f"a grading worker exited while starting: {reason}")
        self._kill(slot)
        self._slots[i] = self._spawn(i)
        if task is None:
            return 0
        on_done(GradingOutcome(task, "failed", time.monotonic() - slot.started, reason))
        return 1

    def close(self) -> None:
        """Stop every worker (politely, then not)."""
        for slot in self._slots:
            with contextlib.suppress(OSError, ValueError):
                slot.conn.send(None)
        for slot in self._slots:
            slot.process.join(10)
            if slot.process.is_alive():
                self._kill(slot)
