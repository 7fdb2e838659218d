"""GPX tracks through gpxpy, with heart rate, cadence and power from extensions.

Extensions are matched by local name, so Garmin's TrackPointExtension v1 and v2 under
any namespace prefix, and Strava's export, all read the same way.
"""

from __future__ import annotations

from typing import Any

import gpxpy
import gpxpy.gpx
import numpy as np
import pandas as pd

from analyzer import geo
from analyzer.errors import UnreadableFile
from analyzer.importers import xmlsafe
from analyzer.importers.fit import NON_STEP_SPORTS
from analyzer.schema import Activity, Device, Pause, build_frame, clean_heart_rate, clean_position

#: Strava writes its activity type as a number in <type>
STRAVA_TYPES = {
    "1": "cycling",
    "2": "alpine_skiing",
    "3": "backcountry_skiing",
    "4": "hiking",
    "5": "ice_skating",
    "6": "inline_skating",
    "7": "cross_country_skiing",
    "8": "roller_skiing",
    "9": "running",
    "10": "walking",
}
SPORT_WORDS = {
    "run": "running",
    "running": "running",
    "trail_running": "running",
    "street_running": "running",
    "walk": "walking",
    "walking": "walking",
    "hike": "hiking",
    "hiking": "hiking",
    "ride": "cycling",
    "cycling": "cycling",
    "biking": "cycling",
    "road_biking": "cycling",
    "mountain_biking": "cycling",
}

EXTENSION_KEYS = {
    "hr": "hr",
    "heartrate": "hr",
    "heart_rate": "hr",
    "cad": "cad",
    "cadence": "cad",
    "runcadence": "cad",
    "power": "power",
    "watts": "power",
    "speed": "speed",
}

SESSION_GAP_S = 2 * 3600.0  # tracks further apart than this are separate activities


def sport_from_type(value: str | None) -> str | None:
    if not value:
        return None
    key = value.strip().lower().replace(" ", "_")
    return STRAVA_TYPES.get(key) or SPORT_WORDS.get(key) or key


def read_bytes(data: bytes, name: str) -> list[Activity]:
    data = data.lstrip()  # some exporters write whitespace before the XML declaration
    xmlsafe.check(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        doc = gpxpy.parse(text)
    except Exception as exc:  # gpxpy raises several types, all meaning "not a GPX"
        raise UnreadableFile(name, f"not a readable GPX file ({exc})") from exc
    return from_gpx(doc, name)


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _extension_values(point: gpxpy.gpx.GPXTrackPoint) -> dict[str, float]:
    out: dict[str, float] = {}
    for ext in point.extensions:
        for el in ext.iter():
            key = EXTENSION_KEYS.get(_local(el.tag))
            if key and el.text:
                try:
                    out.setdefault(key, float(el.text.strip()))
                except ValueError:
                    continue
    return out


def _points(track: gpxpy.gpx.GPXTrack) -> tuple[list[list[float]], list[Pause]]:
    rows: list[list[float]] = []
    pauses: list[Pause] = []
    last_end: pd.Timestamp | None = None
    for segment in track.segments:
        first = True
        for p in segment.points:
            if p.time is None:
                continue
            t = pd.Timestamp(p.time)
            t = t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")
            if first and last_end is not None and t > last_end:
                pauses.append(Pause(start=last_end, end=t))
            first = False
            ext = _extension_values(p)
            rows.append(
                [
                    t.value / 1e9,
                    p.latitude if p.latitude is not None else np.nan,
                    p.longitude if p.longitude is not None else np.nan,
                    p.elevation if p.elevation is not None else np.nan,
                    ext.get("hr", np.nan),
                    ext.get("cad", np.nan),
                    ext.get("power", np.nan),
                    ext.get("speed", np.nan),
                ]
            )
            last_end = t
    return rows, pauses


def from_gpx(doc: gpxpy.gpx.GPX, name: str) -> list[Activity]:
    if not doc.tracks:
        raise UnreadableFile(name, "the GPX holds no track (a route or waypoints only?)")
    groups = _group_tracks(doc, name)
    creator = (doc.creator or "").strip() or None
    device = Device(manufacturer=None, product=creator)
    activities = []
    for index, (tracks, rows, pauses, warnings) in enumerate(groups):
        sport = sport_from_type(next((t.type for t in tracks if t.type), None))
        frame = _frame(np.array(rows, dtype="float64"), sport)
        activities.append(
            Activity(
                frame=frame,
                source_path=name,
                source_format="gpx",
                session_index=index,
                sport=sport,
                name=next((t.name for t in tracks if t.name), None) or doc.name,
                device=device,
                altitude_source=_altitude_source(frame, creator),
                pauses=pauses,
                device_summary=None,
                warnings=warnings,
            )
        )
    return activities


Group = tuple[list[gpxpy.gpx.GPXTrack], list[list[float]], list[Pause], list[str]]


def _group_tracks(doc: gpxpy.gpx.GPX, name: str) -> list[Group]:
    groups: list[Group] = []
    untimed = 0
    for track in doc.tracks:
        rows, pauses = _points(track)
        untimed += sum(1 for s in track.segments for p in s.points if p.time is None)
        if not rows:
            continue
        if groups and rows[0][0] - groups[-1][1][-1][0] < SESSION_GAP_S:
            prev = groups[-1]
            gap = Pause(
                start=pd.Timestamp(prev[1][-1][0], unit="s", tz="UTC"),
                end=pd.Timestamp(rows[0][0], unit="s", tz="UTC"),
            )
            groups[-1] = (prev[0] + [track], prev[1] + rows, prev[2] + [gap, *pauses], prev[3])
        else:
            groups.append(([track], rows, pauses, []))
    if not groups:
        raise UnreadableFile(name, "the GPX track has no timestamps: a route, not a recording")
    if untimed:
        groups[0][3].append(f"{untimed} track points without a time were skipped")
    return groups


def _frame(rows: np.ndarray, sport: str | None) -> pd.DataFrame:
    lat, lon = clean_position(rows[:, 1], rows[:, 2])
    cadence = np.full(len(rows), np.nan) if sport in NON_STEP_SPORTS else 2.0 * rows[:, 5]
    frame = build_frame(
        pd.to_datetime(rows[:, 0], unit="s", utc=True),
        {
            "lat_deg": lat,
            "lon_deg": lon,
            "altitude_m": rows[:, 3],
            "heart_rate_bpm": clean_heart_rate(rows[:, 4]),
            "cadence_spm": cadence,
            "power_w": rows[:, 6],
            "speed_mps": rows[:, 7],
        },
    )
    return geo.fill_distance_speed(frame)


def _altitude_source(frame: pd.DataFrame, creator: str | None) -> Any:
    if frame["altitude_m"].isna().all():
        return "none"
    if creator and "barometer" in creator.lower():
        return "barometric"
    return "unknown"
