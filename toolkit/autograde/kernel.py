"""A kernel manager that starts every kernel inside the sandbox of :mod:`.sandbox`.

It ignores the notebook's kernelspec (a foreign or forged kernelspec cannot choose the program
that runs): the kernel is always this interpreter's ipykernel. It talks to the kernel over Unix
sockets in a private run folder, so the kernel needs no network even when it has none.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import typing as t
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Instance, Integer

from toolkit.autograde.sandbox import (
    SandboxPolicy,
    hand_over,
    kernel_env,
    kill_descendants,
    kill_user,
    launch_argv,
    make_kernel_dirs,
    sandbox_uid,
)


class SandboxKernelManager(AsyncKernelManager):
    """An ipykernel started through the launcher (and bubblewrap) in a fresh, empty working
    folder, into which one submission's files are copied (:meth:`fill`): before the kernel
    starts, or after, when it was started ahead (:mod:`toolkit.autograde.supply`)."""

    policy = Instance(SandboxPolicy)
    slot = Integer(0)
    lane = Integer(0, help="Which of the slot's sandbox users runs this kernel.")

    def __init__(self, **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        self.base, self.workdir, self.rundir = make_kernel_dirs(self.slot)
        hand_over(self.base, self.policy, self.slot, self.lane)
        self.transport = "ipc"
        self.ip = str(self.rundir / "k")
        self.connection_file = str(self.rundir / "kernel.json")

    def fill(self, source_dir: Path) -> None:
        """Copy the submission in ``source_dir`` into the working folder (links copied as
        links, never followed) and give it to the sandbox user."""
        shutil.copytree(source_dir, self.workdir, symlinks=True, dirs_exist_ok=True)
        hand_over(self.base, self.policy, self.slot, self.lane)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """Always this interpreter's ipykernel, whatever the notebook asked for, with a safe
        import path (``-P``: the working copy is not put ahead of the installed packages)."""
        safe = ["-P"] if self.policy.protections else []
        cmd = [sys.executable, *safe, "-m", "ipykernel_launcher", "-f", self.connection_file]
        return cmd + list(extra_arguments or [])

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: t.Any) -> None:
        if self.policy.separate_user:
            uid = sandbox_uid(self.policy, self.slot, self.lane)
            os.chown(self.connection_file, uid, uid)
        kw["cwd"] = str(self.workdir)
        env = {"NBGRADER_EXECUTION": os.environ.get("NBGRADER_EXECUTION", "")}
        kw["env"] = kernel_env(
            self.workdir,
            {k: v for k, v in env.items() if v},
            safe_path=self.policy.protections,
        )
        argv = launch_argv(kernel_cmd, self.workdir, self.rundir, self.policy, self.slot, self.lane)
        await super()._async_launch_kernel(argv, **kw)

    @property
    def pid(self) -> int | None:
        """The process the kernel was launched as (bubblewrap or the launcher), while it runs."""
        process = getattr(self.provisioner, "process", None)
        return getattr(process, "pid", None)

    def kill_everything(self, *, keep: int | None = None) -> None:
        """Kill the kernel's process group, with a separate user every process of that user, and
        every process below the grading worker (which is their subreaper: see
        :func:`~toolkit.autograde.sandbox.become_subreaper`), except the process ``keep`` and
        those below it (the kernel started ahead, which runs as the other lane's user). Never by
        working folder: a process can leave that."""
        pgid = getattr(self.provisioner, "pgid", None)
        if pgid:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
        if self.policy.separate_user:
            kill_user(sandbox_uid(self.policy, self.slot, self.lane))
        kill_descendants(keep=keep)

    def remove_copy(self) -> None:
        """Delete the working copy and run folder."""
        shutil.rmtree(self.base, ignore_errors=True)
