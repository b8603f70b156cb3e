"""The system packages cttk uses beyond Python, how to find them, and how to install them.

Three Debian/Ubuntu packages matter: ``chromium`` (prints reports to PDF; drives the browser tests),
``bubblewrap`` (the grading sandbox's isolation layer) and ``postgresql`` (the PostgreSQL gradebook
test). Everything works without them, with less: no PDF, fewer sandbox layers, skipped tests.
``cttk system`` (run by ``make demo`` and ``make test``) installs what is missing when it can
(apt-get, as root or with password-less sudo) and otherwise says what is missing and the command
that installs it.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

#: Environment variable naming the Chromium (or Chrome) executable to use.
CHROMIUM_ENV = "CTTK_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """Chromium: ``$CTTK_CHROMIUM``, else the first of :data:`CHROMIUM_NAMES` on PATH."""
    if os.environ.get(CHROMIUM_ENV):
        return os.environ[CHROMIUM_ENV]
    return next((p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)


def find_bwrap() -> str | None:
    """bubblewrap's ``bwrap`` on PATH."""
    return shutil.which("bwrap")


def postgres_bindir() -> Path | None:
    """The folder holding PostgreSQL's server programs (``initdb``, ``pg_ctl``, ``postgres``).

    ``pg_ctl`` on PATH decides; else, where Debian's postgresql-common is on PATH
    (``pg_ctlcluster``), the newest ``/usr/lib/postgresql/<version>/bin``, which Debian keeps off
    PATH."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    if shutil.which("pg_ctlcluster") is None:
        return None
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parts[-3].split(".")],
    )
    return Path(versions[-1]).parent if versions else None


@dataclass(frozen=True)
class SystemPackage:
    """One apt package cttk can use, and what goes without it."""

    name: str  #: the apt package
    program: str  #: what the user sees is missing
    purpose: str  #: what it is for, in a few words
    find: Callable[[], object | None]
    #: the make targets that want it
    wanted_by: frozenset[str]

    def installed(self) -> bool:
        return self.find() is not None


PACKAGES: tuple[SystemPackage, ...] = (
    SystemPackage(
        name="chromium",
        program="chromium",
        purpose="prints reports to PDF and drives the browser tests",
        find=find_chromium,
        wanted_by=frozenset({"demo", "test"}),
    ),
    SystemPackage(
        name="bubblewrap",
        program="bwrap",
        purpose="isolates grading: no network, private filesystem",
        find=find_bwrap,
        wanted_by=frozenset({"demo", "test"}),
    ),
    SystemPackage(
        name="postgresql",
        program="pg_ctl",
        purpose="the PostgreSQL gradebook test",
        find=postgres_bindir,
        wanted_by=frozenset({"test"}),
    ),
)
BY_NAME = {p.name: p for p in PACKAGES}
PURPOSES = ("demo", "test")


def missing_packages(purpose: str = "test") -> list[SystemPackage]:
    """The packages ``purpose`` (``demo`` or ``test``) wants that this machine lacks."""
    return [p for p in PACKAGES if purpose in p.wanted_by and not p.installed()]


def _passwordless_sudo() -> bool:
    if shutil.which("sudo") is None:
        return False
    try:
        return (
            subprocess.run(["sudo", "-n", "true"], capture_output=True, timeout=10).returncode == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def privilege_prefix() -> list[str] | None:
    """``[]`` as root, ``["sudo"]`` with password-less sudo, None when neither."""
    if os.geteuid() == 0:
        return []
    return ["sudo"] if _passwordless_sudo() else None


def install_command(packages: Iterable[SystemPackage], *, sudo: bool | None = None) -> str:
    """The one command that installs ``packages`` (``sudo`` prefix unless running as root)."""
    as_root = os.geteuid() == 0 if sudo is None else not sudo
    names = " ".join(p.name for p in packages)
    return f"{'' if as_root else 'sudo '}apt-get install -y --no-install-recommends {names}"


def describe_missing(packages: Iterable[SystemPackage]) -> list[str]:
    """One line per missing package, then the command that installs them all."""
    packages = list(packages)
    lines = [f"missing: {p.program} (apt package {p.name}): {p.purpose}" for p in packages]
    if packages:
        lines.append(f"install them with: {install_command(packages)}")
    return lines


def can_install() -> bool:
    """apt-get is here and we are root or may use sudo without a password."""
    return shutil.which("apt-get") is not None and privilege_prefix() is not None


def install(packages: Iterable[SystemPackage], say: Callable[[str], None] = print) -> bool:
    """Install ``packages`` with apt-get; True when every one is then found."""
    packages = list(packages)
    prefix = privilege_prefix()
    if not packages or prefix is None or shutil.which("apt-get") is None:
        return not packages
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    names = [p.name for p in packages]
    say(f"installing {' '.join(names)} with apt-get ...")
    for command in (
        [*prefix, "apt-get", "update", "-q"],
        [*prefix, "apt-get", "install", "-y", "-q", "--no-install-recommends", *names],
    ):
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            say(f"{' '.join(command)} failed: {tail}")
            return False
    return all(p.installed() for p in packages)
