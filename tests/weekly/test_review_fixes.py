"""Weekly rules found wrong in a code review, each with a small history of known answer."""

from __future__ import annotations

import math

import pandas as pd

from analyzer.settings import Settings
from analyzer.symptoms.rules import distance_change
from analyzer.weekly.view import history
from tests.weekly.helpers import LONDON, checkin, daily_checkins, drops, make_inputs, run

TODAY = pd.Timestamp("2026-12-31")


def test_a_run_without_heart_rate_does_not_dilute_the_easy_share() -> None:
    # W47: one run all easy (25 min), one without heart rate (easy share unknown)
    runs = [
        run("2026-11-17T07:00Z"),
        run("2026-11-19T07:00Z", easy_share=None, trimp=None),
    ]
    hist = history(make_inputs(runs, today=TODAY))
    week = hist.weekly.loc["2026-W47"]
    assert week["easy_share"] == 1.0  # of the run that has heart rate, not 0.5
    assert hist.daily.loc["2026-11-19", "easy_share"] != 0.0
    assert math.isnan(hist.daily.loc["2026-11-19", "easy_share"])


def test_a_week_whose_runs_all_lack_heart_rate_has_no_easy_share_or_trimp() -> None:
    runs = [run(f"2026-11-{d}T07:00Z", easy_share=None, trimp=None) for d in (17, 19)]
    runs.append(run("2026-11-10T07:00Z"))  # W46 has heart rate
    hist = history(make_inputs(runs, today=TODAY))
    w47 = hist.weekly.loc["2026-W47"]
    assert math.isnan(w47["easy_share"])
    assert math.isnan(w47["trimp"])
    assert hist.weekly.loc["2026-W46", "trimp"] == 20.0


def test_a_week_without_runs_has_zero_load() -> None:
    runs = [run("2026-11-03T07:00Z"), run("2026-11-17T07:00Z")]  # W45 and W47, not W46
    week = history(make_inputs(runs, today=TODAY)).weekly.loc["2026-W46"]
    assert week["trimp"] == 0.0
    assert week["distance_m"] == 0.0


def test_exactly_ten_percent_more_is_not_flagged() -> None:
    # 3 x 2.0 mi then 3 x 2.2 mi: +10% to the float, and DOMAIN flags "more than +10%"
    mile = 1609.344
    first = [run(f"2026-11-{d:02d}T07:00Z", 2.0 * mile) for d in (9, 11, 13)]
    second = [run(f"2026-11-{d}T07:00Z", 2.2 * mile) for d in (16, 18, 20)]
    hist = history(make_inputs(first + second, today=TODAY))
    change = hist.weekly.loc["2026-W47", "distance_change"]
    assert change > 0.1  # 0.10000000000000006: the float noise the rule must not see
    reasons = hist.assessments["2026-W47"].verdict.reasons
    assert not any("weekly distance up" in r for r in reasons)
    more = [run(f"2026-11-{d}T07:00Z", 2.21 * mile) for d in (16, 18, 20)]
    reasons = history(make_inputs(first + more, today=TODAY)).assessments["2026-W47"]
    # 6.63 / 6.0 mi is +10.5%: within a point of the limit it shows a decimal
    assert any("weekly distance up 10.5%" in r for r in reasons.verdict.reasons)


def test_pain_during_logged_without_a_stored_run_is_a_red_flag() -> None:
    # a run on Tue 17 Nov, a check-in on Thu 19 Nov with pain during a run of 7/10 whose
    # file is not imported yet
    runs = [run("2026-11-17T07:00Z")]
    checkins = [checkin("2026-11-17"), checkin("2026-11-19", 2.0, pain_during=7.0)]
    hist = history(make_inputs(runs, checkins, today=TODAY))
    week = hist.assessments["2026-W47"]
    # the flag does not name a run the page does not show (a user test: "the run of Mon 23
    # Nov" on a page with 0 runs)
    assert [f.detail for f in week.red_flags] == [
        "pain during a run logged for Thu 19 Nov (no run stored) was 7/10, above 5"
    ]
    day = hist.daily.loc["2026-11-19"]
    assert day["light"] == "red"
    assert day["reasons"] == (
        "pain during the run was 7/10, above 5: too much (no run stored that day)",
    )


def test_two_runs_on_one_day_are_one_pain_score_and_one_next_morning() -> None:
    # Mon 16 Nov: two runs (a warm-up file and the run); Tue 17: stiffness 6 after 2 on
    # Monday morning, not settled; pain during 7 logged on Monday
    runs = [run("2026-11-16T07:00Z"), run("2026-11-16T07:40Z"), run("2026-11-18T07:00Z")]
    checkins = [
        checkin("2026-11-16", 2.0, pain_during=7.0),
        checkin("2026-11-17", 6.0),
        checkin("2026-11-18", 2.0),
        checkin("2026-11-19", 2.0),
    ]
    flags = history(make_inputs(runs, checkins, today=TODAY)).assessments["2026-W47"].red_flags
    assert [f.detail for f in flags] == ["pain during the run of Mon 16 Nov was 7/10, above 5"]


def test_the_pain_threshold_in_words_is_the_settings() -> None:
    runs = [run("2026-11-17T07:00Z")]
    checkins = [checkin("2026-11-17", 2.0, pain_during=4.5)]
    strict = LONDON.with_changes(pain_acceptable_max=4.0)
    hist = history(make_inputs(runs, checkins, settings=strict, today=TODAY))
    assert [f.detail for f in hist.assessments["2026-W47"].red_flags] == [
        "pain during the run of Tue 17 Nov was 4.5/10, above 4"
    ]


def test_heel_drops_in_the_minute_the_run_ended_count_as_after_it() -> None:
    # the run starts 07:00:30 UTC and lasts 25 min: it ends at 07:25:30; sessions are kept
    # to the minute, so one logged at 07:25 came after the run
    runs = [run("2026-11-17T07:00:30Z")]
    sessions = [drops("2026-11-17T07:25:00+00:00"), drops("2026-11-17T06:59:00+00:00")]
    daily = history(make_inputs(runs, drop_sessions=sessions, today=TODAY)).daily
    assert daily.loc["2026-11-17", "drops_sessions"] == 2
    assert daily.loc["2026-11-17", "drops_after_run"] == 1  # the 07:25, not the 06:59


def _back(last_before: str, back: str) -> list[str]:
    """The reasons of the week of ``back``, after steady running up to ``last_before``."""
    steady = [f"{d.date()}T07:00Z" for d in pd.date_range(end=last_before, periods=12, freq="2D")]
    runs = [run(t) for t in [*steady, f"{back}T07:00Z"]]
    hist = history(make_inputs(runs, daily_checkins("2026-06-01", "2026-12-20"), today=TODAY))
    week = hist.runs.loc[hist.runs["local_date"] == pd.Timestamp(back), "week"].iloc[0]
    return list(hist.assessments[week].verdict.reasons)


def test_a_break_is_counted_to_the_monday_as_the_ratio_counts_it() -> None:
    # last run Sun 4 Oct, back Mon 16 Nov: 42 days without running up to the Monday,
    # exactly 6 weeks (acwr_max_break_weeks), which is not "more than 6 weeks"
    assert not any("back to running after" in r for r in _back("2026-10-04", "2026-11-16"))
    # last run Sat 3 Oct, back the same Monday: 43 days, more than 6 weeks
    assert any(
        "back to running after 6 weeks without" in r for r in _back("2026-10-03", "2026-11-16")
    )
    # code review: the return rule and the ratio must agree about one break; back on a
    # Sunday after the same 6 weeks to the Monday, the ratio still compares with the
    # load before the break, and no "back to running" contradicts it
    reasons = _back("2026-10-04", "2026-11-22")
    assert not any("back to running after" in r for r in reasons)


def test_morning_pain_rising_on_the_week_before_is_amber() -> None:
    # DOMAIN: "Morning pain and stiffness must not rise from one week to the next"; the
    # stiffness stays at 2 while the pain on getting up goes from 1 to 2 a morning
    runs = [run(f"2026-11-{d:02d}T07:00Z") for d in (10, 12, 17, 19)]
    checkins = [
        checkin(str(day.date()), 2.0, morning_pain=1.0 if day.day < 16 else 2.0)
        for day in pd.date_range("2026-11-09", "2026-11-22")
    ]
    reasons = history(make_inputs(runs, checkins, today=TODAY)).assessments["2026-W47"]
    assert "morning pain averaged 2.0/10, up from 1.0/10 last week" in reasons.verdict.reasons
    assert reasons.verdict.light == "amber"


def test_heel_drop_sessions_are_checked_against_the_programme() -> None:
    # Alfredson 1998: 3 x 15 straight-knee and 3 x 15 bent-knee; a short session is logged
    full = drops("2026-11-17T07:40:00+00:00")
    short = {**drops("2026-11-17T18:00:00+00:00"), "bent_knee_sets": 2}
    loaded = {**drops("2026-11-18T07:40:00+00:00"), "added_load_kg": 2.5}
    hist = history(make_inputs([run("2026-11-17T07:00Z")], drop_sessions=[full, short, loaded]))
    week = hist.weekly.loc["2026-W47"]
    assert (week["drops_sessions"], week["drops_full"], week["drops_load_max_kg"]) == (3, 2, 2.5)
    # the user's own target: 2 sets of 12 makes every session full
    own = LONDON.with_changes(drops_sets_target=2, drops_reps_target=12)
    inputs = make_inputs([run("2026-11-17T07:00Z")], drop_sessions=[full, short], settings=own)
    assert history(inputs).weekly.loc["2026-W47", "drops_full"] == 2


def test_pain_after_a_run_must_have_settled_by_the_next_morning() -> None:
    # stiffness stays at 2; the pain on getting up is 1 on the mornings of the runs and 3
    # the mornings after: two runs in a row whose pain had not settled (a red flag)
    runs = [run("2026-11-16T07:00Z"), run("2026-11-18T07:00Z")]
    pains = {16: 1.0, 17: 3.0, 18: 1.0, 19: 3.0}
    checkins = [checkin(f"2026-11-{d}", 2.0, morning_pain=p) for d, p in pains.items()]
    hist = history(make_inputs(runs, checkins, today=TODAY))
    first = hist.runs.iloc[0]
    assert first["light"] == "amber"
    # the words say what was compared: the two mornings' pain on getting up
    assert first["reasons"] == (
        "next morning's pain on getting up was 3/10, up from 1/10 the morning of the run: "
        "not settled by the next morning",
    )
    assert [f.detail for f in hist.assessments["2026-W47"].red_flags] == [
        "pain on getting up had not settled by the next morning after two runs in a row "
        "(Mon 16 Nov and Wed 18 Nov)"
    ]


def test_an_every_other_day_week_of_four_runs_says_it_is_no_build_up() -> None:
    # DOMAIN's user: 2 miles every other day, so weeks of 3 and 4 runs alternate: +33%
    # on the week before every other week, flagged as DOMAIN asks, and the reason says
    # it came from one more run, not longer ones
    mile = 1609.344
    days = pd.date_range("2026-09-28", "2026-11-22", freq="2D")
    runs = [run(f"{d.date()}T07:00Z", 2 * mile) for d in days]
    hist = history(make_inputs(runs, today=TODAY))
    reasons = [r for w in ("2026-W46", "2026-W47") for r in hist.assessments[w].verdict.reasons]
    up = [r for r in reasons if r.startswith("weekly distance up")]
    assert up == [
        "weekly distance up 33% on the week before (limit +10%): 4 runs against 3, each no "
        "longer on average"
    ]
    # a real build-up says only the rule: 3 runs a week, then 4 longer ones
    build = [run(f"2026-11-{d:02d}T07:00Z", 2 * mile) for d in (2, 4, 6, 9, 11, 13)]
    build += [run(f"2026-11-{d}T07:00Z", 3 * mile) for d in (16, 18, 20, 22)]
    reasons = history(make_inputs(build, today=TODAY)).assessments["2026-W47"].verdict.reasons
    assert "weekly distance up 100% on the week before (limit +10%)" in reasons


def test_a_high_morning_pain_is_amber_without_a_week_to_compare() -> None:
    # the user test: 7.5/10 on getting up in a week without runs read "Green: the tendon
    # is tolerating the running ... nothing of concern"
    checkins = [checkin(f"2026-11-{d}", 2.0, morning_pain=2.0) for d in (16, 17, 18, 20)]
    checkins.append(checkin("2026-11-19", 2.0, morning_pain=7.5))
    week = history(make_inputs([], checkins, today=TODAY)).assessments["2026-W47"].verdict
    assert week.light == "amber"
    assert "pain on getting up reached 7.5/10 this week, above 5" in week.reasons
    calm = [checkin(f"2026-11-{d}", 2.0, morning_pain=1.0) for d in range(16, 23)]
    week = history(make_inputs([], calm, today=TODAY)).assessments["2026-W47"].verdict
    assert (week.light, week.words) == (
        "green",
        "Green: no runs this week, and nothing of concern logged",
    )


def test_a_weekly_mean_of_one_morning_is_not_compared() -> None:
    # W46: five mornings at 2; W47: one morning at 6: a rise of 4, but one morning is not
    # a week's trend (weekly_min_mornings 3), and the notes say so
    checkins = [checkin(f"2026-11-{d}", 2.0) for d in (9, 10, 11, 12, 13)]
    checkins.append(checkin("2026-11-18", 6.0))
    week = history(make_inputs([], checkins, today=TODAY)).assessments["2026-W47"].verdict
    assert not any(r.startswith("morning stiffness averaged") for r in week.reasons)
    assert (
        "morning stiffness logged on 1 morning only: not compared with other weeks (at least 3)"
        in week.reasons
    )
    one = LONDON.with_changes(weekly_min_mornings=1)
    week = history(make_inputs([], checkins, settings=one, today=TODAY)).assessments["2026-W47"]
    assert "morning stiffness averaged 6.0/10, up from 2.0/10 last week" in week.verdict.reasons


def test_more_runs_that_were_also_longer_say_how_much_longer() -> None:
    # code review: 3 x 2.0 mi then 4 x 2.2 mi read "each no longer on average"
    longer = distance_change(4 * 2.2 / (3 * 2.0) - 1, Settings(), (4, 3))
    assert longer is not None
    assert longer.reason == (
        "weekly distance up 47% on the week before (limit +10%): 4 runs against 3, each 10% "
        "longer on average"
    )
    much = distance_change(4 * 3.0 / (3 * 2.0) - 1, Settings(), (4, 3))
    assert much is not None
    assert much.reason == "weekly distance up 100% on the week before (limit +10%)"


def test_a_run_is_judged_by_morning_pain_alone() -> None:
    # code review: check-ins with only the pain on getting up (1, then 1) left the run
    # unjudged with "no check-in for the run or the next morning"
    checkins = [
        checkin("2026-11-17", None, morning_pain=1.0),
        checkin("2026-11-18", None, morning_pain=1.0),
    ]
    first = history(make_inputs([run("2026-11-17T07:00Z")], checkins, today=TODAY)).runs.iloc[0]
    assert first["light"] == "green"
    assert first["reasons"] == ("the next morning was no worse; pain during the run not logged",)


def test_mixed_mornings_say_what_was_logged() -> None:
    # final review: stiffness one morning and pain on getting up the other read "no
    # check-in the morning of the run", though there was one
    checkins = [
        checkin("2026-11-17", None, morning_pain=1.0),
        checkin("2026-11-18", 2.0),
    ]
    first = history(make_inputs([run("2026-11-17T07:00Z")], checkins, today=TODAY)).runs.iloc[0]
    assert first["light"] == "none"
    assert first["reasons"] == (
        "pain not logged, and the morning of the run and the next share no score to compare "
        "(stiffness, pain on getting up)",
    )
