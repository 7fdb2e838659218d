"""Records a session's clock cannot have written are dropped, with a warning.

The damaged Strava file (tests/data/invalid) holds 472 records over 314 s from
2021-09-27 14:13 UTC, then one decoded from the damage as 2085-12-21: a 64-year step
that made the elevation smoothing ask for 15 GiB. Both decoders read that record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analyzer.importers import fit, read
from analyzer.importers.fit import RECORD_FIELDS, FitMessages, build_activities
from analyzer.schema import MAX_RECORD_GAP_S, one_recording
from tests.conftest import DATA

STRAVA = DATA / "invalid" / "strava-android-app-201.10-b1218918.fit"
DAY = 86400.0


@pytest.mark.parametrize("decoder", fit.DECODERS)
def test_the_damaged_strava_record_dated_2085_is_dropped(decoder: str) -> None:
    raw = fit.decode(STRAVA.read_bytes(), STRAVA.name, decoder)
    assert pd.Timestamp(np.nanmax(raw.records["timestamp"]), unit="s").year == 2085
    (activity,) = read(STRAVA, decoder)
    times = activity.frame.index
    assert times[0] == pd.Timestamp("2021-09-27 14:13:10", tz="UTC")
    assert times[-1] - times[0] == pd.Timedelta(seconds=314)  # the rest kept, all of it
    # 472 records, two per second: 236 distinct times before the stray one went
    assert len(activity.frame) == 235
    stray = [w for w in activity.warnings if "dropped" in w]
    assert len(stray) == 1
    assert str(STRAVA) in stray[0]
    assert "1 record(s)" in stray[0]
    assert "2085-12-21" in stray[0]


def test_one_recording_keeps_the_records_joined_to_the_start() -> None:
    start = 1.6e9
    times = np.array([start + 5, start, start + 1, np.nan, start + 2.0e9, 631065600.0])
    keep = one_recording(times, anchor_s=start, max_gap_s=DAY)
    assert keep.tolist() == [True, True, True, True, False, False]


def test_without_a_start_the_recording_with_most_records_is_kept() -> None:
    times = np.array([100.0, 101.0, 102.0, 100.0 + 3 * DAY, 5e9])
    assert one_recording(times, np.nan, DAY).tolist() == [True, True, True, False, False]


def test_a_recording_without_long_steps_is_kept_whole() -> None:
    times = np.arange(0.0, 7200.0, 2.0)
    assert one_recording(times, 0.0, DAY).all()


def test_a_start_inside_a_gap_keeps_the_nearer_recording() -> None:
    times = np.array([0.0, 1.0, 10 * DAY, 10 * DAY + 1])
    assert one_recording(times, 9 * DAY, DAY).tolist() == [False, False, True, True]


def _messages(times_s: np.ndarray, elapsed_s: float) -> FitMessages:
    records = {f: np.full(times_s.size, np.nan) for f in RECORD_FIELDS}
    records["timestamp"] = times_s
    records["heart_rate"] = np.full(times_s.size, 140.0)
    start = pd.Timestamp(times_s[0], unit="s").to_pydatetime()
    session = {"start_time": start, "total_elapsed_time": elapsed_s, "sport": "running"}
    return FitMessages(records=records, file_id={"type": "activity"}, sessions=[session])


def test_a_session_that_says_it_lasted_days_keeps_its_overnight_pause() -> None:
    # a hike paused overnight for 30 h: the session's own elapsed time covers the gap
    t0 = 1.6e9
    times = np.concatenate([t0 + np.arange(600.0), t0 + 30 * 3600 + np.arange(600.0)])
    assert MAX_RECORD_GAP_S < 30 * 3600
    (kept,) = build_activities(_messages(times, elapsed_s=30 * 3600 + 600), "hike.fit")
    assert len(kept.frame) == 1200
    assert not any("dropped" in w for w in kept.warnings)
    (cut,) = build_activities(_messages(times, elapsed_s=1200), "hike.fit")
    assert len(cut.frame) == 600
    assert any("hike.fit: dropped 600 record(s)" in w for w in cut.warnings)
