"""Fixtures of the store tests: small MIT test files and an empty store in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from analyzer.store import Store
from tests.conftest import DATA

#: small real files (MIT, see tests/data/NOTICE): two FIT runs and a TCX run
SMALL = [
    DATA / "workoutizer" / "2020-08-31-17-41-11.fit",
    DATA / "sport-activities-features" / "fit_format_test_File.FIT",
    DATA / "runpandas" / "run_garmin.tcx",
]
NOT_AN_ACTIVITY = DATA / "invalid" / "Settings.fit"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "data")
    yield s
    s.close()


@pytest.fixture
def small_files() -> list[Path]:
    return list(SMALL)
