"""The first process of a sandboxed kernel: drop privileges, set limits, then exec the kernel.

It runs as a plain script (``python -I launcher.py SPEC -- KERNEL ARGV...``), inside bubblewrap when
that layer is active, and imports nothing from the package, so it works with only the interpreter
visible. ``SPEC`` is JSON written by :mod:`toolkit.autograde.sandbox`::

    {"uid": 60001 | null, "gid": 60001 | null, "cwd": "...", "log": "...",
     "rlimits": {"RLIMIT_CPU": [soft, hard], ...}}

Order matters: the user is changed first (so that the process limit is counted against the
sandbox user and the parent-death signal is not cleared by the credential change), then the
parent-death signal, then the limits, then the standard streams, then ``exec``.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38


def _prctl(option: int, value: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(option, value, 0, 0, 0)


def main(argv: list[str]) -> None:
    """Apply the spec in ``argv[1]`` and exec the command after ``--``."""
    spec = json.loads(argv[1])
    command = argv[argv.index("--") + 1 :]
    if spec.get("uid") is not None:
        os.setgroups([])
        os.setgid(int(spec["gid"]))
        os.setuid(int(spec["uid"]))
    _prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    for name, (soft, hard) in spec.get("rlimits", {}).items():
        resource.setrlimit(getattr(resource, name), (int(soft), int(hard)))
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    log = os.open(spec["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.chdir(spec["cwd"])
    # The kernel's lifetime is tied to the grader by the parent-death signal (and bubblewrap's
    # --die-with-parent); ipykernel's own parent poller misreads a PID namespace, so it is off.
    env = {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"}
    os.execve(command[0], command, env)


if __name__ == "__main__":
    main(sys.argv)
