"""A day's light gives every reason of its runs, and a run whose next morning has not come
yet says so instead of "no check-in" (a user test: a run of today read "No check-ins"
beside that morning's check-in)."""

from __future__ import annotations

import pandas as pd

from analyzer.weekly.lights import NEXT_MORNING_TO_COME
from analyzer.weekly.view import history
from tests.weekly.helpers import checkin, make_inputs, run


def test_a_day_lists_every_reason_of_its_run() -> None:
    # Thu 19 Nov: stiffness 1 -> 4 and pain on getting up 0 -> 3 the next morning: two
    # reasons (settle_rise_points 2), both on the day's line, not the first alone
    runs = [run("2026-11-19T07:00Z")]
    checkins = [
        checkin("2026-11-19", 1.0, morning_pain=0.0),
        checkin("2026-11-20", 4.0, morning_pain=3.0),
    ]
    hist = history(make_inputs(runs, checkins, today=pd.Timestamp("2026-11-30")))
    day = hist.daily.loc["2026-11-19"]
    assert day["light"] == "amber"
    assert any("stiffness was 4/10" in r for r in day["reasons"])
    assert any("pain on getting up was 3/10" in r for r in day["reasons"])


def test_a_run_of_yesterday_waits_for_its_next_morning() -> None:
    runs = [run("2026-11-24T07:00Z")]  # Tue 24 Nov; today Wed 25 Nov, nothing logged yet
    hist = history(make_inputs(runs, [], today=pd.Timestamp("2026-11-25")))
    r = hist.runs.iloc[0]
    assert (r["light"], r["reasons"]) == ("none", (NEXT_MORNING_TO_COME,))
    day = hist.daily.loc["2026-11-24"]
    assert day["reasons"] == (f"run not judged: {NEXT_MORNING_TO_COME}",)


def test_an_older_run_without_check_ins_is_a_gap_in_the_log() -> None:
    runs = [run("2026-11-17T07:00Z")]  # a week before today: the morning after has passed
    hist = history(make_inputs(runs, [], today=pd.Timestamp("2026-11-25")))
    assert hist.runs.iloc[0]["reasons"] == ("no check-in for the run or the next morning",)


def test_a_green_run_names_both_pains_logged() -> None:
    runs = [run("2026-11-17T07:00Z")]
    checkins = [checkin("2026-11-17", None, pain_during=1.0, pain_after=3.0)]
    hist = history(make_inputs(runs, checkins, today=pd.Timestamp("2026-11-30")))
    assert hist.runs.iloc[0]["reasons"] == (
        "pain during the run stayed low and pain after it within 5; no morning score on "
        "both mornings to compare",
    )
