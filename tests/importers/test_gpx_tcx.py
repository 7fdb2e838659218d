"""GPX and TCX readers: extensions under any prefix, sports, tracks, laps."""

from pathlib import Path

import pandas as pd
import pytest

from analyzer.errors import UnreadableFile
from analyzer.importers import gpx, read, read_bytes
from tests.conftest import DATA

GPX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Test" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:ns3="http://www.garmin.com/xmlschemas/TrackPointExtension/v2">
 <trk><name>Two tracks</name><type>running</type>
  <trkseg>
   {seg1}
  </trkseg>
  <trkseg>
   {seg2}
  </trkseg>
 </trk>
 {extra}
</gpx>"""

POINT = (
    '<trkpt lat="51.{lat:04d}" lon="-2.6000"><ele>20.0</ele><time>{time}</time>'
    "<extensions><ns3:TrackPointExtension><ns3:hr>{hr}</ns3:hr><ns3:cad>80</ns3:cad>"
    "</ns3:TrackPointExtension></extensions></trkpt>"
)


def _points(start_s: int, count: int, hr: int) -> str:
    out = []
    for i in range(count):
        s = start_s + i
        time = f"2026-10-13T06:{s // 60:02d}:{s % 60:02d}Z"
        out.append(POINT.format(lat=1000 + 2 * (start_s + i), time=time, hr=hr))
    return "\n".join(out)


def test_trackpoint_extension_v2_any_prefix_and_segments_as_pauses() -> None:
    text = GPX_V2.format(seg1=_points(0, 10, 120), seg2=_points(40, 10, 130), extra="")
    [activity] = read_bytes(text.encode(), "two.gpx")
    frame = activity.frame
    assert len(frame) == 20
    assert set(frame["heart_rate_bpm"]) == {120.0, 130.0}
    # Garmin's cad is strides per minute: 80 strides are 160 steps
    assert (frame["cadence_spm"] == 160.0).all()
    assert activity.sport == "running"
    assert len(activity.pauses) == 1
    # the first segment ends at 06:00:09 and the second starts at 06:00:40
    assert activity.pauses[0].end - activity.pauses[0].start == pd.Timedelta(seconds=31)


def test_separate_tracks_hours_apart_are_separate_activities() -> None:
    late = GPX_V2.format(seg1=_points(0, 5, 120), seg2=_points(10, 5, 120), extra="")
    second = late.split("<trk>")[1].split("</trk>")[0].replace("T06:", "T11:")
    text = late.replace("</gpx>", f"<trk>{second}</trk></gpx>")
    activities = read_bytes(text.encode(), "day.gpx")
    assert len(activities) == 2


def test_strava_export_reads_heart_rate_cadence_and_sport() -> None:
    [activity] = read(DATA / "runpandas/strava_export.gpx")
    assert activity.sport == "running"  # Strava's <type>9</type>
    assert activity.device.product == "StravaGPX"
    channels = activity.channels()
    for channel in ("gps", "altitude", "heart_rate", "cadence", "distance"):
        assert channel in channels


@pytest.mark.parametrize("parser", ["stream", "gpxpy"])
def test_a_gpx_point_dated_beyond_2262_is_skipped_as_untimed(parser: str) -> None:
    # a damaged clock (found by the fuzzer): no nanosecond time reaches the year 6019
    text = GPX_V2.format(seg1=_points(0, 5, 120), seg2=_points(10, 5, 120), extra="")
    damaged = text.replace("2026-", "6026-", 1)
    assert damaged != text
    [activity] = gpx.read_bytes(damaged.encode(), "clock.gpx", parser=parser)
    assert len(activity.frame) == 9
    assert activity.warnings == ["1 track points without a valid time were skipped"]


def test_gpx_without_times_is_refused_with_the_reason() -> None:
    text = (
        '<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">'
        '<trk><trkseg><trkpt lat="1" lon="1"/><trkpt lat="1.001" lon="1"/></trkseg></trk></gpx>'
    )
    with pytest.raises(UnreadableFile, match="no timestamps"):
        read_bytes(text.encode(), "route.gpx")


def test_xml_entities_are_refused() -> None:
    evil = (
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<gpx version="1.1" creator="&x;"></gpx>'
    )
    with pytest.raises(UnreadableFile, match="DTD or entities"):
        read_bytes(evil.encode(), "evil.gpx")
    with pytest.raises(UnreadableFile, match="DTD or entities"):
        read_bytes(evil.replace("gpx", "TrainingCenterDatabase").encode(), "evil.tcx")


def test_tcx_laps_and_summary() -> None:
    [activity] = read(DATA / "runpandas/run_garmin.tcx")
    assert activity.sport == "running"
    assert activity.device.product == "Garmin Forerunner 620"
    summary = activity.device_summary or {}
    # the TCX's own lap DistanceMeters sum, which the device wrote
    assert activity.frame["distance_m"].iloc[-1] == pytest.approx(
        summary["total_distance"], rel=1e-3
    )
    assert summary["num_laps"] == len(activity.laps) >= 1


def test_tcx_walk_without_sport_reads() -> None:
    [activity] = read(Path(DATA / "sport-activities-features/walking_activity_1.tcx"))
    assert len(activity.frame) > 100
    assert activity.frame["heart_rate_bpm"].notna().any()


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + ']><gpx version="1.1" creator="&lol9;"><trk><name>&lol9;</name></trk></gpx>'
)


@pytest.mark.parametrize("suffix", [".gpx", ".tcx"])
@pytest.mark.parametrize(
    "document",
    [
        BILLION_LAUGHS,
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>'
        "<gpx>&x;</gpx>",
        '<?xml version="1.0"?><!DOCTYPE gpx SYSTEM "http://127.0.0.1:9/gpx.dtd"><gpx/>',
    ],
    ids=["billion-laughs", "external-url-entity", "external-dtd"],
)
def test_entity_tricks_are_refused_without_expanding(document: str, suffix: str) -> None:
    import tracemalloc

    tracemalloc.start()
    with pytest.raises(UnreadableFile, match="DTD or entities"):
        read_bytes(document.encode(), f"evil{suffix}")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # one expansion of lol9 alone would be 3 GB; nothing near a megabyte is allocated
    assert peak < 1_000_000
