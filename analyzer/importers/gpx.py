"""GPX tracks, with heart rate, cadence and power from extensions.

Two parsers produce the same :class:`RawTrack` list: gpxpy (the reference) and a
streaming lxml ``iterparse`` (the default: several times faster, and memory grows with
the points kept, not the document). Both share every rule after parsing.

Extensions are matched by local name, so Garmin's TrackPointExtension v1 and v2 under
any namespace prefix, and Strava's export, all read the same way.
"""

from __future__ import annotations

import io
import os
from array import array
from dataclasses import dataclass, field
from typing import IO, Any

import gpxpy
import gpxpy.gpx
import numpy as np
import pandas as pd
from lxml import etree

from analyzer import geo
from analyzer.errors import UnreadableFile
from analyzer.importers import xmlsafe
from analyzer.importers.damage import Damage
from analyzer.importers.fit import NON_STEP_SPORTS
from analyzer.schema import (
    Activity,
    Device,
    Pause,
    build_frame,
    clean_heart_rate,
    clean_position,
    validate,
)

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

#: extension local name -> column of a point row
EXTENSION_SLOTS = {
    "hr": 4,
    "heartrate": 4,
    "heart_rate": 4,
    "cad": 5,
    "cadence": 5,
    "runcadence": 5,
    "power": 6,
    "watts": 6,
    "speed": 7,
}
ROW = 8  # time, lat, lon, ele, hr, cad, power, speed

SESSION_GAP_S = 2 * 3600.0  # tracks further apart than this are separate activities
PARSER_ENV = "ANALYZER_GPX_PARSER"
#: the only elements the stream looks at; their children are read from the <trkpt>
STREAM_TAGS = ("{*}gpx", "{*}trk", "{*}trkseg", "{*}trkpt", "{*}name", "{*}type")


class Columns:
    """One segment's points, compact: 64 bytes a point (time as Unix ns, 7 floats) instead
    of a Python row, so a streamed file costs memory by its points, far below its size.

    Times are converted in batches; a missing or bad time is stored as -1 (untimed).
    """

    BATCH = 8192

    def __init__(self) -> None:
        self.values = array("d")
        self.times = array("q")
        self.pending: list[str | None] = []

    def append(self, row: list[Any]) -> None:
        self.pending.append(row[0])
        self.values.extend(row[1:])
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        ns = np.full(len(self.pending), -1, dtype="int64")
        timed = [i for i, t in enumerate(self.pending) if t is not None]
        if timed:
            ns[timed] = _epoch_ns([self.pending[i] for i in timed])
        self.times.frombytes(ns.tobytes())
        self.pending = []

    def __len__(self) -> int:
        return len(self.times) + len(self.pending)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(times in Unix ns, -1 where untimed; rows of the 7 float columns), no copies."""
        self.flush()
        times = np.frombuffer(self.times, dtype="int64") if len(self.times) else _NO_TIMES
        rows = np.frombuffer(self.values, dtype="float64") if len(self.values) else _NO_ROWS
        return times, rows.reshape(-1, ROW - 1)


_NO_TIMES = np.array([], dtype="int64")
_NO_ROWS = np.array([], dtype="float64")


@dataclass
class RawTrack:
    """One <trk>: its name, type and segments (point rows from gpxpy, with time as a
    datetime; :class:`Columns` from the stream)."""

    name: str | None = None
    type: str | None = None
    segments: list[Any] = field(default_factory=list)


@dataclass
class RawGpx:
    creator: str | None = None
    name: str | None = None
    tracks: list[RawTrack] = field(default_factory=list)
    broke: xmlsafe.Break | None = None  # where a cut or damaged document stopped

    def points(self) -> int:
        """Complete track points read, timed or not."""
        return sum(len(segment) for track in self.tracks for segment in track.segments)


def sport_from_type(value: str | None) -> str | None:
    if not value:
        return None
    key = value.strip().lower().replace(" ", "_")
    return STRAVA_TYPES.get(key) or SPORT_WORDS.get(key) or key


def read_bytes(data: bytes, name: str, parser: str | None = None) -> list[Activity]:
    data = data.lstrip()  # some exporters write whitespace before the XML declaration
    xmlsafe.check(data, name)
    choice = parser or os.environ.get(PARSER_ENV, "stream")
    raw = parse_gpxpy(data, name) if choice == "gpxpy" else parse_stream(io.BytesIO(data), name)
    return build_activities(raw, name)


def read_file(source: IO[bytes], name: str) -> list[Activity]:
    """Stream a GPX from an open binary file, never holding the document: memory grows
    with the points kept (see :class:`Columns`), not with the file."""
    if os.environ.get(PARSER_ENV) == "gpxpy":  # the reference path holds the document
        return read_bytes(source.read(), name, parser="gpxpy")
    start = _skip_space(source)
    source.seek(start)
    xmlsafe.check(source, name)
    source.seek(start)
    return build_activities(parse_stream(source, name), name)


def _skip_space(source: IO[bytes], chunk: int = 64 * 1024) -> int:
    """Offset of the first byte that is not whitespace (as ``bytes.lstrip`` strips)."""
    offset = 0
    while True:
        block = source.read(chunk)
        if not block:
            return offset
        kept = block.lstrip()
        if kept:
            return offset + len(block) - len(kept)
        offset += len(block)


# ----------------------------------------------------------------------- parsers


def parse_gpxpy(data: bytes, name: str) -> RawGpx:
    """The reference parse, through gpxpy's object model; a document that is not
    well-formed is left to :func:`parse_stream`, which keeps what precedes the break."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        doc = gpxpy.parse(text)
    except Exception as exc:  # gpxpy raises several types, all meaning "not a GPX"
        # a cut or damaged document: the stream keeps what precedes the break, or says where
        raw = parse_stream(io.BytesIO(data), name)
        if raw.broke is None:
            raise UnreadableFile(name, f"not a readable GPX file ({exc})") from exc
        return raw
    raw = RawGpx(creator=doc.creator, name=doc.name)
    for track in doc.tracks:
        raw_track = RawTrack(name=track.name, type=track.type)
        for segment in track.segments:
            raw_track.segments.append([_gpxpy_row(p) for p in segment.points])
        raw.tracks.append(raw_track)
    return raw


def _gpxpy_row(p: gpxpy.gpx.GPXTrackPoint) -> list[Any]:
    row: list[Any] = [np.nan] * ROW
    row[0] = p.time
    row[1] = p.latitude if p.latitude is not None else np.nan
    row[2] = p.longitude if p.longitude is not None else np.nan
    row[3] = p.elevation if p.elevation is not None else np.nan
    for ext in p.extensions:
        for el in ext.iter():
            _extension_value(row, el)
    return row


_LOCAL: dict[Any, str] = {}


def _local(tag: Any) -> str:
    """Lower-case local name of a tag; memoised, as a file repeats a handful of tags."""
    local = _LOCAL.get(tag)
    if local is None:
        local = tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""
        if len(_LOCAL) < 10_000:
            _LOCAL[tag] = local
    return local


def _extension_value(row: list[Any], el: Any) -> None:
    slot = EXTENSION_SLOTS.get(_local(el.tag))
    if slot is None or not el.text or not np.isnan(row[slot]):
        return
    try:
        row[slot] = float(el.text.strip())
    except ValueError:
        return


def parse_stream(source: IO[bytes], name: str) -> RawGpx:
    """Streaming parse: each <trkpt> is read and freed at once (200 MB files stay flat).

    A document cut off or damaged after its first complete <trkpt> keeps every complete
    one read before the break (``RawGpx.broke`` says where); a point the break falls in
    is dropped. Before any complete point it is UnreadableFile.
    """
    raw = RawGpx()
    parser = etree.XMLPullParser(
        events=("start", "end"),
        tag=STREAM_TAGS,
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
    )
    feed = xmlsafe.Feed(source, parser)
    track: RawTrack | None = None
    for event, el in feed:
        track = _stream_event(raw, track, event, el)
    if feed.broke is not None:
        if not raw.points():
            raise xmlsafe.nothing_kept(name, "GPX", feed.broke)
        raw.broke = feed.broke
    return raw


def _stream_event(raw: RawGpx, track: RawTrack | None, event: str, el: Any) -> RawTrack | None:
    tag = _local(el.tag)
    if event == "start":
        if tag == "gpx":
            raw.creator = el.get("creator")
        elif tag == "trk":
            track = RawTrack()
            raw.tracks.append(track)
        elif tag == "trkseg" and track is not None:
            track.segments.append(Columns())
        return track
    if tag == "trkpt" and track is not None:
        if not track.segments:
            track.segments.append(Columns())
        track.segments[-1].append(_stream_row(el))
        el.clear(keep_tail=False)
        parent = el.getparent()
        while parent is not None and el.getprevious() is not None:
            del parent[0]  # the points already read: an emptied element still costs memory
    elif tag in ("name", "type") and track is not None and _local(el.getparent().tag) == "trk":
        setattr(track, tag, el.text or None)
    elif tag == "name" and _local(el.getparent().tag) in ("gpx", "metadata") and raw.name is None:
        raw.name = el.text or None
    return track


def _stream_row(el: Any) -> list[Any]:
    row: list[Any] = [np.nan] * ROW
    row[0] = None
    row[1] = _float(el.get("lat"))
    row[2] = _float(el.get("lon"))
    for child in el:
        tag = _local(child.tag)
        if tag == "time":
            row[0] = (child.text or "").strip() or None
        elif tag == "ele":
            row[3] = _float(child.text)
        elif tag == "extensions":
            for sub in child.iter():
                _extension_value(row, sub)
    return row


def _float(text: str | None) -> float:
    try:
        return float(text) if text is not None else np.nan
    except ValueError:
        return np.nan


# ---------------------------------------------------------------------- building


#: microseconds beyond which a time has no nanosecond value (after 2262 or before 1677)
NS_RANGE_US = np.iinfo("int64").max // 1000


def _epoch_ns(values: list[Any]) -> np.ndarray:
    """Times (datetime or ISO text, naive = UTC) to Unix ns truncated to us; bad text,
    and a year no nanosecond time reaches (a damaged clock's 6019), -> -1."""
    if not values:
        return np.array([], dtype="int64")
    series = pd.Series(values, dtype=object)
    try:
        parsed = pd.to_datetime(series, utc=True, format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        parsed = pd.to_datetime(series, utc=True, format="ISO8601", errors="coerce")
    us = parsed.dt.floor("us").dt.as_unit("us")
    good = us.notna().to_numpy(copy=True)
    values_us = np.where(good, np.asarray(us.astype("int64")), 0)
    good &= np.abs(values_us) < NS_RANGE_US
    return np.where(good, values_us * 1000, -1).astype("int64")


@dataclass
class _Block:
    """Timed points: ``times`` in Unix ns, ``rows`` of the float columns after time."""

    times: np.ndarray
    rows: np.ndarray


def _track_blocks(track: RawTrack) -> tuple[list[_Block], list[Pause], int]:
    """The timed points of each segment; gaps between segments become pauses."""
    blocks: list[_Block] = []
    pauses: list[Pause] = []
    untimed = 0
    for segment in track.segments:
        times, rows = _segment_arrays(segment)
        good = times >= 0
        untimed += int((~good).sum())
        if not good.any():
            continue
        whole = bool(good.all())  # no copy of a streamed segment where every time is good
        block = _Block(times=times if whole else times[good], rows=rows if whole else rows[good])
        if blocks and block.times[0] > blocks[-1].times[-1]:
            pauses.append(_pause(blocks[-1].times[-1], block.times[0]))
        blocks.append(block)
    return blocks, pauses, untimed


def _segment_arrays(segment: Any) -> tuple[np.ndarray, np.ndarray]:
    """Times (Unix ns, -1 where missing or bad) and float rows of one segment."""
    if isinstance(segment, Columns):
        return segment.arrays()
    times = np.full(len(segment), -1, dtype="int64")
    timed = [i for i, r in enumerate(segment) if r[0] is not None]
    if timed:
        times[timed] = _epoch_ns([segment[i][0] for i in timed])
    rows = np.array([r[1:] for r in segment], dtype="float64").reshape(-1, ROW - 1)
    return times, rows


def _pause(start_ns: int, end_ns: int) -> Pause:
    return Pause(
        start=pd.Timestamp(int(start_ns), tz="UTC"), end=pd.Timestamp(int(end_ns), tz="UTC")
    )


@dataclass
class _Group:
    tracks: list[RawTrack]
    blocks: list[_Block]
    pauses: list[Pause]


def _groups(raw: RawGpx) -> tuple[list[_Group], int]:
    groups: list[_Group] = []
    untimed = 0
    for track in raw.tracks:
        blocks, pauses, skipped = _track_blocks(track)
        untimed += skipped
        if not blocks:
            continue
        first = blocks[0].times[0]
        if groups and (first - groups[-1].blocks[-1].times[-1]) / 1e9 < SESSION_GAP_S:
            last = groups[-1]
            last.pauses += [_pause(last.blocks[-1].times[-1], first), *pauses]
            last.tracks.append(track)
            last.blocks.extend(blocks)
        else:
            groups.append(_Group([track], blocks, pauses))
    return groups, untimed


def build_activities(raw: RawGpx, name: str) -> list[Activity]:
    if not raw.tracks:
        raise UnreadableFile(name, "the GPX holds no track (a route or waypoints only?)")
    groups, untimed = _groups(raw)
    if not groups:
        raise UnreadableFile(name, "the GPX track has no timestamps: a route, not a recording")
    creator = (raw.creator or "").strip() or None
    broken: list[str] = [_broken_warning(raw.broke, raw, groups, name)] if raw.broke else []
    activities = []
    for index, group in enumerate(groups):
        sport = sport_from_type(next((t.type for t in group.tracks if t.type), None))
        frame = _frame(
            _joined([b.times for b in group.blocks]), _joined([b.rows for b in group.blocks]), sport
        )
        warnings = [f"{untimed} track points without a valid time were skipped"] if untimed else []
        activities.append(
            Activity(
                frame=frame,
                source_path=name,
                source_format="gpx",
                session_index=index,
                sport=sport,
                name=next((t.name for t in group.tracks if t.name), None) or raw.name,
                device=Device(manufacturer=None, product=creator),
                altitude_source=_altitude_source(frame, creator),
                pauses=group.pauses,
                device_summary=None,
                warnings=(warnings if index == 0 else []) + broken,
            )
        )
    return activities


def _broken_warning(broke: xmlsafe.Break, raw: RawGpx, groups: list[_Group], name: str) -> Damage:
    """Said of every activity of a cut or damaged file, as the FIT reader does."""
    ends = [t for g in groups for b in g.blocks for t in (b.times.min(), b.times.max())]
    return xmlsafe.kept_warning(name, "GPX", broke, raw.points(), np.array(ends, dtype="int64"))


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _frame(times_ns: np.ndarray, rows: np.ndarray, sport: str | None) -> pd.DataFrame:
    """``rows`` columns: lat, lon, ele, hr, cad (strides/min), power, speed."""
    lat, lon = clean_position(rows[:, 0], rows[:, 1])
    cadence = np.full(len(rows), np.nan) if sport in NON_STEP_SPORTS else 2.0 * rows[:, 4]
    frame = build_frame(
        pd.to_datetime(times_ns, unit="ns", utc=True),
        {
            "lat_deg": lat,
            "lon_deg": lon,
            "altitude_m": rows[:, 2],
            "heart_rate_bpm": clean_heart_rate(rows[:, 3]),
            "cadence_spm": cadence,
            "power_w": rows[:, 5],
            "speed_mps": rows[:, 6],
        },
    )
    # checked last, after distance and speed were filled in (STYLE rule 5)
    return validate(geo.fill_distance_speed(frame))


def _altitude_source(frame: pd.DataFrame, creator: str | None) -> Any:
    if frame["altitude_m"].isna().all():
        return "none"
    if creator and "barometer" in creator.lower():
        return "barometric"
    return "unknown"
