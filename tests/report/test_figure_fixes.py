"""Figure behaviour found by a QA pass: zero link ranges, the ratio zones, gaps in the
stiffness line, computed bar colours, the narrow-screen variants, and the hills page."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analyzer.report import figures
from analyzer.report.build import link_cell
from analyzer.report.units import Units
from analyzer.settings import Settings
from analyzer.weekly.associations import LOADS, SYMPTOMS, Association, Link

MILES = Units("mi")


def week_days(stiffness: list[float]) -> pd.DataFrame:
    """Seven days built in code; ``stiffness`` NaN where no check-in was logged."""
    index = pd.date_range("2026-11-02", periods=7, freq="D")
    return pd.DataFrame(
        {
            "distance_m": [3800.0, 0, 3850, 0, 3810, 3860, 0],
            "easy_share": [1.0, np.nan, 1.0, np.nan, 0.02, 1.0, np.nan],
            "uphill_run_s": [0.0, 0, 0, 0, 95, 0, 0],
            "uphill_walk_s": [150.0, 0, 0, 0, 0, 0, 0],
            "morning_stiffness": stiffness,
            "pain_during": [1.0, np.nan, 1, np.nan, 3, 1, np.nan],
            "pain_after": [0.0, np.nan, 1, np.nan, 3, 0, np.nan],
            "hills_run": [0.0, 0, 0, 0, 1, 0, 0],
            "drops_sessions": [1.0, 2, 2, 2, 2, 2, 1],
            "drops_after_run": [1.0, 0, 1, 0, 1, 1, 0],
            "drops_target": [2.0] * 7,
            "note": [None] * 7,
        },
        index=index,
    )


def trace(fig: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in fig["data"] if t.get("name") == name)


def test_stiffness_line_breaks_at_a_day_without_check_in() -> None:
    fig = figures.day_chart(week_days([1, 2, np.nan, 2, 2, 6, 1]), MILES)
    line = trace(fig, "morning stiffness")
    assert line["connectgaps"] is False
    assert line["y"][2] is None  # Wednesday: no value, so no segment Tue -> Thu
    assert line["text"][2] == ""


def test_distance_bars_carry_colours_not_numbers() -> None:
    """plotly.js 4 logs "Invalid color specifier" for numeric bar colours."""
    fig = figures.day_chart(week_days([1.0] * 7), MILES)
    bars = trace(fig, "distance (mi), colour = easy share")
    colours = bars["marker"]["color"]
    assert all(isinstance(c, str) and c.startswith("#") and len(c) == 7 for c in colours)
    assert colours[0] == "#1b9e77"  # all easy: the teal end of the scale
    assert colours[4] != colours[0]  # 2% easy: near the mustard end
    key = [t for t in fig["data"] if t.get("marker", {}).get("showscale")]
    assert len(key) == 1
    assert key[0]["showlegend"] is False


def test_scale_colour_ends_and_middle() -> None:
    assert figures.scale_colour(0.0, figures.EASY_SCALE) == "#8c6d1f"
    assert figures.scale_colour(0.5, figures.EASY_SCALE) == "#d8c37a"
    assert figures.scale_colour(1.0, figures.EASY_SCALE) == "#1b9e77"
    assert figures.scale_colour(float("nan"), figures.EASY_SCALE) == "#8c6d1f"


@pytest.mark.parametrize(
    "build",
    [
        lambda: figures.day_chart(week_days([1, 2, np.nan, 2, 2, 6, 1]), MILES),
        lambda: figures.trends(trend_weeks([0.9, 1.1, 4.0]), no_visa(), MILES, 0.8, 1.3, 1.5),
    ],
)
def test_narrow_variant_is_valid_plotly_and_shortens_labels(build: Any) -> None:
    fig = build()
    narrow = figures.narrow_variant(fig)
    go.Figure(fig)  # raises on any property plotly does not know
    go.Figure(narrow)
    narrow_ticks = narrow["layout"]["xaxis"]["ticktext"]
    assert len(narrow_ticks) == len(fig["data"][0]["x"])  # one label a day, or a week
    longest = max(len(t.split("<br>")[0]) for t in narrow_ticks)
    assert longest <= 3  # "Mon" over "2", or "W42"
    assert narrow["layout"]["xaxis"]["tickangle"] == 0


def test_narrow_day_chart_keeps_heel_drop_counts_but_moves_them_above() -> None:
    fig = figures.day_chart(week_days([1.0] * 7), MILES)
    drops = next(t for t in figures.narrow_variant(fig)["data"] if t.get("uid") == "drops")
    assert drops["name"].startswith("heel-drop")
    assert drops["text"] == trace(fig, drops["name"])["text"]  # the counts stay
    assert drops["textposition"] == "top center"
    assert drops["textfont"]["size"] < 11


def test_narrow_merge_keeps_what_it_does_not_override() -> None:
    fig = figures.day_chart(week_days([1.0] * 7), MILES)
    narrow = figures.narrow_variant(fig)
    assert narrow["layout"]["xaxis"]["tickvals"] == fig["layout"]["xaxis"]["tickvals"]
    assert narrow["layout"]["margin"]["b"] == fig["layout"]["margin"]["b"]
    assert narrow["data"][3]["line"] == fig["data"][3]["line"]


def history(uphill_s: list[float]) -> pd.DataFrame:
    n = len(uphill_s)
    return pd.DataFrame(
        {
            "uphill_run_s": uphill_s,
            "next_stiffness": [2.0] * n,
            "week": ["2026-W45"] * n,
            "local_date": pd.date_range("2026-11-02", periods=n, freq="D"),
        }
    )


UPHILL = LOADS[0]


def link(n: int) -> Link:
    return Link(UPHILL, SYMPTOMS[0], Association(n, None, None, None), "")


def test_all_zero_uphill_time_gets_an_axis_in_minutes() -> None:
    fig = figures.link_figure([link(3)], history([0.0, 0.0, 0.0]), "2026-W45", MILES)
    low, high = fig["layout"]["xaxis"]["range"]
    assert low < 0 < high
    assert high - low >= 5  # minutes: not plotly's +-1e-9 ("-50p ... 50p")
    assert low > -1


def test_nonzero_range_is_unchanged_by_the_least_span() -> None:
    fig = figures.link_figure([link(3)], history([0.0, 600.0, 1200.0]), "2026-W45", MILES)
    low, high = fig["layout"]["xaxis"]["range"]
    assert high == pytest.approx(20 * 1.06)
    assert low == pytest.approx(-20 * 0.06)


@pytest.mark.parametrize(("n", "words"), [(1, "(1 pair, 8 needed)"), (3, "(3 pairs, 8 needed)")])
def test_link_title_counts_pairs_in_words(n: int, words: str) -> None:
    assert words in figures.link_title(link(n))


def test_link_title_and_cell_say_the_pairs_the_setting_needs() -> None:
    # link_min_pairs 12: an association judged with it says 12, not the default 8
    few = Link(UPHILL, SYMPTOMS[0], Association(3, None, None, None, needed=12), "")
    none = Link(UPHILL, SYMPTOMS[0], Association(0, None, None, None, needed=12), "")
    assert figures.link_title(few) == "not enough data yet (3 pairs, 12 needed)"
    assert figures.link_title(none) == "no pairs yet (12 needed)"
    assert link_cell(few)["detail"] == "3 pairs, 12 needed"
    assert link_cell(none)["detail"] == "12 needed"


def trend_weeks(ratios: list[float]) -> pd.DataFrame:
    weeks = [f"2026-W{43 + i}" for i in range(len(ratios))]
    return pd.DataFrame(
        {
            "distance_m": [10000.0] * len(ratios),
            "distance_change": [np.nan] + [0.0] * (len(ratios) - 1),
            "acwr_distance": ratios,
            "acwr_trimp": [np.nan] * len(ratios),
            "stiffness_mean": [2.0] * len(ratios),
        },
        index=weeks,
    )


def no_visa() -> pd.DataFrame:
    return pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]"), "total": []})


def test_ratio_axis_reaches_a_red_week_and_shades_the_zones() -> None:
    fig = figures.trends(trend_weeks([0.9, 1.1, 4.0]), no_visa(), MILES, 0.8, 1.3, 1.5)
    low, high = fig["layout"]["yaxis2"]["range"]
    assert low == 0
    assert high > 4.0
    zones = sorted(
        (s["y0"], s["y1"], s["fillcolor"]) for s in fig["layout"]["shapes"] if s["yref"] == "y2"
    )
    assert [(z[0], z[1]) for z in zones] == [(0, 0.8), (0.8, 1.3), (1.3, 1.5), (1.5, high)]
    assert zones[0][2] == zones[2][2].replace("0.14", "0.10")  # amber both sides of green
    assert zones[3][2].startswith("rgba(192,38,45")  # red
    assert any("red above 1.5" in a["text"] for a in fig["layout"]["annotations"])


def test_ratio_axis_stays_0_to_2_for_ordinary_weeks_and_red_defaults_to_settings() -> None:
    fig = figures.trends(trend_weeks([0.9, 1.1, 1.2]), no_visa(), MILES, 0.8, 1.3, 1.5)
    assert fig["layout"]["yaxis2"]["range"] == [0, 2.0]
    reds = [s for s in fig["layout"]["shapes"] if s["fillcolor"].startswith("rgba(192,38,45")]
    assert reds[0]["y0"] == Settings().acwr_red


def test_narrow_overrides_follow_the_trace_they_name_not_its_place() -> None:
    fig = figures.day_chart(week_days([1.0] * 7), MILES)
    moved = {**fig, "data": [fig["data"][-1], *fig["data"][:-1]]}  # a trace put in front
    narrow = figures.with_narrow(moved, {}, {"drops": {"textposition": "top center"}})
    data = figures.narrow_variant(narrow)["data"]
    drops = data[[t.get("uid") for t in fig["data"]].index("drops") + 1]  # one place on
    assert drops["uid"] == "drops"
    assert drops["textposition"] == "top center"
    with pytest.raises(ValueError, match="no trace with uid gone"):
        figures.with_narrow(fig, {}, {"gone": {}})


def test_hill_band_labels_round_a_grade_half_up_as_the_waypoints_do() -> None:
    """The profile's band label and the GPX waypoint say 5% for the 4.5% in the table
    under the chart (Python's own rounding said 4%)."""
    hills = pd.DataFrame(
        {
            "start_distance_m": [300.0, 1160.0],
            "end_distance_m": [670.0, 1390.0],
            "length_m": [370.0, 230.0],
            "grade_avg_pct": [4.5, 6.44],
            "walked": [False, True],
        }
    )
    bands = figures.hill_bands(hills, Units("km"))
    assert [(b.long, b.short) for b in bands] == [("RUN 5%", "5%"), ("walked 6%", "6%")]
    assert figures.hill_summary(hills.assign(gain_m=10.0), Units("km"))[0]["grade"] == "4.5%"


def test_the_day_chart_draws_morning_pain_beside_the_stiffness() -> None:
    days = week_days([2.0, 3, 2, 2, 4, 2, 2]).assign(morning_pain=[1.0, 2, 1, np.nan, 3, 1, 1])
    fig = figures.day_chart(days, MILES)
    pain = trace(fig, "morning pain (on getting up)")
    assert pain["y"] == [1.0, 2.0, 1.0, None, 3.0, 1.0, 1.0]  # no check-in: a gap
    stiff = trace(fig, "morning stiffness")
    # both morning scores before the day's tick, the stiffness first, so neither hides
    assert stiff["x"][0] < pain["x"][0] < 0 < trace(fig, "pain during run")["x"][0]
    go.Figure(figures.narrow_variant(fig))
