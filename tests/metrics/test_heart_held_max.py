"""The observed maximum heart rate must be held: windows only count where samples cover them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.metrics.heart import heart_rate, observed_max_bpm
from analyzer.schema import build_frame
from analyzer.settings import Settings

T0 = pd.Timestamp("2024-05-01T07:00:00Z")


def hr_frame(t_s: np.ndarray | list[float], bpm: np.ndarray | list[float]) -> pd.DataFrame:
    """Heart rate only, at ``t_s`` seconds after T0."""
    t = np.asarray(t_s, dtype=float)
    index = T0 + pd.to_timedelta(t, unit="s")
    return build_frame(index, {"heart_rate_bpm": np.asarray(bpm, dtype=float)})


def test_a_lone_sample_after_a_dropout_is_not_held() -> None:
    # the review's repro: steady 140, a 100 s dropout, then one 215 bpm sample
    t = [*range(600), 700]
    assert observed_max_bpm(hr_frame(t, [140.0] * 600 + [215.0]), Settings()) == 140.0


def test_a_dropout_of_nan_rows_is_a_gap_too() -> None:
    # the same dropout written as rows without heart rate (GPS kept recording)
    bpm = [140.0] * 600 + [np.nan] * 100 + [215.0]
    assert observed_max_bpm(hr_frame(range(701), bpm), Settings()) == 140.0


def test_a_short_burst_after_a_dropout_is_not_held() -> None:
    # 20 s at 190 straight after a dropout: the window would reach back across the gap
    t = [*range(600), *range(700, 720), *range(720, 900)]
    bpm = [140.0] * 600 + [190.0] * 20 + [150.0] * 180
    assert observed_max_bpm(hr_frame(t, bpm), Settings()) == 150.0


def test_held_after_a_dropout_once_the_window_is_covered() -> None:
    # 60 s at 175 after a dropout: the last 30 s of it are covered, so 175 is held
    t = [*range(600), *range(700, 760)]
    bpm = [140.0] * 600 + [175.0] * 60
    assert observed_max_bpm(hr_frame(t, bpm), Settings()) == 175.0


def test_thirty_seconds_of_1hz_samples_hold_and_29_do_not() -> None:
    for n, expected in ((29, 140.0), (30, 170.0)):
        bpm = [140.0] * 100 + [170.0] * n + [140.0] * (200 - n)
        assert observed_max_bpm(hr_frame(range(300), bpm), Settings()) == expected


@pytest.mark.parametrize("step_s", [1.0, 7.0, 20.0, 28.0])
def test_smart_recording_is_held(step_s: float) -> None:
    # Garmin smart recording: one sample every 1-28 s while nothing changes
    t = np.arange(0.0, 900.0, step_s)
    bpm = np.where(t < 450, 150.0, 165.0)
    assert observed_max_bpm(hr_frame(t, bpm), Settings()) == 165.0


def test_samples_further_apart_than_the_gap_limit_hold_nothing() -> None:
    t = np.arange(0.0, 900.0, 31.0)
    assert observed_max_bpm(hr_frame(t, np.full(len(t), 150.0)), Settings()) is None


def test_the_gap_limit_is_the_setting() -> None:
    t = np.arange(0.0, 900.0, 40.0)
    bpm = np.full(len(t), 150.0)
    assert observed_max_bpm(hr_frame(t, bpm), Settings()) is None
    assert observed_max_bpm(hr_frame(t, bpm), Settings(gap_limit_s=45.0)) == 150.0


def test_a_spike_after_a_gap_no_longer_sets_the_easy_limit() -> None:
    t = [*range(600), 700, 701]
    f = hr_frame(t, [140.0] * 600 + [215.0, 140.0])
    heart = heart_rate(f, Settings())
    assert heart.hr_max.source == "observed"
    assert heart.hr_max.bpm == 140.0
    assert heart.easy_limit_bpm == pytest.approx(98.0)


@given(
    steps=st.lists(st.sampled_from([1.0, 2.0, 5.0, 29.0, 31.0, 100.0]), min_size=1, max_size=80),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=60, deadline=None)
def test_held_max_is_a_covered_window_minimum(steps: list[float], seed: int) -> None:
    """Whatever it returns is the minimum of some window of hold time with no gap, each
    sample's rate lasting until the next sample (brute force over every window)."""
    t = np.concatenate([[0.0], np.cumsum(steps)])
    bpm = np.random.default_rng(seed).integers(100, 200, len(t)).astype(float)
    s = Settings()
    got = observed_max_bpm(hr_frame(t, bpm), s)
    hold, witnesses = s.hr_max_hold_s, []
    for i in range(len(t) - 1):  # the window [end - hold, end) ends where step i ends
        end = t[i + 1]
        reaching = [k for k in range(i + 1) if t[k + 1] > end - hold]
        k0 = reaching[0]
        if t[k0] <= end - hold and np.all(np.diff(t[k0 : i + 2]) <= s.gap_limit_s):
            witnesses.append(bpm[reaching].min())
    assert got == (max(witnesses) if witnesses else None)


def test_a_lone_sample_after_a_step_longer_than_a_short_hold_is_not_held() -> None:
    # code review: with hr_max_hold_s 10, one 215 after a 25 s step (under the 30 s gap
    # limit) was "held": the 140 before it lasted into its window
    t = [*range(600), 625, 626, *range(627, 700)]
    bpm = [140.0] * 600 + [215.0] + [140.0] * 74
    assert observed_max_bpm(hr_frame(t, bpm), Settings(hr_max_hold_s=10.0)) == 140.0
