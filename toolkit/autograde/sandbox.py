"""The sandbox a trainee's kernel runs in: which layers exist here, and the command that applies them.

Layers (see docs/threat-model.md, "Sandbox layers"):

- ``rlimits``: CPU time, address space, file size, open files, processes and no core dumps, set by
  :mod:`toolkit.autograde.launcher` in the kernel's own process before it starts; always on (POSIX).
- ``process group``: the kernel starts a session of its own; everything left of it is killed
  with its group when the submission is done.
- ``working copy``: the kernel runs in a fresh temporary copy of the submission.
- ``separate user``: when cttk runs as root, the kernel runs as an unprivileged user id, one per
  worker slot, so the process limit is enforced (the kernel never counts it for root) and every
  process left behind can be killed by user id.
- ``bubblewrap``: a new mount, PID, network, IPC and UTS namespace in which only the interpreter,
  the toolkit package, the working copy and a small ``/tmp`` are visible; no network.

``auto`` uses every layer that works here and says which ones do not; ``strict`` makes a missing
layer an error; ``minimal`` uses only the first three.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from toolkit import settings
from toolkit.autograde.uids import UID_RANGE, uid_problem
from toolkit.errors import SandboxError

Mode = Literal["auto", "strict", "minimal"]
MODES: tuple[str, ...] = ("auto", "strict", "minimal")
LAUNCHER = Path(__file__).with_name("launcher.py")

# Environment variables a kernel may see; everything else (tokens, keys, passwords) is dropped.
ENV_KEEP = (
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "NBGRADER_EXECUTION",
    "PYDEVD_DISABLE_FILE_VALIDATION",
)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one kernel (bytes and seconds)."""

    cpu_seconds: int = settings.AUTOGRADE_CPU_SECONDS
    memory_bytes: int = settings.AUTOGRADE_MEMORY_BYTES
    file_bytes: int = settings.AUTOGRADE_FILE_BYTES
    open_files: int = settings.AUTOGRADE_OPEN_FILES
    processes: int = settings.AUTOGRADE_PROCESSES
    output_bytes: int = settings.AUTOGRADE_OUTPUT_BYTES
    tmp_bytes: int = settings.AUTOGRADE_TMP_BYTES

    def rlimits(self) -> dict[str, tuple[int, int]]:
        """The values handed to ``setrlimit`` by the launcher."""
        return {
            "RLIMIT_CPU": (self.cpu_seconds, self.cpu_seconds + 5),
            "RLIMIT_AS": (self.memory_bytes, self.memory_bytes),
            "RLIMIT_FSIZE": (self.file_bytes, self.file_bytes),
            "RLIMIT_NOFILE": (self.open_files, self.open_files),
            "RLIMIT_NPROC": (self.processes, self.processes),
            "RLIMIT_CORE": (0, 0),
        }


#: The first row of every summary of a batch graded with ``--no-isolation``.
NO_ISOLATION = "NO ISOLATION (--no-isolation): kernels could read the course and the network"


@dataclass(frozen=True)
class Layers:
    """Which layers are active for a batch, and why any is not."""

    bwrap: bool
    separate_user: bool
    notes: tuple[str, ...] = ()
    #: Grading without isolation, as the instructor asked (``--no-isolation``).
    no_isolation: bool = False

    @property
    def isolated(self) -> bool:
        """Whether a kernel is kept from the course, the grader and the network: bubblewrap
        works and, when cttk runs as root, kernels run as a sandbox user."""
        return self.bwrap and (self.separate_user or os.geteuid() != 0)

    def missing(self) -> str:
        """What this machine lacks for isolation, in one line."""
        return "; ".join(self.notes) or "bubblewrap is off"

    def describe(self) -> list[tuple[str, str]]:
        """(layer, state) rows for the run summary."""
        rows = [
            ("resource limits", "on (cpu, memory, file size, open files, processes, no core)"),
            ("process group + wall-clock kill", "on"),
            ("fresh working copy, stdin closed, scrubbed environment", "on"),
            ("output cap while running", "on"),
            ("separate user", "on" if self.separate_user else "off"),
            (
                "bubblewrap (no network, private filesystem, PID namespace)",
                "on" if self.bwrap else "off",
            ),
        ]
        warning = [(NO_ISOLATION, self.missing())] if self.no_isolation else []
        return [*warning, *rows, *[("note", n) for n in self.notes]]


@dataclass(frozen=True)
class SandboxPolicy:
    """Everything a worker needs to build a kernel's sandbox (picklable: sent to the workers)."""

    mode: Mode = settings.AUTOGRADE_SANDBOX
    limits: Limits = field(default_factory=Limits)
    bwrap: bool = False
    separate_user: bool = False
    wall_seconds: float = settings.AUTOGRADE_WALL_SECONDS
    uids: tuple[int, ...] = ()
    #: Start each worker's next kernel while the current one runs (see
    #: :mod:`toolkit.autograde.supply`); used only where :attr:`kernels_apart`.
    ahead: bool = settings.AUTOGRADE_KERNELS_AHEAD
    #: The grading protections: submission pre-checks, the kernel's safe import path, widget
    #: tests scored outside the kernel and the integrity probes. Off only in tests, to show
    #: what each attack earns when nothing stops it.
    protections: bool = True

    @property
    def kernels_apart(self) -> bool:
        """Whether two kernels of one worker cannot reach each other (their files, processes and
        sockets): each runs in its own bubblewrap namespaces, or as its own user."""
        return self.bwrap or self.separate_user

    @property
    def starts_ahead(self) -> bool:
        """Whether the next kernel is started while the current one runs."""
        return self.ahead and self.kernels_apart


#: Kernels of one worker alive at once: the one grading and the one started ahead. Each has a
#: sandbox user of its own, so killing what one left behind never touches the other.
KERNEL_LANES = 2


def _toolkit_dir() -> Path:
    return Path(__file__).resolve().parents[1]


def _ro_paths() -> list[Path]:
    """Folders the kernel must see read-only: the interpreter, its environment, the toolkit."""
    paths = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), _toolkit_dir()}
    paths.add(Path(sys.executable).resolve().parent.parent)
    return sorted(p for p in paths if p.exists())


def bwrap_argv(workdir: Path, rundir: Path, limits: Limits, *, as_root: bool) -> list[str]:
    """The bubblewrap prefix: a private view of the filesystem and no network."""
    exe = shutil.which("bwrap")
    if exe is None:
        raise SandboxError("bubblewrap is not installed", hint="install the bubblewrap package")
    argv = [exe, "--die-with-parent", "--unshare-pid", "--unshare-net", "--unshare-ipc"]
    argv += ["--unshare-uts", "--hostname", "sandbox"]
    if as_root:
        # Privileged bubblewrap: keep only the capabilities the launcher needs to drop to the
        # sandbox user; it loses them with the change of user.
        argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        argv += ["--unshare-user"]
    for top in ("usr", "bin", "lib", "lib64", "sbin", "etc"):
        p = Path("/") / top
        if p.is_symlink():
            argv += ["--symlink", os.readlink(p), str(p)]
        elif p.is_dir():
            argv += ["--ro-bind", str(p), str(p)]
    argv += ["--proc", "/proc", "--dev", "/dev"]
    argv += ["--perms", "1777", "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp"]
    ro = _ro_paths()
    # Folders bubblewrap creates on the way to a bind are root's, mode 0700: open them up.
    parents = {a for p in [*ro, workdir.parent, rundir.parent] for a in p.parents}
    for a in sorted(parents - {Path("/"), Path("/tmp")}, key=lambda x: len(x.parts)):
        if not any(a == p or p in a.parents for p in ro):
            argv += ["--perms", "0755", "--dir", str(a)]
    for p in ro:  # after /tmp: an environment may live under /tmp
        argv += ["--ro-bind", str(p), str(p)]
    # Bind the private folder holding both (bubblewrap would create their parent mode 0700, root's).
    for folder in sorted({workdir.parent, rundir.parent}):
        argv += ["--bind", str(folder), str(folder)]
    argv += ["--chdir", str(workdir)]
    return argv


def sandbox_uid(policy: SandboxPolicy, slot: int, lane: int = 0) -> int:
    """The user id of worker ``slot``'s kernels in ``lane`` (only used when running as root):
    the ``KERNEL_LANES`` ids leased for each slot, one after another."""
    index = slot * KERNEL_LANES + lane
    return policy.uids[index] if index < len(policy.uids) else UID_RANGE.start + index


def slot_uids(policy: SandboxPolicy, slot: int) -> list[int]:
    """Every user id worker ``slot``'s kernels may run as."""
    return [sandbox_uid(policy, slot, lane) for lane in range(KERNEL_LANES)]


class UidLease:
    """User ids reserved for one batch of ``workers`` worker slots (``KERNEL_LANES`` ids each): no
    other batch on this machine uses (or kills) them.

    A uid is held by an exclusive ``flock`` on a file named after it, released on close or when
    the process dies. An id that belongs to an account or a reserved range is skipped
    (:func:`~toolkit.autograde.uids.uid_problem`).
    """

    def __init__(self, workers: int) -> None:
        n = workers * KERNEL_LANES
        folder = Path(tempfile.gettempdir()) / "cttk-sandbox-uids"
        folder.mkdir(mode=0o700, exist_ok=True)
        self._fds: list[int] = []
        self.uids: list[int] = []
        for uid in UID_RANGE:
            if len(self.uids) == n:
                break
            if uid_problem(uid):
                continue
            fd = os.open(folder / f"{uid}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self._fds.append(fd)
            self.uids.append(uid)
        if len(self.uids) < n:
            self.close()
            raise SandboxError("no free sandbox user ids", hint="wait for other batches to finish")

    def close(self) -> None:
        for fd in self._fds:
            os.close(fd)
        self._fds, self.uids = [], []


def kernel_env(
    workdir: Path, extra: dict[str, str] | None = None, *, safe_path: bool = True
) -> dict[str, str]:
    """A scrubbed environment: no inherited secrets, single-threaded maths, headless plotting,
    and (``safe_path``) nothing beside the notebook importable ahead of the installed packages,
    in the kernel (IPython honours it too) or in any Python it starts."""
    env = {k: os.environ[k] for k in ENV_KEEP if k in os.environ}
    if safe_path:
        env["PYTHONSAFEPATH"] = "1"
    env.update(
        {
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
            "HOME": str(workdir),
            "TMPDIR": "/tmp",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "MPLCONFIGDIR": "/tmp",
            "IPYTHONDIR": "/tmp/.ipython",
            "JUPYTER_PLATFORM_DIRS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONNOUSERSITE": "1",
        }
    )
    env.update(extra or {})
    return env


def launch_argv(
    kernel_cmd: list[str],
    workdir: Path,
    rundir: Path,
    policy: SandboxPolicy,
    slot: int,
    lane: int = 0,
) -> list[str]:
    """The full command that starts ``kernel_cmd`` inside every active layer."""
    as_root = os.geteuid() == 0
    uid = sandbox_uid(policy, slot, lane) if policy.separate_user else None
    spec = {
        "uid": uid,
        "gid": uid,
        "cwd": str(workdir),
        "log": str(rundir / "kernel.log"),
        "rlimits": policy.limits.rlimits(),
    }
    inner = [sys.executable, "-I", str(LAUNCHER), json.dumps(spec), "--", *kernel_cmd]
    if policy.bwrap:
        return [*bwrap_argv(workdir, rundir, policy.limits, as_root=as_root), "--", *inner]
    return inner


def kill_user(uid: int) -> None:
    """Kill every process of ``uid`` (root only): a child becomes ``uid`` and signals all of them.

    Raises:
        SandboxError: ``uid`` is not a free sandbox id (an account's, or a reserved one).
    """
    problem = uid_problem(uid)
    if problem:
        raise SandboxError(f"refusing to kill the processes of {problem}")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


PR_SET_CHILD_SUBREAPER = 36
#: Whether this process is a grading worker that reaps its orphans (see :func:`become_subreaper`).
_SUBREAPER = False


def become_subreaper() -> None:
    """Make this process the reaper of its orphaned descendants (Linux): a process that a kernel
    starts and that leaves its session (``setsid``, a double fork, ``cwd /``) is re-parented to
    this process instead of init, so :func:`kill_descendants` still finds it."""
    global _SUBREAPER
    with contextlib.suppress(OSError, AttributeError):
        _SUBREAPER = (
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
        )


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid``."""
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_descendants(rounds: int = 20, *, keep: int | None = None) -> None:
    """Kill every descendant of this process, again until none is left (a process may fork while
    its siblings die), and reap them; except ``keep`` and the processes below it (the kernel
    started ahead for the next notebook). With :func:`become_subreaper`, that includes every
    process a kernel started, wherever it moved to: an orphan is re-parented to this process,
    never below ``keep``. Does nothing in any other process (a test runner that drives the
    executor itself has children of its own)."""
    if not _SUBREAPER:
        return
    me = os.getpid()
    for _ in range(rounds):
        spared = {keep, *descendants(keep)} if keep else set()
        pids = [p for p in descendants(me) if p not in spared]
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for pid in pids:  # reap only what was killed: the spare is a child too
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


def make_kernel_dirs(slot: int) -> tuple[Path, Path, Path]:
    """Create a new private temporary folder for one kernel of worker ``slot``.

    Returns ``(base, work, run)``: the folder, its ``work`` subfolder (the kernel's working
    folder, empty: the submission's files are copied there) and its ``run`` subfolder
    (connection file and kernel log). :func:`hand_over` gives them to the sandbox user.
    """
    base = Path(tempfile.mkdtemp(prefix=f"cttk-sandbox-{slot}-"))
    work, run = base / "work", base / "run"
    work.mkdir()
    run.mkdir()
    return base, work, run


def hand_over(base: Path, policy: SandboxPolicy, slot: int, lane: int = 0) -> None:
    """Give the sandbox user of ``slot`` and ``lane`` the working copy and the run folder."""
    if not policy.separate_user:
        return
    uid = sandbox_uid(policy, slot, lane)
    for dirpath, _dirs, files in os.walk(base):
        os.chown(dirpath, uid, uid)
        for f in files:
            os.chown(os.path.join(dirpath, f), uid, uid)


def _probe(argv: list[str], env: dict[str, str]) -> tuple[bool, str]:
    try:
        proc = subprocess.run(
            argv,
            env=env,
            capture_output=True,
            text=True,
            timeout=settings.AUTOGRADE_LAYER_CHECK_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return False, str(exc)
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        return False, lines[-1] if lines else f"exit status {proc.returncode}"
    return True, ""


@cache
def _works(bwrap: bool, separate_user: bool) -> tuple[bool, str]:
    """Start the real interpreter through the candidate layers and import ipykernel there."""
    lease = UidLease(1) if separate_user else None
    policy = SandboxPolicy(
        bwrap=bwrap, separate_user=separate_user, uids=tuple(lease.uids if lease else ())
    )
    base, work, run = make_kernel_dirs(0)
    try:
        hand_over(base, policy, 0)
        cmd = [sys.executable, "-c", "import ipykernel, toolkit.exercises.grading"]
        argv = launch_argv(cmd, work, run, policy, 0)
        ok, why = _probe(argv, kernel_env(work))
        if not ok and (run / "kernel.log").is_file():
            log = (run / "kernel.log").read_text(errors="replace").strip().splitlines()
            why = log[-1] if log else why
        return ok, why
    finally:
        shutil.rmtree(base, ignore_errors=True)
        if lease:
            lease.close()


def detect(mode: Mode) -> Layers:
    """Which layers work here for ``mode``; a layer ``strict`` needs but cannot have is an error."""
    if mode not in MODES:
        raise SandboxError(f"unknown sandbox mode {mode!r}", hint="use auto, strict or minimal")
    if mode == "minimal":
        return Layers(bwrap=False, separate_user=False, notes=("minimal sandbox requested",))
    notes: list[str] = []
    as_root = os.geteuid() == 0
    separate_user = False
    if as_root:
        separate_user, why = _works(False, True)
        if not separate_user:
            notes.append(f"separate user unavailable without bubblewrap: {why}")
    else:
        notes.append("separate user: not running as root, kernels run as the current user")
    bwrap = False
    if shutil.which("bwrap") is None:
        notes.append("bubblewrap is not installed")
    else:
        bwrap, why = _works(True, as_root)
        if bwrap and as_root:
            separate_user = True
            notes[:] = [n for n in notes if not n.startswith("separate user unavailable")]
        if not bwrap:
            notes.append(f"bubblewrap does not work here: {why}")
    if as_root and not separate_user:
        notes.append("running as root without a separate user: the process limit is not enforced")
    if mode == "strict" and not Layers(bwrap, separate_user).isolated:
        raise SandboxError(
            "the strict sandbox is not available: " + "; ".join(notes),
            hint="install bubblewrap and allow user namespaces, or use --sandbox auto",
        )
    return Layers(bwrap=bwrap, separate_user=separate_user, notes=tuple(notes))


def require_isolation(layers: Layers, *, no_isolation: bool) -> Layers:
    """``layers`` if they isolate kernels; else, with ``no_isolation``, the same layers marked
    so that every summary says so.

    Raises:
        SandboxError: kernels would not be isolated and the instructor did not accept that.
    """
    if layers.isolated:
        return layers
    if not no_isolation:
        raise SandboxError(
            "kernels cannot be isolated on this machine: " + layers.missing(),
            hint="install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow "
            "unprivileged user namespaces, or run as root; or pass --no-isolation to grade "
            "trusted submissions with the layers this machine has",
        )
    return dataclasses.replace(layers, no_isolation=True)
