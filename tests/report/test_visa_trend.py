"""The trends chart shows every VISA-A result of a week, so a fall that a later result
the same week made up for is still seen (the week's red flag has its point)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analyzer.report import figures
from analyzer.report.units import Units
from analyzer.weekly.view import trend_weeks

WEEKS = trend_weeks("2026-W47")  # 2026-W36 .. 2026-W47
#: 75 in W42 and on Mon 9 Nov (W46), 48 on Tue 17 Nov and 84 on Fri 20 Nov (both W47);
#: 85 on 1 Jun, 80 on 10 Aug: before the twelve weeks
VISA = pd.DataFrame(
    {
        "date": pd.to_datetime(
            ["2026-06-01", "2026-08-10", "2026-10-14", "2026-11-09", "2026-11-17", "2026-11-20"]
        ),
        "total": [85.0, 80.0, 75.0, 75.0, 48.0, 84.0],
    }
)


def weekly() -> pd.DataFrame:
    n = len(WEEKS)
    return pd.DataFrame(
        {
            "distance_m": [8000.0] * n,
            "distance_change": [np.nan] * n,
            "acwr_distance": [1.0] * n,
            "acwr_trimp": [1.0] * n,
            "stiffness_mean": [2.0] * n,
        },
        index=WEEKS,
    )


def visa_trace(fig: dict) -> dict:
    return next(t for t in fig["data"] if t["name"].startswith("VISA-A"))


@pytest.fixture
def fig() -> dict:
    return figures.trends(weekly(), VISA, Units("mi"), 0.8, 1.3, 1.5, 10.0)


def test_every_result_of_the_week_is_plotted_in_date_order(fig: dict) -> None:
    trace = visa_trace(fig)
    # the one result before the twelve weeks (10 Aug) leads the line in; 1 Jun is dropped
    assert trace["y"] == [80.0, 75.0, 75.0, 48.0, 84.0]
    assert trace["text"] == [
        "Mon 10 Aug 2026",
        "Wed 14 Oct 2026",
        "Mon 9 Nov 2026",
        "Tue 17 Nov 2026",
        "Fri 20 Nov 2026",
    ]


def test_a_result_sits_at_its_day_within_its_weeks_category(fig: dict) -> None:
    x = visa_trace(fig)["x"]
    spread = figures.VISA_SPREAD
    # W47 is the 12th category (11); Tuesday is day 1 of 0-6, Friday day 4
    assert x[3] == pytest.approx(11 + (1 - 3) / 6 * spread, abs=1e-4)
    assert x[4] == pytest.approx(11 + (4 - 3) / 6 * spread, abs=1e-4)
    assert x[2] == pytest.approx(10 - 3 / 6 * spread, abs=1e-4)  # Monday of W46
    assert x[1] == pytest.approx(6 + (2 - 3) / 6 * spread, abs=1e-4)  # Wednesday of W42
    # (positions are rounded to 4 decimals in the JSON)
    assert x[0] < -0.5  # 10 Aug: off the chart, to the left
    # every shown result stays inside its own week's category, clear of the next
    assert all(abs(v - round(v)) < 0.5 for v in x[1:])
    axis = fig["layout"]["xaxis2"]
    assert axis["overlaying"] == "x"
    assert axis["range"] == fig["layout"]["xaxis"]["range"] == [-0.5, 11.5]
    assert visa_trace(fig)["xaxis"] == "x2"


def test_the_fall_of_the_red_flag_is_red(fig: dict) -> None:
    colours = visa_trace(fig)["marker"]["color"]
    assert colours == [figures.VISA, figures.VISA, figures.VISA, figures.VISA_FALL, figures.VISA]
    small = figures.trends(weekly(), VISA, Units("mi"), 0.8, 1.3, 1.5, 30.0)  # 27 < 30
    assert figures.VISA_FALL not in visa_trace(small)["marker"]["color"]


def test_the_chart_is_valid_plotly_wide_and_narrow(fig: dict) -> None:
    go.Figure(fig)
    go.Figure(figures.narrow_variant(fig))
    empty = VISA.iloc[:0]
    go.Figure(figures.trends(weekly(), empty, Units("km"), 0.8, 1.3, 1.5, 10.0))
    assert visa_trace(figures.trends(weekly(), empty, Units("km"), 0.8, 1.3, 1.5))["x"] == []


def test_a_decline_in_small_steps_turns_red_where_it_reaches_the_drop() -> None:
    # 70, 64, 59 in three weeks: steps of 6 and 5, but the 59 is 11 below the 70 of the
    # weeks before it (the week's red flag, daily.visa_a_steps)
    steps = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-26", "2026-11-02", "2026-11-09"]),
            "total": [70.0, 64.0, 59.0],
        }
    )
    colours = visa_trace(figures.trends(weekly(), steps, Units("mi"), 0.8, 1.3, 1.5, 10.0))
    assert colours["marker"]["color"] == [figures.VISA, figures.VISA, figures.VISA_FALL]
    # with a window of one week the 70 is out of reach of the 59: no fall of 10
    narrow = figures.trends(weekly(), steps, Units("mi"), 0.8, 1.3, 1.5, 10.0, 1)
    assert figures.VISA_FALL not in visa_trace(narrow)["marker"]["color"]
