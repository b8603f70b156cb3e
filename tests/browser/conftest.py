"""A throw-away nbgrader course and a JupyterLab server for the browser tests.

The server runs on 127.0.0.1 with a random token and a free port, in its own process group with
its own configuration, data and runtime folders, and is killed (with its kernels) when the test
ends, whatever happened.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "widgets"
ASSIGNMENT = "every_widget"
NBGRADER_CONFIG = """\
c = get_config()
c.CourseDirectory.course_id = "cttk"
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = {db!r}
c.Autograde.exclude_overwriting = {{{assignment!r}: ["cttk_responses.json"]}}
c.Execute.timeout = 60
c.Execute.allow_errors = True
"""


@dataclass(frozen=True)
class Lab:
    url: str
    token: str
    root: Path

    def notebook_url(self, relative: str) -> str:
        return f"{self.url}/lab/tree/{relative}?token={self.token}"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course root holding the every-widget fixture as ``source/every_widget/``, released with
    nbgrader."""
    from toolkit.course.nbgrader_ops import release_assignments

    root = tmp_path / "course"
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(FIXTURES / "every_widget.ipynb", root / "source" / ASSIGNMENT)
    (root / "nbgrader_config.py").write_text(
        NBGRADER_CONFIG.format(
            root=str(root), db=f"sqlite:///{root / 'gradebook.db'}", assignment=ASSIGNMENT
        )
    )
    release_assignments(root, [ASSIGNMENT])
    return root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"JupyterLab did not answer in {timeout} s:\n{log.read_text()[-3000:]}")


def _stop(proc: subprocess.Popen[bytes], url: str, token: str) -> None:
    """Ask the server to shut down (it stops its kernels), then kill its process group."""
    if proc.poll() is not None:
        return
    request = urllib.request.Request(
        f"{url}/api/shutdown", method="POST", headers={"Authorization": f"token {token}"}
    )
    try:
        urllib.request.urlopen(request, timeout=5).close()
        proc.wait(timeout=15)
        return
    except (OSError, subprocess.TimeoutExpired):
        pass
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


#: The trainee's hub user name in the lab (and their nbgrader student id).
TRAINEE = "trainee01"


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    """A JupyterLab server serving ``tmp_path / "lab"``, killed at the end even on failure."""
    root = tmp_path / "lab"
    root.mkdir()
    home = tmp_path / "jupyter"
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        JUPYTERHUB_USER=TRAINEE,  # as on a hub: the widgets draw their option order from it
        PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
    )
    token, port = secrets.token_hex(16), _free_port()
    log = tmp_path / "jupyterlab.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI runners often run as root
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{url}/api/status?token={token}", proc, log, timeout=60)
        yield Lab(url=url, token=token, root=root)
    finally:
        _stop(proc, url, token)


def chromium_path() -> str:
    """Chromium to drive (Playwright cannot download its own here): $CTTK_CHROMIUM or on PATH."""
    for candidate in (os.environ.get("CTTK_CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    pytest.fail("no Chromium found: install it (apt-get install chromium) or set CTTK_CHROMIUM")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember each phase's report on the test item, so fixtures can see whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report
