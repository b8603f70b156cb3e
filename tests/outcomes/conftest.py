"""The real FBI UCR file shipped with cttk, read once per test session."""

from __future__ import annotations

import pytest

from toolkit.outcomes.ucr import AgencyData, bundled_ucr_file, read_agency_data


@pytest.fixture(scope="session")
def ucr() -> AgencyData:
    return read_agency_data(bundled_ucr_file())
