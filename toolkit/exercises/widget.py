"""What every exercise widget shares: a stable exercise id, save-on-change, restore-on-build, a
status line.

A widget never waits for a front end: it builds its children, reads the saved answer (if any) and
returns. When no browser is attached (nbgrader autograde, papermill, nbval) it simply displays its
restored state, so the notebook runs straight through.
"""

from __future__ import annotations

import html
import os
from typing import Any, ClassVar

import ipywidgets as widgets

from toolkit.errors import CttkError
from toolkit.exercises.store import check_exercise_id, load_answer, save_answer

#: Let long button labels (role-play choices) wrap instead of being cut off.
_STYLE = (
    "<style>.cttk-exercise .jupyter-button{white-space:normal;height:auto;"
    "min-height:var(--jp-widgets-inline-height);text-align:left}</style>"
)


class Exercise(widgets.VBox):  # type: ignore[misc]
    """Base class of the exercise widgets.

    Subclasses set :attr:`kind` (the name of their exercise kind), build their controls in
    ``__init__`` before calling :meth:`_finish`, and implement :meth:`answer` and :meth:`restore`.
    A subclass is defined by its kind module's widget factory (see
    :mod:`toolkit.exercises.kinds.base`).
    """

    kind: ClassVar[str] = "exercise"

    def __init__(
        self, exercise: str, prompt: str, *, folder: str | os.PathLike[str] | None = None
    ) -> None:
        self.exercise = check_exercise_id(exercise)
        self.folder = folder
        self._restoring = False
        self.prompt = widgets.HTML(
            f"{_STYLE}<div class='cttk-prompt'>{html.escape(str(prompt))}</div>"
        )
        self.status = widgets.HTML()
        self.status_state = "empty"
        super().__init__(layout=widgets.Layout(border="1px solid #ccc", padding="6px"))
        self.add_class("cttk-exercise")
        self.add_class(f"cttk-{self.kind}")

    # -- subclass interface -------------------------------------------------------------------
    def answer(self) -> Any:
        """The current answer as JSON-serialisable data, or None when nothing is answered."""
        raise NotImplementedError

    def restore(self, value: Any) -> None:
        """Show a saved answer ``value`` (already loaded from the store)."""
        raise NotImplementedError

    # -- shared behaviour ---------------------------------------------------------------------
    def _finish(self, controls: list[widgets.Widget]) -> None:
        self.children = [self.prompt, *controls, self.status]
        saved = load_answer(self.exercise, self.kind, folder=self.folder)
        if saved is not None:
            self._restoring = True
            try:
                self.restore(saved)
            except (CttkError, TypeError, ValueError, KeyError, AttributeError):
                saved = None  # a saved value of the wrong shape reads as "not answered"
            finally:
                self._restoring = False
        self._show_status("saved" if saved is not None else "empty")

    def _on_change(self, _change: object = None) -> None:
        if self._restoring:
            return
        value = self.answer()
        if value is None:
            return
        self._save(value)

    def _save(self, value: Any) -> None:
        """Save ``value`` now and say so in the status line (or say why it was not saved)."""
        try:
            record = save_answer(self.exercise, self.kind, value, folder=self.folder)
        except (CttkError, OSError, TypeError, ValueError) as exc:
            self._show_status("error", str(exc))
            return
        self._show_status("saved", f"revision {record['revision']}")

    def _show_status(self, state: str, detail: str = "") -> None:
        text = {
            "saved": "&#10003; Answer saved",
            "empty": "Not answered yet",
            "error": "&#9888; Answer NOT saved",
        }[state]
        if detail:
            text += f" ({html.escape(detail)})"
        self.status.value = (
            f"<span class='cttk-status cttk-status-{state}' role='status' aria-live='polite'>"
            f"{text}</span>"
        )
        self.status_state = state
