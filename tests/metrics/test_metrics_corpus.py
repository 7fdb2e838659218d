"""Metrics on the real files of ../shared/corpus, against the devices' own summaries.

Skipped with a reason where the corpus is absent. The corpus is read once per module.
"""

from __future__ import annotations

import functools
import statistics
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analyzer.activity import ActivitySummary, analyse
from analyzer.importers import read
from analyzer.schema import Activity, build_frame
from analyzer.settings import Settings
from tests.conftest import load_script

REPO = Path(__file__).resolve().parents[2]
CORPUS = (REPO / ".." / "shared" / "corpus").resolve()

pytestmark = pytest.mark.corpus


def _corpus() -> Path:
    if not (CORPUS / "fit_sessions.tsv").is_file():
        pytest.skip(f"the test corpus is absent ({CORPUS}); it lies beside the checkout")
    return CORPUS


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_script(REPO / "bench" / "accuracy.py", "bench_accuracy")


@pytest.fixture(scope="module")
def rows(bench: ModuleType) -> list[Any]:
    """Device against computed values for every FIT session (reads the corpus once)."""
    return bench.load_rows(_corpus(), Settings(), sessions)


@functools.cache
def sessions(name: str) -> list[tuple[Activity, ActivitySummary]]:
    """Each corpus file is read and analysed once for the whole module."""
    return [(a, analyse(a, Settings())) for a in read(_corpus() / name)]


def summaries(name: str) -> list[ActivitySummary]:
    return [s for _, s in sessions(name)]


def _check(checks: list[Any], prefix: str) -> Any:
    return next(c for c in checks if c.name.startswith(prefix))


def test_distance_within_half_percent(rows: list[Any], bench: ModuleType) -> None:
    check = _check(bench.summary(rows), "distance")
    assert check.ok, check.value


def test_timer_within_one_percent(rows: list[Any], bench: ModuleType) -> None:
    check = _check(bench.summary(rows), "timer")
    assert check.ok, check.value


def test_heart_rate_within_one_bpm(rows: list[Any], bench: ModuleType) -> None:
    checks = bench.summary(rows)
    for name in ("avg_hr", "max_hr"):
        check = _check(checks, name)
        assert check.ok, f"{name}: {check.value}"


def test_ascent_median_error_at_most_5pct(rows: list[Any], bench: ModuleType) -> None:
    check = _check(bench.summary(rows), "ascent median")
    assert check.ok, check.value


@pytest.mark.xfail(
    strict=True,
    reason="79% of sessions within 10% (22 of 28, cross-validated too) against the 80% "
    "target; the one setting that reaches 23 (10 samples, 1.8 m) is a knife edge that "
    "cross-validation does not keep; the six outliers (fr935 ride, Wahoo ELEMNT, Suunto "
    "Spartan and 9, Karoo 2, fenix 2 run) and what was tried are in bench/ACCURACY.md",
)
def test_ascent_share_within_10pct(rows: list[Any], bench: ModuleType) -> None:
    check = _check(bench.summary(rows), "ascent share")
    assert check.ok, check.value


def test_excluded_files_carry_a_reason(rows: list[Any]) -> None:
    for row in rows:
        if row.excluded is not None:
            assert len(row.excluded) > 20
            # an excluded device figure is below what the record shows, never above it
            assert row.device["ascent"] < row.computed["ascent"]


def _climb(rise_m: float) -> Activity:
    """10 min flat at 100 m, a steady rise of ``rise_m`` over 5 min, 10 min flat."""
    rise = 100 + np.linspace(0, rise_m, 300)
    z = np.concatenate([np.full(600, 100.0), rise, np.full(600, 100 + rise_m)])
    t = pd.Timestamp("2024-05-01T07:00Z") + pd.to_timedelta(np.arange(z.size), unit="s")
    frame = build_frame(t, {"altitude_m": z, "distance_m": np.arange(z.size) * 3.0})
    return Activity(frame, "climb.fit", "fit", altitude_source="barometric")


def test_a_device_ascent_below_one_climb_of_its_own_record_is_contradicted(
    bench: ModuleType,
) -> None:
    s = Settings()
    assert "less than one single climb of 30.0 m" in bench.contradicted(_climb(30.0), 25.0, s)
    assert bench.contradicted(_climb(30.0), 29.0, s) is None  # within 5%: rounding, smoothing
    assert bench.contradicted(_climb(30.0), 40.0, s) is None
    # a climb under 20 m may fall inside a device's dead band: never a contradiction
    assert bench.contradicted(_climb(15.0), 3.0, s) is None


def test_moving_time_never_exceeds_timer_time(rows: list[Any]) -> None:
    # moving time is timer time less the stops: on every corpus session (the Edge 500's
    # steps across its auto-pauses once made it 226 s longer than the timer)
    for row in rows:
        _, summary = sessions(row.file)[row.session]
        assert summary.metrics["moving_s"] <= summary.timer_s + 1e-6, row.file


def test_hike_is_walking() -> None:
    m = summaries("workoutizer/hike_with_coordinates_muggenbrunn.fit")[0].metrics
    assert m["walking_s"] / (m["walking_s"] + m["running_s"]) >= 0.90


def test_walk_without_cadence_is_walking() -> None:
    # no cadence in this TCX: speed decides (Settings.walk_speed_mps)
    m = summaries("sport-activities-features/walking_activity_1.tcx")[0].metrics
    assert m["gait_source"] == "speed"
    assert m["walking_s"] / (m["walking_s"] + m["running_s"]) >= 0.90


# FIT running sessions the device itself shows as run: its average cadence is at least
# 150 steps/min (fit_sessions.tsv avg_cadence is strides/min); a session without one
# counts only where the file has no cadence at all, so speed decides (910XT). That
# leaves out the fenix 2 multisport legs (one is a vertical kilometre, 732 m up in
# 2.2 km). Also left out, with the reason:
NOT_RUN = {
    "sports-lib/6782987395.fit": "trail run whose 20% climbs were walked (cadence < 140)",
    "GoldenCheetah/Move_2020_01_15_19_27_16_Running.fit": (
        "labelled running, recorded at 1.7 m/s and 110 steps/min throughout: a walk"
    ),
}


def test_runs_are_running() -> None:
    from tests.conftest import fit_sessions

    runs = [
        r
        for r in fit_sessions()
        if r["sport"] == "running"
        and r["file"] not in NOT_RUN
        and (r["avg_cadence"] == "" or 2 * float(r["avg_cadence"]) >= 150)
    ]
    checked = 0
    for r in runs:
        m = summaries(r["file"])[int(r["session_index"])].metrics
        if r["avg_cadence"] == "" and m["gait_source"] != "speed":
            continue
        checked += 1
        share = m["running_s"] / (m["walking_s"] + m["running_s"])
        assert share >= 0.90, f"{r['file']}: {share:.1%} running"
    assert checked >= 8


TWINS = {
    "sweatpy/4801048867.fit": [
        "sweatpy/activity_4801048867.gpx",
        "sweatpy/activity_4801048867.tcx",
        "sweatpy/4801048867_strava.gpx",
    ],
    "sweatpy/4078723797.fit": ["sweatpy/4078723797_strava.gpx"],
    "sports-lib/6782987395.fit": ["sports-lib/6782987395.gpx", "sports-lib/6782987395.tcx"],
    "sports-lib/3939576645.fit": ["sports-lib/3939576645.gpx"],
    "sports-lib/2067489619.fit": ["sports-lib/2067489619.gpx"],
}


def test_twin_sets_agree() -> None:
    for fit, others in TWINS.items():
        ref = summaries(fit)[0]
        for other in others:
            s = summaries(other)[0]
            assert s.distance_m == pytest.approx(ref.distance_m, rel=0.025), other
            assert s.metrics["ascent_m"] == pytest.approx(ref.metrics["ascent_m"], rel=0.15), other


def test_no_altitude_is_reported_as_none() -> None:
    m = summaries("sports-lib/6860622783.fit")[0].metrics  # treadmill, no altitude
    assert m["ascent_m"] is None
    assert m["altitude_source"] == "none"
    assert m["hills"] == []


def test_device_ascent_stats_are_consistent(rows: list[Any]) -> None:
    # the median printed by the bench is the median of the rows' own errors
    errs = [
        abs((r.computed["ascent"] - r.device["ascent"]) / r.device["ascent"])
        for r in rows
        if not r.excluded and (r.device["ascent"] or 0) >= 20 and r.computed["ascent"] is not None
    ]
    assert statistics.median(errs) <= 0.05
