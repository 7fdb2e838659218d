"""Metrics on frames built in code, with answers worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analyzer.metrics.distance import times
from analyzer.metrics.elevation import elevation, hysteresis_gain
from analyzer.metrics.gait import gait
from analyzer.metrics.heart import banister_trimp, heart_rate, observed_max_bpm, resolve_hr_max
from analyzer.metrics.pace import minetti_cost, pace
from analyzer.schema import Pause, build_frame
from analyzer.settings import Settings

T0 = pd.Timestamp("2024-05-01T07:00:00Z")


def frame(
    n: int,
    step_s: float = 1.0,
    speed: float | np.ndarray = 2.5,
    altitude: np.ndarray | None = None,
    hr: float | np.ndarray | None = None,
    cadence: float | np.ndarray | None = None,
) -> pd.DataFrame:
    """A straight track at ``speed`` m/s, one row per ``step_s`` seconds."""
    t = np.arange(n) * step_s
    v = np.broadcast_to(np.asarray(speed, dtype=float), (n,))
    dist = np.concatenate([[0.0], np.cumsum(v[:-1] * step_s)])
    cols: dict[str, object] = {"distance_m": dist, "speed_mps": v}
    if altitude is not None:
        cols["altitude_m"] = altitude
    if hr is not None:
        cols["heart_rate_bpm"] = np.broadcast_to(np.asarray(hr, dtype=float), (n,))
    if cadence is not None:
        cols["cadence_spm"] = np.broadcast_to(np.asarray(cadence, dtype=float), (n,))
    return build_frame(T0 + pd.to_timedelta(t, unit="s"), cols)


def test_walk_by_cadence_is_walking() -> None:
    # 10 min at 1.3 m/s and 110 steps/min: every moving second is walking
    g = gait(frame(601, speed=1.3, cadence=110.0), Settings())
    assert g.walking_s == pytest.approx(600.0)
    assert g.running_s == 0.0


def test_walk_by_speed_is_walking() -> None:
    # no cadence: 1.2 m/s is below the 1.8 m/s walking speed; 3.0 m/s is above
    assert gait(frame(301, speed=1.2), Settings()).walking_s == pytest.approx(300.0)
    assert gait(frame(301, speed=3.0), Settings()).running_s == pytest.approx(300.0)


def test_standing_is_neither() -> None:
    g = gait(frame(101, speed=0.2, cadence=0.0), Settings())
    assert (g.walking_s, g.running_s, g.standing_s) == (0.0, 0.0, pytest.approx(100.0))


def test_paused_run_timer_time() -> None:
    # 0..1199 s recorded at 1 Hz, timer stopped 300 s..420 s: 1199 - 120 = 1079 s
    f = frame(1200)
    pause = Pause(start=T0 + pd.Timedelta(seconds=300), end=T0 + pd.Timedelta(seconds=420))
    t = times(f, Settings(), [pause])
    assert t.elapsed_s == 1199.0
    assert t.timer_s == pytest.approx(1079.0)
    assert t.moving_s == pytest.approx(1079.0)


def test_a_step_across_a_pause_keeps_only_its_running_part() -> None:
    # records every 10 s, as a bike computer writes them, and one step 100 s -> 125 s
    # that spans an auto-pause from 102 s to 120 s: 7 s of it ran, 18 s were paused
    t = [*range(0, 101, 10), 125, 135, 145]
    f = build_frame(
        [T0 + pd.Timedelta(seconds=s) for s in t],
        {"distance_m": [3.0 * s for s in t], "speed_mps": [3.0] * len(t)},
    )
    pause = Pause(start=T0 + pd.Timedelta(seconds=102), end=T0 + pd.Timedelta(seconds=120))
    got = times(f, Settings(), [pause])
    assert got.timer_s == pytest.approx(145 - 18)
    assert got.moving_s == pytest.approx(145 - 18)  # was 145: the whole step counted


def test_time_is_weighted_not_counted() -> None:
    # the same 20 minutes at 1 s and at 5 s sampling give the same moving time
    one = times(frame(1201, 1.0), Settings()).moving_s
    five = times(frame(241, 5.0), Settings()).moving_s
    assert one == pytest.approx(1200.0)
    assert five == pytest.approx(1200.0)


def test_gap_longer_than_limit_is_a_pause() -> None:
    f = frame(3, step_s=1.0)
    f = build_frame(
        [T0, T0 + pd.Timedelta(seconds=1), T0 + pd.Timedelta(seconds=100)],
        {"distance_m": [0, 3, 6], "speed_mps": [3, 3, 3]},
    )
    assert times(f, Settings(gap_limit_s=30)).moving_s == pytest.approx(1.0)


def test_zone_times_sum_to_moving_time() -> None:
    n = 1800
    rng = np.random.default_rng(7)
    hr = np.clip(120 + np.cumsum(rng.normal(0, 1, n)), 60, 200)
    speed = np.where((np.arange(n) // 300) % 2 == 0, 2.8, 0.1)  # runs and stops
    f = frame(n, speed=speed, hr=hr)
    h = heart_rate(f, Settings(hr_max_bpm=190))
    assert sum(h.zones_s) == pytest.approx(times(f, Settings()).moving_s)


def test_easy_time_and_share() -> None:
    # max 200 -> easy limit 140. 600 s at 130 then 600 s at 150: half the time is easy
    hr = np.r_[np.full(600, 130.0), np.full(601, 150.0)]
    h = heart_rate(frame(1201, hr=hr), Settings(hr_max_bpm=200))
    assert h.easy_limit_bpm == pytest.approx(140.0)
    assert h.time_below_easy_s == pytest.approx(600.0)
    assert h.easy_share == pytest.approx(0.5)


def test_reserve_model_easy_limit() -> None:
    # Karvonen: 60 + 0.7 x (190 - 60) = 151
    h = heart_rate(
        frame(61, hr=120.0), Settings(hr_max_bpm=190, hr_rest_bpm=60, hr_model="reserve")
    )
    assert h.easy_limit_bpm == pytest.approx(151.0)


def test_hr_max_source_order() -> None:
    profile = resolve_hr_max(Settings(hr_max_bpm=185, age_years=40), 190)
    assert (profile.bpm, profile.source) == (185.0, "profile")
    assert resolve_hr_max(Settings(age_years=40), 190).source == "observed"
    est = resolve_hr_max(Settings(age_years=40), None)
    assert (est.bpm, est.source) == (pytest.approx(180.0), "estimate")  # 208 - 0.7 x 40
    none = resolve_hr_max(Settings(), None)
    assert (none.bpm, none.source) == (None, "none")


def test_no_maximum_means_no_easy_metrics() -> None:
    # no profile, no age, and no heart rate held 30 s: nothing to base "easy" on
    f = frame(20, hr=150.0)
    h = heart_rate(f, Settings())
    assert h.hr_max.source == "none"
    assert h.easy_share is None
    assert h.time_below_easy_s is None
    assert h.trimp is None
    assert h.avg_bpm == pytest.approx(150.0)


def test_observed_max_ignores_spikes() -> None:
    # 150 bpm for 10 min with a 5 s spike to 200: held for 30 s, the maximum is 150
    hr = np.full(601, 150.0)
    hr[300:305] = 200.0
    assert observed_max_bpm(frame(601, hr=hr), Settings()) == pytest.approx(150.0)


def test_banister_trimp_by_hand() -> None:
    # 60 min at HRr 0.5 (rest 60, max 180, HR 120): 60 x 0.5 x 0.64 x e^0.96 = 50.14
    hr = np.full(3600, 120.0)
    w = np.ones(3600)
    assert banister_trimp(hr, w, 180, 60, "male") == pytest.approx(60 * 0.5 * 0.64 * math.exp(0.96))
    # female: 60 x 0.5 x 0.86 x e^0.835
    assert banister_trimp(hr, w, 180, 60, "female") == pytest.approx(
        60 * 0.5 * 0.86 * math.exp(0.835)
    )


def test_minetti_cost_by_hand() -> None:
    # C(0) = 3.6; C(0.1) = 155.4e-5 - 30.4e-4 - 43.3e-3 + 46.3e-2 + 19.5e-1 + 3.6 = 5.968214
    assert minetti_cost(np.array([0.0]))[0] == pytest.approx(3.6)
    assert minetti_cost(np.array([0.1]))[0] == pytest.approx(5.968214)
    # clipped at +-0.45
    assert minetti_cost(np.array([0.9]))[0] == pytest.approx(minetti_cost(np.array([0.45]))[0])


def test_gap_on_flat_equals_pace_and_uphill_is_faster() -> None:
    # 1000 m at 2.5 m/s: 400 s/km. Flat: GAP = pace. At 10% grade GAP = 400 x 3.6/5.968
    n = 401
    f = frame(n, speed=2.5)
    flat = pace(f, Settings(), np.zeros(n))
    assert flat.pace_s_per_km == pytest.approx(400.0)
    assert flat.gap_s_per_km == pytest.approx(400.0)
    up = pace(f, Settings(), np.full(n, 0.1))
    assert up.gap_s_per_km == pytest.approx(400.0 * 3.6 / 5.968214)


def test_no_altitude_is_none_not_zero() -> None:
    e = elevation(frame(100), Settings())
    assert (e.ascent_m, e.descent_m, e.source) == (None, None, "none")


def test_barometric_climb_counts_its_height() -> None:
    # 0 m for 5 min, a steady 30 m climb over 5 min, flat at 30 m: 30 m up, 0 down
    alt = np.r_[np.zeros(300), np.linspace(0, 30, 300), np.full(300, 30.0)]
    e = elevation(frame(900, altitude=alt), Settings())
    assert e.source == "barometric"
    assert e.ascent_m == pytest.approx(30.0, abs=0.5)
    assert e.descent_m == pytest.approx(0.0, abs=0.5)


def test_pause_drift_does_not_count() -> None:
    # the pressure drifts 8 m while the timer is stopped: the device counts no climb
    alt = np.r_[np.full(300, 100.0), np.linspace(100, 108, 300), np.full(300, 108.0)]
    pause = Pause(start=T0 + pd.Timedelta(seconds=299), end=T0 + pd.Timedelta(seconds=600))
    e = elevation(frame(900, altitude=alt), Settings(), pauses=[pause])
    assert e.ascent_m == pytest.approx(0.0, abs=0.01)


def test_hysteresis_by_hand() -> None:
    # turns of 1 m under a 2 m threshold vanish; the 10 m climb and 6 m drop remain
    z = np.array([0, 1, 0, 1, 0, 5, 10, 9, 10, 4, 5, 4.0])
    assert hysteresis_gain(z, 2.0) == (10.0, 6.0)
