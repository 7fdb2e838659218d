"""A week that has not ended (today, in the profile's zone, inside it) shows no drop yet."""

from __future__ import annotations

import pandas as pd

from analyzer.weekly.view import History, current_week, history, week_view
from tests.weekly.helpers import LONDON, daily_checkins, make_inputs, run

#: a 5 km run every other day, Mon 7 Sep - Sat 21 Nov 2026 (2026-W37 .. 2026-W47)
STEADY = [
    run(f"{d.date()}T07:00Z", 5000.0) for d in pd.date_range("2026-09-07", "2026-11-22", freq="2D")
]
#: check-ins through Wednesday 25 Nov (2026-W48): the week has data but no run yet
CHECKINS = daily_checkins("2026-09-07", "2026-11-25")
WEDNESDAY = pd.Timestamp("2026-11-25")
#: one short run on Monday 23 Nov: a week of running far below the usual load (a week
#: without any run is a rest week, whose low side is never judged)
SHORT = [*STEADY, run("2026-11-23T07:00Z", 1000.0)]
NEXT_MONDAY = pd.Timestamp("2026-11-30")


def _hist(today: pd.Timestamp, runs: list[dict] = STEADY, **kw: object) -> History:
    return history(make_inputs(runs, CHECKINS, today=today, **kw))  # type: ignore[arg-type]


def test_a_running_week_without_runs_yet_is_not_a_sudden_drop() -> None:
    hist = _hist(WEDNESDAY)
    assert hist.weekly.loc["2026-W48", "acwr_distance"] == 0.0  # the load so far
    week = hist.assessments["2026-W48"].verdict
    assert week.light == "green"
    assert not any("less load than usual" in r for r in week.reasons)


def test_a_short_run_so_far_is_not_a_sudden_drop_before_the_week_ends() -> None:
    week = _hist(WEDNESDAY, SHORT).assessments["2026-W48"].verdict
    assert not any("less load than usual" in r for r in week.reasons)


def test_once_the_week_has_ended_the_drop_is_judged() -> None:
    week = _hist(NEXT_MONDAY, SHORT).assessments["2026-W48"].verdict
    assert week.light == "amber"
    assert any(r.startswith("acute:chronic distance ratio 0.") for r in week.reasons)
    assert sum(r.endswith("below 0.8 (less load than usual)") for r in week.reasons) == 2
    # without that run the week is a rest week: no drop, whenever it is judged
    rest = _hist(NEXT_MONDAY).assessments["2026-W48"].verdict
    assert not any("less load than usual" in r for r in rest.reasons)


def test_sunday_is_still_inside_the_week() -> None:
    week = _hist(pd.Timestamp("2026-11-29")).assessments["2026-W48"].verdict
    assert not any("less load than usual" in r for r in week.reasons)


def test_the_high_side_counts_in_a_running_week() -> None:
    # Mon and Tue of 2026-W48: 2 x 20 km, against about 17.5 km a week: already a spike
    big = [run("2026-11-23T07:00Z", 20000.0), run("2026-11-24T07:00Z", 20000.0)]
    week = _hist(WEDNESDAY, [*STEADY, *big]).assessments["2026-W48"].verdict
    assert week.light == "red"
    assert any(r.startswith("acute:chronic distance ratio") for r in week.reasons)
    assert any("above 1.5" in r for r in week.reasons)
    assert any(r.startswith("weekly distance up") for r in week.reasons)


def test_an_earlier_week_is_judged_in_full() -> None:
    # a week of one short run before the current one has ended: its drop stands
    runs = [r for r in STEADY if r["start_time"] < pd.Timestamp("2026-11-09", tz="UTC")]
    runs.append(run("2026-11-10T07:00Z", 1000.0))
    week = _hist(WEDNESDAY, runs).assessments["2026-W46"].verdict
    assert any(r.endswith("below 0.8 (less load than usual)") for r in week.reasons)


def test_today_is_the_date_in_the_profile_zone() -> None:
    # 23:30 UTC on Sunday 29 Nov: still Sunday in London, Monday 30 Nov in Auckland
    late_sunday = pd.Timestamp("2026-11-29T23:30Z")
    london = _hist(late_sunday, SHORT).assessments["2026-W48"].verdict
    auckland = (
        _hist(late_sunday, SHORT, settings=LONDON.with_changes(timezone="Pacific/Auckland"))
        .assessments["2026-W48"]
        .verdict
    )
    assert not any("less load than usual" in r for r in london.reasons)
    assert any("less load than usual" in r for r in auckland.reasons)


def test_the_current_week_is_the_week_of_the_pinned_today() -> None:
    assert current_week(_hist(WEDNESDAY)) == "2026-W48"
    assert current_week(_hist(pd.Timestamp("2026-11-18"))) == "2026-W47"


def _trends(runs: list[dict], today: pd.Timestamp) -> pd.DataFrame:
    inputs = make_inputs(runs, CHECKINS, today=today)
    return week_view(inputs, history(inputs), "2026-W48").trends


def test_the_trends_of_a_running_week_show_no_drop_yet() -> None:
    trends = _trends(STEADY, WEDNESDAY)
    assert pd.isna(trends.loc["2026-W48", "acwr_distance"])  # 0.00 so far: not plotted
    assert pd.isna(trends.loc["2026-W48", "distance_change"])  # -100% so far: not labelled
    assert trends.loc["2026-W47", "acwr_distance"] > 0  # the weeks that ended keep theirs
    ended = _trends(STEADY, NEXT_MONDAY)
    assert ended.loc["2026-W48", "acwr_distance"] == 0.0
    assert ended.loc["2026-W48", "distance_change"] == -1.0


def test_a_spike_in_a_running_week_is_plotted() -> None:
    big = [run("2026-11-23T07:00Z", 20000.0), run("2026-11-24T07:00Z", 20000.0)]
    trends = _trends([*STEADY, *big], WEDNESDAY)
    assert trends.loc["2026-W48", "acwr_distance"] > 1.5
    assert trends.loc["2026-W48", "distance_change"] > 0.1
