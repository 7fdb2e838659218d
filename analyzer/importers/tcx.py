"""TCX (Garmin Training Center) through lxml.

Why lxml and not a TCX library: the TCX libraries on PyPI (python-tcxparser and
friends) load one activity, drop the per-lap tracks that mark pauses and are thinly
maintained, while TCX is a small fixed schema that lxml (well kept, fast, C) walks
directly. The document is first checked by :mod:`xmlsafe` (no DTD, no entities), and
the parser is built with entity resolution and network access off. A document cut off
or damaged is parsed again event by event to keep what precedes the break.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from lxml import etree

from analyzer import geo
from analyzer.errors import UnreadableFile
from analyzer.importers import xmlsafe
from analyzer.importers.fit import NON_STEP_SPORTS
from analyzer.schema import (
    Activity,
    Device,
    Lap,
    Pause,
    build_frame,
    clean_heart_rate,
    clean_position,
    validate,
)

# the TCX schema allows Running, Biking and Other: "Other" says the session is neither
SPORTS = {"running": "running", "biking": "cycling", "other": "other"}

POINT_FIELDS = {
    "Time": 0,
    "LatitudeDegrees": 1,
    "LongitudeDegrees": 2,
    "AltitudeMeters": 3,
    "DistanceMeters": 4,
    "HeartRateBpm": 5,
    "Cadence": 6,
    "RunCadence": 6,
    "Watts": 7,
    "Speed": 8,
}


def _local(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c) == name]


def _child(el: Any, name: str) -> Any:
    for c in el:
        if _local(c) == name:
            return c
    return None


def _text_of(el: Any, name: str) -> str | None:
    c = _child(el, name)
    return c.text.strip() if c is not None and c.text else None


#: elements a cut document may hold open and still be read: the rest (a track point,
#: a lap's totals, a creator...) is dropped where the break falls inside it
OPEN_KEPT = frozenset({"TrainingCenterDatabase", "Activities", "Activity", "Lap", "Track"})


def _parser_options() -> dict[str, Any]:
    return {
        "resolve_entities": False,
        "no_network": True,
        "huge_tree": False,
        "remove_comments": True,
    }


def read_bytes(data: bytes, name: str) -> list[Activity]:
    """Activities of a TCX. One cut off or damaged after its first complete track point
    keeps every complete point before the break, with a warning; the laps the break falls
    in end at their last kept point, without the device's totals."""
    data = data.lstrip()  # some exporters write whitespace before the XML declaration
    xmlsafe.check(data, name)
    broken: Broken | None = None
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(**_parser_options()))
    except etree.XMLSyntaxError:
        broken = _read_broken(data, name)
        root = broken.root
    if _local(root) != "TrainingCenterDatabase":
        raise UnreadableFile(name, "not a TCX file (no TrainingCenterDatabase root)")
    activities_el = _child(root, "Activities")
    elements = _children(activities_el, "Activity") if activities_el is not None else []
    if not elements and broken is not None:
        raise xmlsafe.nothing_kept(name, "TCX", broken.broke)
    if not elements:
        raise UnreadableFile(name, "the TCX holds no activity (a course or workout file?)")
    out = []
    for index, el in enumerate(elements):
        activity = _activity(el, name, index, broken.open if broken is not None else [])
        if activity is not None:
            out.append(activity)
    if not out and broken is not None:
        raise xmlsafe.nothing_kept(name, "TCX", broken.broke)
    if not out:
        raise UnreadableFile(name, "the TCX activities hold no timed track points")
    if broken is not None:
        _warn_broken(out, broken, name)
    return out


@dataclass(frozen=True)
class Broken:
    """A cut or damaged TCX: ``root``, the tree read before the break, less the point
    or field it fell inside; ``open``, the elements it fell inside (root first)."""

    root: Any
    open: list[Any]
    broke: xmlsafe.Break


def _read_broken(data: bytes, name: str) -> Broken:
    """Parse again, event by event, to learn which elements the break fell inside."""
    parser = etree.XMLPullParser(events=("start", "end"), **_parser_options())
    feed = xmlsafe.Feed(io.BytesIO(data), parser)
    stack: list[Any] = []
    root = None
    for event, el in feed:
        if event == "start":
            root = el if root is None else root
            stack.append(el)
        else:
            stack.pop()
    broke = feed.broke or xmlsafe.Break(line=None, cut=False)
    if root is None:
        raise UnreadableFile(name, xmlsafe.not_well_formed(broke))
    for depth, el in enumerate(stack):
        if depth and _local(el) not in OPEN_KEPT:
            stack[depth - 1].remove(el)  # a point or field the break fell inside
            del stack[depth:]
            break
    return Broken(root=root, open=stack, broke=broke)


def _warn_broken(activities: list[Activity], broken: Broken, name: str) -> None:
    """Said of every activity of the file, as the FIT reader does."""
    points = sum(1 for _ in broken.root.iter("{*}Trackpoint"))
    ends = [t for a in activities for t in (a.frame.index[0].value, a.frame.index[-1].value)]
    warning = xmlsafe.kept_warning(name, "TCX", broken.broke, points, np.array(ends, dtype="int64"))
    for activity in activities:
        activity.warnings.append(warning)


def _epoch(text: str) -> float:
    """ISO time to Unix seconds; a time without a zone is taken as UTC, as TCX specifies."""
    try:
        ts = pd.Timestamp(text)
    except ValueError:
        return np.nan
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return ts.value / 1e9


def _point_row(tp: Any) -> list[float]:
    row = [np.nan] * 9
    for el in tp.iter():
        key = _local(el)
        slot = POINT_FIELDS.get(key)
        if slot is None:
            continue
        text = (el.text or "").strip()
        if key == "HeartRateBpm":
            text = (_text_of(el, "Value") or "").strip()
        if not text:
            continue
        if slot == 0:
            row[0] = _epoch(text)
            continue
        try:
            row[slot] = float(text)
        except ValueError:
            continue
    return row


def _activity(el: Any, name: str, index: int, cut: list[Any]) -> Activity | None:
    """``cut``: the elements a break fell inside (laps and activity end early)."""
    sport_attr = (el.get("Sport") or "").strip().lower()
    sport = SPORTS.get(sport_attr, sport_attr or None)
    rows: list[list[float]] = []
    pauses: list[Pause] = []
    laps: list[Lap] = []
    for lap_el in _children(el, "Lap"):
        lap_rows = _lap_rows(lap_el, rows, pauses)
        if not any(lap_el is c for c in cut):
            laps.append(_lap(lap_el, lap_rows))
        elif lap_rows:
            laps.append(_cut_lap(lap_el, lap_rows))
    rows = [r for r in rows if np.isfinite(r[0])]
    if not rows:
        return None
    frame = _frame(np.array(rows, dtype="float64"), sport)
    return Activity(
        frame=frame,
        source_path=name,
        source_format="tcx",
        session_index=index,
        sport=sport,
        name=_text_of(el, "Notes"),
        device=_device(el),
        altitude_source="none" if frame["altitude_m"].isna().all() else "unknown",
        pauses=pauses,
        laps=laps,
        # a cut activity's totals are unknown (as a FIT cut before its session message)
        device_summary=None if any(el is c for c in cut) else _summary(laps),
    )


def _lap_rows(lap_el: Any, rows: list[list[float]], pauses: list[Pause]) -> list[list[float]]:
    lap_rows: list[list[float]] = []
    for track in _children(lap_el, "Track"):
        track_rows = [_point_row(tp) for tp in _children(track, "Trackpoint")]
        track_rows = [r for r in track_rows if np.isfinite(r[0])]
        if not track_rows:
            continue
        if rows and track_rows[0][0] - rows[-1][0] > 1.0 and lap_rows:
            pauses.append(
                Pause(
                    start=pd.Timestamp(rows[-1][0], unit="s", tz="UTC"),
                    end=pd.Timestamp(track_rows[0][0], unit="s", tz="UTC"),
                )
            )
        rows.extend(track_rows)
        lap_rows.extend(track_rows)
    return lap_rows


def _float(el: Any, name: str) -> float | None:
    text = _text_of(el, name)
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _lap_start(lap_el: Any, lap_rows: list[list[float]]) -> pd.Timestamp:
    start_text = lap_el.get("StartTime")
    first = _epoch(start_text) if start_text else np.nan
    if not np.isfinite(first):
        first = lap_rows[0][0] if lap_rows else 0.0
    return pd.Timestamp(first, unit="s", tz="UTC")


def _cut_lap(lap_el: Any, lap_rows: list[list[float]]) -> Lap:
    """A lap the break fell inside: it ends at its last kept point, and its totals,
    which cover points not kept, are left out."""
    start = _lap_start(lap_el, lap_rows)
    end = max(start, pd.Timestamp(lap_rows[-1][0], unit="s", tz="UTC"))
    return Lap(start=start, end=end, device_summary={"start_time": start.isoformat()})


def _lap(lap_el: Any, lap_rows: list[list[float]]) -> Lap:
    start = _lap_start(lap_el, lap_rows)
    timer = _float(lap_el, "TotalTimeSeconds")
    summary: dict[str, Any] = {"start_time": start.isoformat()}
    if timer is not None:
        summary["total_timer_time"] = timer
    for key, tag in (
        ("total_distance", "DistanceMeters"),
        ("max_speed", "MaximumSpeed"),
        ("total_calories", "Calories"),
    ):
        value = _float(lap_el, tag)
        if value is not None:
            summary[key] = value
    for key, tag in (
        ("avg_heart_rate", "AverageHeartRateBpm"),
        ("max_heart_rate", "MaximumHeartRateBpm"),
    ):
        hr_el = _child(lap_el, tag)
        if hr_el is not None and _float(hr_el, "Value") is not None:
            summary[key] = _float(hr_el, "Value")
    end = start + pd.Timedelta(seconds=timer or 0.0)
    if lap_rows:
        end = max(end, pd.Timestamp(lap_rows[-1][0], unit="s", tz="UTC"))
    return Lap(start=start, end=end, device_summary=summary)


def _summary(laps: list[Lap]) -> dict[str, Any] | None:
    """The activity's totals as the device wrote them: the sum of its laps."""
    if not laps:
        return None
    out: dict[str, Any] = {"start_time": laps[0].device_summary.get("start_time")}
    for key in ("total_timer_time", "total_distance", "total_calories"):
        values = [lap.device_summary[key] for lap in laps if key in lap.device_summary]
        if values:
            out[key] = float(sum(values))
    maxes = [
        lap.device_summary["max_heart_rate"]
        for lap in laps
        if "max_heart_rate" in lap.device_summary
    ]
    if maxes:
        out["max_heart_rate"] = max(maxes)
    out["num_laps"] = len(laps)
    return out


def _device(el: Any) -> Device:
    creator = _child(el, "Creator")
    if creator is None:
        return Device()
    product = _text_of(creator, "Name")
    return Device(manufacturer=None, product=product, serial_number=_text_of(creator, "UnitId"))


def _frame(rows: np.ndarray, sport: str | None) -> pd.DataFrame:
    lat, lon = clean_position(rows[:, 1], rows[:, 2])
    cadence = np.full(len(rows), np.nan) if sport in NON_STEP_SPORTS else 2.0 * rows[:, 6]
    frame = build_frame(
        pd.to_datetime(rows[:, 0], unit="s", utc=True),
        {
            "lat_deg": lat,
            "lon_deg": lon,
            "altitude_m": rows[:, 3],
            "distance_m": rows[:, 4],
            "heart_rate_bpm": clean_heart_rate(rows[:, 5]),
            "cadence_spm": cadence,
            "power_w": rows[:, 7],
            "speed_mps": rows[:, 8],
        },
    )
    # checked last, after distance and speed were filled in (STYLE rule 5)
    return validate(geo.fill_distance_speed(frame))
