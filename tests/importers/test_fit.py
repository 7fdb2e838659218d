"""FIT through fitparse, checked against the devices' own session summaries.

Expected totals come from the files' own ``session`` messages, as listed in
../shared/corpus/fit_sessions.tsv.
"""

from pathlib import Path

import pytest

from analyzer.errors import AnalyzerError, NotAnActivity
from analyzer.importers import read
from tests.conftest import DATA


def test_fenix2_run_matches_its_session_summary() -> None:
    [activity] = read(DATA / "python-fitparse/activity-small-fenix2-run.fit")
    frame = activity.frame
    # fit_sessions.tsv: total_distance 9008.22 m, total_timer_time 2832 s
    assert frame["distance_m"].iloc[-1] == pytest.approx(9008.22, rel=1e-3)
    assert frame["elapsed_s"].iloc[-1] == pytest.approx(2832, abs=2)
    assert activity.sport == "running"
    assert activity.device.manufacturer == "garmin"
    assert activity.device.product == "fenix2"
    # session avg_cadence is 81 strides/min; steps/min are twice that while running
    running = frame.loc[frame["speed_mps"] > 2.0, "cadence_spm"]
    assert running.median() == pytest.approx(2 * 81, rel=0.05)
    assert activity.device_summary is not None
    assert activity.device_summary["total_ascent"] == 64


def test_positions_are_degrees_near_the_session_start() -> None:
    [activity] = read(DATA / "python-fitparse/activity-small-fenix2-run.fit")
    summary = activity.device_summary or {}
    first = activity.frame[["lat_deg", "lon_deg"]].dropna().iloc[0]
    # the session's start_position_* (semicircles in the file) converted independently
    assert first["lat_deg"] == pytest.approx(summary["start_position_lat"], abs=1e-3)
    assert first["lon_deg"] == pytest.approx(summary["start_position_long"], abs=1e-3)
    assert -90 <= first["lat_deg"] <= 90


def test_utc_offset_comes_from_the_activity_message() -> None:
    [activity] = read(DATA / "workoutizer/2020-08-31-17-41-11.fit")
    # a Forerunner 645M run in Germany on 31 August 2020: CEST, UTC+2
    assert activity.utc_offset_s == 7200


def test_multisport_gives_one_activity_per_session_with_its_own_slice() -> None:
    activities = read(DATA / "python-fitparse/activity-large-fenxi2-multisport.fit")
    # fit_sessions.tsv: 7 sessions; their total_distance in order
    expected = [25072.07, 224.24, 2245.23, 3.63, 12740.37, 617.55, 28928.27]
    assert len(activities) == 7
    assert [a.session_index for a in activities] == list(range(7))
    for activity, total in zip(activities, expected, strict=True):
        # the device's cumulative distance restarts with each session
        assert activity.frame["distance_m"].iloc[-1] == pytest.approx(total, rel=0.01, abs=5)
    sports = [a.sport for a in activities]
    assert sports[2] == "running"
    assert sports[6] == "cycling"
    # cycling cadence is pedal rpm, not steps: no cadence_spm for it
    assert activities[6].frame["cadence_spm"].isna().all()


def test_timer_pauses_are_read_from_events() -> None:
    [activity] = read(DATA / "sport-activities-features/fit_format_test_File.FIT")
    # total_timer_time equals total_elapsed_time (1868.781 s) in the session: no pause
    assert activity.pauses == []
    assert activity.frame["elapsed_s"].iloc[-1] == pytest.approx(1868.781, abs=2)


def test_not_an_activity_names_the_file_and_its_type() -> None:
    path = DATA / "invalid/Settings.fit"
    with pytest.raises(NotAnActivity) as info:
        read(path)
    assert info.value.file_type == "settings"
    assert str(path) in str(info.value)


def test_a_monitoring_file_is_named_in_words_not_by_its_profile_name() -> None:
    with pytest.raises(NotAnActivity) as info:
        read(DATA / "invalid/MonitoringFile.fit")
    assert info.value.file_type == "monitoring_b"  # the FIT profile's file type
    assert "this is an all-day monitoring (steps, heart rate) file" in str(info.value)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("activity-filecrc.fit", "CRC"),
        ("activity-unexpected-eof.fit", "truncated"),
    ],
)
def test_damaged_files_keep_records_and_warn(name: str, words: str) -> None:
    activities = read(DATA / "invalid" / name)
    assert activities
    assert len(activities[0].frame) > 0
    assert any(words in w for w in activities[0].warnings)


def test_every_invalid_file_warns_or_fails_cleanly() -> None:
    for path in sorted((DATA / "invalid").glob("*.fit")):
        message = None
        try:
            activities = read(path)
        except AnalyzerError as exc:
            message = str(exc)
        if message is not None:
            assert str(path) in message
        else:
            assert activities
            assert all(len(a.frame) > 0 for a in activities)


def test_heart_rate_never_zero_or_255() -> None:
    for path in [
        DATA / "workoutizer/run_with_coordinates.fit",
        DATA / "python-fitparse/activity-small-fenix2-run.fit",
    ]:
        for activity in read(Path(path)):
            hr = activity.frame["heart_rate_bpm"].dropna()
            assert ((hr > 0) & (hr < 255)).all()


def test_a_distance_counter_that_runs_on_across_sessions_is_measured_per_session() -> None:
    # A Garmin triathlon whose distance counter runs on from swim to run: the run's
    # records start at 42.7 km. Each session's distance must be its own, as the device's
    # session messages (read by fitparse, the reference) total it.
    import fitparse

    from analyzer.activity import analyse
    from analyzer.settings import Settings

    path = DATA / "invalid" / "sample_mulitple_header.fit"
    device = [
        m.get_value("total_distance") for m in fitparse.FitFile(str(path)).get_messages("session")
    ]
    ours = [analyse(a, Settings()).distance_m for a in read(path)]
    assert len(ours) == len(device) == 5
    for mine, theirs in zip(ours, device, strict=True):
        # the transition's device total counts 5 m before its first record
        assert mine == pytest.approx(theirs, rel=0.005, abs=6.0)
