"""The weekly rules over the frames after the rules review: pain after a run, the settle
words and red flag, stiffness creeping up, whole-week running history and heel drops
per day (the rules one at a time: tests/symptoms/test_rules.py)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from analyzer.weekly.daily import drops_short_days
from analyzer.weekly.view import History, history
from tests.weekly.helpers import checkin, drops, make_inputs, run

TODAY = pd.Timestamp("2026-12-31")  # every week below has ended


# --- 1. pain after the run -------------------------------------------------------------


def test_pain_after_a_stored_run_makes_the_run_day_and_week_amber() -> None:
    runs = [run("2026-11-17T07:00Z")]
    checkins = [checkin("2026-11-17", 2.0, pain_during=1.0, pain_after=8.0), checkin("2026-11-18")]
    hist = history(make_inputs(runs, checkins, today=TODAY))
    assert hist.runs.iloc[0]["reasons"] == ("pain after the run was 8/10, above 5",)
    assert hist.daily.loc["2026-11-17", "light"] == "amber"
    week = hist.assessments["2026-W47"]
    assert week.verdict.light == "amber"
    assert "Tue 17 Nov: pain after the run was 8/10, above 5" in week.verdict.reasons
    assert week.red_flags == ()  # DOMAIN's red flag is pain DURING above 5


def test_pain_after_alone_judges_a_run() -> None:
    # nothing else logged: pain after of 3 is within what Silbernagel allows
    hist = history(
        make_inputs(
            [run("2026-11-17T07:00Z")], [checkin("2026-11-17", None, pain_after=3.0)], today=TODAY
        )
    )
    first = hist.runs.iloc[0]
    assert first["light"] == "green"
    assert first["reasons"][0].startswith("pain after the run stayed within 5")


def test_pain_after_logged_on_a_day_without_a_stored_run_still_counts() -> None:
    checkins = [checkin("2026-11-18", 2.0, pain_after=7.0)]
    hist = history(make_inputs([run("2026-11-16T07:00Z")], checkins, today=TODAY))
    assert hist.daily.loc["2026-11-18", "light"] == "amber"
    assert hist.daily.loc["2026-11-18", "reasons"] == (
        "pain after the run was 7/10, above 5 (no run stored that day)",
    )
    reasons = hist.assessments["2026-W47"].verdict.reasons
    assert "Wed 18 Nov: pain after the run was 7/10, above 5 (no run stored that day)" in reasons


# --- 2. and 3. settling ----------------------------------------------------------------


def test_the_settle_words_name_the_two_mornings_compared() -> None:
    # pain after the run logged as 0, pain on getting up 0 then 2: the words must not
    # say "the pain after the run had not settled"
    runs = [run("2026-11-17T07:00Z")]
    checkins = [
        checkin("2026-11-17", 2.0, morning_pain=0.0, pain_during=0.0, pain_after=0.0),
        checkin("2026-11-18", 2.0, morning_pain=2.0),
    ]
    reasons = history(make_inputs(runs, checkins, today=TODAY)).runs.iloc[0]["reasons"]
    assert reasons == (
        "next morning's pain on getting up was 2/10, up from 0/10 the morning of the run: "
        "not settled by the next morning",
    )


def test_the_unsettled_red_flag_is_about_pain_only() -> None:
    # Mon and Wed: stiffness 2 -> 5 after each (amber runs) while the pain on getting up
    # stays at 1: no red flag; the same with the pain 1 -> 3 after each: the red flag
    runs = [run("2026-11-16T07:00Z"), run("2026-11-18T07:00Z")]
    stiff = {16: 2.0, 17: 5.0, 18: 2.0, 19: 5.0}
    checkins = [checkin(f"2026-11-{d}", s, morning_pain=1.0) for d, s in stiff.items()]
    hist = history(make_inputs(runs, checkins, today=TODAY))
    assert hist.runs["light"].tolist() == ["amber", "amber"]
    assert hist.runs["settled"].tolist() == [False, False]
    assert hist.assessments["2026-W47"].red_flags == ()
    pain = {16: 1.0, 17: 3.0, 18: 1.0, 19: 3.0}
    checkins = [checkin(f"2026-11-{d}", 2.0, morning_pain=p) for d, p in pain.items()]
    flags = history(make_inputs(runs, checkins, today=TODAY)).assessments["2026-W47"].red_flags
    assert [f.text for f in flags] == [
        "pain on getting up had not settled by the next morning after two runs in a row "
        "(Mon 16 Nov and Wed 18 Nov): talk to your physio."
    ]


# --- 4. stiffness creeping up ----------------------------------------------------------


def _mornings(monday: str, scores: list[float]) -> list[dict[str, Any]]:
    days = pd.date_range(monday, periods=len(scores))
    return [checkin(str(d.date()), s) for d, s in zip(days, scores, strict=True)]


#: five mornings a week, weekly means 2.0, 2.4, 2.8, 3.2: each step 0.4, under the 0.5
#: of weekly_stiffness_rise_points, so no single week is amber
CREEP = [
    *_mornings("2026-10-26", [2, 2, 2, 2, 2]),
    *_mornings("2026-11-02", [2, 2, 2, 3, 3]),
    *_mornings("2026-11-09", [3, 3, 3, 3, 2]),
    *_mornings("2026-11-16", [3, 3, 3, 3, 4]),
]


def test_stiffness_creeping_up_two_weeks_in_a_row_is_a_red_flag() -> None:
    # DOMAIN: "Morning stiffness rising two weeks in a row" is a red flag
    hist = history(make_inputs([], CREEP, today=TODAY))
    assert hist.weekly.loc["2026-W44":"2026-W47", "stiffness_mean"].tolist() == pytest.approx(
        [2.0, 2.4, 2.8, 3.2]
    )
    assert hist.assessments["2026-W45"].red_flags == ()  # one rise only
    for week, means in (("2026-W46", "2.0, 2.4, 2.8"), ("2026-W47", "2.4, 2.8, 3.2")):
        a = hist.assessments[week]
        assert [f.detail for f in a.red_flags] == [
            f"morning stiffness rose two weeks in a row ({means} of 10)"
        ]
        assert a.verdict.light == "red"
        assert not any("averaged" in r for r in a.verdict.reasons)  # 0.4: no weekly amber


def test_a_week_of_too_few_mornings_breaks_the_creep() -> None:
    # W46 with 2 mornings: a week of fewer than weekly_min_mornings (3) mornings is not compared
    few = [c for c in CREEP if c["date"] < pd.Timestamp("2026-11-11")]
    hist = history(make_inputs([], few, today=TODAY))
    assert hist.assessments["2026-W46"].red_flags == ()


# --- 5. running history in whole weeks -------------------------------------------------


def _hist(runs: list[dict[str, Any]]) -> History:
    return history(make_inputs(runs, today=TODAY))


def test_a_first_run_on_a_tuesday_covers_its_week() -> None:
    # 4 km on Tue, Thu and Sat from Tue 13 Oct (W42): W45's 28 days start Mon 12 Oct,
    # one day before the first run; its 4 weeks all hold runs, so its ratio is judged:
    # 12 km over (12 + 12 + 12 + 12) / 4
    days = [d for d in pd.date_range("2026-10-13", "2026-11-08") if d.day_of_week in (1, 3, 5)]
    hist = _hist([run(f"{d.date()}T07:00Z", 4000.0) for d in days])
    assert hist.weekly.loc["2026-W45", "acwr_distance"] == pytest.approx(1.0)
    assert not any("not judged" in r for r in hist.assessments["2026-W45"].verdict.reasons)
    # W44 has 3 weeks of running history: still too short
    assert math.isnan(hist.weekly.loc["2026-W44", "acwr_distance"])
    # and the first week is no return after a break
    for week in ("2026-W42", "2026-W43", "2026-W44", "2026-W45"):
        assert not any("back to running" in r for r in hist.assessments[week].verdict.reasons)


def test_a_first_run_on_a_sunday_covers_its_week_too() -> None:
    # first run Sun 18 Oct (W42), then Tue, Thu, Sat: W45's window (12 Oct - 8 Nov) has
    # runs in all 4 weeks: 12 km over (4 + 12 + 12 + 12) / 4
    later = [d for d in pd.date_range("2026-10-19", "2026-11-08") if d.day_of_week in (1, 3, 5)]
    runs = [run("2026-10-18T07:00Z", 4000.0)]
    runs += [run(f"{d.date()}T07:00Z", 4000.0) for d in later]
    assert _hist(runs).weekly.loc["2026-W45", "acwr_distance"] == pytest.approx(12 / 10)


# --- 6. heel drops ---------------------------------------------------------------------


def _session(local_iso: str, straight: int = 3, bent: int = 3, reps: int = 15) -> dict[str, Any]:
    return {
        **drops(local_iso),
        "straight_knee_sets": straight,
        "bent_knee_sets": bent,
        "reps": reps,
    }


def _twice(day: str) -> list[dict[str, Any]]:
    return [_session(f"{day}T08:00:00+00:00"), _session(f"{day}T19:00:00+00:00")]


def test_extra_sessions_one_day_do_not_make_up_for_a_day_missed() -> None:
    # W47: three sessions on Mon, none on Tue, two a day Wed-Sun: the target is 14
    # (twice a day, DOMAIN); Mon counts 2, so 12 of 14, not 13
    sessions = [*_twice("2026-11-16"), _session("2026-11-16T12:00:00+00:00")]
    for day in pd.date_range("2026-11-18", "2026-11-22"):
        sessions += _twice(str(day.date()))
    hist = history(make_inputs([run("2026-11-17T07:00Z")], drop_sessions=sessions, today=TODAY))
    week = hist.weekly.loc["2026-W47"]
    assert (week["drops_sessions"], week["drops_target"]) == (12, 14)
    assert (week["drops_full"], week["drops_logged"], week["drops_extra"]) == (12, 13, 1)
    assert week["drops_short_days"] == 1
    assert hist.daily.loc["2026-11-16", "drops_sessions"] == 3  # the day itself: 3 of 2
    short = drops_short_days(hist.daily, "2026-W47")
    assert list(short.index) == [pd.Timestamp("2026-11-17")]
    assert short.iloc[0].tolist() == [0.0, 2.0]


def test_a_session_logged_in_two_parts_counts_once() -> None:
    # Mon: 3 x 15 straight-knee at 07:40 and 3 x 15 bent-knee at 07:50 are one full
    # session (Alfredson 1998: 3 x 15 + 3 x 15); with the evening's, 2 of 2, both full
    monday = [
        _session("2026-11-16T07:40:00+00:00", bent=0),
        _session("2026-11-16T07:50:00+00:00", straight=0),
        _session("2026-11-16T19:00:00+00:00"),
    ]
    # Tue: the same split of 3 x 10: one session done, not full; the evening none
    tuesday = [
        _session("2026-11-17T07:40:00+00:00", bent=0, reps=10),
        _session("2026-11-17T07:50:00+00:00", straight=0, reps=10),
    ]
    hist = history(make_inputs([], drop_sessions=monday + tuesday, today=TODAY))
    day = hist.daily.loc["2026-11-16"]
    assert (day["drops_logged"], day["drops_sessions"], day["drops_full"]) == (3, 2, 2)
    day = hist.daily.loc["2026-11-17"]
    assert (day["drops_logged"], day["drops_sessions"], day["drops_full"]) == (2, 1, 0)
    assert bool(day["drops_short"])


def test_one_entry_with_a_day_of_sets_is_one_session() -> None:
    # 6 + 6 sets logged once: never more sessions than were logged
    hist = history(make_inputs([], drop_sessions=[_session("2026-11-16T08:00:00+00:00", 6, 6)]))
    day = hist.daily.loc["2026-11-16"]
    assert (day["drops_sessions"], day["drops_full"]) == (1, 1)


def test_sessions_after_a_run_count_within_the_day() -> None:
    # a run ends 07:25; a session split in two at 08:00 and 08:10 is one session after it
    sessions = [
        _session("2026-11-17T08:00:00+00:00", bent=0),
        _session("2026-11-17T08:10:00+00:00", straight=0),
    ]
    hist = history(make_inputs([run("2026-11-17T07:00Z")], drop_sessions=sessions, today=TODAY))
    assert hist.daily.loc["2026-11-17", "drops_after_run"] == 1
    assert hist.weekly.loc["2026-W47", "drops_after_run"] == 1
