"""A small fuzz campaign in the suite; ``bench/fuzz.py`` runs the long one.

Every mutated file must import (warnings allowed) or raise an AnalyzerError naming it.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.errors import AnalyzerError
from analyzer.importers import read_bytes
from tests.conftest import DATA
from tests.mutations import MUTATIONS, mutate

SEEDS = [
    DATA / "sport-activities-features/fit_format_test_File.FIT",
    DATA / "workoutizer/2020-08-31-17-41-11.fit",
    DATA / "runpandas/run_garmin.tcx",
    DATA / "workoutizer/garmin_example.gpx",
    DATA / "invalid/activity-filecrc.fit",
]
SEED_BYTES = {p: p.read_bytes() for p in SEEDS}


def _outcome(data: bytes, name: str) -> str:
    try:
        read_bytes(data, name)
    except AnalyzerError as exc:
        return str(exc)
    return ""


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed_file=st.sampled_from(SEEDS),
    mutation=st.sampled_from(sorted(MUTATIONS)),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_mutated_files_import_or_fail_cleanly(seed_file: Path, mutation: str, seed: int) -> None:
    data = mutate(SEED_BYTES[seed_file], mutation, seed)
    name = f"fuzzed-{mutation}-{seed}{seed_file.suffix.lower()}"
    message = _outcome(data, name)
    assert message == "" or name in message


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=512), st.sampled_from([".fit", ".gpx", ".tcx"]))
def test_random_bytes_are_refused_cleanly(data: bytes, suffix: str) -> None:
    name = f"random{suffix}"
    message = _outcome(data, name)
    assert message == "" or name in message
