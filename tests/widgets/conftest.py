"""Fixtures of the widget tests: the every-widget fixture notebook and its parsed keys."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "widgets"


@pytest.fixture(scope="session")
def every_widget_notebook() -> Path:
    """A source notebook (with hidden tests) building one exercise of each widget kind."""
    return FIXTURES / "every_widget.ipynb"
