"""Hill segments on frames built in code: a known hill, a dip, a descent, exposure."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analyzer.activity import activity_from_stored, analyse, compute
from analyzer.schema import Activity, build_frame
from analyzer.settings import Settings

T0 = pd.Timestamp("2024-05-01T07:00:00Z")


def profile_frame(
    heights: list[tuple[float, float]], speed: float = 2.5, cadence: float | None = 170.0
) -> pd.DataFrame:
    """1 Hz track at ``speed`` over (length m, grade %) pieces; heart rate 140."""
    total = sum(length for length, _ in heights)
    n = int(total / speed) + 1
    dist = np.arange(n) * speed
    edges = np.cumsum([0.0] + [length for length, _ in heights])
    knots = np.cumsum([0.0] + [length * grade / 100 for length, grade in heights])
    alt = 100.0 + np.interp(dist, edges, knots)
    lat = 47.0 + dist / 111_195.0  # due north, 1 m = 1/111195 deg
    cols = {
        "distance_m": dist,
        "speed_mps": np.full(n, speed),
        "altitude_m": alt,
        "lat_deg": lat,
        "lon_deg": np.full(n, 8.0),
        "heart_rate_bpm": np.full(n, 140.0),
    }
    if cadence is not None:
        cols["cadence_spm"] = np.full(n, cadence)
    return build_frame(T0 + pd.to_timedelta(np.arange(n), unit="s"), cols)


def hills_of(f: pd.DataFrame, settings: Settings | None = None) -> list:
    return list(compute(f, settings or Settings(hr_max_bpm=190)).hills)


def test_200m_hill_at_6pct_between_flats() -> None:
    # 500 m flat, 200 m at 6% (12 m up), 500 m flat
    hills = hills_of(profile_frame([(500, 0), (200, 6), (500, 0)]))
    assert len(hills) == 1
    h = hills[0]
    assert h.direction == "up"
    # the ends are placed where the grade changes, not where the 50 m smoothed grade
    # crosses 4% (which cut ~8 m off each end of this climb): length 200 +- 5 m
    assert h.length_m == pytest.approx(200, abs=5)
    assert h.gain_m == pytest.approx(12, abs=1.0)
    assert h.grade_avg_pct == pytest.approx(6, abs=0.5)
    assert h.start_distance_m == pytest.approx(500, abs=5)
    assert h.score == pytest.approx(h.length_m * h.grade_avg_pct)
    assert h.start_lat is not None
    assert h.end_lat is not None
    assert h.end_lat > h.start_lat
    assert h.walked is False
    assert h.walking_share == 0.0
    assert h.heart_rate_avg_bpm == pytest.approx(140)
    assert h.easy_share == 0.0  # 140 is above 0.7 x 190 = 133


def test_too_short_or_too_gentle_is_no_hill() -> None:
    assert hills_of(profile_frame([(500, 0), (60, 8), (500, 0)])) == []  # 60 m < 100 m
    assert hills_of(profile_frame([(500, 0), (400, 3), (500, 0)])) == []  # 3% < 4%


def test_short_dip_does_not_split_a_hill() -> None:
    # 150 m at 6%, 10 m at 0%, 150 m at 6%: one hill. A dip is measured on the ground
    # (by the climbing it misses), not on the smoothed grade, which the 50 m window
    # keeps above 4% here; longer dips: tests/hills/test_hill_dips_and_ends.py
    hills = hills_of(profile_frame([(400, 0), (150, 6), (10, 0), (150, 6), (400, 0)]))
    assert [h.direction for h in hills] == ["up"]
    assert hills[0].gain_m == pytest.approx(18, abs=2)


def test_long_flat_splits_hills() -> None:
    hills = hills_of(profile_frame([(400, 0), (150, 6), (200, 0), (150, 6), (400, 0)]))
    assert [h.direction for h in hills] == ["up", "up"]


def test_descent_is_recorded() -> None:
    hills = hills_of(profile_frame([(400, 0), (200, -6), (400, 0)]))
    assert len(hills) == 1
    d = hills[0]
    assert d.direction == "down"
    assert d.gain_m == pytest.approx(12, abs=1.5)  # metres descended, positive
    assert d.grade_avg_pct < 0
    assert d.grade_max_pct <= d.grade_avg_pct
    assert d.score > 0


def test_walked_hill_and_exposure() -> None:
    # the whole run walked (cadence 110): the hill counts as walked
    m = compute(
        profile_frame([(300, 0), (200, 8), (300, 0)], speed=1.2, cadence=110.0),
        Settings(hr_max_bpm=190),
    )
    assert len(m.hills) == 1
    assert m.hills[0].walked
    e = m.exposure
    assert (e.hills_walked, e.hills_run) == (1, 0)
    assert e.uphill_running_s == 0.0
    assert e.uphill_running_gain_m == 0.0
    assert e.uphill_walking_s == pytest.approx(m.hills[0].duration_s, abs=1)


def test_run_hill_exposure() -> None:
    m = compute(profile_frame([(300, 0), (200, 8), (300, 0)]), Settings(hr_max_bpm=190))
    e = m.exposure
    assert (e.hills_run, e.hills_walked) == (1, 0)
    assert e.uphill_running_gain_m == pytest.approx(m.hills[0].gain_m, abs=1)
    assert e.uphill_running_s == pytest.approx(m.hills[0].duration_s, abs=1)


def test_analyse_json_has_the_issue_keys_and_no_nan() -> None:
    f = profile_frame([(500, 0), (200, 6), (500, 0)])
    act = Activity(frame=f, source_path="synthetic", source_format="fit")
    metrics = analyse(act, Settings(age_years=45)).metrics
    keys = {
        "moving_s",
        "ascent_m",
        "descent_m",
        "altitude_source",
        "pace_s_per_km",
        "gap_s_per_km",
        "heart_rate_avg_bpm",
        "heart_rate_max_bpm",
        "hr_max_used_bpm",
        "hr_max_source",
        "time_below_easy_s",
        "easy_share",
        "trimp",
        "walking_s",
        "running_s",
        "hill_exposure",
        "hills",
    }
    assert keys <= set(metrics)
    hill_keys = {
        "start_time",
        "end_time",
        "start_distance_m",
        "end_distance_m",
        "start_lat",
        "start_lon",
        "end_lat",
        "end_lon",
        "length_m",
        "gain_m",
        "grade_avg_pct",
        "grade_max_pct",
        "score",
        "direction",
        "duration_s",
        "walking_share",
        "walked",
        "heart_rate_avg_bpm",
        "easy_share",
    }
    assert hill_keys <= set(metrics["hills"][0])
    json.dumps(metrics, allow_nan=False)  # raises on NaN
    # 45 years, no profile, 140 bpm held: observed beats the estimate
    assert metrics["hr_max_source"] == "observed"


def test_recompute_from_stored_frame_gives_the_same_summary() -> None:
    f = profile_frame([(500, 0), (200, 6), (500, 0)])
    act = Activity(frame=f, source_path="/nowhere/run.fit", source_format="fit")
    first = analyse(act, Settings())
    again = analyse(activity_from_stored(f.copy(), first), Settings())
    assert again.metrics == first.metrics
    changed = analyse(activity_from_stored(f.copy(), first), Settings(hr_max_bpm=200))
    assert changed.metrics["hr_max_source"] == "profile"
