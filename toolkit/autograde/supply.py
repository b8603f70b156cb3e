"""The sandboxed kernels of one grading worker, each used for one notebook, the next started ahead.

Most of a small notebook's grading time is its kernel starting. While one notebook runs, the
worker already starts the kernel for its next notebook: in a fresh, empty working folder, under
the same sandbox, as the slot's other sandbox user (its *lane*). When the next notebook comes,
that kernel is handed the submission's files (copied into its working folder before any of its
cells runs, so the integrity baseline is still taken before the first cell) and is used for that
notebook only, then killed with everything it left behind. A kernel is never used twice.

Kernels are started ahead only where two kernels of a worker cannot reach each other
(:attr:`~toolkit.autograde.sandbox.SandboxPolicy.starts_ahead`): in their own bubblewrap
namespaces, or as different users. Elsewhere each kernel starts when its notebook comes, as
before, since the running kernel could otherwise reach into the next trainee's.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from jupyter_core.utils import run_sync

from toolkit.autograde.kernel import SandboxKernelManager
from toolkit.autograde.sandbox import KERNEL_LANES, SandboxPolicy

#: What nbclient passes a kernel it starts itself: no history file.
KERNEL_ARGUMENTS = ("--HistoryManager.hist_file=:memory:",)


class KernelSupply:
    """Kernels for worker ``slot``: :meth:`take` one per notebook, :meth:`release` it after."""

    def __init__(self, policy: SandboxPolicy, slot: int) -> None:
        self.policy = policy
        self.slot = slot
        self.ahead = policy.starts_ahead
        self._lane = 0
        self._spare: SandboxKernelManager | None = None
        #: Kernels started so far, and how many of them were started ahead and used.
        self.started = 0
        self.used_ahead = 0

    def _new(self) -> SandboxKernelManager:
        manager = SandboxKernelManager(
            policy=self.policy, slot=self.slot, lane=self._lane, kernel_name="python3"
        )
        self._lane = (self._lane + 1) % KERNEL_LANES
        return manager

    def _start_spare(self, arguments: list[str], current: SandboxKernelManager) -> None:
        spare = self._new()
        try:
            run_sync(spare.start_kernel)(extra_arguments=arguments)
        except Exception:
            # The notebook that needs it will start its own; the current kernel lives on.
            self._discard(spare, keep=current.pid)
            return
        self.started += 1
        self._spare = spare

    def take(self, source_dir: Path, arguments: list[str] | None = None) -> SandboxKernelManager:
        """A kernel manager for the notebook of the submission in ``source_dir``, its files in
        the working folder: the kernel started ahead if there is one and it is alive (else a
        manager whose kernel nbclient starts). With :attr:`ahead`, the next kernel is then
        started, as the other lane's user."""
        args = list(arguments if arguments is not None else KERNEL_ARGUMENTS)
        manager, self._spare = self._spare, None
        if manager is not None and not run_sync(manager.is_alive)():
            self._discard(manager, keep=None)
            manager = None
        if manager is None:
            manager = self._new()
            self.started += 1
        else:
            self.used_ahead += 1
        manager.fill(source_dir)
        if self.ahead:
            self._start_spare(args, manager)
        return manager

    def release(self, manager: SandboxKernelManager) -> None:
        """Stop ``manager``'s kernel and kill every process it left (sparing the kernel
        started ahead), then delete its folder."""
        self._discard(manager, keep=self._spare.pid if self._spare is not None else None)

    def _discard(self, manager: SandboxKernelManager, *, keep: int | None) -> None:
        with contextlib.suppress(Exception):
            if manager.has_kernel:
                run_sync(manager.shutdown_kernel)(now=True)
        manager.kill_everything(keep=keep)
        manager.remove_copy()

    def close(self) -> None:
        """Stop the kernel started ahead, if any (the worker is done)."""
        spare, self._spare = self._spare, None
        if spare is not None:
            self._discard(spare, keep=None)
