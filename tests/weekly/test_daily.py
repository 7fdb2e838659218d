"""Daily and weekly frames: local dates, the next-morning join, rest and back-to-back days."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analyzer.localtime import local_starts
from analyzer.weekly.daily import daily_frame, iso_week, runs_frame, week_start
from analyzer.weekly.view import history, trend_weeks, week_view
from tests.weekly.helpers import LONDON, checkin, daily_checkins, drops, make_inputs, run


def test_iso_week_labels_round_trip() -> None:
    assert iso_week(pd.Timestamp("2026-10-18")) == "2026-W42"  # a Sunday
    assert iso_week(pd.Timestamp("2026-10-19")) == "2026-W43"  # the Monday after
    assert week_start("2026-W43") == pd.Timestamp("2026-10-19")
    assert week_start("2027-W01") == pd.Timestamp("2027-01-04")


def test_local_date_uses_the_zone_across_the_dst_change() -> None:
    # 23:30 UTC on Sat 24 Oct is 00:30 BST on Sun 25 Oct; 23:30 UTC on Sun 25 Oct (after
    # the clocks went back at 01:00 UTC) is 23:30 GMT, still Sunday.
    starts = pd.Series(pd.to_datetime(["2026-10-24T23:30Z", "2026-10-25T23:30Z"], utc=True))
    local = local_starts(starts, pd.Series([math.nan, math.nan]), "Europe/London")
    assert list(local.dt.normalize()) == [pd.Timestamp("2026-10-25")] * 2
    assert local.iloc[0].hour == 0
    assert local.iloc[1].hour == 23


def test_the_activity_offset_wins_over_the_profile_zone() -> None:
    # A run abroad: the FIT file says UTC-5; the profile says London.
    starts = pd.Series(pd.to_datetime(["2026-10-20T02:00Z"], utc=True))
    local = local_starts(starts, pd.Series([-5 * 3600.0]), "Europe/London")
    assert local.iloc[0] == pd.Timestamp("2026-10-19T21:00")


def test_next_morning_join_across_the_dst_change() -> None:
    # Run at 00:30 BST on Sun 25 Oct (23:30 UTC Saturday): its next morning is Mon 26 Oct,
    # not Sun 25 Oct as a UTC date would give.
    inputs = make_inputs(
        [run("2026-10-24T23:30Z")],
        [checkin("2026-10-25", 2), checkin("2026-10-26", 6)],
    )
    runs = runs_frame(inputs.activities, inputs.checkins, LONDON)
    assert runs.loc[0, "local_date"] == pd.Timestamp("2026-10-25")
    assert runs.loc[0, "stiffness"] == 2
    assert runs.loc[0, "next_stiffness"] == 6
    assert runs.loc[0, "stiffness_change"] == 4


def test_next_morning_join_across_a_week_boundary() -> None:
    # Sunday 18 Oct (2026-W42) -> Monday 19 Oct (2026-W43)
    inputs = make_inputs(
        [run("2026-10-18T07:00Z")], [checkin("2026-10-18", 1), checkin("2026-10-19", 4)]
    )
    hist = history(inputs)
    r = hist.runs.iloc[0]
    assert r["week"] == "2026-W42"
    assert r["next_stiffness"] == 4
    day = hist.daily.loc[pd.Timestamp("2026-10-18")]
    assert day["next_stiffness"] == 4
    assert day["stiffness_change"] == 3


def test_rest_and_back_to_back_days() -> None:
    # Mon, Wed, Sat, Sun of 2026-W42: one back-to-back pair (Sat-Sun), three rest days.
    days = ["2026-10-12", "2026-10-14", "2026-10-17", "2026-10-18"]
    inputs = make_inputs([run(f"{d}T06:30Z") for d in days])
    hist = history(inputs)
    daily = hist.daily
    assert daily["back_to_back"].sum() == 1
    assert bool(daily.loc[pd.Timestamp("2026-10-18"), "back_to_back"])
    week = hist.weekly.loc["2026-W42"]
    assert week["rest_days"] == 3
    assert week["back_to_back"] == 1
    assert week["runs"] == 4


def test_two_runs_one_day_count_once_as_a_running_day() -> None:
    inputs = make_inputs([run("2026-10-13T06:00Z"), run("2026-10-13T17:00Z")])
    hist = history(inputs)
    assert hist.weekly.loc["2026-W42", "run_days"] == 1
    assert hist.weekly.loc["2026-W42", "runs"] == 2
    assert hist.weekly.loc["2026-W42", "back_to_back"] == 0


def test_heel_drops_per_day_and_after_a_run() -> None:
    # Run 07:00-07:25 BST on 13 Oct; sessions at 08:30 (within 2 h) and 19:00 (not).
    inputs = make_inputs(
        [run("2026-10-13T06:00Z")],
        drop_sessions=[drops("2026-10-13T08:30+01:00"), drops("2026-10-13T19:00+01:00")],
    )
    runs = runs_frame(inputs.activities, inputs.checkins, LONDON)
    daily = daily_frame(runs, inputs.checkins, inputs.drops, LONDON)
    day = daily.loc[pd.Timestamp("2026-10-13")]
    assert day["drops_sessions"] == 2
    assert day["drops_after_run"] == 1
    assert day["drops_target"] == LONDON.drops_sessions_per_day


def test_weekly_distance_change() -> None:
    inputs = make_inputs([run("2026-10-13T06:00Z", 10000.0), run("2026-10-20T06:00Z", 12000.0)])
    weekly = history(inputs).weekly
    assert math.isnan(float(weekly.loc["2026-W42", "distance_change"]))
    assert weekly.loc["2026-W43", "distance_change"] == 0.2


def test_acute_chronic_ratio_needs_28_days_then_is_one_for_steady_load() -> None:
    # A 5 km run every other day for 8 weeks: 7-day and 28-day/4 sums match once the
    # windows hold the same pattern, so the ratio is about 1 (3 or 4 runs per 7 days).
    starts = pd.date_range("2026-09-07", "2026-11-01", freq="2D")
    inputs = make_inputs([run(f"{d.date()}T07:00Z", 5000.0) for d in starts])
    hist = history(inputs)
    daily = hist.daily
    assert daily.loc[: pd.Timestamp("2026-10-03"), "acwr_distance"].isna().all()
    late = daily.loc[pd.Timestamp("2026-10-10") : pd.Timestamp("2026-11-01"), "acwr_distance"]
    assert late.between(0.85, 1.2).all()


#: 6 weeks of a 5 km run every other day (about 17.5 km a week), then 4 weeks off
STEADY = [
    run(f"{d.date()}T07:00Z", 5000.0) for d in pd.date_range("2026-09-07", "2026-10-18", freq="2D")
]


def test_a_short_first_run_after_a_break_gives_no_ratio() -> None:
    # the plain ratio would read 4.0 (7-day sum over 28-day sum / 4) for any first run
    # back; against the usual 17.5 km a week, 3 km is no spike, and not a "drop" either
    back = pd.Timestamp("2026-11-20")
    daily = history(make_inputs([*STEADY, run(f"{back.date()}T07:00Z", 3000.0)])).daily
    assert daily.loc[pd.Timestamp("2026-10-10"), "acwr_distance"] > 0  # while running
    assert math.isnan(float(daily.loc[back, "acwr_distance"]))
    assert math.isnan(float(daily.loc[back, "acwr_trimp"]))


def test_a_big_return_after_a_break_is_flagged_against_the_usual_load() -> None:
    # 7 x 15 km in the first week back: 105 km against the usual (the 28 days up to the
    # last run before the break: 14 runs, 70 km, 17.5 km a week), a ratio of 6
    back = pd.date_range("2026-11-16", "2026-11-22")
    runs = [*STEADY, *(run(f"{d.date()}T07:00Z", 15000.0) for d in back)]
    hist = history(make_inputs(runs))
    assert hist.daily.loc[back[-1], "acwr_distance"] == pytest.approx(105 / 17.5)
    week = hist.assessments["2026-W47"].verdict
    assert week.light == "red"
    assert any("distance ratio 6.00, above 1.5" in r for r in week.reasons)
    # a week later the plain ratio is back: the 21 days before now hold load
    after = history(make_inputs([*runs, run("2026-11-25T07:00Z", 5000.0)])).daily
    assert after.loc[pd.Timestamp("2026-11-25"), "acwr_distance"] > 0


def test_trend_weeks_count_back_twelve() -> None:
    weeks = trend_weeks("2026-W02")
    assert len(weeks) == 12
    assert weeks[-1] == "2026-W02"
    assert weeks[0] == "2025-W43"


def test_week_view_reads_streams_of_that_week_only() -> None:
    asked: list[str] = []

    def loader(activity_id: str) -> pd.DataFrame:
        asked.append(activity_id)
        return pd.DataFrame()

    inputs = make_inputs(
        [run("2026-10-13T06:00Z"), run("2026-10-20T06:00Z")],
        daily_checkins("2026-10-12", "2026-10-25"),
    )
    inputs.streams = loader
    hist = history(inputs)
    view = week_view(inputs, hist, "2026-W43")
    assert asked == ["run-2026-10-20T06:00Z"]
    assert len(view.days) == 7
    assert list(view.runs["id"]) == ["run-2026-10-20T06:00Z"]
