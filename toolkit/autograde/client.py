"""nbgrader's Execute preprocessor, run in the sandbox, with caps and verification around it.

It is nbgrader's own ``Execute`` (so timeouts, interrupts and the error recorded for a cell that
fails are nbgrader's), with these additions:

- the kernel is a :class:`~toolkit.autograde.kernel.SandboxKernelManager` (fresh working copy,
  resource limits, separate user, bubblewrap), from the worker's
  :class:`~toolkit.autograde.supply.KernelSupply` (started ahead, used once);
- output is capped while a cell runs: stream text and rich output beyond ``output_bytes`` per cell
  are dropped and replaced by one marker (stderr keeps a marker, so it still zeroes the cell);
- a wall-clock cap for the whole notebook: each cell's timeout is cut to what is left, and once it
  is spent the remaining cells are not run;
- a kernel that dies (memory, ``os._exit``) or cannot be interrupted is killed; the cell and every
  later cell get an error output saying why ("kernel died at cell N"), so they score 0, and the
  cells before keep their scores;
- grade cells are verified as described in :mod:`toolkit.autograde.verify`.

The grading worker creates one instance per submission and hands it to nbgrader's ``Autograde``
converter; every reason is collected, as ``notebook: reason``, in that instance's ``findings``,
which the worker reads when the converter is done. Nothing is shared between submissions.
"""

from __future__ import annotations

import time
import typing as t
from dataclasses import replace
from pathlib import Path

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Instance, Integer, Unicode

from toolkit import settings
from toolkit.autograde import scoring, verify
from toolkit.autograde.kernel import SandboxKernelManager
from toolkit.autograde.sandbox import SandboxPolicy
from toolkit.autograde.supply import KERNEL_ARGUMENTS, KernelSupply
from toolkit.errors import CttkError

MARKER = "\n... output capped by cttk at {n} bytes ...\n"


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(
        output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


def _size(out: NotebookNode) -> int:
    if out.get("output_type") == "stream":
        return len(out.get("text", ""))
    data = out.get("data", {})
    return sum(len(str(v)) for v in data.values()) if isinstance(data, dict) else 0


class SandboxedExecute(Execute):
    """Execute a submission's notebook in the sandbox (see the module docstring)."""

    policy = Instance(SandboxPolicy, args=(), help="The sandbox every kernel runs in.")
    slot = Integer(0, help="The worker slot (chooses the sandbox user).")
    integrity_probes = Bool(
        True,
        help="Run the integrity checks of toolkit.autograde.verify (canary, fingerprint, expected "
        "result) around grade cells; off only to show, in tests, what they stop.",
    ).tag(config=True)
    score_outside = Bool(
        True,
        help="Score the hidden tests that only grade saved widget answers in the grading process, "
        "from the response file as handed in (toolkit.autograde.scoring), instead of in the "
        "kernel; off only to show, in tests, what it stops.",
    ).tag(config=True)
    source_dir = Unicode("", help="The assignment's folder in source/ (where keys are read).")
    supply = Instance(
        KernelSupply,
        allow_none=True,
        help="The worker's kernels (one started ahead); without it each notebook's kernel "
        "starts when the notebook comes.",
    )

    def __init__(self, **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        #: What went wrong, as ``notebook: reason``, in every notebook this instance executed.
        self.findings: list[str] = []
        self.timeout_func = self._cell_timeout

    def preprocess(
        self, nb: NotebookNode, resources: t.Any = None, km: t.Any = None
    ) -> tuple[NotebookNode, t.Any]:
        self._notebook = str(resources.get("nbgrader", {}).get("notebook", "notebook"))
        self._stopped: str | None = None
        self._baseline: verify.Fingerprint | None = None
        self._deadline = time.monotonic() + self.policy.wall_seconds
        source_dir = Path(resources.get("metadata", {}).get("path") or ".")
        self._keyed: dict[str, tuple[scoring.GraderCall, ...]] = {}
        if self.score_outside and self.source_dir:
            self._keyed = scoring.keyed_cells(Path(self.source_dir) / f"{self._notebook}.ipynb")
        # Before any trainee code runs: the answers as handed in.
        self._snapshot = scoring.take_snapshot(source_dir)
        supply = self.supply or KernelSupply(replace(self.policy, ahead=False), self.slot)
        arguments = [*self.extra_arguments, *KERNEL_ARGUMENTS]
        manager = supply.take(source_dir, arguments)
        meta = resources.setdefault("metadata", {})
        original_path = meta.get("path")
        meta["path"] = str(manager.workdir)
        try:
            return super().preprocess(nb, resources, km=manager)
        finally:
            scoring.remove_snapshot(self._snapshot)
            meta["path"] = original_path
            if self.kc is not None:
                self.kc.stop_channels()
            supply.release(manager)

    def _found(self, reason: str) -> None:
        self.findings.append(f"{self._notebook}: {reason}")

    # ----------------------------------------------------------------- timeouts and output cap

    def _cell_timeout(self, cell: NotebookNode) -> int | None:
        """nbclient's ``timeout_func``: the cell timeout, cut to what is left of the wall clock."""
        left = max(1, int(self._deadline - time.monotonic()))
        base = self.timeout  # type: ignore[has-type]
        return left if not base or base < 0 else min(base, left)

    def output(
        self,
        outs: list[NotebookNode],
        msg: dict[str, t.Any],
        display_id: str | None,
        cell_index: int,
    ) -> NotebookNode | None:
        cap = self.policy.limits.output_bytes
        used = sum(_size(o) for o in outs)
        kind = msg["msg_type"]
        if kind in ("stream", "display_data", "execute_result") and used >= cap:
            if kind == "stream" and msg["content"].get("name") == "stderr":
                self._mark_capped(outs, "stderr", cap)
            self._mark_capped(outs, "stdout", cap)
            return None
        out = super().output(outs, msg, display_id, cell_index)
        if out is not None and _size(out) + used > cap:
            if out.get("output_type") == "stream":
                out["text"] = out["text"][: max(0, cap - used)]
                self._mark_capped(outs, out.get("name", "stdout"), cap)
            elif out.get("output_type") in ("display_data", "execute_result"):
                out["data"] = {"text/plain": "[output too large: removed by cttk]"}
        return out

    @staticmethod
    def _mark_capped(outs: list[NotebookNode], name: str, cap: int) -> None:
        marker = MARKER.format(n=cap)
        for o in outs:
            if (
                o.get("output_type") == "stream"
                and o.get("name") == name
                and o["text"].endswith(marker)
            ):
                return
        outs.append(NotebookNode(output_type="stream", name=name, text=marker))

    # ----------------------------------------------------------------- cells

    def _run_probe(self, index: int, *, baseline: bool) -> verify.Fingerprint | str:
        nonce = verify.new_nonce()
        cell = NotebookNode(
            cell_type="code",
            source=verify.probe_code(nonce, baseline=baseline),
            metadata={},
            outputs=[],
            execution_count=None,
        )
        saved = self.timeout  # type: ignore[has-type]
        self.timeout = settings.AUTOGRADE_PROBE_TIMEOUT
        try:
            self.execute_cell(cell, index, store_history=False)
        finally:
            self.timeout = saved
        return verify.read_probe(cell.outputs, nonce)

    def _stop(self, cell: NotebookNode, index: int, why: str) -> None:
        self._stopped = f"{why} at cell {index}"
        self._found(self._stopped)
        assert self.km is not None
        t.cast(SandboxKernelManager, self.km).kill_everything()
        cell.outputs = [_error("KernelStopped", self._stopped), *cell.get("outputs", [])]

    def preprocess_cell(
        self, cell: NotebookNode, resources: t.Any, index: int
    ) -> tuple[NotebookNode, t.Any]:
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if self._stopped:
            cell.outputs = [_error("NotRun", f"not run: {self._stopped}")]
            return cell, resources
        if time.monotonic() >= self._deadline:
            self._stop(cell, index, f"wall-clock cap of {self.policy.wall_seconds:g} s reached")
            return cell, resources
        is_grade = bool(cell.metadata.get("nbgrader", {}).get("grade"))
        grade_id = str(cell.metadata.get("nbgrader", {}).get("grade_id", "?"))
        if is_grade and grade_id in self._keyed:
            self._score_outside(cell, grade_id)
            return cell, resources
        problem: str | None = None
        try:
            if self.integrity_probes and self._baseline is None:
                first = self._run_probe(index, baseline=True)
                if isinstance(first, str):
                    raise DeadKernelError(f"the kernel failed its first integrity probe: {first}")
                foreign = verify.foreign_modules(first)
                if foreign:
                    raise DeadKernelError(
                        "the kernel did not load the installed toolkit: " + ", ".join(foreign[:3])
                    )
                self._baseline = first
            if self.integrity_probes and is_grade:
                now = self._run_probe(index, baseline=False)
                if isinstance(now, str):
                    problem = now
                else:
                    assert self._baseline is not None
                    changed = verify.compare(self._baseline, now)
                    if changed:
                        shown = ", ".join(changed[:4]) + (" ..." if len(changed) > 4 else "")
                        problem = f"the checking machinery was modified ({shown})"
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError as exc:
            why = "kernel died" if "died" in str(exc) else str(exc)
            self._stop(cell, index, why)
            return cell, resources
        except CellTimeoutError:
            self._stop(cell, index, "kernel did not stop when interrupted; killed")
            return cell, resources
        if self.integrity_probes and is_grade and problem is None:
            problem = verify.missing_result(cell.source, cell.get("outputs", []))
        if is_grade and problem:
            self._found(f"{grade_id}: did not run as written: {problem}")
            # nbgrader scores from the first decisive output: the error goes first.
            cell.outputs.insert(
                0, _error("CttkIntegrityError", f"test did not run as written: {problem}")
            )
        return cell, resources

    def _score_outside(self, cell: NotebookNode, grade_id: str) -> None:
        """Give a widget test the score of the snapshot, computed here; the kernel never sees it."""
        try:
            score, printed = scoring.score_cell(self._keyed[grade_id], self._snapshot)
        except CttkError as exc:
            self._found(f"{grade_id}: {exc.message}")
            cell.outputs = [_error("GradingError", exc.message)]
            return
        outputs = (
            [NotebookNode(output_type="stream", name="stdout", text=printed)] if printed else []
        )
        outputs.append(
            NotebookNode(
                output_type="execute_result",
                execution_count=None,
                metadata={},
                data={"text/plain": repr(score)},
            )
        )
        cell.outputs = outputs
        cell.execution_count = None
