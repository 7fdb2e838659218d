"""Fixes from a user test: week labels on a phone, hill labels that never collide, the map's
legend and overlapping tracks, the hills table's dates, the notice on an unset maximum
heart rate, and the uphill tiles' counts."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.report import build, figures, hills_page
from analyzer.report.figures import Band
from analyzer.report.units import Units
from analyzer.settings import Settings
from analyzer.weekly.view import WeekView
from tests.report.conftest import SAMPLE, run_cli

KM = Units("km")


# --- 1. week labels on a phone ----------------------------------------------------------


def test_every_nth_keeps_the_last_week_and_at_most_the_number_asked() -> None:
    weeks = [f"W{n}" for n in range(36, 48)]
    assert figures.every_nth(weeks, 6) == ["W37", "W39", "W41", "W43", "W45", "W47"]
    assert figures.every_nth(weeks + ["W48"], 6) == ["W36", "W39", "W42", "W45", "W48"]
    assert figures.every_nth(weeks[:5], 6) == weeks[:5]
    assert figures.every_nth(weeks, 0) == []


def twelve_weeks() -> pd.DataFrame:
    weeks = [f"2026-W{n}" for n in range(36, 48)]
    return pd.DataFrame(
        {
            "distance_m": [10000.0] * 12,
            "distance_change": [np.nan] + [0.0] * 11,
            "acwr_distance": [1.0] * 12,
            "acwr_trimp": [np.nan] * 12,
            "stiffness_mean": [2.0] * 12,
        },
        index=weeks,
    )


def test_twelve_weeks_on_a_phone_label_every_other_week_upright() -> None:
    visa = pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]"), "total": []})
    fig = figures.trends(twelve_weeks(), visa, KM, 0.8, 1.3, 1.5)
    assert "tickvals" not in fig["layout"]["xaxis"]  # wide: every week, as "2026 W36"
    axis = figures.narrow_variant(fig)["layout"]["xaxis"]
    assert axis["ticktext"] == ["W37", "W39", "W41", "W43", "W45", "W47"]
    assert axis["tickvals"] == [
        "2026 W37",
        "2026 W39",
        "2026 W41",
        "2026 W43",
        "2026 W45",
        "2026 W47",
    ]
    assert axis["tickangle"] == 0


# --- 2. hill labels ----------------------------------------------------------------------


def band(x0: float, x1: float, walked: bool = False, grade: int = 5, rank: float = 1.0) -> Band:
    word = "walked" if walked else "RUN"
    return Band(x0, x1, f"{word} {grade}%", f"{grade}%", rank)


def boxes(bands: list[Band], texts: list[str], x_range: tuple[float, float], px: float) -> list:
    lo, hi = x_range
    out = []
    for b, t in zip(bands, texts, strict=True):
        if t:
            c = ((b.x0 + b.x1) / 2 - lo) / (hi - lo) * px
            w = figures.text_px(t)
            out.append((c - w / 2, c + w / 2))
    return sorted(out)


def assert_apart(spans: list[tuple[float, float]], px: float) -> None:
    for (_, right), (left, _) in zip(spans, spans[1:], strict=False):
        assert left - right >= figures.LABEL_GAP_PX
    for left, right in spans:
        assert left >= -figures.LABEL_OVERHANG_PX
        assert right <= px + figures.LABEL_OVERHANG_PX


def test_text_width_is_generous_for_the_labels_drawn() -> None:
    # Chromium's DejaVu Sans at 12 px measures "RUN 5%" 48.9 px and "walked 16%" 72.5 px
    assert 49 <= figures.text_px("RUN 5%") <= 56
    assert 72.5 <= figures.text_px("walked 16%") <= 82
    assert figures.text_px("5%") < figures.text_px("RUN 5%")


# three hills of 2.68 mi, as on the sample's Thu 19 Nov (miles)
THURSDAY = [
    band(0.19, 0.42, grade=5, rank=1858),
    band(0.72, 0.86, walked=True, grade=6, rank=1453),
    band(1.20, 1.39, grade=4, rank=1373),
]


def test_a_wide_plot_keeps_every_long_label() -> None:
    texts = figures.fit_labels(THURSDAY, (0.0, 2.68), 420)
    assert texts == ["RUN 5%", "walked 6%", "RUN 4%"]


def test_a_phone_shortens_labels_rather_than_letting_them_run_together() -> None:
    texts = figures.fit_labels(THURSDAY, (0.0, 2.68), 232)
    assert all(texts)  # every band still labelled...
    assert texts != ["RUN 5%", "walked 6%", "RUN 4%"]  # ...but not all of them in full
    assert_apart(boxes(THURSDAY, texts, (0.0, 2.68), 232), 232)


def test_crowded_bands_drop_labels_and_keep_the_highest_ranked() -> None:
    """Twelve hills in 3 miles of a 7.9 mi run (2015-W35 of the corpus): the labels that
    remain do not touch, and the biggest hill keeps its label."""
    starts = [0.65, 0.92, 1.08, 1.60, 1.72, 2.00, 2.18, 2.37, 2.68, 2.77, 2.90, 3.57]
    crowd = [band(s, s + 0.1, rank=1.0) for s in starts]
    crowd[4] = band(1.72, 1.96, grade=17, rank=100.0)
    texts = figures.fit_labels(crowd, (0.0, 7.92), 400)
    assert texts[4]
    assert 0 < sum(bool(t) for t in texts) < len(crowd)
    assert_apart(boxes(crowd, texts, (0.0, 7.92), 400), 400)


spans = st.lists(
    st.tuples(st.floats(0, 10), st.floats(0, 2), st.booleans(), st.integers(0, 60)),
    max_size=25,
)


@given(spans, st.integers(80, 1400))
def test_labels_never_touch_at_any_width(raw: list, px: int) -> None:
    bands = [band(a, a + w, walked, g, rank=w * g) for a, w, walked, g in raw]
    texts = figures.fit_labels(bands, (0.0, 12.0), px)
    assert_apart(boxes(bands, texts, (0.0, 12.0), px), px)
    for b, t in zip(bands, texts, strict=True):
        assert t in ("", b.long, b.short)


@given(spans)
def test_each_label_step_holds_from_its_width_on(raw: list) -> None:
    bands = [band(a, a + w, walked, g, rank=w * g) for a, w, walked, g in raw]
    steps = figures.label_steps(bands, (0.0, 12.0))
    assert steps["px"][0] == 0
    assert steps["px"] == sorted(steps["px"])
    ends = [*steps["px"][1:], figures.LABEL_PLOT_PX[-1]]
    for k, texts in enumerate(steps["text"]):
        lowest = max(steps["px"][k], figures.LABEL_PLOT_PX[0])
        for px in (lowest, (lowest + ends[k]) / 2):
            assert_apart(boxes(bands, texts, (0.0, 12.0), px), px)


def hills_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "activity_id": ["a"] * 3,
            "start_distance_m": [300.0, 1160.0, 1930.0],
            "end_distance_m": [670.0, 1390.0, 2240.0],
            "length_m": [370.0, 230.0, 310.0],
            "gain_m": [18.6, 14.6, 13.7],
            "grade_avg_pct": [5.0, 6.4, 4.5],
            "walked": [False, True, False],
        }
    )


def stream() -> pd.DataFrame:
    d = np.arange(0.0, 4320.0, 4.0)
    return pd.DataFrame(
        {
            "distance_m": d,
            "altitude_m": 30 + 10 * np.sin(d / 500),
            "heart_rate_bpm": np.full(d.size, 130.0),
        }
    )


def test_the_profile_carries_its_label_steps_and_a_hover_naming_each_hill() -> None:
    fig = figures.hill_profile(stream(), hills_frame(), KM, 124.6)
    go.Figure(fig)  # meta and all: valid plotly
    steps = fig["layout"]["meta"]["labels"]
    assert fig["layout"]["xaxis"]["range"] == [0.0, 4.316]
    wide = figures.labelled_variant(fig, 600)["layout"]["annotations"]
    assert [a["text"] for a in wide] == ["RUN 5%", "walked 6%", "RUN 5%"]  # 4.5% half up
    assert all(a["visible"] for a in wide)
    assert figures.label_step(fig, 50) == 0
    assert figures.label_step(fig, 600) == len(steps["px"]) - 1
    hover = fig["data"][0]["customdata"]
    assert ", hill walked 6.4%" in hover
    assert hover[0] == ""  # the start is on no hill


def test_a_profile_without_hills_has_no_label_steps() -> None:
    fig = figures.hill_profile(stream(), hills_frame().iloc[:0], KM, None)
    assert "meta" not in fig["layout"]
    assert figures.label_step(fig, 400) == -1


# --- 3. the map --------------------------------------------------------------------------


def loop(shift_deg: float = 0.0, n: int = 400) -> pd.DataFrame:
    t = np.linspace(0, 2 * np.pi, n)
    return pd.DataFrame(
        {
            "lat_deg": 51.5 + 0.01 * np.sin(t) + shift_deg,
            "lon_deg": -0.1 + 0.015 * np.cos(t),
            "distance_m": np.linspace(0, 4000, n),
        }
    )


def paths(*frames: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(f["lat_deg"].to_numpy(), f["lon_deg"].to_numpy()) for f in frames]


def test_covered_by_counts_the_later_tracks_on_the_same_path() -> None:
    jitter = loop(0.00005)  # ~6 m of GPS difference: the same route
    away = loop(0.05)  # 5 km north: another route
    assert figures.covered_by(paths(loop(), jitter)) == [1, 0]
    assert figures.covered_by(paths(loop(), away)) == [0, 0]
    assert figures.covered_by(paths(loop(), away, jitter, loop())) == [2, 0, 1, 0]


def test_a_track_under_a_later_one_is_drawn_wider_and_the_legend_is_off_the_map() -> None:
    streams = {"tue": loop(), "thu": loop(0.05), "sat": loop(0.00005)}
    labels = {"tue": "Tue 17 Nov", "thu": "Thu 19 Nov", "sat": "Sat 21 Nov"}
    fig = figures.week_map(streams, hills_frame().iloc[:0], labels)
    go.Figure(fig)
    widths = {t["name"]: t["line"]["width"] for t in fig["data"]}
    assert widths["Tue 17 Nov"] > widths["Sat 21 Nov"] == widths["Thu 19 Nov"]
    assert fig["layout"]["legend"]["x"] > 1  # right of the plot on a wide screen
    narrow = figures.narrow_variant(fig)["layout"]["legend"]
    assert narrow["orientation"] == "h"
    assert narrow["y"] <= 0
    assert narrow["yanchor"] == "top"  # under the plot on a phone
    go.Figure(figures.narrow_variant(fig))


# --- 4. the hills table ------------------------------------------------------------------


def test_dates_in_the_seen_column_are_escaped_and_kept_whole() -> None:
    html = str(hills_page.dates_whole("2015-08-29 to 2018-05-14, 2 runs <b>"))
    assert html == (
        '<span class="nw">2015-08-29</span> to <span class="nw">2018-05-14</span>, 2 runs &lt;b&gt;'
    )


# --- 5. the maximum heart rate notice ----------------------------------------------------


def view(source: str | None, bpm: float | None, week_runs: int = 1, **settings: Any) -> WeekView:
    runs = pd.DataFrame(
        {"hr_max_source": [source] * week_runs, "hr_max_used_bpm": [bpm] * week_runs}
    )
    return cast(
        WeekView, SimpleNamespace(runs=runs, history_runs=runs, settings=Settings(**settings))
    )


def test_no_notice_when_the_profile_gives_the_maximum_or_there_are_no_runs() -> None:
    assert build.hr_max_notice(view("profile", 178.0)) is None
    assert build.hr_max_notice(view(None, None, week_runs=0)) is None


def test_a_maximum_from_the_data_says_which_value_why_and_the_command() -> None:
    notice = build.hr_max_notice(view("observed", 159.0))
    assert notice is not None
    assert "159 bpm" in notice["text"]
    assert "held for 30 s" in notice["text"]
    assert "under 111 bpm" in notice["text"]  # 70% of 159
    assert "easy share shown here too small" in notice["text"]
    assert notice["command"] == "analyzer profile set --hr-max N"


def test_an_estimated_maximum_says_so_and_the_reserve_model_moves_the_limit() -> None:
    notice = build.hr_max_notice(view("estimate", 177.2, hr_model="reserve", hr_rest_bpm=55))
    assert notice is not None
    assert "177 bpm" in notice["text"]
    assert "estimated from your age" in notice["text"]
    assert "under 141 bpm" in notice["text"]  # 55 + 0.7 x (177.2 - 55) = 140.5
    unknown = build.hr_max_notice(view("none", None))
    assert unknown is not None
    assert "cannot be worked out" in unknown["text"]


@pytest.fixture(scope="module")
def unset_max_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample's last week from a store whose profile has no maximum heart rate."""
    data = tmp_path_factory.mktemp("no-max")
    run_cli(data, "profile", "set", "--age", "44", "--timezone", "Europe/London")
    run_cli(data, "import", "--quiet", str(SAMPLE))
    out = tmp_path_factory.mktemp("no-max-reports")
    run_cli(data, "report", "--week", "2026-W47", "--out", str(out))
    return (out / "2026-W47.html").read_text()


def test_the_week_page_shows_the_notice_when_the_maximum_is_not_set(unset_max_page: str) -> None:
    head = unset_max_page[: unset_max_page.index('<dl class="numbers">')]  # near the top
    assert 'id="hr-max-notice"' in head
    assert "Maximum heart rate not set in your profile." in head
    assert "the highest heart rate you held for 30 s" in head
    assert "<code>analyzer profile set --hr-max N</code>" in head
    assert "(max heart rate not set: see above)" in unset_max_page


def test_the_week_page_has_no_notice_when_the_profile_sets_it(sample_reports: Path) -> None:
    page = (sample_reports / "2026-W47.html").read_text()
    assert "hr-max-notice" not in page
    assert "see above" not in page
    assert "178 bpm, set in your profile" in page


# --- 6. the uphill tiles -----------------------------------------------------------------


def test_uphill_walking_with_no_hill_walked_says_where_the_time_came_from() -> None:
    assert build.hill_count_words(True, 1896.0, 0) == "walking on hills run; none counts as walked"
    assert build.hill_count_words(False, 300.0, 0) == "running on hills walked; none counts as run"
    assert build.hill_count_words(True, 461.0, 3) == "3 hills walked"
    assert build.hill_count_words(False, 280.0, 1) == "1 hill run"
    assert build.hill_count_words(True, 0.0, 0) == "no hill walked"
    assert build.hill_count_words(True, None, 0) == "no hill walked"


def test_the_tiles_tooltip_states_the_walked_rule() -> None:
    words = build.hill_rule_words(Settings(hill_walked_share=0.8))
    assert "at least 80% of its time was walking" in words
