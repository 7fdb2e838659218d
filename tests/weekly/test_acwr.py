"""The acute:chronic ratio needs a usual load to compare with, and the page says why not."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analyzer.settings import Settings
from analyzer.weekly.view import History, history
from tests.weekly.helpers import LONDON, daily_checkins, make_inputs, run

#: the report is made long after every week below has ended
LATER = pd.Timestamp("2027-06-01")


def _days(first: str, last: str, every: int = 2) -> list[pd.Timestamp]:
    return list(pd.date_range(first, last, freq=f"{every}D"))


def _runs(days: list[pd.Timestamp], km: float) -> list[dict]:
    return [run(f"{d.date()}T07:00Z", km * 1000) for d in days]


def _hist(runs: list[dict], settings: Settings = LONDON, checkins: bool = False) -> History:
    days = daily_checkins("2026-10-12", "2026-11-29") if checkins else []
    return history(make_inputs(runs, days, settings=settings, today=LATER))


def _reasons(hist: History, week: str) -> tuple[str, ...]:
    return hist.assessments[week].verdict.reasons


def _ratio(hist: History, week: str) -> float:
    return float(hist.weekly.loc[week, "acwr_distance"])


#: a new start: Tue, Thu and Sat from 13 Oct 2026 (2026-W42), 4 km each, 12 km a week
NEW_START = _runs(
    [d for d in pd.date_range("2026-10-13", "2026-11-22") if d.day_of_week in (1, 3, 5)], 4.0
)


def test_one_old_run_is_no_usual_load_for_a_new_start() -> None:
    # the user test: one run in January 2023, then the sample's first week turned red,
    # "ratio 11.33"; after 3 years without running there is nothing usual to compare with
    hist = _hist([run("2023-01-12T07:00Z", 4841.0), *NEW_START], checkins=True)
    assert math.isnan(_ratio(hist, "2026-W42"))
    assert math.isnan(float(hist.weekly.loc["2026-W42", "acwr_trimp"]))
    # amber all the same: the first week back after years without running
    assert hist.assessments["2026-W42"].verdict.light == "amber"
    assert _reasons(hist, "2026-W42")[0].startswith("back to running after 3 years without")
    assert _reasons(hist, "2026-W42")[-1] == (
        "acute:chronic ratio not judged: no usual load to compare with after 3 years "
        "without running"
    )


def test_a_history_just_begun_needs_runs_in_three_of_four_weeks() -> None:
    hist = _hist([run("2023-01-12T07:00Z", 4841.0), *NEW_START], checkins=True)
    # second week of the new start: runs in 2 of the 4 weeks up to its Sunday
    assert math.isnan(_ratio(hist, "2026-W43"))
    assert _reasons(hist, "2026-W43")[-1] == (
        "acute:chronic ratio not judged: not enough running to compare with (runs in 2 of "
        "the 4 weeks up to this one, this one included; at least 3 needed)"
    )
    assert hist.assessments["2026-W43"].verdict.light == "green"
    # third week: 3 of 4 weeks; 12 km over (0 + 12 + 12 + 12) / 4
    assert _ratio(hist, "2026-W44") == pytest.approx(12 / 9)
    assert hist.assessments["2026-W44"].verdict.light == "amber"
    # fourth week: 12 km over 48 / 4
    assert _ratio(hist, "2026-W45") == pytest.approx(1.0)
    assert hist.assessments["2026-W45"].verdict.light == "green"


def test_the_minimum_of_weeks_is_a_setting() -> None:
    two = LONDON.with_changes(acwr_min_weeks=2)
    hist = _hist([run("2023-01-12T07:00Z", 4841.0), *NEW_START], two)
    # W43 with 2 weeks allowed: 12 km over (12 + 12) / 4
    assert _ratio(hist, "2026-W43") == pytest.approx(2.0)


def test_a_speck_of_distance_long_ago_gives_no_ratio() -> None:
    # the corpus: a 6 m "run" in April 2012, then 9.8 km in September read "ratio 6871.39"
    speck = run("2012-04-09T07:00Z", 5.73, elapsed_s=13.0, moving_s=6.0)  # 13 s, as there
    hist = _hist([speck, run("2012-09-29T07:00Z", 9843.0)])
    assert math.isnan(_ratio(hist, "2012-W39"))
    # the speck is a fragment (weekly.sport), not a run, so September starts the history
    assert _reasons(hist, "2012-W39")[-1] == (
        "acute:chronic ratio not judged: less than 4 weeks of running history to compare with"
    )
    # a real short run long ago (1 km) is history, and is too long ago to compare with
    hist = _hist([run("2012-04-09T07:00Z", 1000.0), run("2012-09-29T07:00Z", 9843.0)])
    assert math.isnan(_ratio(hist, "2012-W39"))
    assert _reasons(hist, "2012-W39")[-1] == (
        "acute:chronic ratio not judged: no usual load to compare with after 5 months "
        "without running"
    )


def test_less_than_four_weeks_of_history_says_so() -> None:
    hist = _hist(NEW_START)
    for week in ("2026-W42", "2026-W43", "2026-W44"):  # W44 ends on day 20 of the history
        assert math.isnan(_ratio(hist, week))
        assert _reasons(hist, week)[-1] == (
            "acute:chronic ratio not judged: less than 4 weeks of running history to compare with"
        )
    assert _ratio(hist, "2026-W46") == pytest.approx(1.0)


#: 6 weeks of a 5 km run every other day (Mon 7 Sep - Sat 17 Oct 2026), 17.5 km a week
STEADY = _runs(_days("2026-09-07", "2026-10-18"), 5.0)


def test_a_big_return_after_eight_weeks_is_still_a_spike() -> None:
    # 7 x 15 km from Mon 14 Dec: 57 days (8 weeks) after the last run on 17 Oct, more than
    # the 6 weeks after which the load before a break stops judging a return: 105 km over
    # the 17.5 km a week before it is a spike all the same
    back = _runs(list(pd.date_range("2026-12-14", "2026-12-20")), 15.0)
    hist = _hist([*STEADY, *back])
    assert _ratio(hist, "2026-W51") == pytest.approx(6.0)
    assert hist.assessments["2026-W51"].verdict.light == "red"


def test_a_modest_return_after_eight_weeks_is_not_judged_by_the_old_load() -> None:
    # 4 x 5 km (20 km) after the same 8 weeks: 1.14 x the load before the break, no spike
    back = _runs(_days("2026-12-14", "2026-12-20"), 5.0)
    hist = _hist([*STEADY, *back])
    assert math.isnan(_ratio(hist, "2026-W51"))
    assert _reasons(hist, "2026-W51")[-1] == (
        "acute:chronic ratio not judged: no usual load to compare with after 8 weeks "
        "without running"
    )
    # a profile that keeps the usual load for 10 weeks compares it: 20 km over 17.5
    ten = _hist([*STEADY, *back], LONDON.with_changes(acwr_max_break_weeks=10))
    assert _ratio(ten, "2026-W51") == pytest.approx(20 / 17.5)


def test_the_second_week_back_is_still_compared_with_the_usual_load() -> None:
    # back on Mon 16 Nov after 4 weeks off: 7 x 15 km, then 4 x 10 km; the second week has
    # runs in 2 of its 4 weeks, so it is compared with the 17.5 km a week before the break
    back = _runs(list(pd.date_range("2026-11-16", "2026-11-22")), 15.0)
    after = _runs(_days("2026-11-23", "2026-11-29"), 10.0)
    hist = _hist([*STEADY, *back, *after])
    assert _ratio(hist, "2026-W48") == pytest.approx(40 / 17.5)
    assert hist.assessments["2026-W48"].verdict.light == "red"


def test_a_return_below_the_usual_load_is_neither_spike_nor_drop() -> None:
    back = _runs(_days("2026-11-16", "2026-11-20"), 3.0)  # 9 km against 17.5 usual
    hist = _hist([*STEADY, *back])
    assert math.isnan(_ratio(hist, "2026-W47"))
    assert _reasons(hist, "2026-W47")[-1] == (
        "acute:chronic ratio not judged: back after a break, below the usual load before "
        "it (no spike)"
    )


def test_a_break_after_irregular_running_says_so() -> None:
    # runs in 2 weeks only (W38 and W39), then 4 weeks off, then a run
    runs = _runs(_days("2026-09-14", "2026-09-26"), 5.0)
    hist = _hist([*runs, run("2026-10-29T07:00Z", 5000.0)])
    assert math.isnan(_ratio(hist, "2026-W44"))
    assert _reasons(hist, "2026-W44")[-1] == (
        "acute:chronic ratio not judged: no usual load to compare with: before these 4 "
        "weeks without running, runs fell in fewer than 3 of 4 weeks"
    )


def test_a_rest_week_after_steady_running_is_not_judged_a_sudden_drop() -> None:
    # a week without runs (after a flare, say) is no warning sign of its own; the week
    # back is compared with the usual load (user test: a rest week after a red week read
    # "ratio 0.00, below 0.8 (a sudden drop)")
    hist = _hist(STEADY, checkins=True)  # last run Sat 17 Oct; 2026-W43 has none
    assert _ratio(hist, "2026-W43") == 0.0
    reasons = _reasons(hist, "2026-W43")
    assert not any("less load than usual" in r for r in reasons)
    assert hist.assessments["2026-W43"].verdict.light == "green"
    assert hist.assessments["2026-W43"].verdict.words == (
        "Green: no runs this week, and nothing of concern logged"
    )
    # a week of one short run is judged on both sides
    low = _hist([*STEADY, run("2026-10-21T07:00Z", 1000.0)], checkins=True)
    assert any("(less load than usual)" in r for r in _reasons(low, "2026-W43"))


def test_runs_without_heart_rate_give_no_heart_rate_ratio() -> None:
    # the last week's runs lack heart rate: TRIMP unknown, not zero (no "drop" to 0.00)
    last = [
        run(f"{d.date()}T07:00Z", 5000.0, trimp=None) for d in _days("2026-10-19", "2026-10-25")
    ]
    hist = _hist([*STEADY, *last])
    assert _ratio(hist, "2026-W43") > 0
    assert math.isnan(float(hist.weekly.loc["2026-W43", "acwr_trimp"]))
    reasons = _reasons(hist, "2026-W43")
    assert reasons[-1] == (
        "acute:chronic heart-rate load ratio not judged: no heart rate recorded on this week's runs"
    )
    assert not any("heart-rate load ratio 0.00" in r for r in reasons)


def test_the_weekly_distance_rule_judges_weeks_without_a_ratio() -> None:
    # 10 km then 12 km in the first two weeks: no ratio yet, the +20% is still amber
    runs = [run("2026-10-13T07:00Z", 10000.0), run("2026-10-20T07:00Z", 12000.0)]
    hist = _hist(runs, checkins=True)
    a = hist.assessments["2026-W43"]
    assert a.verdict.light == "amber"
    assert a.verdict.reasons[0] == "weekly distance up 20% on the week before (limit +10%)"
    assert a.verdict.reasons[-1].startswith("acute:chronic ratio not judged: ")


def test_a_heart_rate_load_that_undercounts_is_not_a_ratio() -> None:
    # W41 (5-11 Oct): the strap was left at home on every run but one. Read as 0, those
    # runs made W41 a "sudden drop" (TRIMP ratio 0.36) and, in the 28-day load of the
    # weeks after, a rise that was not there (W44: 1.45, amber); the distance ratio of
    # the same runs stays between 0.86 and 1.14
    without = {d.date() for d in _days("2026-10-05", "2026-10-09")}
    runs = [
        {**r, "trimp": None} if r["start_time"].date() in without else r for r in STEADY
    ] + _runs(_days("2026-10-20", "2026-11-15"), 5.0)
    hist = _hist(runs)
    for week in ("2026-W41", "2026-W43", "2026-W44"):
        assert math.isnan(float(hist.weekly.loc[week, "acwr_trimp"])), week
        assert _ratio(hist, week) > 0  # the distance ratio stands: every run has distance
    assert any(
        r == "acute:chronic heart-rate load ratio not judged: a run of the last 4 weeks has "
        "no heart rate, so the load would read low"
        for r in _reasons(hist, "2026-W43")
    )
    # four weeks after the last run without heart rate, the ratio is back
    assert float(hist.weekly.loc["2026-W45", "acwr_trimp"]) > 0


def test_a_usual_load_undercounted_before_a_break_is_no_heart_rate_ratio() -> None:
    # 5 km on Tue, Thu, Sat from 1 Sep to 24 Oct, the strap forgotten on every other run
    # from 28 Sep; 5 weeks off; the same three runs in 2026-W49. The distance ratio reads
    # 1.00 (the same load); the heart-rate load before the break read low, so its ratio
    # (2.00, red) said nothing about the tendon
    days = [d for d in pd.date_range("2026-09-01", "2026-10-24") if d.day_of_week in (1, 3, 5)]
    runs = [
        run(
            f"{d.date()}T07:00Z",
            5000.0,
            trimp=None if d >= pd.Timestamp("2026-09-28") and n % 2 else 20.0,
        )
        for n, d in enumerate(days)
    ]
    runs += [run(f"2026-12-0{d}T07:00Z", 5000.0) for d in (1, 3, 5)]
    hist = _hist(runs)
    assert _ratio(hist, "2026-W49") == pytest.approx(1.0)
    assert math.isnan(float(hist.weekly.loc["2026-W49", "acwr_trimp"]))
    assert hist.assessments["2026-W49"].verdict.light != "red"
