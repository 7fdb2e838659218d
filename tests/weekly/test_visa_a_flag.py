"""The VISA-A red flag: a result of the week 10 or more below the one before it or the best
result of the 12 weeks before it."""

from __future__ import annotations

from analyzer.weekly.view import history
from tests.weekly.helpers import LONDON, daily_checkins, make_inputs, run

#: a run a week, Tuesdays of 2026-W46 .. 2026-W48, with a check-in every day
RUNS = [run(f"2026-11-{d}T07:00Z") for d in (10, 17, 24)]
CHECKINS = daily_checkins("2026-11-09", "2026-11-29")


def _flags(visa: list[tuple[str, float]]) -> dict[str, list[str]]:
    hist = history(make_inputs(RUNS, CHECKINS, visa=visa))
    return {w: [f.detail for f in a.red_flags] for w, a in hist.assessments.items()}


def test_a_better_result_later_in_the_week_keeps_the_flag() -> None:
    # the user test: 66 on Mon 9 Nov (W46), 41 on Wed 18 Nov and 50 on Fri 20 Nov (W47);
    # 66 -> 41 is a fall of 25, and the 50 after it does not undo that
    flags = _flags([("2026-11-09", 66), ("2026-11-18", 41), ("2026-11-20", 50)])
    assert flags["2026-W46"] == []
    assert flags["2026-W47"] == ["VISA-A fell from 66 to 41"]
    assert flags["2026-W48"] == []  # flagged once, in the week it was logged


def test_the_week_turns_red_with_talk_to_your_physio() -> None:
    visa = [("2026-11-09", 66), ("2026-11-18", 41), ("2026-11-20", 50)]
    week = history(make_inputs(RUNS, CHECKINS, visa=visa)).assessments["2026-W47"]
    assert week.verdict.light == "red"
    assert [f.text for f in week.red_flags] == ["VISA-A fell from 66 to 41: talk to your physio."]
    # the glance still shows the latest result and the one before it
    assert (week.visa_a_latest, week.visa_a_previous) == (50, 41)


def test_the_largest_fall_of_the_week_is_named() -> None:
    # 80 (W46); in W47: 64 (16 below the 80 just before), 70, then 58 (12 below the 70
    # just before, 22 below the 80 of the weeks before: the largest)
    visa = [("2026-11-10", 80), ("2026-11-16", 64), ("2026-11-18", 70), ("2026-11-21", 58)]
    assert _flags(visa)["2026-W47"] == ["VISA-A fell from 80 (Tue 10 Nov) to 58"]


def test_a_fall_from_an_earlier_result_in_the_same_week() -> None:
    # both results in W47: 72 on Monday, 62 on Sunday: a fall of exactly 10
    assert _flags([("2026-11-16", 72), ("2026-11-22", 62)])["2026-W47"] == [
        "VISA-A fell from 72 to 62"
    ]


def test_a_decline_in_steps_under_ten_is_flagged() -> None:
    # 70 -> 61 (9) and 61 -> 52 (9): no single step of 10, but 18 below the best result
    # of the 12 weeks before, so the second fall is the red flag of DOMAIN's "a total
    # falling by 10 or more", named from the day of the 70
    flags = _flags([("2026-11-10", 70), ("2026-11-17", 61), ("2026-11-19", 52)])
    assert flags == {
        "2026-W46": [],
        "2026-W47": ["VISA-A fell from 70 (Tue 10 Nov) to 52"],
        "2026-W48": [],
    }


def test_small_ups_and_downs_are_not_flagged() -> None:
    # 70, 64, 68, 61: never 10 below the best (70) of the weeks before
    flags = _flags([("2026-11-10", 70), ("2026-11-12", 64), ("2026-11-17", 68), ("2026-11-24", 61)])
    assert flags == {"2026-W46": [], "2026-W47": [], "2026-W48": []}


def test_the_best_result_counts_only_within_the_window() -> None:
    # 80 in August, then 72 and 66 in November: 14 below the 80, but the 80 is more than
    # 12 weeks before the 66 (visa_a_window_weeks), and 72 -> 66 is a fall of 6
    visa = [("2026-08-03", 80), ("2026-11-10", 72), ("2026-11-17", 66)]
    assert _flags(visa)["2026-W47"] == []
    # with a window of 20 weeks the 80 is within it
    wide = LONDON.with_changes(visa_a_window_weeks=20)
    hist = history(make_inputs(RUNS, CHECKINS, visa=visa, settings=wide))
    assert [f.detail for f in hist.assessments["2026-W47"].red_flags] == [
        "VISA-A fell from 80 (Mon 3 Aug) to 66"
    ]


def test_the_result_just_before_counts_however_old() -> None:
    # a year between the two: the one before is still what the new result is read against
    assert _flags([("2025-11-18", 75), ("2026-11-17", 60)])["2026-W47"] == [
        "VISA-A fell from 75 to 60"
    ]


def test_the_first_result_has_nothing_to_fall_from() -> None:
    assert _flags([("2026-11-17", 30)])["2026-W47"] == []


def test_a_rise_after_a_fall_is_not_flagged_again() -> None:
    # code review: 70, 55, 58, 59 on successive Mondays read "fell from 70" in every week;
    # the fall to 55 is flagged once, and the rises after it are not falls
    visa = [("2026-11-02", 70), ("2026-11-09", 55), ("2026-11-16", 58), ("2026-11-23", 59)]
    hist = history(make_inputs(RUNS, daily_checkins("2026-11-02", "2026-11-29"), visa=visa))
    flags = {w: [f.detail for f in a.red_flags] for w, a in hist.assessments.items()}
    assert flags["2026-W46"] == ["VISA-A fell from 70 to 55"]
    assert flags["2026-W47"] == []
    assert flags["2026-W48"] == []
    # a new low below the 55 is measured from the best of the weeks before again
    visa.append(("2026-11-26", 52))
    hist = history(make_inputs(RUNS, daily_checkins("2026-11-02", "2026-11-29"), visa=visa))
    assert [f.detail for f in hist.assessments["2026-W48"].red_flags] == [
        "VISA-A fell from 70 (Mon 2 Nov) to 52"
    ]
