"""Run notebooks through one worker's kernel supply, in a process of its own that reaps orphans
as a grading worker does (for the kernels-started-ahead tests)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nbformat

#: The cells each notebook runs: the kernel's age when its first cell runs, the files in its
#: working folder, whether anything of an earlier notebook is left in the kernel or its /tmp,
#: then a pause while the next kernel starts.
CELLS = [
    "import os, time\n"
    "tick = os.sysconf('SC_CLK_TCK')\n"
    "born = int(open('/proc/self/stat').read().rsplit(')', 1)[1].split()[19]) / tick\n"
    "print(round(float(open('/proc/uptime').read().split()[0]) - born, 2))",
    "print(sorted(os.listdir('.')))",
    "import tempfile\nmark = os.path.join(tempfile.gettempdir(), 'left-behind')\n"
    "print('carried' in globals(), os.path.exists(mark))",
    "carried = 1\nopen(mark, 'w').close()",
    "time.sleep({pause})",
]


def run_notebooks(folders: list[str], pause: float, ahead: bool) -> dict[str, object]:
    """Execute the notebook of :data:`CELLS` once per folder (each folder a submission), with
    one :class:`~toolkit.autograde.supply.KernelSupply`, the way a grading worker does.

    Returns each notebook's printed lines, the supply's counters, and the processes left below
    this process after the supply is closed.
    """
    from toolkit.autograde.client import SandboxedExecute
    from toolkit.autograde.sandbox import (
        SandboxPolicy,
        UidLease,
        become_subreaper,
        descendants,
        detect,
    )
    from toolkit.autograde.supply import KernelSupply

    sandboxes = Path(tempfile.gettempdir())
    before = set(sandboxes.glob("cttk-sandbox-0-*"))
    become_subreaper()
    layers = detect("auto")
    lease = UidLease(1) if layers.separate_user else None
    policy = SandboxPolicy(
        bwrap=layers.bwrap,
        separate_user=layers.separate_user,
        uids=tuple(lease.uids if lease else ()),
        wall_seconds=120,
        ahead=ahead,
    )
    supply = KernelSupply(policy, 0)
    printed: list[list[str]] = []
    try:
        for folder in folders:
            executor = SandboxedExecute(policy=policy, supply=supply, integrity_probes=False)
            nb = nbformat.v4.new_notebook(
                cells=[nbformat.v4.new_code_cell(c.format(pause=pause)) for c in CELLS]
            )
            resources = {"nbgrader": {"notebook": "n"}, "metadata": {"path": folder}}
            executor.preprocess(nb, resources)
            printed.append(
                [
                    o.get("text", "").strip()
                    for cell in nb.cells
                    for o in cell.outputs
                    if o.get("output_type") == "stream"
                ]
            )
    finally:
        supply.close()
        if lease:
            lease.close()
    return {
        "printed": printed,
        "started": supply.started,
        "used_ahead": supply.used_ahead,
        "left": descendants(os.getpid()),
        "folders_left": sorted(str(p) for p in set(sandboxes.glob("cttk-sandbox-0-*")) - before),
    }
