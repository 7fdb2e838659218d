"""Fixes from a user test: morning pain beside the stiffness (trends, runs table, index,
glance); link charts whose hover gives the year and whose equal points stack apart the
same way every time; a caution where most pairs share one value; trend labels legible on
a phone and both ratio series in view; the maximum heart rate notice naming other sports
only where the history has some."""

from __future__ import annotations

import html
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.report import build, figures
from analyzer.report.units import Units
from analyzer.settings import Settings
from analyzer.weekly.associations import LOADS, SYMPTOMS, Link, associate, describe, links
from analyzer.weekly.view import WeekView, trend_weeks
from tests.weekly.helpers import checkin, make_inputs, run

MILES = Units("mi")
UPHILL, _, _, DISTANCE, _ = LOADS
STIFFNESS = SYMPTOMS[0]


def page_text(path: Path) -> str:
    page = re.sub(r'<script type="application/json".*?</script>', "", path.read_text(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


# --- 1. morning pain beside the stiffness --------------------------------------------------


def weekly(changes: list[float] | None = None, **columns: list[float]) -> pd.DataFrame:
    weeks = trend_weeks("2026-W47")
    n = len(weeks)
    frame = pd.DataFrame(
        {
            "distance_m": [8000.0] * n,
            "distance_change": changes or [np.nan] * n,
            "acwr_distance": [np.nan] * (n - 3) + [0.9, 1.1, 1.2],
            "acwr_trimp": [np.nan] * (n - 3) + [0.9, 1.0, 1.2],
            "stiffness_mean": [np.nan] * (n - 3) + [3.0, 2.5, 2.0],
            "morning_pain_mean": [np.nan] * (n - 3) + [1.0, 1.5, 2.0],
        },
        index=weeks,
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def no_visa() -> pd.DataFrame:
    return pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]"), "total": []})


def trace(fig: dict[str, Any], uid: str) -> dict[str, Any]:
    return next(t for t in fig["data"] if t.get("uid") == uid)


def test_trends_draw_mean_morning_pain_beside_the_stiffness() -> None:
    fig = figures.trends(weekly(), no_visa(), MILES, 0.8, 1.3, 1.5)
    stiff = next(t for t in fig["data"] if t["name"].startswith("mean morning stiffness"))
    pain = trace(fig, "morning-pain")
    assert pain["yaxis"] == stiff["yaxis"] == "y3"  # the same 0-10 axis
    assert fig["layout"]["yaxis3"]["range"] == [0, 10]
    assert pain["y"][-3:] == [1.0, 1.5, 2.0]
    assert pain["name"] == "mean morning pain, on getting up (0–10)"
    assert pain["line"]["color"] != stiff["line"]["color"]
    assert pain["line"]["dash"] == "dot"
    # the frame here has no morning counts: nothing is known to be too few, and a week
    # without any draws no point, so every marker is the filled one (the legend's too)
    assert set(pain["marker"]["symbol"]) == {"square"}
    assert fig["layout"]["yaxis3"]["title"]["text"] == "morning"  # not "stiffness" alone
    go.Figure(fig)
    go.Figure(figures.narrow_variant(fig))


def test_a_weekly_frame_without_morning_pain_draws_a_gap() -> None:
    frame = weekly().drop(columns="morning_pain_mean")
    pain = trace(figures.trends(frame, no_visa(), MILES, 0.8, 1.3, 1.5), "morning-pain")
    assert pain["y"] == [None] * 12


def test_runs_table_index_and_glance_carry_morning_pain(sample_reports: Path) -> None:
    week = page_text(sample_reports / "2026-W47.html")
    assert "Next-morning stiffness (change) Next-morning pain (change) Light" in week
    # Tue 17 Nov: stiffness 2 on the 17th and the 18th (+0); pain on getting up 0 then 1
    # (+1) (sample_data/symptoms.csv)
    assert "Tue 17 Nov 07:13 Route 1" in week
    row = week[week.index("Tue 17 Nov 07:13 Route 1") :]
    assert row.split(" Green")[0].endswith("23 2 (+0) 1 (+1)")
    assert "Mean morning stiffness · pain 1.9 · 0.9 /10" in week
    index = page_text(sample_reports / "index.html")
    assert "Mean morning stiffness · pain" in index
    assert "4 10.48 mi 1.9 · 0.9" in index


def test_run_rows_and_index_say_a_dash_where_no_pain_was_logged() -> None:
    assert build._mean_score(float("nan")) == "–"
    assert build._mean_score(None) == "–"
    assert build._mean_score(2.0) == "2.0"
    assert build._mean_score(0.94) == "0.9"


# --- 2. link charts: the year, and equal points stacked apart ------------------------------


def test_equal_points_stack_evenly_around_their_score() -> None:
    x = np.array([0.0, 0.0, 0.0, 5.0, 0.0])
    y = np.array([2.0, 2.0, 2.0, 2.0, 3.0])
    off = figures.stack_offsets(x, y, near=0.1)
    assert off[3] == 0.0  # alone at (5, 2)
    assert off[4] == 0.0  # alone at (0, 3)
    assert list(off[:3]) == pytest.approx([-figures.STACK_STEP, 0.0, figures.STACK_STEP])
    assert off[:3].sum() == pytest.approx(0.0)  # centred on the score
    assert list(figures.stack_offsets(x, y, near=0.1)) == list(off)  # the same every time


def test_two_equal_points_never_land_on_each_other() -> None:
    # the user test's case: two 3s jittered to 3.0964 and 3.0891
    off = figures.stack_offsets(np.array([1.5, 1.5]), np.array([3.0, 3.0]), near=0.0)
    assert off[1] - off[0] == pytest.approx(figures.STACK_STEP)


def test_a_big_stack_squeezes_within_its_bound_and_keeps_date_order() -> None:
    off = figures.stack_offsets(np.zeros(8), np.full(8, 2.0), near=0.0)
    assert off.min() == pytest.approx(-figures.STACK_MAX)
    assert off.max() == pytest.approx(figures.STACK_MAX)
    assert list(np.diff(off)) == pytest.approx([2 * figures.STACK_MAX / 7] * 7)  # even


def test_nearly_equal_loads_stack_and_distant_ones_do_not() -> None:
    x = np.array([2.60, 2.61, 2.62, 3.5])
    off = figures.stack_offsets(x, np.full(4, 2.0), near=0.015)
    assert len(set(off[:3].round(6))) == 3  # a chain within 0.015 of each other
    assert off[3] == 0.0


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 4)).map(lambda t: (float(t[0]), float(t[1]))),
        max_size=40,
    )
)
def test_stacks_are_bounded_and_keep_every_point_apart(points: list[tuple[float, float]]) -> None:
    x = np.array([p[0] for p in points])
    y = np.array([p[1] for p in points])
    off = figures.stack_offsets(x, y, near=0.0)
    assert np.all(np.abs(off) <= figures.STACK_MAX + 1e-9)
    shown = set(zip(x.tolist(), (y + off).round(9).tolist(), strict=True))
    assert len(shown) == len(points)  # no two points drawn on each other


def history(n: int = 10) -> pd.DataFrame:
    """``n`` runs every other day up to Sat 10 Jan 2026, over New Year from 2025: all but
    two with no uphill running, the two others with some and higher stiffness after."""
    days = pd.date_range(end="2026-01-10", periods=n, freq="2D")
    up = np.array([0.0] * (n - 2) + [120.0, 300.0])
    return pd.DataFrame(
        {
            "local_date": days,
            "week": [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in days],
            "uphill_run_s": up,
            "uphill_run_gain_m": up / 10,
            "easy_share": np.linspace(1, 0.5, n),
            "distance_m": 3000 + np.arange(n) * 100.0,
            "trimp": 20 + np.arange(n, dtype=float),
            "next_stiffness": np.array([2.0, 1, 2, 3, 2, 1, 2, 2, 4, 5][-n:]),
            "next_pain": np.arange(n, dtype=float) % 3,
            "next_tenderness": np.full(n, np.nan),
        }
    )


def uphill_figure(frame: pd.DataFrame) -> tuple[list[Link], dict[str, Any]]:
    found = [lk for lk in links(frame, pd.Timestamp("2026-01-10"), Settings()) if lk.load == UPHILL]
    return found, figures.link_figure(found, frame, "2026-W02", MILES)


def test_link_hover_gives_the_year_and_equal_points_show_apart() -> None:
    frame = history()
    _, fig = uphill_figure(frame)
    earlier, mine = fig["data"][0], fig["data"][1]
    assert earlier["text"][0] == "Tue 23 Dec 2025"
    assert mine["text"][-1] == "Sat 10 Jan 2026"
    assert "%{text}<br>" in earlier["hovertemplate"]
    points = list(zip(earlier["x"] + mine["x"], earlier["y"] + mine["y"], strict=True))
    assert len(set(points)) == len(points)  # 5 runs at (0 min, 2/10): 5 places
    assert earlier["customdata"][:3] == [2.0, 1.0, 2.0]  # the hover keeps the true score
    assert earlier["y"][0] != earlier["y"][2]
    again = uphill_figure(frame)[1]
    assert again["data"] == fig["data"]  # deterministic: the same page every build
    go.Figure(fig)
    go.Figure(figures.narrow_variant(fig))


# --- 3. a caution where most pairs share one value ---------------------------------------


def test_the_table_cell_and_words_caution_on_a_lump() -> None:
    found, _ = uphill_figure(history())
    stiffness = next(lk for lk in found if lk.symptom == STIFFNESS)
    cell = build.link_cell(stiffness)
    assert cell["weight"] == "lumped"  # never bold as "clear"
    assert cell["detail"].endswith("n = 10; 8 of 10 runs: no uphill running")
    assert cell["text"].endswith(
        "But 8 of 10 runs had no uphill running, so this rests on the other 2 runs."
    )


def test_a_cell_without_a_lump_is_unchanged() -> None:
    a = associate(np.arange(12.0), np.arange(12.0))
    cell = build.link_cell(Link(DISTANCE, STIFFNESS, a, describe(a, DISTANCE, STIFFNESS)))
    assert cell["weight"] == "clear"
    assert cell["detail"] == "1.00 to 1.00, n = 12"


@pytest.fixture(scope="module")
def lumped_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """10 runs, 8 of them on the flat (no uphill running), stiffness higher after the 2
    with a hill run."""
    out = tmp_path_factory.mktemp("lumped")
    days = pd.date_range("2026-10-12", periods=10, freq="2D")
    runs = [
        run(f"{d:%Y-%m-%d}T07:00Z", 3000.0 + 50 * i, uphill_run_s=0.0 if i < 8 else 60.0 * i)
        for i, d in enumerate(days)
    ]
    mornings = [2.0, 1, 2, 3, 2, 1, 2, 2, 4, 5]
    checkins = [
        checkin(f"{d + pd.Timedelta(days=1):%Y-%m-%d}", mornings[i]) for i, d in enumerate(days)
    ]
    inputs = make_inputs(runs, checkins, today=pd.Timestamp("2026-12-01"))
    build.build_reports(inputs, out, week="2026-W44")
    return page_text(out / "2026-W44.html")


def test_the_page_cautions_and_keeps_its_words_true(lumped_page: str) -> None:
    assert "But 8 of 10 runs had no uphill running, so this rests on the other 2 runs." in (
        lumped_page
    )
    assert "8 of 10 runs: no uphill running" in lumped_page  # the table cell
    assert "This shows what goes together, not what causes what." in lumped_page
    assert "±0.15" not in lumped_page
    assert "stacked a little apart vertically" in lumped_page
    assert "never more than 0.3 from its score" in lumped_page


# --- 4. trends on a phone -----------------------------------------------------------------


def test_change_labels_on_a_phone_are_legible_and_never_touch() -> None:
    changes = [np.nan] * 8 + [1.68, -0.5, 0.3, -0.2]
    fig = figures.trends(weekly(changes), no_visa(), MILES, 0.8, 1.3, 1.5)
    bars = trace(fig, "weekly-distance")
    assert bars["text"][-4:] == ["+168%", "−50%", "+30%", "−20%"]  # a true minus
    assert bars["textposition"] == "outside"  # wide: on the bars
    assert not any(a["text"] == "+168%" for a in fig["layout"]["annotations"])
    narrow = figures.narrow_variant(fig)
    assert trace(narrow, "weekly-distance")["textposition"] == "none"  # plotly shrank it
    notes = [a for a in narrow["layout"]["annotations"] if a.get("yref") == "y"]
    assert [a["text"] for a in notes] == ["+168%", "−50%", "+30%", "−20%"]
    assert all(a["font"]["size"] >= 11 for a in notes)
    shifts = [a["yshift"] for a in notes]
    assert shifts == [-figures.CHANGE_ROW_PX, 0, -figures.CHANGE_ROW_PX, 0]  # rows in turn
    assert notes[-1]["yshift"] == 0  # this week on the top row
    top = narrow["layout"]["yaxis"]["range"][1]
    assert all(a["y"] == top for a in notes)
    longest = max(figures.text_px(a["text"], 11) for a in notes)
    assert longest < 2 * (320 - 52) / 12  # two weeks' width of a 320 px phone's plot
    assert "red above 1.5" in [a["text"] for a in narrow["layout"]["annotations"]]
    go.Figure(narrow)


def test_the_two_ratios_show_even_when_equal() -> None:
    same = [np.nan] * 9 + [1.0, 1.1, 1.2]
    fig = figures.trends(
        weekly(acwr_distance=same, acwr_trimp=same), no_visa(), MILES, 0.8, 1.3, 1.5
    )
    dist, load = trace(fig, "acwr_distance"), trace(fig, "acwr_trimp")
    assert dist["y"] == load["y"]
    assert dist["xaxis"] == load["xaxis"] == "x2"  # the weeks' linear twin
    for a, b in zip(dist["x"], load["x"], strict=True):
        assert b - a == pytest.approx(2 * figures.RATIO_SHIFT)
    assert dist["x"][-1] == pytest.approx(11 - figures.RATIO_SHIFT)
    assert dist.get("marker", {}).get("symbol", "circle") != load["marker"]["symbol"]
    assert load["marker"]["size"] > dist["marker"]["size"]  # an open ring round the dot
    assert load["line"]["dash"] == "dash"
    assert load["customdata"][-1] == "2026 W47"  # hover names the week
    assert fig["layout"]["xaxis2"]["range"] == fig["layout"]["xaxis"]["range"]
    go.Figure(fig)
    go.Figure(figures.narrow_variant(fig))


# --- 5. the maximum heart rate notice -------------------------------------------------------


def observed_view() -> WeekView:
    runs = pd.DataFrame({"hr_max_source": ["observed"], "hr_max_used_bpm": [160.0]})
    return cast(WeekView, SimpleNamespace(runs=runs, history_runs=runs, settings=Settings()))


def test_runs_alone_say_nothing_of_other_sports() -> None:
    for others in (None, pd.DataFrame()):
        notice = build.hr_max_notice(observed_view(), others)
        assert notice is not None
        assert "in your recordings (easy: under 112 bpm)." in notice["text"]
        assert "included" not in notice["text"]


def test_other_sports_in_the_history_are_named() -> None:
    others = pd.DataFrame({"kind": ["ride", "walk", "walk"], "distance_m": [30000.0, 3000, 2000]})
    notice = build.hr_max_notice(observed_view(), others)
    assert notice is not None
    assert (
        "in your recordings (1 ride and 2 walks included) (easy: under 112 bpm)" in (notice["text"])
    )


def test_a_recording_without_heart_rate_is_not_named() -> None:
    # a user test: "(1 fragment too short for a run included)" for a fragment that has no
    # heart rate, so it cannot have given the maximum
    others = pd.DataFrame(
        {
            "kind": ["ride", "fragment"],
            "distance_m": [30000.0, 10.0],
            "heart_rate_max_bpm": [150.0, None],
        }
    )
    notice = build.hr_max_notice(observed_view(), others)
    assert notice is not None
    assert "(1 ride included)" in notice["text"]
    assert "fragment" not in notice["text"]


def page_with_a_ride(folder: Path, ride_day: str) -> str:
    runs = [
        run("2026-11-17T07:00Z", hr_max_source="observed", hr_max_used_bpm=160.0),
        run(ride_day, 20000.0, sport="cycling", id="ride"),
    ]
    inputs = make_inputs(
        runs,
        [checkin("2026-11-17", 1.0)],
        settings=Settings(timezone="Europe/London"),
        today=pd.Timestamp("2026-11-30"),
    )
    build.build_reports(inputs, folder, week="2026-W47")
    return page_text(folder / "2026-W47.html")


def test_a_ride_in_another_week_is_named_on_this_weeks_notice(tmp_path: Path) -> None:
    words = page_with_a_ride(tmp_path, "2026-10-03T09:00Z")  # a ride six weeks before
    assert "held for 30 s in your recordings (1 ride included)" in words


def test_a_mean_over_fewer_mornings_than_the_rules_compare_is_hollow() -> None:
    # final review: the chart drew a one-morning week's mean like any other, while the
    # rules no longer compare it (weekly_min_mornings)
    frame = weekly().assign(stiffness_days=[7.0] * 11 + [1.0], morning_pain_days=[5.0] * 12)
    fig = figures.trends(frame, no_visa(), MILES, 0.8, 1.3, 1.5, min_mornings=3)
    stiff = next(t for t in fig["data"] if t["name"].startswith("mean morning stiffness"))
    assert stiff["marker"]["symbol"] == ["circle"] * 11 + ["circle-open"]
    assert stiff["customdata"][-1] == "1 morning"
    assert set(trace(fig, "morning-pain")["marker"]["symbol"]) == {"square"}
    go.Figure(fig)
