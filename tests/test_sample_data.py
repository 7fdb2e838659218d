"""Facts about sample_data/ that follow from tools/make_sample_data.py's design.

These do not use the analyzer package: they check the committed files with the reference
readers (fitparse, gpxpy) and check that the generator reproduces them byte for byte.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import fitparse
import gpxpy
import numpy as np
import pytest

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
GENERATOR = ROOT / "tools" / "make_sample_data.py"
FIT_FILES = sorted(SAMPLE.glob("*.fit"))
GPX_FILES = sorted(SAMPLE.glob("*.gpx"))


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    """The generator script, imported as a module."""
    return load_script(GENERATOR, "make_sample_data")


def _read_csv(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_files_are_there() -> None:
    assert len(FIT_FILES) >= 15
    assert 4 <= len(GPX_FILES) <= 6
    assert sum(p.stat().st_size for p in SAMPLE.iterdir()) < 5_000_000


@pytest.mark.parametrize("path", FIT_FILES, ids=lambda p: p.name)
def test_fit_rereads_and_session_matches_records(path: Path) -> None:
    fit = fitparse.FitFile(str(path))
    records = [m.get_values() for m in fit.get_messages("record")]
    sessions = [m.get_values() for m in fit.get_messages("session")]
    assert len(records) > 1000
    assert len(sessions) == 1
    assert sessions[0]["total_distance"] == pytest.approx(records[-1]["distance"], abs=0.011)
    assert sessions[0]["sport"] == "running"
    assert all(r["heart_rate"] is not None for r in records)


def test_paused_run_has_timer_events_and_a_gap() -> None:
    fit = fitparse.FitFile(str(SAMPLE / "2026-10-31-0726-run.fit"))
    kinds = [m.get_value("event_type") for m in fit.get_messages("event")]
    assert kinds == ["start", "stop_all", "start", "stop_all"]
    times = [m.get_value("timestamp") for m in fit.get_messages("record")]
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    assert max(gaps) > 100
    session = next(iter(fit.get_messages("session")))
    elapsed, timer = session.get_value("total_elapsed_time"), session.get_value("total_timer_time")
    assert elapsed - timer == pytest.approx(max(gaps), abs=1.0)


@pytest.mark.parametrize("path", GPX_FILES, ids=lambda p: p.name)
def test_gpx_parses_with_heart_rate(path: Path) -> None:
    gpx = gpxpy.parse(path.read_text(encoding="utf-8"))
    assert gpx.creator == "StravaGPX"
    points = gpx.tracks[0].segments[0].points
    assert len(points) > 1000
    for point in points[:: len(points) // 20]:
        tags = {child.tag.split("}")[1]: child.text for child in point.extensions[0]}
        assert 80 <= int(tags["hr"]) <= 178


def test_twin_run_has_the_same_points() -> None:
    fit = fitparse.FitFile(str(SAMPLE / "2026-10-27-0705-run.fit"))
    records = [m.get_values() for m in fit.get_messages("record")]
    gpx = gpxpy.parse((SAMPLE / "2026-10-27-0705-strava.gpx").read_text(encoding="utf-8"))
    points = gpx.tracks[0].segments[0].points
    assert len(points) == len(records)
    semi = 2**31 / 180.0
    assert points[-1].latitude == pytest.approx(records[-1]["position_lat"] / semi, abs=1e-6)
    first = points[0].time
    assert first is not None
    assert first.replace(tzinfo=None) == records[0]["timestamp"]


def test_symptoms_have_header_and_six_weeks_of_days() -> None:
    with (SAMPLE / "symptoms.csv").open(encoding="utf-8") as fh:
        header = fh.readline().strip()
    assert header == (
        "date,morning_stiffness,morning_stiffness_minutes,morning_pain,pain_during,pain_after,"
        "pinch_tenderness,swelling,side,note"
    )
    rows = _read_csv("symptoms.csv")
    days = [date.fromisoformat(r["date"]) for r in rows]
    assert days == [date(2026, 10, 12) + timedelta(days=k) for k in range(42)]
    assert {r["swelling"] for r in rows} == {"false"}
    assert any(r["note"] == "<script>alert(1)</script>" for r in rows)
    assert any("," in r["note"] and '"' in r["note"] for r in rows)


def test_stiffness_is_higher_after_the_hill_was_run(gen: ModuleType) -> None:
    stiffness = {r["date"]: int(r["morning_stiffness"]) for r in _read_csv("symptoms.csv")}
    after_run: list[int] = []
    after_walk: list[int] = []
    for plan in gen.PLAN:
        if plan.route == "church":
            nxt = stiffness[(plan.day + timedelta(days=1)).isoformat()]
            (after_walk if plan.walked else after_run).append(nxt)
    assert np.mean(after_run) - np.mean(after_walk) >= 1.5


def test_heel_drops_carry_the_local_offset() -> None:
    rows = _read_csv("heel_drops.csv")
    assert list(rows[0]) == [
        "time",
        "straight_knee_sets",
        "bent_knee_sets",
        "reps",
        "added_load_kg",
        "note",
    ]
    assert rows[0]["time"].endswith("+01:00")
    assert rows[-1]["time"].endswith("+00:00")
    assert {r["added_load_kg"] for r in rows} == {"0", "2.5", "5"}


def test_routes_have_the_designed_terrain(gen: ModuleType) -> None:
    riverside, church = gen.ROUTES["riverside"], gen.ROUTES["church"]
    rises = np.diff(riverside.ele_m)
    assert rises[rises > 0].sum() < 10.0
    foot, top = (int(x) for x in church.spec.climbs[0])
    gain = church.ele_m[top] - church.ele_m[foot]
    assert 800 <= foot <= 1200
    assert 0.07 <= gain / (top - foot) <= 0.09


def test_generator_is_deterministic(gen: ModuleType, tmp_path: Path) -> None:
    assert gen.main(["--out", str(tmp_path)]) == 0
    made = {p.name for p in tmp_path.iterdir()}
    assert made == {p.name for p in SAMPLE.iterdir()}
    for name in sorted(made):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
