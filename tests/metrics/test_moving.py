"""Moving, standing and pace on frames built in code: the device's speed against the
distance it recorded (``distance.step_speed_mps``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.geo import fill_distance_speed
from analyzer.metrics.distance import moving_mask, times
from analyzer.metrics.gait import RUNNING, STANDING, gait, gait_states
from analyzer.metrics.heart import heart_rate
from analyzer.metrics.pace import pace
from analyzer.schema import build_frame
from analyzer.settings import Settings

T0 = pd.Timestamp("2024-05-01T07:00:00Z")
S = Settings()


def track(
    step_speed: np.ndarray,
    device_speed: np.ndarray | None = None,
    step_s: float | np.ndarray = 1.0,
    cadence: float | None = None,
) -> pd.DataFrame:
    """Row i's step covers ``step_speed[i] * step_s`` metres; the device writes
    ``device_speed`` (default: the true speed). The last row's step is not covered."""
    v = np.asarray(step_speed, dtype=float)
    steps = np.broadcast_to(np.asarray(step_s, dtype=float), v.shape)
    t = np.concatenate([[0.0], np.cumsum(steps[:-1])])
    dist = np.concatenate([[0.0], np.cumsum(v[:-1] * steps[:-1])])
    cols: dict[str, object] = {
        "distance_m": dist,
        "speed_mps": v if device_speed is None else device_speed,
    }
    if cadence is not None:
        cols["cadence_spm"] = np.full(v.size, cadence)
    return build_frame(T0 + pd.to_timedelta(t, unit="s"), cols)


def test_device_speed_zero_while_distance_advances_is_moving() -> None:
    # 10 min at 3 m/s by the distance; the device wrote speed 0.0 and no cadence
    f = track(np.full(601, 3.0), device_speed=np.zeros(601), cadence=0.0)
    assert times(f, S).moving_s == pytest.approx(600.0)
    g = gait(f, S)
    assert (g.running_s, g.walking_s, g.standing_s) == (pytest.approx(600.0), 0.0, 0.0)
    p = pace(f, S, None)
    assert p.moving_distance_m == pytest.approx(1800.0)
    assert p.pace_s_per_km == pytest.approx(1000 / 3.0)


def test_smart_recording_steps_with_speed_zero_are_moving() -> None:
    # the Forerunner 645 of the issue: 20 m in 6 s and 19.7 m in 7 s, speed 0.0, between
    # steps where the device's own speed was right
    steps = np.array([1.0] * 30 + [6.0, 7.0] + [1.0] * 30)
    v = np.array([3.0] * 30 + [20 / 6, 19.7 / 7] + [3.0] * 30)
    device = v.copy()
    device[30:32] = 0.0
    f = track(v, device_speed=device, step_s=steps)
    moving_s = times(f, S).moving_s
    assert moving_s == pytest.approx(steps[:-1].sum())
    p = pace(f, S, None)
    distance = float(f["distance_m"].iloc[-1])
    assert p.moving_distance_m == pytest.approx(distance)
    assert p.pace_s_per_km == pytest.approx(moving_s / distance * 1000)


def test_a_standing_runner_is_standing() -> None:
    # distance flat and speed 0 for 5 minutes
    f = track(np.zeros(301), cadence=0.0)
    assert times(f, S).moving_s == 0.0
    assert gait(f, S).standing_s == pytest.approx(300.0)
    assert pace(f, S, None).pace_s_per_km is None


def test_a_stop_between_runs_is_standing_to_the_second() -> None:
    # 5 min at 3 m/s, 2 min standing (distance flat, speed 0), 5 min at 3 m/s: the 10 s
    # window of the distance speed still holds running at each end of the stop, but a
    # step that did not advance is not moving by distance
    v = np.r_[np.full(300, 3.0), np.zeros(120), np.full(301, 3.0)]
    f = track(v)
    assert times(f, S).moving_s == pytest.approx(600.0)
    assert gait(f, S).standing_s == pytest.approx(120.0)
    assert pace(f, S, None).pace_s_per_km == pytest.approx(1000 / 3.0)


def test_stand_speed_is_the_threshold_for_the_distance_too() -> None:
    # creeping at 0.4 m/s (below Settings.stand_speed_mps) with speed 0 is standing;
    # 0.6 m/s is moving
    assert times(track(np.full(301, 0.4), np.zeros(301)), S).moving_s == 0.0
    assert times(track(np.full(301, 0.6), np.zeros(301)), S).moving_s == pytest.approx(300.0)


def test_a_jump_of_anchored_gps_distance_while_standing_is_not_moving() -> None:
    # GPS only (no device distance or speed): the importers' jitter-anchored distance of
    # a standing watch grows by one 3 m step now and then. That step alone is 3 m/s;
    # over the 10 s window it is 0.3 m/s, standing
    d = np.zeros(301)
    d[[60, 140, 220]] = 3.0
    f = build_frame(T0 + pd.to_timedelta(np.arange(301), unit="s"), {"distance_m": np.cumsum(d)})
    assert not moving_mask(f, S).any()


def test_gps_jitter_while_standing_stays_standing() -> None:
    # 10 minutes standing, GPS only: fixes wandering 1-2 m about one point. The frame is
    # filled as the importers fill it (smoothed, jitter-anchored distance; speed from it)
    rng = np.random.default_rng(7)
    n = 601
    north = rng.normal(0, 1.5, n)
    east = rng.normal(0, 1.5, n)
    lat = 47.0 + north / 111_195.0
    lon = 8.0 + east / (111_195.0 * np.cos(np.radians(47.0)))
    raw = build_frame(
        T0 + pd.to_timedelta(np.arange(n), unit="s"), {"lat_deg": lat, "lon_deg": lon}
    )
    f = fill_distance_speed(raw)
    assert times(f, S).moving_s <= 0.02 * 600
    assert gait(f, S).standing_s >= 0.98 * 600


def test_heart_rate_zones_follow_the_same_moving_time() -> None:
    # heart.py weighs its zones by moving_mask: the speed-0 running counts there too
    f = track(np.full(601, 3.0), device_speed=np.zeros(601))
    f = f.assign(heart_rate_bpm=140.0)
    assert sum(heart_rate(f, S).zones_s) == pytest.approx(times(f, S).moving_s)


def test_gait_states_use_the_distance_speed() -> None:
    # no cadence: the distance's 3 m/s, not the device's 0.0, says running
    f = track(np.full(61, 3.0), device_speed=np.zeros(61))
    states = gait_states(f, S)
    assert (states[:-1] == RUNNING).all()
    f = track(np.zeros(61), device_speed=np.zeros(61))
    assert (gait_states(f, S) == STANDING).all()


segments = st.lists(
    st.tuples(
        st.booleans(),  # running (else standing)
        st.integers(min_value=10, max_value=120),  # seconds
        st.floats(min_value=1.2, max_value=5.0),  # m/s when running
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(segments, st.integers(min_value=0, max_value=2**32 - 1))
def test_pace_is_distance_over_moving_time(plan: list[tuple[bool, int, float]], seed: int) -> None:
    # runs and stops; on the running steps the device writes 0.0 half the time. All the
    # distance is covered while moving, so the pace is distance over moving time
    v = np.concatenate([np.full(n, speed if run else 0.0) for run, n, speed in plan] + [[0.0]])
    device = np.where(np.random.default_rng(seed).random(v.size) < 0.5, 0.0, v)
    f = track(v, device_speed=device)
    moving = times(f, S).moving_s
    assert moving == pytest.approx(float((v[:-1] > 0).sum()))
    distance = float(f["distance_m"].iloc[-1])
    p = pace(f, S, None)
    if distance == 0:
        assert p.pace_s_per_km is None
    else:
        assert p.pace_s_per_km == pytest.approx(moving / distance * 1000)
