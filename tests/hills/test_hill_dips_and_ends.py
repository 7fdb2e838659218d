"""Hill lengths on the ground, not on the smoothed grade: dips, ends, and the time on a hill.

Frames are built in code over known profiles (``profile_frame``: 1 Hz, straight track,
barometric-style altitude without noise), so every answer is known to the metre.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.activity import ActivityMetrics, compute
from analyzer.settings import Settings
from tests.hills.test_hill_segments import profile_frame

SETTINGS = Settings(hr_max_bpm=190)
#: (speed m/s, cadence steps/min): a walker, an easy runner, a quick one
PACES = [(1.2, 110.0), (2.5, 170.0), (4.0, 180.0)]


def metrics(pieces: list[tuple[float, float]], speed: float = 2.5, cadence: float = 170.0):
    return compute(profile_frame(pieces, speed=speed, cadence=cadence), SETTINGS)


def ups(m: ActivityMetrics) -> list:
    return [h for h in m.hills if h.direction == "up"]


# --- dips: DOMAIN "Dips shorter than 30 m do not split a hill" -----------------------------


@pytest.mark.parametrize(("speed", "cadence"), PACES)
@pytest.mark.parametrize("dip_m", [21.0, 29.0])
def test_a_flat_dip_under_30m_does_not_split_a_6pct_climb(
    dip_m: float, speed: float, cadence: float
) -> None:
    # 150 m at 6%, a flat, 150 m at 6%: the 50 m grade window shows a 21 m flat as ~33 m
    # below 4% (and 29 m as ~45 m), which split it when the rule read the smoothed grade
    m = metrics([(400, 0), (150, 6), (dip_m, 0), (150, 6), (400, 0)], speed, cadence)
    [hill] = ups(m)
    assert hill.gain_m == pytest.approx(18.0, abs=1.0)
    assert hill.length_m == pytest.approx(300 + dip_m, abs=8)
    assert hill.start_distance_m == pytest.approx(400, abs=5)


@pytest.mark.parametrize(("speed", "cadence"), PACES)
def test_a_40m_dip_splits_the_climb(speed: float, cadence: float) -> None:
    m = metrics([(400, 0), (150, 6), (40, 0), (150, 6), (400, 0)], speed, cadence)
    first, second = ups(m)
    # the ends at a dip this short are the least exact: the smoothed grade never
    # reaches the dip's own, so the half-way level sits a few metres up the slopes
    for hill in (first, second):
        assert hill.gain_m == pytest.approx(9.0, abs=1.5)
        assert hill.length_m == pytest.approx(150, abs=12)
    assert first.end_distance_m <= second.start_distance_m  # never overlapping


@pytest.mark.parametrize("grade_pct", [4.5, 6.0, 10.0])
@pytest.mark.parametrize(("dip_m", "hills"), [(21.0, 1), (29.0, 1), (40.0, 2)])
def test_the_dip_rule_holds_whatever_the_grade_either_side(
    grade_pct: float, dip_m: float, hills: int
) -> None:
    # gentle sides widen a dip on the smoothed grade (4.5%: 29 m shows as ~72 m), steep
    # ones narrow it (10%: 29 m does not show at all, 40 m shows as ~28 m)
    m = metrics([(400, 0), (150, grade_pct), (dip_m, 0), (150, grade_pct), (400, 0)])
    assert len(ups(m)) == hills
    assert sum(h.gain_m for h in ups(m)) == pytest.approx(3 * grade_pct, rel=0.1)


def test_a_dip_that_still_climbs_counts_by_the_climbing_it_misses() -> None:
    # 40 m at 2% between 6% slopes misses as much climbing as 27 m of flat: one hill
    m = metrics([(400, 0), (150, 6), (40, 2), (150, 6), (400, 0)])
    [hill] = ups(m)
    assert hill.gain_m == pytest.approx(18.8, abs=1.0)


# --- ends: where the grade changes, not where the smoothed grade crosses 4% -----------------


@pytest.mark.parametrize(("speed", "cadence"), PACES)
def test_a_300m_climb_at_5pct_is_300m_long(speed: float, cadence: float) -> None:
    # read off the smoothed grade's 4% crossings it was ~265 m long with ~13.3 m of gain
    m = metrics([(400, 0), (300, 5), (400, 0)], speed, cadence)
    [hill] = m.hills
    assert hill.length_m == pytest.approx(300, abs=5)
    assert hill.start_distance_m == pytest.approx(400, abs=5)
    assert hill.gain_m == pytest.approx(15.0, abs=0.7)
    assert hill.grade_avg_pct == pytest.approx(5.0, abs=0.2)


def test_a_descent_is_measured_the_same_way() -> None:
    [down] = metrics([(400, 0), (300, -5), (400, 0)]).hills
    assert down.direction == "down"
    assert down.length_m == pytest.approx(300, abs=5)
    assert down.gain_m == pytest.approx(15.0, abs=0.7)


def test_a_steep_climb_is_not_lengthened_by_the_window() -> None:
    # at 10% the smoothed grade is above 4% before the foot and after the top
    [hill] = metrics([(400, 0), (200, 10), (400, 0)]).hills
    assert hill.length_m == pytest.approx(200, abs=7)
    assert hill.gain_m == pytest.approx(20.0, abs=1.0)


def test_a_climb_straight_into_a_descent_meets_it_at_the_top() -> None:
    up, down = metrics([(400, 0), (300, 5), (300, -5), (400, 0)]).hills
    assert up.end_distance_m == pytest.approx(700, abs=5)
    assert down.start_distance_m == pytest.approx(700, abs=5)
    assert up.end_distance_m <= down.start_distance_m


def test_the_minimum_length_applies_on_the_ground() -> None:
    # 110 m at 6% is a hill (the smoothed grade made it ~92 m and dropped it); 90 m is not
    [hill] = metrics([(400, 0), (110, 6), (400, 0)]).hills
    assert hill.length_m == pytest.approx(110, abs=5)
    assert metrics([(400, 0), (90, 6), (400, 0)]).hills == ()


# --- time on a hill: the per-hill effort and the run's exposure count the same rows --------


def walked_between(f: pd.DataFrame, start_m: float, end_m: float) -> pd.DataFrame:
    """``f`` with walking cadence (110 steps/min) from ``start_m`` to ``end_m``."""
    out = f.copy()
    d = out["distance_m"]
    out.loc[(d >= start_m) & (d < end_m), "cadence_spm"] = 110.0
    return out


def test_uphill_run_and_walk_time_is_the_sum_of_hill_times() -> None:
    # two climbs and a descent; the second climb half walked
    pieces = [(300, 0), (200, 7), (150, 0), (250, 5), (300, -5), (300, 0)]
    m = compute(walked_between(profile_frame(pieces), 780, 900), SETTINGS)
    up = ups(m)
    assert len(up) == 2
    assert [h.direction for h in m.hills].count("down") == 1
    e = m.exposure
    assert 0 < e.uphill_walking_s < e.uphill_running_s
    assert e.uphill_running_s + e.uphill_walking_s == pytest.approx(
        sum(h.duration_s for h in up), abs=1e-9
    )
    # the run's uphill gain while running is the climbs' gain less the walked part's
    walked_gain = sum(h.gain_m * (h.walking_share or 0.0) for h in up)
    assert e.uphill_running_gain_m == pytest.approx(sum(h.gain_m for h in up) - walked_gain, abs=1)


def test_hill_time_runs_from_its_start_to_its_end() -> None:
    [hill] = metrics([(400, 0), (300, 5), (400, 0)]).hills
    span = pd.Timestamp(hill.end_time) - pd.Timestamp(hill.start_time)
    assert hill.duration_s == pytest.approx(span.total_seconds())


pieces_strategy = st.lists(
    st.tuples(st.floats(30.0, 300.0), st.sampled_from([-9.0, -5.0, 0.0, 2.0, 4.5, 6.0, 9.0])),
    min_size=2,
    max_size=7,
)


@given(pieces=pieces_strategy, walk=st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)))
@settings(max_examples=40, deadline=None)
def test_exposure_time_equals_hill_time_on_any_profile(
    pieces: list[tuple[float, float]], walk: tuple[float, float]
) -> None:
    f = profile_frame([(300.0, 0.0), *pieces, (300.0, 0.0)])
    total = float(f["distance_m"].iloc[-1])
    lo, hi = sorted(walk)
    m = compute(walked_between(f, lo * total, hi * total), SETTINGS)
    up = ups(m)
    e = m.exposure
    assert e.uphill_running_s + e.uphill_walking_s == pytest.approx(
        sum(h.duration_s for h in up), abs=1e-6
    )
    ends = sorted((h.start_distance_m, h.end_distance_m) for h in up)
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:], strict=False))
    assert all(h.length_m >= SETTINGS.hill_min_length_m for h in m.hills)
    assert all(np.isfinite(h.gain_m) and h.gain_m >= SETTINGS.hill_min_gain_m for h in m.hills)
