"""Invariants of the metrics, checked with hypothesis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.geo import geodesic_distance_m
from analyzer.metrics.elevation import elevation, hysteresis_gain
from analyzer.schema import build_frame
from analyzer.settings import Settings

T0 = pd.Timestamp("2024-05-01T07:00:00Z")

altitudes = st.lists(
    st.floats(min_value=-50, max_value=3000, allow_nan=False), min_size=2, max_size=400
)


def alt_frame(alt: np.ndarray) -> pd.DataFrame:
    n = len(alt)
    return build_frame(
        T0 + pd.to_timedelta(np.arange(n), unit="s"),
        {"altitude_m": alt, "distance_m": np.arange(n) * 2.5, "speed_mps": np.full(n, 2.5)},
    )


def terrain(seed: int, n: int = 1800) -> np.ndarray:
    """Rolling hills: a sum of slow sines, 1 Hz, tens of metres of relief."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    periods = rng.uniform(200, 900, 3)
    amps = rng.uniform(5, 25, 3)
    phases = rng.uniform(0, 2 * np.pi, 3)
    return 300 + sum(
        a * np.sin(2 * np.pi * t / p + f) for a, p, f in zip(amps, periods, phases, strict=True)
    )


@given(altitudes, st.floats(min_value=0.1, max_value=10))
def test_hysteresis_gain_is_never_negative(alt: list[float], threshold: float) -> None:
    up, down = hysteresis_gain(np.array(alt), threshold)
    assert up >= 0
    assert down >= 0


@given(altitudes)
def test_ascent_is_never_negative(alt: list[float]) -> None:
    e = elevation(alt_frame(np.array(alt)), Settings())
    assert e.ascent_m is not None
    assert e.ascent_m >= 0
    assert e.descent_m is not None
    assert e.descent_m >= 0


@given(altitudes)
def test_reversed_track_swaps_ascent_and_descent(alt: list[float]) -> None:
    z = np.array(alt)
    forward = elevation(alt_frame(z), Settings())
    backward = elevation(alt_frame(z[::-1].copy()), Settings())
    assert backward.ascent_m is not None
    assert backward.descent_m is not None
    assert abs(backward.ascent_m - (forward.descent_m or 0.0)) < 1e-6 * (1 + backward.ascent_m)
    assert abs(backward.descent_m - (forward.ascent_m or 0.0)) < 1e-6 * (1 + backward.descent_m)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=2**31))
def test_half_metre_noise_barely_changes_ascent(seed: int) -> None:
    # a barometer's noise is a few decimetres; 0.5 m Gaussian noise on rolling terrain
    # must not move the ascent by more than 10%
    clean = terrain(seed)
    noisy = clean + np.random.default_rng(seed + 1).normal(0, 0.5, clean.size)
    a = elevation(alt_frame(clean), Settings()).ascent_m
    b = elevation(alt_frame(noisy), Settings()).ascent_m
    assert a is not None
    assert b is not None
    assert abs(b - a) <= 0.10 * a + 1.0


@settings(max_examples=30, deadline=None)
@given(
    st.integers(min_value=0, max_value=2**31),
    st.floats(min_value=2.0, max_value=5.0),
)
def test_resampling_to_2s_keeps_distance(seed: int, speed: float) -> None:
    # a 1 Hz run with smoothly turning heading; every second fix dropped: within 0.5%
    rng = np.random.default_rng(seed)
    n = 1200
    heading = np.cumsum(rng.normal(0, 0.05, n))  # radians, a few degrees per second
    north = np.cumsum(speed * np.cos(heading))
    east = np.cumsum(speed * np.sin(heading))
    lat = 47.0 + north / 111_195.0
    lon = 8.0 + east / (111_195.0 * np.cos(np.radians(47.0)))
    full = geodesic_distance_m(lat, lon)[-1]
    half = geodesic_distance_m(lat[::2], lon[::2])[-1]
    assert abs(half - full) <= 0.005 * full


def test_standing_runner_gains_no_distance() -> None:
    # 5 minutes standing: fixes scattered 1 m (sd) about one point, averaged over 3 s as
    # the importers do; the jitter radius keeps the total near zero
    rng = np.random.default_rng(3)
    n = 300
    north, east = rng.normal(0, 1.0, n), rng.normal(0, 1.0, n)
    kernel = np.ones(3) / 3
    north, east = np.convolve(north, kernel, "same"), np.convolve(east, kernel, "same")
    lat = 47.0 + north / 111_195.0
    lon = 8.0 + east / (111_195.0 * np.cos(np.radians(47.0)))
    assert geodesic_distance_m(lat, lon)[-1] < 10.0
    # summed without jitter handling, the same fixes give well over 100 m
    assert geodesic_distance_m(lat, lon, jitter_m=0)[-1] > 100.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([1.0, 2.0, 5.0, 13.0, 28.0, 45.0]),  # smart recording, a gap
            st.floats(min_value=0.0, max_value=6.0),  # standing to fast running, m/s
            st.floats(min_value=60.0, max_value=200.0),  # heart rate, bpm
        ),
        min_size=2,
        max_size=300,
    )
)
def test_zone_times_sum_to_moving_time(rows: list[tuple[float, float, float]]) -> None:
    """With heart rate on every row, the time-weighted zones cover the moving time
    exactly, whatever the steps (gaps over the limit are pauses in both) and speeds."""
    from analyzer.metrics.distance import times
    from analyzer.metrics.heart import heart_rate

    steps = np.array([r[0] for r in rows])
    speed = np.array([r[1] for r in rows])
    t = np.concatenate([[0.0], np.cumsum(steps[:-1])])
    dist = np.concatenate([[0.0], np.cumsum(speed[:-1] * steps[:-1])])
    frame = build_frame(
        T0 + pd.to_timedelta(t, unit="s"),
        {"distance_m": dist, "speed_mps": speed, "heart_rate_bpm": [r[2] for r in rows]},
    )
    s = Settings(hr_max_bpm=190)
    moving = times(frame, s).moving_s
    assert sum(heart_rate(frame, s).zones_s) == pytest.approx(moving, abs=1e-6)
