"""The link section: every load against every next-morning symptom, as a table of all 15
pairings and one chart per load with a button per symptom; valid plotly, wide and narrow;
the words of each case on the page; thresholds written as people write them."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analyzer.report import figures
from analyzer.report.build import (
    and_join,
    build_reports,
    by_load,
    link_table,
    plain_number,
    span_words,
)
from analyzer.report.units import Units
from analyzer.settings import Settings
from analyzer.weekly.associations import LOADS, NOT_CAUSE, SYMPTOMS, Link, links
from tests.weekly.helpers import checkin, make_inputs, run

MILES = Units("mi")
WEEK = "2026-W45"


def runs_history(n: int = 12, **columns: Any) -> pd.DataFrame:
    """``n`` runs every other day up to Sun 8 Nov 2026 (2026-W45), each load and each
    next-morning score rising with the run; ``columns`` replace any of them."""
    days = pd.date_range(end="2026-11-08", periods=n, freq="2D")
    up = np.arange(float(n))
    frame = pd.DataFrame(
        {
            "local_date": days,
            "week": [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in days],
            "uphill_run_s": up * 30,
            "uphill_run_gain_m": up * 4,
            "easy_share": 1 - up / n,
            "distance_m": 3000 + up * 100,
            "trimp": 20 + up,
            "next_stiffness": up * 8 / n,
            "next_pain": up // 2 * 8 / n,
            "next_tenderness": 8 - up * 8 / n,
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def load_figures(history: pd.DataFrame) -> list[tuple[list[Link], dict[str, Any]]]:
    found = links(history, pd.Timestamp("2026-11-08"), Settings())
    return [(g, figures.link_figure(g, history, WEEK, MILES)) for g in by_load(found)]


def test_fifteen_pairings_five_figures() -> None:
    history = runs_history()
    found = links(history, pd.Timestamp("2026-11-08"), Settings())
    assert len(found) == 15
    assert {(lk.load.column, lk.symptom.column) for lk in found} == {
        (m.column, s.column) for m in LOADS for s in SYMPTOMS
    }
    groups = by_load(found)
    assert [g[0].load for g in groups] == list(LOADS)
    assert all(len(g) == 3 for g in groups)


@pytest.mark.parametrize("narrow", [False, True])
def test_every_load_figure_is_valid_plotly(narrow: bool) -> None:
    for _, fig in load_figures(runs_history()):
        shown = figures.narrow_variant(fig) if narrow else fig
        go.Figure(shown)  # raises on any property plotly does not know
        assert len(shown["layout"]["updatemenus"][0]["buttons"]) == 3
    assert figures.narrow_variant(fig)["layout"]["margin"]["l"] < fig["layout"]["margin"]["l"]


def test_a_button_per_symptom_switches_points_axis_and_numbers() -> None:
    group, fig = load_figures(runs_history())[0]
    menu = fig["layout"]["updatemenus"][0]
    assert (menu["type"], menu["active"]) == ("buttons", 0)
    assert [b["label"] for b in menu["buttons"]] == ["stiffness", "pain", "tenderness"]
    uids = [t["uid"] for t in fig["data"]]
    assert uids == [f"{s.column}-{k}" for s in SYMPTOMS for k in ("earlier", "week")]
    for i, (button, link) in enumerate(zip(menu["buttons"], group, strict=True)):
        assert button["method"] == "update"
        visible, layout = button["args"]
        assert visible["visible"] == [u.startswith(link.symptom.column) for u in uids]
        assert layout["title.text"] == figures.link_title(link)
        assert layout["yaxis.title.text"] == link.symptom.label
        assert [t["visible"] for t in fig["data"]][2 * i : 2 * i + 2] == [i == 0] * 2
    assert fig["layout"]["title"]["text"] == figures.link_title(group[0])
    assert fig["layout"]["title"]["text"] == "rho = 1.00, 95% CI 1.00 to 1.00, n = 12"


def test_this_weeks_points_are_marked_apart() -> None:
    _, fig = load_figures(runs_history())[3]  # distance
    earlier, mine = fig["data"][0], fig["data"][1]
    assert (earlier["name"], mine["name"]) == ("earlier runs", "this week")
    assert mine["marker"]["size"] > earlier["marker"]["size"]
    assert mine["marker"]["color"] != earlier["marker"]["color"]
    assert mine["text"] == ["Mon 2 Nov 2026", "Wed 4 Nov 2026", "Fri 6 Nov 2026", "Sun 8 Nov 2026"]
    assert len(earlier["x"]) == 8
    assert fig["layout"]["xaxis"]["title"]["text"] == "distance (mi)"
    low, high = fig["layout"]["xaxis"]["range"]
    assert 1.7 < low < 3000 / 1609.344 < 4100 / 1609.344 < high < 3  # not from 0 mi


def test_a_symptom_nobody_logged_gets_no_button() -> None:
    history = runs_history(next_pain=np.nan)
    for _, fig in load_figures(history):
        labels = [b["label"] for b in fig["layout"]["updatemenus"][0]["buttons"]]
        assert labels == ["stiffness", "tenderness"]
        assert len(fig["data"]) == 4
        go.Figure(fig)
    table = link_table(links(history, pd.Timestamp("2026-11-08"), Settings()))
    assert table["never"] == [
        "No run up to this week has a next-morning pain score yet, so pain cannot be "
        "compared with the loads."
    ]
    assert {r["cells"][1]["head"] for r in table["rows"]} == {"no pairs yet"}


def test_the_table_has_every_pairing_in_words() -> None:
    history = runs_history(uphill_run_s=0.0)  # every hill walked
    history.loc[history.index[:5], "next_tenderness"] = np.nan  # 7 pairs left
    table = link_table(links(history, pd.Timestamp("2026-11-08"), Settings()))
    assert table["symptoms"] == ["stiffness", "pain", "tenderness"]
    assert [r["load"] for r in table["rows"]] == [
        "Uphill running time",
        "Uphill gain while running",
        "Easy share",
        "Distance",
        "TRIMP",
    ]
    uphill, _, _, distance, _ = table["rows"]
    assert uphill["cells"][0]["head"] == "nothing varies"
    assert uphill["cells"][0]["detail"] == "no uphill running, n = 12"
    assert (
        uphill["cells"][0]["text"] == "All 12 runs had no uphill running: nothing to compare yet."
    )
    assert uphill["cells"][2]["head"] == "not enough data yet"  # 7 pairs: too few wins
    assert uphill["cells"][2]["detail"] == "7 pairs, 8 needed"
    assert distance["cells"][0] == {
        "head": "1.00",
        "detail": "1.00 to 1.00, n = 12",
        "text": "A strong tendency: a longer run went with higher next-morning stiffness. "
        "The interval excludes zero.",
        "weight": "clear",
    }


def test_a_flat_load_figure_says_nothing_varies() -> None:
    _, fig = load_figures(runs_history(uphill_run_s=0.0))[0]
    assert fig["layout"]["title"]["text"] == "nothing varies: no uphill running (n = 12)"
    low, high = fig["layout"]["xaxis"]["range"]
    assert high - low >= 5  # minutes: a readable axis for all-zero data


@pytest.mark.parametrize(
    ("value", "words"), [(2.0, "2"), (1.5, "1.5"), (10.0, "10"), (0.25, "0.2"), (None, "–")]
)
def test_plain_numbers(value: float | None, words: str) -> None:
    assert plain_number(value) == words


@pytest.mark.parametrize(
    ("seconds", "words"), [(7200, "2 h"), (5400, "1.5 h"), (2700, "45 min"), (4200, "1 h 10 min")]
)
def test_windows_in_words(seconds: float, words: str) -> None:
    assert span_words(seconds) == words


def test_and_join() -> None:
    assert and_join(["a", "b", "c"]) == "a, b and c"
    assert and_join(["a"]) == "a"


def page_text(path: Path) -> str:
    page = re.sub(r'<script type="application/json".*?</script>', "", path.read_text(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def walked_hills_inputs(settings: Settings) -> Any:
    """12 runs, every hill walked (no uphill running), stiffness varying the mornings after."""
    days = pd.date_range("2026-10-12", periods=12, freq="2D")
    runs = [run(f"{d:%Y-%m-%d}T07:00Z", 3000.0 + 50 * i) for i, d in enumerate(days)]
    checkins = [
        checkin(f"{d + pd.Timedelta(days=1):%Y-%m-%d}", float(i % 4), pinch_tenderness=1.0)
        for i, d in enumerate(days)
    ]
    return make_inputs(runs, checkins, settings=settings, today=pd.Timestamp("2026-12-01"))


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("walked")
    settings = Settings(
        timezone="Europe/London", settle_rise_points=1.5, drops_after_run_window_s=5400.0
    )
    build_reports(walked_hills_inputs(settings), out, week="2026-W45")
    return page_text(out / "2026-W45.html")


def test_the_page_says_nothing_varies_not_too_few(walked: str) -> None:
    assert "All 12 runs had no uphill running: nothing to compare yet." in walked
    assert "Not enough data yet: 12 pairs" not in walked
    assert "After all 12 runs, the next morning's tenderness was 1/10" in walked
    assert NOT_CAUSE in walked


def test_a_load_no_run_has_gets_a_sentence_and_no_empty_chart(walked: str) -> None:
    # the runs carry no uphill gain: no pairs on that load, under any symptom
    assert (
        "Uphill gain while running No pairs yet: no run up to this week has both uphill "
        "gain while running and a next-morning score."
    ) in walked


def test_the_page_names_every_load_and_symptom(walked: str) -> None:
    assert (
        "uphill running time, uphill gain while running, easy share, distance and TRIMP, "
        "each against the next morning’s stiffness, pain and tenderness"
    ) in walked
    assert "No run up to this week has a next-morning pain score yet" in walked
    assert walked.count("Next-morning stiffness Next-morning pain Next-morning tenderness") == 1


def test_thresholds_read_as_set(walked: str) -> None:
    assert "less than 1.5 points above the morning of the run" in walked
    assert "(0 within 1.5 h after a run)" in walked
    assert "when it starts within 1.5 h of the run’s end" in walked
    assert "pain during a run 0–2 of 10 is safe, up to 5 acceptable" in walked
    assert "VISA-A falling by 10 or more" in walked
