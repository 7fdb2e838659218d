"""The week's questions (DOMAIN.md: "What they want to know each week") answered in words
at the top of the page, and each day's light with its reasons (DOMAIN: "Each run, day and
week gets green, amber or red, with the reason in words")."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from analyzer.report.answers import easy_mornings, kept, settling
from analyzer.report.build import day_rows
from analyzer.report.units import Units
from analyzer.weekly.view import WeekView, history, week_view
from tests.weekly.helpers import checkin, drops, make_inputs, run

MILES = Units("mi")
TODAY = pd.Timestamp("2026-12-01")


def stiffness_weeks(means: list[float]) -> list[dict[str, object]]:
    """A check-in every morning of consecutive weeks from Mon 5 Oct 2026, each week's
    mornings all at that week's score (so each weekly mean is exactly the score)."""
    start = pd.Timestamp("2026-10-05")
    return [
        checkin(str((start + pd.Timedelta(days=7 * w + d)).date()), m, morning_pain=m / 2)
        for w, m in enumerate(means)
        for d in range(7)
    ]


def view_of(
    week: str, runs: list[dict[str, object]], checkins: list[dict[str, object]]
) -> WeekView:
    inputs = make_inputs(runs, checkins, today=TODAY)
    return week_view(inputs, history(inputs), week)


def test_settling_compares_with_four_weeks_before_and_last_week() -> None:
    # weeks W41..W45 at 3, 3, 2.5, 2.5, 2: this week (W45) against W41 and W44
    view = view_of("2026-W45", [run("2026-11-03T07:00Z")], stiffness_weeks([3, 3, 2.5, 2.5, 2]))
    lines = settling(view)
    assert lines[0] == (
        "Morning stiffness averaged 2.0/10 this week: lower than four weeks before (3.0); "
        "last week 2.5."
    )
    # pain on getting up was logged at half the stiffness: 1.0 against 1.5
    assert lines[1].startswith("Pain on getting up averaged 1.0/10 this week: lower than")


def test_settling_says_when_a_week_has_too_few_mornings() -> None:
    few = [checkin("2026-11-03", 2.0), checkin("2026-11-05", 3.0)]
    view = view_of("2026-W45", [run("2026-11-03T07:00Z")], few)
    assert settling(view) == [
        "Morning stiffness: logged on 2 mornings this week, too few to compare (at least 3)."
    ]


def test_settling_with_nothing_before_says_so() -> None:
    view = view_of("2026-W41", [run("2026-10-06T07:00Z")], stiffness_weeks([3]))
    assert settling(view)[0] == (
        "Morning stiffness averaged 3.0/10 this week; no week of the 4 before has enough "
        "mornings logged to compare with."
    )


def test_settling_rising_says_higher() -> None:
    view = view_of("2026-W42", [run("2026-10-13T07:00Z")], stiffness_weeks([2, 3]))
    assert settling(view)[0] == (
        "Morning stiffness averaged 3.0/10 this week: higher than last week (2.0)."
    )


def test_kept_names_the_days_that_broke_the_advice() -> None:
    runs = [
        run("2026-11-02T07:00Z", easy_share=0.9),
        run("2026-11-03T07:00Z", easy_share=0.3, hills_run=2, hills_walked=1),  # Mon then Tue
        run("2026-11-06T07:00Z", easy_share=None),
    ]
    view = view_of("2026-W45", runs, [])
    rest, hills, easy = kept(view, MILES, 125.0)  # no heel drops ever logged: no line
    assert rest == "Rest days: 4; ran on consecutive days: Mon 2 Nov and Tue 3 Nov."
    assert hills == "Hills: 1 walked, 2 run (Tue 3 Nov)."
    # 25 min each with heart rate on two runs: (0.9 + 0.3) / 2 = 60% easy
    assert easy == (
        "Easy effort: 60% of the running time (under 125 bpm); not mostly easy: Tue 3 Nov "
        "(30% easy, 25 min moving); 1 run without heart rate."
    )


def test_kept_all_well() -> None:
    runs = [run("2026-11-02T07:00Z", hills_walked=1), run("2026-11-04T07:00Z")]
    rest, hills, easy = kept(view_of("2026-W45", runs, []), MILES, None)
    assert rest == "Rest days: 5, with a rest day between every two runs."
    assert hills == "Hills: all 1 walked."
    assert easy == "Easy effort: 100% of the running time; every run mostly easy."


def test_easy_mornings_only_where_the_week_had_both_kinds() -> None:
    runs = pd.DataFrame({"stiffness_change": [2.0, 0.0, 1.0], "easy_share": [0.2, 0.9, 0.8]})
    assert easy_mornings(runs) == [
        "After the one run that was not mostly easy, morning stiffness the next day changed "
        "by +2.0 points.",
        "After the 2 runs that were mostly easy, morning stiffness the next day changed by "
        "+0.5 points on average.",
    ]
    assert easy_mornings(runs.assign(easy_share=0.9)) == []


def test_every_day_has_a_light_and_its_reasons() -> None:
    view = view_of("2026-W45", [run("2026-11-03T07:00Z", pain_during=None)], [])
    rows = day_rows(view)
    assert [r["day"] for r in rows][:2] == ["Mon 2 Nov", "Tue 3 Nov"]
    assert len(rows) == 7
    assert all(r["light"] in {"green", "amber", "red", "none"} and r["why"] for r in rows)


def page_text(path: Path) -> str:
    page = re.sub(r'<script type="application/json".*?</script>', "", path.read_text(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_sample_week_answers_its_questions(sample_reports: Path) -> None:
    text = page_text(sample_reports / "2026-W47.html")
    assert "Is it settling? Morning stiffness averaged 1.9/10 this week" in text
    assert "Did I keep my rest days, walk the hills, stay easy and do the heel drops?" in text
    # Sat 21 and Sun 22 Nov are both run days in the sample (sample_data/*.fit)
    assert "ran on consecutive days: Sat 21 Nov and Sun 22 Nov" in text
    assert "Each day’s light" in text


def test_heel_drops_name_the_short_days_and_the_extra_sessions() -> None:
    # W45: two sessions every day but Tue (none) and Thu (three: one beyond the target of
    # 2 a day, not counted); Mon's first session at 07:40, 15 min after the run's end
    days = {2: 2, 3: 0, 4: 2, 5: 3, 6: 2, 7: 2, 8: 2}
    sessions = [
        drops(f"2026-11-0{d}T{7 + i * 4:02d}:40+00:00") for d, n in days.items() for i in range(n)
    ]
    inputs = make_inputs([run("2026-11-02T07:00Z")], [], sessions, today=TODAY)
    view = week_view(inputs, history(inputs), "2026-W45")
    # done, each day counted up to 2: 2 + 0 + 2 + 2 + 2 + 2 + 2 = 12 of 14
    assert kept(view, MILES, None)[-1] == (
        "Heel drops (programme week 1 of 12): 12 of 14 sessions; short on Tue 3 Nov (0 of 2); "
        "1 extra beyond a "
        "day's target, not counted; 1 straight after a run."
    )


def test_a_share_beside_half_keeps_the_decimal_that_decides_it() -> None:
    # 0.5 is not mostly easy, 0.503 is: shown "50%" and "50.3%", never both "50%"
    runs = [run("2026-11-03T07:00Z", easy_share=0.5), run("2026-11-05T07:00Z", easy_share=0.503)]
    easy = kept(view_of("2026-W45", runs, []), MILES, None)[2]
    assert "not mostly easy: Tue 3 Nov (50% easy, 25 min moving)." in easy
    assert "Thu" not in easy


def test_no_heel_drop_line_before_the_first_session_ever_logged() -> None:
    # sessions begin in W46: W45's page does not list seven days "short" of a programme
    # that had not started
    sessions = [drops("2026-11-09T08:00+00:00")]
    inputs = make_inputs([run("2026-11-03T07:00Z")], [], sessions, today=TODAY)
    hist = history(inputs)
    assert not any(
        line.startswith("Heel drops")
        for line in kept(week_view(inputs, hist, "2026-W45"), MILES, None)
    )
    assert kept(week_view(inputs, hist, "2026-W46"), MILES, None)[0].startswith(
        "Heel drops (programme week 1 of 12): 1 of 14 sessions; short on Mon 9 Nov (1 of 2), "
        "Tue 10 Nov (0 of 2)"
    )


def test_the_easy_rule_is_written_out_with_its_numbers() -> None:
    from analyzer.report.build import easy_rule_words
    from analyzer.settings import Settings

    # DOMAIN: 70% of maximum, or rest + 0.70 x (max - rest) with the reserve model
    assert easy_rule_words(178.0, Settings()) == (
        "under 70% of maximum heart rate: 0.70 × 178 = 125 bpm"
    )
    karvonen = Settings(hr_model="reserve", hr_rest_bpm=52)
    assert easy_rule_words(183.0, karvonen) == (
        "under rest + 70% of the heart-rate reserve (Karvonen): 52 + 0.70 × (183 − 52) = 144 bpm"
    )
    assert easy_rule_words(None, karvonen) == (
        "under rest + 70% of the heart-rate reserve (Karvonen)"
    )


def test_the_method_says_which_values_came_from_the_profile() -> None:
    """DOMAIN: the report says which value was used and where it came from."""
    from analyzer.report.build import changed_settings, rest_words, trimp_words
    from analyzer.settings import Settings

    assert rest_words(Settings(hr_rest_bpm=52)) == "52 bpm, from your profile"
    assert rest_words(Settings()).startswith("60 bpm, the default (no resting heart rate")
    # Banister's coefficients: 0.64 and 1.92 for men, 0.86 and 1.67 for women (DOMAIN)
    assert trimp_words(Settings(sex="female")).startswith(
        "the women's coefficients (0.86 and 1.67)"
    )
    assert trimp_words(Settings()).startswith("the men's coefficients (0.64 and 1.92), the default")
    assert changed_settings(Settings()) == []
    # in the order of the settings, as `profile show` lists them
    assert changed_settings(Settings(units="km", hr_rest_bpm=52)) == ["units km", "hr_rest_bpm 52"]


def test_the_programme_week_counts_from_the_first_session() -> None:
    # Alfredson 1998: 12 weeks. First session Mon 2 Nov: W45 is week 1, W46 week 2; a
    # session 13 weeks on is past the programme
    sessions = [drops("2026-11-02T08:00+00:00"), drops("2027-02-01T08:00+00:00")]
    inputs = make_inputs([], [checkin("2026-11-02")], sessions, today=pd.Timestamp("2027-03-01"))
    hist = history(inputs)
    assert kept(week_view(inputs, hist, "2026-W46"), MILES, None)[0].startswith(
        "Heel drops (programme week 2 of 12): 0 of 14"
    )
    # 1 Feb 2027 is 91 days after 2 Nov: week 14
    assert kept(week_view(inputs, hist, "2027-W05"), MILES, None)[0].startswith(
        "Heel drops (programme week 14: past the 12 weeks of the programme)"
    )


def test_the_programme_week_is_that_of_the_days_so_far() -> None:
    # review: a programme begun on Thu 8 Jan 2026, seen on Tue 31 Mar (its day 83: week
    # 12), said "week 13: past the 12 weeks" from the week's days still to come
    sessions = [drops("2026-01-08T08:00+00:00"), drops("2026-03-30T08:00+00:00")]
    inputs = make_inputs([], [checkin("2026-01-08")], sessions, today=pd.Timestamp("2026-03-31"))
    view = week_view(inputs, history(inputs), "2026-W14")
    assert kept(view, MILES, None)[0].startswith("Heel drops (programme week 12 of 12)")
    # the same week once over: Mon 30 Mar is day 81 (week 12), Sun 5 Apr day 87 (week 13)
    later = make_inputs([], [checkin("2026-01-08")], sessions, today=pd.Timestamp("2026-04-20"))
    assert kept(week_view(later, history(later), "2026-W14"), MILES, None)[0].startswith(
        "Heel drops (programme weeks 12–13: the 12 weeks of the programme end in this one)"
    )


def test_a_changed_fallback_rest_is_not_called_the_default() -> None:
    from analyzer.report.build import rest_words
    from analyzer.settings import Settings

    assert rest_words(Settings(hr_rest_default_bpm=50)).startswith(
        "50 bpm, your profile's fallback"
    )
