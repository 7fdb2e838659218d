"""GPX and TCX cut off (an interrupted download) or damaged: every complete point read
before the break is kept with a warning, as a truncated FIT keeps its records."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer import pipeline
from analyzer.errors import AnalyzerError, UnreadableFile
from analyzer.importers import gpx, read, read_bytes
from analyzer.store import Store
from tests.conftest import DATA

GPX = DATA / "workoutizer/garmin_example.gpx"  # 602 points, one segment
TCX = DATA / "runpandas/run_garmin.tcx"  # 147 points in 3 laps
GPX_END = b"</trkpt>"
TCX_END = b"</Trackpoint>"

#: name: the GPX file is cut off at line N; kept the N track points read before it (span)
KEPT = re.compile(
    r"^(?P<name>\S+): the (?P<kind>GPX|TCX) file is (?P<how>cut off|damaged) "
    r"at line (?P<line>\d+)(?: \(not well-formed XML\))?; kept the (?P<points>\d+) "
    r"track points? read before it \((?P<span>\d+:\d\d:\d\d), "
    r"(?P<first>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) to (?P<last>[-\d: ]+) UTC\)$"
)


def cut_after(data: bytes, end: bytes, fraction: float = 0.5) -> bytes:
    """``data`` up to the first complete ``end`` tag after ``fraction`` of it."""
    at = data.index(end, int(len(data) * fraction))
    return data[: at + len(end)]


def cut_inside(data: bytes, end: bytes, fraction: float = 0.5) -> bytes:
    """``data`` cut in the middle of the point after the first complete one past
    ``fraction`` of it: the break falls inside that point."""
    whole = cut_after(data, end, fraction)
    next_end = data.index(end, len(whole))
    return data[: (len(whole) + next_end) // 2]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def kept_warning(warnings: list[str]) -> re.Match[str]:
    found = [m for w in warnings if (m := KEPT.match(w))]
    assert len(found) == 1, warnings
    return found[0]


def line_count(data: bytes) -> int:
    return data.count(b"\n") + 1


# --------------------------------------------------------------------------- GPX


@pytest.mark.parametrize("cut", [cut_after, cut_inside])
def test_a_cut_gpx_keeps_every_complete_point(tmp_path: Path, cut) -> None:
    data = cut(GPX.read_bytes(), GPX_END)
    complete = data.count(GPX_END)
    assert 100 < complete < 602
    path = write(tmp_path, "cut.gpx", data)
    [activity] = read(path)  # streamed from the open file
    assert len(activity.frame) == complete
    match = kept_warning(activity.warnings)
    assert match["name"] == str(path)
    assert (match["kind"], match["how"]) == ("GPX", "cut off")
    assert int(match["points"]) == complete
    assert int(match["line"]) == line_count(data)
    first, last = activity.frame.index[0], activity.frame.index[-1]
    assert match["first"] == first.strftime("%Y-%m-%d %H:%M:%S")
    assert match["last"] == last.strftime("%H:%M:%S")
    seconds = int((last.floor("s") - first.floor("s")).total_seconds())
    assert match["span"] == f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def test_a_cut_gpx_keeps_the_same_points_whole_streamed_and_through_gpxpy() -> None:
    data = cut_inside(GPX.read_bytes(), GPX_END)
    [whole] = read(GPX)
    streamed = read_bytes(data, "cut.gpx")
    reference = gpx.read_bytes(data, "cut.gpx", parser="gpxpy")
    recorded = ["lat_deg", "lon_deg", "altitude_m", "heart_rate_bpm", "cadence_spm"]
    for [activity] in (streamed, reference):
        # the points as recorded (speed and distance are derived from neighbours)
        assert activity.frame[recorded].equals(whole.frame[recorded].iloc[: data.count(GPX_END)])
        assert kept_warning(activity.warnings)["points"] == str(data.count(GPX_END))
    assert gpx.parse_stream(io.BytesIO(data), "cut.gpx").points() == data.count(GPX_END)


@pytest.mark.parametrize(
    ("source", "end", "kind", "inside"),
    [(GPX, GPX_END, "GPX", 5), (TCX, TCX_END, "TCX", 3)],  # cut inside the first point
)
def test_a_file_cut_before_its_first_point_is_refused_naming_the_file(
    tmp_path: Path, source: Path, end: bytes, kind: str, inside: int
) -> None:
    whole = source.read_bytes()
    data = whole[: whole.index(end) - inside]
    path = write(tmp_path, f"early.{kind.lower()}", data)
    with pytest.raises(UnreadableFile) as caught:
        read(path)
    assert str(caught.value) == (
        f"{path}: the {kind} file is cut off at line {line_count(data)}, "
        "before its first complete track point"
    )


def test_a_gpx_damaged_inside_keeps_the_points_before_the_damage() -> None:
    whole = GPX.read_bytes()
    at = cut_after(whole, GPX_END, 0.3)
    data = at[: -len(GPX_END)] + b"</trkpx>" + whole[len(at) :]
    [activity] = read_bytes(data, "bad.gpx")
    match = kept_warning(activity.warnings)
    assert (match["how"], match["line"]) == ("damaged", str(line_count(at)))
    assert int(match["points"]) == len(activity.frame) == at.count(GPX_END) - 1


def test_a_gpx_damaged_before_its_first_point_is_refused_with_the_line_only() -> None:
    data = GPX.read_bytes().replace(b"<trkseg>", b"<trkseg><<", 1)
    with pytest.raises(UnreadableFile) as caught:
        read_bytes(data, "bad.gpx")
    line = line_count(data[: data.index(b"<<")])
    assert (
        str(caught.value)
        == f"bad.gpx: not a readable GPX file (not well-formed XML at line {line})"
    )


# --------------------------------------------------------------------------- TCX


@pytest.mark.parametrize("cut", [cut_after, cut_inside])
def test_a_cut_tcx_keeps_every_complete_point(tmp_path: Path, cut) -> None:
    data = cut(TCX.read_bytes(), TCX_END)
    complete = data.count(TCX_END)
    path = write(tmp_path, "cut.tcx", data)
    [activity] = read(path)
    assert len(activity.frame) == complete
    match = kept_warning(activity.warnings)
    assert match["name"] == str(path)
    assert (match["kind"], match["how"], match["points"]) == ("TCX", "cut off", str(complete))
    assert int(match["line"]) == line_count(data)
    assert "<string>" not in " ".join(activity.warnings)


def test_a_cut_tcx_keeps_complete_laps_and_ends_the_cut_one_at_its_last_point() -> None:
    whole = TCX.read_bytes()
    data = cut_inside(whole, TCX_END)  # in the second of three laps
    [full] = read_bytes(whole, "run.tcx")
    [activity] = read_bytes(data, "cut.tcx")
    assert data.count(b"</Lap>") == 1
    assert len(activity.laps) == 2
    assert activity.laps[0] == full.laps[0]  # complete: as the device wrote it
    cut_lap = activity.laps[1]
    assert cut_lap.start == full.laps[1].start
    assert cut_lap.end == activity.frame.index[-1]
    # its totals cover points not kept: left out, as is the activity's sum of them
    assert cut_lap.device_summary == {"start_time": full.laps[1].start.isoformat()}
    assert full.device_summary is not None
    assert activity.device_summary is None


def test_a_tcx_cut_in_a_lap_header_drops_that_lap() -> None:
    whole = TCX.read_bytes()
    second = whole.index(b"<Lap ", whole.index(b"</Lap>"))
    data = whole[: whole.index(b"<DistanceMeters>", second) + 20]  # inside the total
    [activity] = read_bytes(data, "cut.tcx")
    assert len(activity.laps) == 1
    assert len(activity.frame) == data.count(TCX_END)


def test_a_tcx_damaged_before_its_first_point_names_the_line_not_the_parser() -> None:
    whole = TCX.read_bytes()
    data = whole.replace(b"<Track>", b"<Track><<", 1)
    with pytest.raises(UnreadableFile) as caught:
        read_bytes(data, "bad.tcx")
    line = line_count(data[: data.index(b"<<")])
    assert (
        str(caught.value)
        == f"bad.tcx: not a readable TCX file (not well-formed XML at line {line})"
    )


# ---------------------------------------------------------------------- both


def test_a_file_cut_in_its_prolog_is_refused_naming_the_file() -> None:
    for name in ("prolog.gpx", "prolog.tcx"):
        with pytest.raises(UnreadableFile) as caught:
            read_bytes(b'<?xml version="1.0" encoding="UT', name)
        assert (
            str(caught.value)
            == f"{name}: the XML file is cut off at line 1, before its first element"
        )


def test_a_cut_file_declaring_entities_is_still_refused() -> None:
    for path in (GPX, TCX):
        whole = path.read_bytes()
        evil = whole.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
        with pytest.raises(UnreadableFile, match="declares a DTD or entities"):
            read_bytes(evil[: len(evil) // 2], f"evil{path.suffix}")


def test_the_import_stores_the_kept_run_with_its_warning(tmp_path: Path) -> None:
    data = cut_after(GPX.read_bytes(), GPX_END)
    path = write(tmp_path, "cut.gpx", data)
    with Store.open(tmp_path / "data") as store:
        report = pipeline.import_paths([path], store)
        [outcome] = report.outcomes
        assert outcome.outcome == "imported"
        assert kept_warning(list(outcome.warnings))["points"] == str(data.count(GPX_END))
        [stored] = store.activities()
        assert len(store.stream_frame(stored.activity_id)) == data.count(GPX_END)
        assert kept_warning(stored.summary["warnings"])["name"] == str(path)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from([(GPX, GPX_END), (TCX, TCX_END)]), fraction=st.floats(0, 1))
def test_any_cut_keeps_the_complete_points_or_fails_naming_the_file(
    source: tuple[Path, bytes], fraction: float
) -> None:
    path, end = source
    whole = path.read_bytes()
    data = whole[: max(1, int(len(whole) * fraction))]
    name = f"cut{path.suffix}"
    points = data.count(end)
    if points == 0:
        with pytest.raises(AnalyzerError) as caught:
            read_bytes(data, name)
        assert str(caught.value).startswith(f"{name}: ")
        assert "<string>" not in str(caught.value)
        return
    activities = read_bytes(data, name)
    assert sum(len(a.frame) for a in activities) == points
    if b"</gpx>" not in data and b"</TrainingCenterDatabase>" not in data:
        assert kept_warning(activities[0].warnings)["points"] == str(points)
