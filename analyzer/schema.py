"""The canonical per-second frame and the activity that carries it, written once.

Index: ``time``, tz-aware UTC, strictly increasing, no duplicates.
Every column is float64 with its unit in its name; NaN means "not recorded".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from analyzer.errors import AnalyzerError

INDEX = "time"

#: column -> (unit, description). The order here is the order in every frame.
COLUMNS: dict[str, tuple[str, str]] = {
    "elapsed_s": ("s", "seconds since the first record"),
    "lat_deg": ("deg", "WGS84 latitude; NaN without GPS"),
    "lon_deg": ("deg", "WGS84 longitude; NaN without GPS"),
    "altitude_m": ("m", "altitude (enhanced_altitude where present)"),
    "distance_m": ("m", "cumulative distance, device's own or geodesic"),
    "speed_mps": ("m/s", "speed, device's own or derived"),
    "heart_rate_bpm": ("1/min", "heart rate; never 0 or 255"),
    "cadence_spm": ("steps/min", "steps per minute (FIT: 2 x (cadence + fractional))"),
    "power_w": ("W", "power, where recorded"),
}

#: channels whose presence is worth telling the user about
CHANNELS = ("gps", "altitude", "distance", "speed", "heart_rate", "cadence", "power")

AltitudeSource = Literal["barometric", "gps", "dem", "unknown", "none"]


class SchemaError(AnalyzerError):
    """An importer produced a frame that breaks the schema: a bug, not bad input."""


@dataclass(frozen=True)
class Device:
    manufacturer: str | None = None
    product: str | None = None
    serial_number: str | None = None
    software_version: str | None = None

    def __str__(self) -> str:
        parts = [p for p in (self.manufacturer, self.product) if p]
        return " ".join(parts) if parts else "unknown device"


@dataclass(frozen=True)
class Pause:
    """The timer was stopped from ``start`` to ``end`` (UTC)."""

    start: pd.Timestamp
    end: pd.Timestamp


@dataclass(frozen=True)
class Lap:
    start: pd.Timestamp
    end: pd.Timestamp
    device_summary: dict[str, Any] = field(default_factory=dict)


@dataclass
class Activity:
    """One session of one file: metadata, the canonical frame and the device's own summary."""

    frame: pd.DataFrame
    source_path: str
    source_format: str  # "fit", "gpx", "tcx"
    session_index: int = 0
    source_hash: str | None = None
    sport: str | None = None
    sub_sport: str | None = None
    name: str | None = None
    device: Device = field(default_factory=Device)
    utc_offset_s: int | None = None
    altitude_source: AltitudeSource = "unknown"
    pauses: list[Pause] = field(default_factory=list)
    laps: list[Lap] = field(default_factory=list)
    device_summary: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def start_time(self) -> pd.Timestamp | None:
        return self.frame.index[0] if len(self.frame) else None

    @property
    def activity_id(self) -> str:
        """Content hash of the source file plus the session index."""
        return f"{self.source_hash or 'nohash'}-{self.session_index}"

    def channels(self) -> list[str]:
        return channels_present(self.frame)


def empty_frame() -> pd.DataFrame:
    index = pd.DatetimeIndex([], tz="UTC", name=INDEX)
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in COLUMNS}, index=index)


def build_frame(times: Any, columns: dict[str, Any]) -> pd.DataFrame:
    """Assemble a canonical frame from raw arrays.

    ``times`` are UTC instants (datetime64 or tz-aware). Rows with no time are dropped,
    rows are sorted, and rows sharing a time are merged (last non-NaN value of each
    column wins): devices often split one second over two records.
    ``elapsed_s`` is computed here. Missing columns become NaN.
    """
    index = pd.DatetimeIndex(pd.to_datetime(times, utc=True))
    # one float64 block, a row per column (elapsed_s first, filled last): the frame is
    # made once, without a block per column to consolidate or an insert afterwards
    block = np.empty((len(COLUMNS), len(index)))
    for row, name in enumerate(COLUMNS):
        values = columns.get(name)
        if name != "elapsed_s":
            block[row] = np.nan if values is None else np.asarray(values, dtype="float64")
    keep = np.asarray(index.notna())
    if not keep.all():
        index, block = index[keep], np.compress(keep, block, axis=1)
    if not index.is_monotonic_increasing:
        order = np.argsort(index.asi8, kind="stable")
        index, block = index[order], np.take(block, order, axis=1)
    if index.has_duplicates:
        index, block = _merge_same_times(index, block)
    index = pd.DatetimeIndex(index, name=INDEX).as_unit("ns")
    ns = index.asi8
    block[0] = (ns - ns[0]) / 1e9 if len(ns) else np.array([], dtype="float64")
    return validate(pd.DataFrame(block.T, index=index, columns=list(COLUMNS), copy=False))


def _merge_same_times(
    index: pd.DatetimeIndex, block: np.ndarray
) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """One row per time: the last non-NaN value of each column (``groupby().last()``)."""
    names = list(COLUMNS)[1:]
    merged = pd.DataFrame(block[1:].T, index=index, columns=names).groupby(level=0, sort=False)
    last = merged.last()
    out = np.empty((len(COLUMNS), len(last)))
    out[1:] = last.to_numpy(dtype="float64").T
    return pd.DatetimeIndex(last.index), out


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """Check a frame against the schema and return it; raise SchemaError otherwise."""
    if list(df.columns) != list(COLUMNS):
        raise SchemaError(f"frame columns {list(df.columns)} != schema {list(COLUMNS)}")
    idx = df.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None or str(idx.tz) != "UTC":
        raise SchemaError("frame index must be a tz-aware UTC DatetimeIndex")
    if idx.name != INDEX:
        raise SchemaError(f"frame index must be named {INDEX!r}")
    if len(idx) > 1 and not (np.diff(idx.asi8) > 0).all():
        raise SchemaError("frame index must be strictly increasing")
    for name in COLUMNS:
        if df[name].dtype != np.float64:
            raise SchemaError(f"column {name} must be float64, is {df[name].dtype}")
    hr = df["heart_rate_bpm"].to_numpy()
    if np.any((hr <= 0) | (hr >= 255)):
        raise SchemaError("heart_rate_bpm holds invalid markers (0 or 255)")
    lat, lon = df["lat_deg"].to_numpy(), df["lon_deg"].to_numpy()
    if np.any(np.abs(lat) > 90) or np.any(np.abs(lon) > 180):
        raise SchemaError("lat/lon out of range")
    return df


#: the longest step between consecutive records of one recording (s); a longer one is a
#: clock that jumped (a damaged record dated decades away), unless the session itself
#: says it lasted longer
MAX_RECORD_GAP_S = 86400.0


def one_recording(times_s: np.ndarray, anchor_s: float, max_gap_s: float) -> np.ndarray:
    """True for the records (times in s, any order, NaN allowed) of the recording that
    holds ``anchor_s`` (the session's start; NaN: the recording with most records).

    The records sorted by time break into recordings wherever two consecutive ones are
    more than ``max_gap_s`` apart; records of the other recordings are False. NaN times
    stay True: the frame drops them anyway.
    """
    times = np.asarray(times_s, dtype="float64")
    keep = np.ones(times.size, dtype=bool)
    timed = np.flatnonzero(np.isfinite(times))
    order = timed[np.argsort(times[timed], kind="stable")]
    ordered = times[order]
    edges = np.flatnonzero(np.diff(ordered) > max_gap_s) + 1
    if edges.size == 0:
        return keep
    starts = np.concatenate([[0], edges])
    ends = np.concatenate([edges, [ordered.size]])
    if np.isfinite(anchor_s):  # the recording nearest the anchor (holding it: distance 0)
        distance = np.maximum(ordered[starts] - anchor_s, anchor_s - ordered[ends - 1])
        chosen = int(np.argmin(np.maximum(distance, 0.0)))
    else:
        chosen = int(np.argmax(ends - starts))
    keep[order] = False
    keep[order[starts[chosen] : ends[chosen]]] = True
    return keep


def clean_heart_rate(values: Any) -> np.ndarray:
    """0 and 255 (and anything outside 20..254) are device markers, not heart rates."""
    hr = np.asarray(values, dtype="float64")
    return np.where((hr >= 20) & (hr < 255), hr, np.nan)


def clean_position(lat: Any, lon: Any) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-range positions (179.999 deg markers, 0/0 fixes) become NaN."""
    la = np.asarray(lat, dtype="float64")
    lo = np.asarray(lon, dtype="float64")
    bad = (
        ~np.isfinite(la)
        | ~np.isfinite(lo)
        | (np.abs(la) > 89.99)
        | (np.abs(lo) > 179.99)
        | ((la == 0) & (lo == 0))
    )
    return np.where(bad, np.nan, la), np.where(bad, np.nan, lo)


def channels_present(df: pd.DataFrame) -> list[str]:
    checks = {
        "gps": "lat_deg",
        "altitude": "altitude_m",
        "distance": "distance_m",
        "speed": "speed_mps",
        "heart_rate": "heart_rate_bpm",
        "cadence": "cadence_spm",
        "power": "power_w",
    }
    # columns are float64: not-NaN is notna(), without a Series per column
    return [name for name, col in checks.items() if not np.isnan(df[col].to_numpy()).all()]


def to_utc(value: datetime | pd.Timestamp) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
