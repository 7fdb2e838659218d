"""The VISA-A red flag: any result of the week falling 10 or more from the one before it."""

from __future__ import annotations

from analyzer.weekly.view import history
from tests.weekly.helpers import daily_checkins, make_inputs, run

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
    # 80 (W46); in W47: 64 (a fall of 16), 70, then 58 (a fall of 12 from 70)
    visa = [("2026-11-10", 80), ("2026-11-16", 64), ("2026-11-18", 70), ("2026-11-21", 58)]
    assert _flags(visa)["2026-W47"] == ["VISA-A fell from 80 to 64"]


def test_a_fall_from_an_earlier_result_in_the_same_week() -> None:
    # both results in W47: 72 on Monday, 62 on Sunday: a fall of exactly 10
    assert _flags([("2026-11-16", 72), ("2026-11-22", 62)])["2026-W47"] == [
        "VISA-A fell from 72 to 62"
    ]


def test_falls_under_ten_are_not_flagged() -> None:
    # 70 -> 61 (9) and 61 -> 52 (9): 18 in all, but no single result fell by 10
    flags = _flags([("2026-11-10", 70), ("2026-11-17", 61), ("2026-11-19", 52)])
    assert flags == {"2026-W46": [], "2026-W47": [], "2026-W48": []}


def test_the_first_result_has_nothing_to_fall_from() -> None:
    assert _flags([("2026-11-17", 30)])["2026-W47"] == []
