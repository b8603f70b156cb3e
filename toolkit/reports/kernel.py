"""The kernel a report runs in: local, reached over Unix sockets in a private folder.

A report kernel holds the gradebook's data (with ``--names``, trainees' names). Over TCP on
127.0.0.1 any local user could connect to it while it runs (and ipykernel warns about it on
every start); a socket in a folder only this user can open is reachable by this user only.
"""

from __future__ import annotations

import shutil
import tempfile
import typing as t
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager


class PrivateKernelManager(AsyncKernelManager):
    """An ipykernel whose sockets and connection file live in a new mode-0700 folder, removed
    when the kernel is shut down."""

    def __init__(self, **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        self._folder = Path(tempfile.mkdtemp(prefix="cttk-report-kernel-"))
        self.transport = "ipc"
        self.ip = str(self._folder / "k")
        self.connection_file = str(self._folder / "kernel.json")

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._folder, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources  # type: ignore[assignment]
