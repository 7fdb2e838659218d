"""Terminal tables fitted to the window: nothing cut when piped, every line within the
terminal's columns otherwise, and a line saying what was left out."""

from __future__ import annotations

from typing import Any

from analyzer import textout

HEAD = ["date", "sport", "note", "id"]
ROWS = [("2026-11-01", "running", "a long note about the morning", "0675fd30d036")]


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def test_a_table_without_width_keeps_every_column_and_says_nothing() -> None:
    text = textout.table(HEAD, ROWS, optional=("id",), clip_last=True)
    assert "0675fd30d036" in text
    assert "a long note about the morning" in text
    assert "not shown" not in text
    assert "cut" not in text


def test_optional_columns_go_in_order_until_the_table_fits() -> None:
    full = widest(textout.table(HEAD, ROWS))
    text = textout.table(HEAD, ROWS, width=full - 1, optional=("id", "sport"))
    assert "0675fd30d036" not in text
    assert "running" in text
    assert "(id not shown at this width: widen the window or use --json)" in text
    assert widest(text) <= full - 1


def test_the_last_column_is_cut_with_an_ellipsis_and_the_cut_is_said() -> None:
    text = textout.table(["date", "note"], [("2026-11-01", "x" * 50)], width=30, clip_last=True)
    rows = text.splitlines()
    assert rows[2] == "2026-11-01  " + "x" * 17 + "\u2026"
    assert widest(text) <= 30
    assert "note cut at this width" in text


def test_a_short_last_column_is_not_cut() -> None:
    text = textout.table(["date", "note"], [("2026-11-01", "ok")], width=30, clip_last=True)
    assert "cut" not in text
    assert text.splitlines()[2] == "2026-11-01  ok"


def activity(n: int) -> dict[str, Any]:
    return {
        "local_date": f"2026-11-{n:02d}",
        "start_time": f"2026-11-{n:02d}T07:00:00+00:00",
        "utc_offset_s": 0,
        "sport": "running",
        "distance_m": 10_000.0,
        "moving_s": 3600.0,
        "pace_s_per_km": 360.0,
        "ascent_m": 120.0,
        "easy_share": 0.9,
        "hills_run": 2,
        "hills_walked": 1,
        "source_format": "fit",
        "id": "0675fd30d036aa",
    }


def test_activities_fit_80_columns_and_keep_every_figure() -> None:
    rows = [activity(n) for n in range(1, 4)]
    wide = textout.activities_table(rows, "km")
    assert widest(wide) > 80  # the case being tested: all columns do not fit
    text = textout.activities_table(rows, "km", width=80)
    assert widest(text) <= 80
    line = text.splitlines()[2]
    for figure in ("2026-11-01 07:00", "10.00 km", "1:00:00", "6:00 /km", "120 m", "90%"):
        assert figure in line
    assert "2/1" in line
    assert "id, format not shown" in text


def hills_data() -> dict[str, Any]:
    hill = {
        "id": "H1",
        "name": "Hill 1 — 0.6 km into Church hill loop",
        "flagged": True,
        "flags": [{"rule": "grade"}, {"rule": "stiffness"}],
        "grade_avg_pct": 7.7,
        "grade_max_pct": 8.4,
        "length_m": 198.0,
        "gain_m": 15.2,
        "score": 1527.0,
        "times_run": 5,
        "times_walked": 6,
        "heart_rate_run_bpm": 136.0,
        "stiffness": {"after_run": 5.0, "after_walked": 2.0, "enough_data": True},
        "activity_ids": [f"run-{n}" for n in range(9)],  # 11 passes on 9 runs
    }
    route = {
        "id": "R1",
        "name": "Church hill loop",
        "runs": 11,
        "distance_m": 3780.0,
        "ascent_m": 17.0,
        "hills": ["H1"],
        "flagged_hills": 1,
        "flatter_routes": ["R2"],
    }
    flat = {**route, "id": "R2", "name": "Riverside loop", "hills": [], "flagged_hills": 0}
    settings = {
        "walk_grade_pct": 6.0,
        "walk_score": 1500.0,
        "walk_stiffness_points": 1.5,
        "walk_stiffness_min_n": 3,
    }
    return {
        "hills": [hill],
        "routes": [route, {**flat, "flatter_routes": []}],
        "settings": settings,
    }


def test_hills_read_as_tables_where_they_fit() -> None:
    text = textout.hills_report(hills_data(), "km")
    assert "grade avg/max" in text
    assert "WALK (grade, stiffness)" in text


def test_hills_become_wrapped_blocks_in_a_narrow_window() -> None:
    text = textout.hills_report(hills_data(), "km", width=60)
    assert widest(text) <= 60
    assert "grade avg/max" not in text  # no table
    flat = " ".join(text.split())  # the blocks wrap; read them as one line
    assert "H1 Hill 1 — 0.6 km into Church hill loop" in flat
    assert "WALK (grade, stiffness): grade 7.7% avg, 8.4% max" in flat
    assert "run 5x, walked 6x; 136 bpm running" in flat
    assert "next-morning stiffness: 5.0 run / 2.0 walked" in flat
    assert "R1 Church hill loop 11 runs, typically 3.78 km" in flat
    assert "flatter: R2 Riverside loop" in flat
    assert "1 of them on more than one run" in flat  # H1: on 9 runs


def test_heel_drop_times_read_to_the_minute() -> None:
    row = {
        "time": "2026-10-12T07:49:00+01:00",
        "straight_knee_sets": 3,
        "bent_knee_sets": 3,
        "reps": 15,
        "added_load_kg": 0.0,
        "note": "",
    }
    assert "2026-10-12 07:49 " in textout.heel_drops_table([row])


def test_a_file_without_heart_rate_says_so_on_the_easy_line() -> None:
    a = {"heart_rate_avg_bpm": None, "hr_max_used_bpm": 178.0, "hr_max_source": "profile"}
    assert textout._easy_line(a) == "no heart rate"


def import_report(n: int) -> dict[str, Any]:
    files = [
        {
            "file": f"/data/export/run-{i:03d}.fit",
            "outcome": "imported",
            "local_date": "2026-11-01",
            "distance_m": 5000.0,
        }
        for i in range(n)
    ]
    files.append(
        {
            "file": "/data/export/Settings.fit",
            "outcome": "failed",
            "message": "/data/export/Settings.fit: this is a settings file, not an activity",
        }
    )
    return {"counts": {"imported": n, "failed": 1}, "files": files}


def test_a_piped_import_summary_lists_every_file() -> None:
    text = textout.import_summary(import_report(45), "km")
    assert "run-044.fit" in text
    assert "more (--json" not in text
    assert "In /data/export/:" in text  # the shared folder once, then the names under it
    assert "\nrun-000.fit " in text
    assert "failed: Settings.fit: this is a settings file, not an activity" in text


def test_an_import_summary_on_a_terminal_fits_and_lists_forty() -> None:
    text = textout.import_summary(import_report(45), "km", width=80)
    assert widest(text) <= 80
    assert "run-039.fit" in text
    assert "run-040.fit" not in text
    assert "... and 5 more (--json lists every file)" in text
    assert "failed: Settings.fit: this is a settings file" in text  # failures always shown


def test_a_long_note_wraps_under_its_own_column() -> None:
    note = "Stiff first thing, eased after the heel drops"
    text = textout.table(["date", "note"], [("2026-10-14", note)], width=30, wrap_last=True)
    lines = text.splitlines()
    assert widest(text) <= 30
    assert lines[2].startswith("2026-10-14  Stiff first")
    assert all(line.startswith(" " * 12) for line in lines[3:])  # under the note column
    assert " ".join(" ".join(lines[2:]).split()) == f"2026-10-14 {note}"  # all of it
    assert "cut" not in text


def ride() -> dict[str, Any]:
    return {
        "sport": "cycling",
        "moving_s": 3600.0,
        "pace_s_per_km": 120.0,  # 30 km/h
        "gap_s_per_km": 118.0,
        "ascent_m": 300.0,
        "descent_m": 300.0,
        "altitude_source": "barometric",
        "running_s": 3500.0,  # what the gait rules make of a bike's speed
        "walking_s": 100.0,
        "heart_rate_avg_bpm": 140.0,
        "heart_rate_max_bpm": 160.0,
        "hr_max_used_bpm": 180.0,
        "hr_max_source": "profile",
        "time_below_easy_s": 600.0,
        "easy_share": 0.17,
        "easy_limit_bpm": 126.0,
        "trimp": 90.0,
        "hill_exposure": {"uphill_running_s": 900.0, "hills_run": 4},
    }


def test_a_ride_shows_speed_and_no_gait_pace_or_uphill_running() -> None:
    rows = dict(textout.metric_rows(ride(), "km"))
    assert rows["Speed"] == "30.0 km/h"
    assert "Pace" not in rows
    assert rows["Gait"] == "- (a ride: not on foot)"
    assert rows["Hills"] == "- (a ride)"
    assert dict(textout.metric_rows(ride(), "mi"))["Speed"] == "18.6 mph"  # 30 km/h


def test_a_run_keeps_pace_and_gait() -> None:
    rows = dict(textout.metric_rows({**ride(), "sport": "running"}, "km"))
    assert rows["Pace"].startswith("2:00 /km")
    assert rows["Gait"].startswith("running 58:20")


def test_an_activity_without_a_sport_that_was_too_fast_is_not_on_foot() -> None:
    a = {**ride(), "sport": None, "speed_median_mps": 8.3, "speed_sustained_mps": 11.0}
    assert textout.not_on_foot(a) == "session too fast for running"
    assert textout.not_on_foot({**a, "speed_median_mps": 2.8, "speed_sustained_mps": 3.5}) is None


def test_an_import_of_relative_and_absolute_paths_lists_each_whole() -> None:
    report = import_report(2)
    report["files"][0]["file"] = "runs/run-000.fit"  # relative beside /data/export/...
    text = textout.import_summary(report, "km")
    assert "\nruns/run-000.fit " in text
    assert "/data/export/run-001.fit" in text


def test_one_failed_file_names_itself_once() -> None:
    report = import_report(0)
    text = textout.import_summary(report, "km")
    assert "failed: /data/export/Settings.fit: this is a settings file, not an activity" in text


def test_only_paths_that_start_with_the_shared_folder_are_shortened() -> None:
    report = import_report(1)
    report["files"].append(
        {
            "file": "/data/export/run-001.gpx",
            "outcome": "duplicate",
            "message": "duplicate of 2026-11-01 /home/me/data/export/x.fit",  # not under it
        }
    )
    text = textout.import_summary(report, "km")
    assert "duplicate of 2026-11-01 /home/me/data/export/x.fit" in text


def test_a_hill_passed_three_times_on_one_run_is_not_recurring() -> None:
    data = hills_data()
    data["hills"][0]["activity_ids"] = ["loop-run"]  # three laps of one loop
    assert "0 of them on more than one run" in textout.hills_report(data, "km")


def test_a_ride_in_the_activities_shows_its_speed_and_no_hills() -> None:
    rows = [{**activity(1), "sport": "cycling", "pace_s_per_km": 120.0, "id": "abcdef0123-6"}]
    line = textout.activities_table(rows, "km").splitlines()[2]
    assert "30.0 km/h" in line  # 2:00 /km is 30 km/h
    assert "2/1" not in line  # hills run/walked mean nothing on a bike
    assert line.endswith("abcdef01-6")  # the file and its session


def test_the_sessions_of_one_file_are_numbered_in_the_import_summary() -> None:
    report = import_report(0)
    report["files"] = [
        {**f, "activity_id": f"abc-{i}"} for i, f in enumerate(import_report(2)["files"][:1] * 2)
    ]
    text = textout.import_summary(report, "km")
    assert "run-000.fit #1 " in text
    assert "run-000.fit #2 " in text
