"""Words of the hills page and the GPX waypoint, on hills built in code."""

from __future__ import annotations

from dataclasses import replace

from analyzer.hills.export import waypoint_name, whole_percent
from analyzer.hills.overview import fmt_length
from analyzer.hills.recurring import GRADE, STIFFNESS, Flag, RecurringHill, StiffnessComparison
from analyzer.report.hills_page import flag_words, hills_intro, seen_words, stiffness_words


def hill(**changes: object) -> RecurringHill:
    base = RecurringHill(
        hill_id=15,
        name="Hill 15",
        user_name=None,
        foot_lat=51.5,
        foot_lon=-0.1,
        top_lat=51.51,
        top_lon=-0.1,
        length_m=1208.0,
        gain_m=117.15,  # 384.35 ft: 384, never 385 from metres rounded to 117.2 first
        grade_avg_pct=10.0,
        grade_max_pct=12.0,
        score=12080.0,
        times_run=0,
        times_walked=1,
        heart_rate_run_bpm=None,
        stiffness=StiffnessComparison(None, 0, None, 0, False),
        flags=(Flag(GRADE, "average grade 10.0% >= 6%"),),
        activity_ids=("a1",),
        first_date="2026-11-19",
        last_date="2026-11-19",
        start_distance_m=900.0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_waypoint_name_says_the_length_as_the_hills_list_does() -> None:
    # 1208 m = 0.7506 mi: walk it for that far from its foot, in the list's units
    assert waypoint_name(hill(), "km") == "Walk: Hill 15 (10%, for 1.21 km)"
    assert waypoint_name(hill(), "mi") == "Walk: Hill 15 (10%, for 0.75 mi)"
    # below a tenth of a mile (528 ft) in feet, below 1 km in metres: 150 m = 492.1 ft
    assert waypoint_name(hill(length_m=150.0), "mi") == "Walk: Hill 15 (10%, for 492 ft)"
    assert waypoint_name(hill(length_m=150.0), "km") == "Walk: Hill 15 (10%, for 150 m)"


def test_waypoint_grade_rounds_half_up_from_the_grade_the_page_shows() -> None:
    # README's example: a 198 m (0.123 mi) hill of 8%
    readme = hill(hill_id=2, name="Hill 2", grade_avg_pct=8.0, length_m=198.0)
    assert waypoint_name(readme, "mi") == "Walk: Hill 2 (8%, for 0.12 mi)"
    # the hills page says "4.5%": the watch says 5%, never 4 (Python rounds 4.5 to even)
    assert waypoint_name(hill(grade_avg_pct=4.5), "km") == "Walk: Hill 15 (5%, for 1.21 km)"
    assert whole_percent(4.5) == "5%"
    assert whole_percent(4.46) == "5%"  # shown as 4.5% on the page
    assert whole_percent(4.44) == "4%"
    assert whole_percent(5.5) == "6%"
    assert whole_percent(float("nan")) == "–"


def test_one_length_formatter_rounds_unrounded_metres() -> None:
    assert fmt_length(117.15, "mi") == "384 ft"
    assert fmt_length(None, "mi") == "–"
    assert fmt_length(float("nan"), "km") == "–"


def test_stiffness_counts_mornings_not_times_walked() -> None:
    """Walked once with no check-in the next morning: 0 mornings, not a contradiction."""
    words = stiffness_words(hill().stiffness, 3)
    assert words == (
        "not enough check-ins: 0 mornings after running it, 0 after walking it (3 of each needed)"
    )
    one = StiffnessComparison(4.0, 1, None, 0, False)
    assert "1 morning after running it" in stiffness_words(one, 3)


def test_seen_counts_runs_and_gives_one_date_for_one_run() -> None:
    assert seen_words(hill()) == "2026-11-19, 1 run"
    more = hill(activity_ids=("a1", "a2"), last_date="2026-11-21")
    assert seen_words(more) == "2026-11-19 to 2026-11-21, 2 runs"


def test_intro_is_honest_about_hills_seen_once() -> None:
    text = hills_intro([hill(), hill(hill_id=2, activity_ids=("a1", "a2"))])
    assert text.startswith("2 hills found on your runs with GPS, 1 of them on more than one run.")


def test_flag_words_are_short() -> None:
    stiff = StiffnessComparison(5.0, 5, 2.0, 6, True)
    h = hill(stiffness=stiff, flags=(Flag(GRADE, "x"), Flag(STIFFNESS, "long text")))
    assert flag_words(h) == ["grade 10.0%", "stiffer after running it (+3.0)"]
