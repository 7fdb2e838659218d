"""Days after today have not happened: no rest days, no heel-drop target, in an unfinished
week; a week that has ended counts all seven."""

from __future__ import annotations

import pandas as pd

from analyzer.weekly.lights import NONE
from analyzer.weekly.view import History, history
from tests.weekly.helpers import checkin, drops, make_inputs, run

WEDNESDAY = pd.Timestamp("2026-11-25")  # 2026-W48 runs Mon 23 - Sun 29 Nov
NEXT_MONDAY = pd.Timestamp("2026-11-30")
#: a run on Tue 17 Nov (2026-W47); in 2026-W48 a check-in on Wednesday, one heel-drop
#: session on Tuesday morning, and no run
RUNS = [run("2026-11-17T07:00Z")]
CHECKINS = [checkin("2026-11-25", 2.0)]
DROPS = [drops("2026-11-24T08:00+00:00")]


def _hist(today: pd.Timestamp) -> History:
    return history(make_inputs(RUNS, CHECKINS, DROPS, today=today))


def test_days_after_today_are_no_rest_days_and_have_no_target() -> None:
    week = _hist(WEDNESDAY).weekly.loc["2026-W48"]
    assert week["rest_days"] == 3  # Mon, Tue, Wed: no run
    assert week["drops_target"] == 3 * 2  # two sessions a day, three days so far
    assert week["drops_sessions"] == 1
    assert week["days_to_come"] == 4  # Thu 26 - Sun 29


def test_today_itself_counts() -> None:
    days = _hist(WEDNESDAY).daily.loc["2026-11-23":"2026-11-29"]
    assert days["to_come"].tolist() == [False, False, False, True, True, True, True]
    assert days["rest_day"].tolist() == [True, True, True, False, False, False, False]
    assert days["drops_target"].tolist() == [2.0, 2.0, 2.0, 0.0, 0.0, 0.0, 0.0]


def test_a_week_that_has_ended_counts_all_seven_days() -> None:
    hist = _hist(NEXT_MONDAY)
    week = hist.weekly.loc["2026-W48"]
    assert week["rest_days"] == 7
    assert week["drops_target"] == 14
    assert week["days_to_come"] == 0
    # an earlier week is whole whatever today is
    earlier = _hist(WEDNESDAY).weekly.loc["2026-W47"]
    assert earlier["rest_days"] == 6  # the run on Tuesday
    assert earlier["drops_target"] == 14
    assert earlier["days_to_come"] == 0


def test_a_day_to_come_is_not_called_a_rest_day_without_a_check_in() -> None:
    days = _hist(WEDNESDAY).daily
    thursday = days.loc[pd.Timestamp("2026-11-26")]
    assert thursday["light"] == NONE
    assert thursday["reasons"] == ("a day still to come",)
    tuesday = days.loc[pd.Timestamp("2026-11-24")]
    assert tuesday["reasons"] == ("rest day, no check-in logged",)
