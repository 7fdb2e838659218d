"""The page of a week not over yet (today a Wednesday, no run yet) and of a week without
runs: totals "so far", no heel-drop triangles on days to come, no notes beside the point."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest

from analyzer.report import figures
from analyzer.report.build import build_reports
from analyzer.settings import Settings
from tests.weekly.helpers import checkin, drops, make_inputs, run

#: 2026-W47 has a run on Tue 17 Nov (the maximum from the data, barometric altitude);
#: 2026-W48 (Mon 23 - Sun 29 Nov) has a heel-drop session on Tuesday, a check-in on
#: Wednesday and no run
RUNS = [
    run(
        "2026-11-17T07:00Z",
        hr_max_source="observed",
        hr_max_used_bpm=160.0,
        altitude_source="barometric",
    )
]
CHECKINS = [checkin("2026-11-17", 1.0), checkin("2026-11-25", 2.0)]
DROPS = [drops("2026-11-24T08:00+00:00")]
NO_MAX = Settings(timezone="Europe/London")  # no maximum heart rate in the profile


def pages(folder: Path, today: str) -> Path:
    inputs = make_inputs(RUNS, CHECKINS, DROPS, settings=NO_MAX, today=pd.Timestamp(today))
    build_reports(inputs, folder)
    return folder


@pytest.fixture(scope="module")
def wednesday(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pages(tmp_path_factory.mktemp("wednesday"), "2026-11-25")


@pytest.fixture(scope="module")
def ended(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pages(tmp_path_factory.mktemp("ended"), "2026-11-30")


def text(path: Path) -> str:
    page = re.sub(r'<script type="application/json".*?</script>', "", path.read_text(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def figure(path: Path, number: int) -> dict[str, Any]:
    found = re.search(
        rf'<script type="application/json" id="fig-{number}-data">(.*?)</script>',
        path.read_text(),
        flags=re.S,
    )
    assert found is not None
    fig: dict[str, Any] = json.loads(found.group(1))
    return fig


# --- 1. days to come ------------------------------------------------------------------------


def test_an_unfinished_week_counts_the_days_so_far(wednesday: Path) -> None:
    words = text(wednesday / "2026-W48.html")
    assert "Rest days 3 so far Back-to-back" in words  # Mon, Tue, Wed
    assert (
        "Heel-drop sessions 1 of 6 so far (all 3×15 + 3×15, no load added; "
        "0 within 2 h after a run)"
    ) in words
    assert "the numbers below are so far, covering Mon 23 Nov – Wed 25 Nov (today)" in words


def test_a_week_that_has_ended_counts_seven_days(ended: Path, wednesday: Path) -> None:
    words = text(ended / "2026-W48.html")
    assert "Rest days 7 Back-to-back" in words
    assert "Heel-drop sessions 1 of 14 (all 3×15 + 3×15, no load added; 0 within" in words
    assert "so far" not in words
    earlier = text(wednesday / "2026-W47.html")  # ended before today: whole
    assert "Rest days 6 Back-to-back" in earlier
    assert "so far" not in earlier


def test_days_to_come_get_no_heel_drop_triangle(wednesday: Path, ended: Path) -> None:
    fig = figure(wednesday / "2026-W48.html", 1)
    drops_trace = next(t for t in fig["data"] if t.get("uid") == "drops")
    assert drops_trace["text"] == ["0/2", "1/2", "0/2", "", "", "", ""]
    assert drops_trace["y"][:3] == [figures.DROPS_Y] * 3
    assert drops_trace["y"][3:] == [None] * 4
    band = fig["layout"]["shapes"]
    assert [(s["x0"], s["x1"]) for s in band] == [(2.5, 6.5)]  # Thu to Sun
    assert any(a["text"] == "to come" for a in fig["layout"]["annotations"])
    go.Figure(fig)
    go.Figure(figures.narrow_variant(fig))
    whole = figure(ended / "2026-W48.html", 1)
    assert next(t for t in whole["data"] if t.get("uid") == "drops")["y"] == [figures.DROPS_Y] * 7
    assert not whole["layout"]["shapes"]


# --- 2. a week without runs -----------------------------------------------------------------


def test_no_easy_share_note_and_no_altitude_source_without_runs(wednesday: Path) -> None:
    words = text(wednesday / "2026-W48.html")
    assert "Maximum heart rate not set in your profile." in words  # from W47's run
    assert "Easy share – Uphill running" in words  # no "(max heart rate not set: see above)"
    assert "see above" not in words
    assert "altitude from the device" not in words
    assert "Elevation: no runs this week." in words


def test_a_week_with_runs_keeps_the_note_and_names_the_altitude(wednesday: Path) -> None:
    words = text(wednesday / "2026-W47.html")
    assert "(max heart rate not set: see above)" in words
    assert "altitude from the device (barometric);" in words


# --- 3. the observed maximum is taken from every recording ----------------------------------


def test_the_notice_says_the_maximum_comes_from_every_recording(wednesday: Path) -> None:
    words = text(wednesday / "2026-W47.html")
    # runs alone in the history: no word of rides or other sports
    assert "held for 30 s in your recordings (easy: under 112 bpm)" in words
    assert "other sports" not in words
    assert "in your runs" not in words
