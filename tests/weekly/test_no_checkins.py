"""Nothing to judge, nothing claimed: runs, days and weeks without check-ins are neutral,
and a VISA-A fall is flagged in its own week only."""

from __future__ import annotations

import pandas as pd

from analyzer.weekly.lights import NONE
from analyzer.weekly.view import history
from tests.weekly.helpers import checkin, daily_checkins, make_inputs, run

GREEN_CLAIM = "pain stayed low"


def test_runs_without_check_ins_are_neutral_not_green() -> None:
    hist = history(make_inputs([run("2026-10-13T06:00:00Z"), run("2026-10-15T06:00:00Z")]))
    assert set(hist.runs["light"]) == {NONE}
    week = hist.assessments["2026-W42"]
    assert week.verdict.light == NONE
    assert not week.verdict.words.startswith("Green")
    assert all(GREEN_CLAIM not in r for r in week.verdict.reasons)
    assert "no check-ins" in week.verdict.reasons[0]
    days = hist.daily.loc["2026-10-12":"2026-10-18"]
    assert set(days["light"]) == {NONE}  # run days and rest days alike: nothing logged


def test_a_rest_day_with_a_check_in_is_green_without_one_neutral() -> None:
    hist = history(make_inputs([run("2026-10-13T06:00:00Z")], [checkin("2026-10-16", 1)]))
    assert hist.daily.loc["2026-10-16", "light"] == "green"
    assert hist.daily.loc["2026-10-17", "light"] == NONE
    assert "no check-in" in hist.daily.loc["2026-10-17", "reasons"][0]


def test_a_check_in_with_only_a_note_judges_nothing() -> None:
    # a note (or an emptied check-in) says nothing about how the tendon felt
    empty = checkin("2026-10-14", None, note="new shoes")
    hist = history(make_inputs([], [empty]))
    assert hist.daily.loc["2026-10-14", "light"] == NONE
    week = hist.assessments["2026-W42"].verdict
    assert week.light == NONE
    assert all(GREEN_CLAIM not in r and "nothing of concern" not in r for r in week.reasons)


def test_a_light_from_the_load_alone_says_so() -> None:
    # no check-ins at all; the second week doubles the distance (more than +10%: amber)
    runs = [run("2026-10-13T06:00:00Z", 5000.0), run("2026-10-20T06:00:00Z", 10000.0)]
    verdict = history(make_inputs(runs)).assessments["2026-W43"].verdict
    assert verdict.light == "amber"
    assert verdict.words.startswith("Amber: from the load rules alone")
    assert any("distance" in r for r in verdict.reasons)  # the rule that fired, by name
    assert "no check-ins to judge the tendon by" in verdict.words
    assert "tendon is" not in verdict.words
    assert "with care" not in verdict.words


def test_load_findings_stand_without_check_ins() -> None:
    # two running days in a row break the rest-day rule whatever the check-ins say
    hist = history(make_inputs([run("2026-10-13T06:00:00Z"), run("2026-10-14T06:00:00Z")]))
    assert hist.assessments["2026-W42"].verdict.light == "amber"
    assert hist.daily.loc["2026-10-14", "light"] == "amber"


def test_a_run_is_green_only_for_what_was_logged() -> None:
    runs = [run("2026-10-13T06:00:00Z")]
    pain_only = history(make_inputs(runs, [checkin("2026-10-13", None, pain_during=1)]))
    (reason,) = pain_only.runs["reasons"].iloc[0]
    assert pain_only.runs["light"].iloc[0] == "green"
    assert "no morning score on both mornings to compare" in reason
    both = history(
        make_inputs(runs, [checkin("2026-10-13", 2, pain_during=1), checkin("2026-10-14", 2)])
    )
    assert both.runs["light"].iloc[0] == "green"
    assert "next morning was no worse" in both.runs["reasons"].iloc[0][0]


def test_a_week_of_check_ins_without_runs_is_green_and_says_why() -> None:
    hist = history(make_inputs([], daily_checkins("2026-10-12", "2026-10-18", 1)))
    v = hist.assessments["2026-W42"].verdict
    assert v.light == "green"
    assert v.reasons == ("no runs; the 7 check-ins logged showed nothing of concern",)


def test_visa_a_fall_is_flagged_in_its_week_only() -> None:
    # 66 in W42, 6 in W43, then good check-ins and no runs: weeks later and a year later
    checkins = daily_checkins("2026-10-12", "2026-11-08", 1) + daily_checkins(
        "2027-11-01", "2027-11-07", 1
    )
    visa = [("2026-10-14", 66), ("2026-10-21", 6)]
    hist = history(make_inputs([run("2026-10-13T06:00:00Z")], checkins, visa=visa))
    fall = hist.assessments["2026-W43"]
    assert [f.rule for f in fall.red_flags] == ["visa_a"]
    assert fall.verdict.light == "red"
    assert "66 to 6" in fall.red_flags[0].text
    for later in ("2026-W44", "2026-W45", "2027-W44"):
        a = hist.assessments[later]
        assert a.red_flags == ()
        assert a.verdict.light == "green"
        assert (a.visa_a_latest, a.visa_a_previous) == (6.0, 66.0)  # the tile still shows it
    # a second fall is a new flag, in its own week
    hist = history(make_inputs([], checkins, visa=[*visa, ("2027-11-03", 40), ("2027-11-05", 20)]))
    assert [f.detail for f in hist.assessments["2027-W44"].red_flags] == [
        "VISA-A fell from 40 to 20"
    ]


def test_weeks_with_data_skip_empty_weeks_but_keep_a_lone_visa_a() -> None:
    hist = history(
        make_inputs(
            [run("2026-01-06T06:00:00Z"), run("2026-03-03T06:00:00Z")],
            visa=[("2026-05-05", 80)],
        )
    )
    assert hist.data_weeks == ["2026-W02", "2026-W10", "2026-W19"]
    assert len(hist.weeks) == 18  # the calendar still spans them for ratios and trends
    assert hist.assessments["2026-W19"].visa_a_latest == 80
    assert hist.assessments["2026-W19"].verdict.light == NONE


def test_visa_a_logged_later_in_the_day_counts_for_that_day() -> None:
    hist = history(make_inputs([run("2026-10-13T06:00:00Z")], visa=[("2026-10-18 21:00", 70)]))
    assert hist.assessments["2026-W42"].visa_a_latest == 70
    assert pd.Timestamp("2026-10-18") in hist.daily.index
