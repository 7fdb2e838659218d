"""Fixes from a second review and a user test of this session's rule changes, each with
the case that showed the defect."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analyzer.report import figures
from analyzer.report.units import Units
from analyzer.settings import Settings
from analyzer.symptoms import rules
from analyzer.symptoms.rules import PainRules
from analyzer.weekly.view import history, week_view
from tests.weekly.helpers import checkin, make_inputs, run

TODAY = pd.Timestamp("2026-12-01")


def drop(local_iso: str, straight: int, bent: int, reps: int = 15) -> dict[str, Any]:
    t = pd.Timestamp(local_iso)
    return {
        "time_utc": t.tz_convert("UTC"),
        "local_date": t.tz_localize(None).normalize(),
        "straight_knee_sets": straight,
        "bent_knee_sets": bent,
        "reps": reps,
        "added_load_kg": 0,
    }


def test_a_run_without_pain_after_is_not_green_because_another_day_had_it() -> None:
    # pain after logged for the Sunday run only: the Tuesday run of the week before has no
    # check-in at all and stays "not judged" (the float column once turned None into NaN,
    # and NaN counted as logged)
    runs = [run("2026-11-03T07:00Z"), run("2026-11-15T07:00Z")]
    checkins = [checkin("2026-11-15", None, pain_after=1.0)]
    hist = history(make_inputs(runs, checkins, today=TODAY))
    assert hist.runs.iloc[0]["light"] == "none"
    assert hist.assessments["2026-W45"].verdict.light == "none"
    assert hist.runs.iloc[1]["light"] == "green"


def test_a_ratio_of_float_dust_on_a_limit_is_the_limit() -> None:
    s = Settings()
    # 0.8 and 1.5 as rolling float sums give them: not below 0.8, not above 1.5
    assert rules.acwr_finding(0.7999999999999999, "distance", s) is None
    above = rules.acwr_finding(1.5000000000000002, "distance", s)
    assert above is not None
    assert (above.light, above.reason) == ("amber", "acute:chronic distance ratio 1.50, above 1.3")
    below = rules.acwr_finding(0.797, "distance", s)
    assert below is not None
    assert "0.797, below 0.8" in below.reason


def heel_drop_day(sessions: list[dict[str, Any]]) -> pd.Series:
    inputs = make_inputs([], [checkin("2026-11-02")], sessions, today=TODAY)
    return history(inputs).daily.loc["2026-11-02"]


def test_two_reduced_sessions_morning_and_evening_are_two() -> None:
    day = heel_drop_day(
        [drop("2026-11-02T07:00+00:00", 1, 1), drop("2026-11-02T19:00+00:00", 1, 1)]
    )
    assert (day["drops_logged"], day["drops_sessions"], day["drops_full"]) == (2, 2, 0)


def test_one_session_logged_in_two_parts_is_one_full_session() -> None:
    # 3 straight-knee sets at 07:40, 3 bent-knee at 07:50: Alfredson's 3x15 + 3x15, once
    day = heel_drop_day(
        [drop("2026-11-02T07:40+00:00", 3, 0), drop("2026-11-02T07:50+00:00", 0, 3)]
    )
    assert (day["drops_logged"], day["drops_sessions"], day["drops_full"]) == (2, 1, 1)


def test_today_is_not_short_of_heel_drops_before_it_is_over() -> None:
    inputs = make_inputs(
        [],
        [checkin("2026-11-02")],
        [drop("2026-11-04T07:00+00:00", 3, 3)],
        today=pd.Timestamp("2026-11-04"),
    )
    daily = history(inputs).daily
    assert bool(daily.loc["2026-11-03", "drops_short"])  # over, no session
    assert not bool(daily.loc["2026-11-04", "drops_short"])  # today: the evening may come


def test_the_weekly_morning_rule_compares_what_the_page_shows() -> None:
    pain = PainRules()
    # 2.47 and 2.0 read "2.5, up from 2.0": a rise of 0.5 as shown, amber
    found = rules.morning_trend(2.47, 2.0, pain)
    assert found is not None
    assert "2.5/10, up from 2.0/10" in found.reason
    assert rules.morning_trend(2.44, 2.0, pain) is None  # "2.4": 0.4 shown


def test_the_monday_after_a_sunday_hill_run_is_ringed() -> None:
    runs = [run("2026-11-01T07:00Z", hills_run=1, uphill_run_s=60.0)]  # Sun 1 Nov (W44)
    checkins = [checkin(f"2026-11-0{d}", 2.0) for d in range(1, 9)]
    inputs = make_inputs(runs, checkins, today=TODAY)
    days = week_view(inputs, history(inputs), "2026-W45").days
    ring = next(
        t for t in figures.day_chart(days, Units("mi"))["data"] if t.get("uid") == "after-hill"
    )
    assert ring["customdata"] == ["Mon 2"]
