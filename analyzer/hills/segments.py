"""Hill segments of one activity, as DOMAIN.md defines them.

A hill is a continuous stretch of smoothed grade of at least ``hill_min_grade_pct``,
at least ``hill_min_length_m`` long and climbing at least ``hill_min_gain_m``; stretches
below the grade shorter than ``hill_max_dip_m`` do not split it. Descents are the
mirror image. Score = length (m) x average grade (%), as Garmin ClimbPro and Strava
use it (here on the absolute grade, so descents score positive too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyzer.metrics.gait import RUNNING, WALKING
from analyzer.metrics.steps import index_ns
from analyzer.settings import Settings


@dataclass(frozen=True)
class HillInputs:
    """Per-row series the detector needs, all of the frame's length.

    grade: smoothed grade (fraction); altitude_m: smoothed altitude; weights_s: time
    steps (0 when paused or a gap); gait: codes of metrics.gait; easy_limit_bpm may be None.
    """

    frame: pd.DataFrame
    grade: np.ndarray
    altitude_m: np.ndarray
    weights_s: np.ndarray
    gait: np.ndarray
    easy_limit_bpm: float | None


@dataclass(frozen=True)
class HillSegment:
    """One climb or descent. Distances and lengths in m, grades in %, times in s.

    ``gain_m`` is the height climbed (up) or descended (down), always >= 0; grades are
    signed in the direction of travel, so a descent has negative grades and its
    ``grade_max_pct`` is the steepest (most negative) one.
    """

    direction: str  # "up" or "down"
    start_time: str  # ISO 8601, UTC
    end_time: str
    start_distance_m: float
    end_distance_m: float
    start_lat: float | None
    start_lon: float | None
    end_lat: float | None
    end_lon: float | None
    length_m: float
    gain_m: float
    grade_avg_pct: float
    grade_max_pct: float
    score: float
    duration_s: float
    walking_share: float | None  # of the time on the hill spent moving
    walked: bool
    heart_rate_avg_bpm: float | None
    easy_share: float | None  # of the time on the hill with heart rate


@dataclass(frozen=True)
class HillExposure:
    """Per-run hill load: uphill seconds and metres while running, seconds walking."""

    uphill_running_s: float
    uphill_running_gain_m: float
    uphill_walking_s: float
    hills_run: int
    hills_walked: int
    descents: int


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end] row pairs (inclusive) of consecutive True values."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _merge(runs: list[tuple[int, int]], dist: np.ndarray, max_dip_m: float) -> list[list[int]]:
    """Join runs whose gap in distance is shorter than ``max_dip_m``."""
    merged: list[list[int]] = []
    for a, b in runs:
        if merged and dist[a] - dist[merged[-1][1]] < max_dip_m:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    return merged


def candidate_spans(
    grade: np.ndarray, dist: np.ndarray, sign: int, settings: Settings
) -> list[tuple[int, int]]:
    """Row spans (inclusive) where ``sign`` x grade stays at or above the minimum grade."""
    steep = np.nan_to_num(sign * grade, nan=-np.inf) * 100.0 >= settings.hill_min_grade_pct
    spans = _merge(_runs(steep), dist, settings.hill_max_dip_m)
    return [(a, b) for a, b in spans if dist[b] - dist[a] >= settings.hill_min_length_m]


def _opt(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _mean(values: np.ndarray, weights: np.ndarray) -> float | None:
    ok = np.isfinite(values) & (weights > 0)
    total = float(weights[ok].sum())
    return float((values[ok] * weights[ok]).sum() / total) if total > 0 else None


@dataclass(frozen=True)
class _Effort:
    duration_s: float
    walking_share: float | None
    walked: bool
    heart_rate_avg_bpm: float | None
    easy_share: float | None


@dataclass(frozen=True)
class _Columns:
    """The frame's columns a segment reads, taken once per activity, not once per hill."""

    distance_m: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    heart_rate_bpm: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Columns:
        return cls(
            distance_m=frame["distance_m"].to_numpy(),
            lat_deg=frame["lat_deg"].to_numpy(),
            lon_deg=frame["lon_deg"].to_numpy(),
            heart_rate_bpm=frame["heart_rate_bpm"].to_numpy(),
        )


def _effort(inputs: HillInputs, cols: _Columns, a: int, b: int, settings: Settings) -> _Effort:
    """Time, walking share, heart rate and easy share of rows a..b (inclusive)."""
    w = inputs.weights_s[a : b + 1]
    g = inputs.gait[a : b + 1]
    hr = cols.heart_rate_bpm[a : b + 1]
    moving = float(w[(g == WALKING) | (g == RUNNING)].sum())
    walking_share = float(w[g == WALKING].sum()) / moving if moving > 0 else None
    easy_share = None
    with_hr = float(w[np.isfinite(hr)].sum())
    if inputs.easy_limit_bpm is not None and with_hr > 0:
        easy_share = float(w[np.isfinite(hr) & (hr < inputs.easy_limit_bpm)].sum()) / with_hr
    return _Effort(
        duration_s=float(w.sum()),
        walking_share=walking_share,
        walked=walking_share is not None and walking_share >= settings.hill_walked_share,
        heart_rate_avg_bpm=_mean(hr, w),
        easy_share=easy_share,
    )


def _segment(
    inputs: HillInputs, cols: _Columns, a: int, b: int, sign: int, settings: Settings
) -> HillSegment:
    f = inputs.frame
    dist, lat, lon = cols.distance_m, cols.lat_deg, cols.lon_deg
    length = float(dist[b] - dist[a])
    gain = float(sign * (inputs.altitude_m[b] - inputs.altitude_m[a]))
    grades = inputs.grade[a : b + 1] * 100.0
    avg = sign * gain / length * 100.0
    steepest = float(np.nanmax(grades)) if sign > 0 else float(np.nanmin(grades))
    effort = _effort(inputs, cols, a, b, settings)
    return HillSegment(
        direction="up" if sign > 0 else "down",
        start_time=f.index[a].isoformat(),
        end_time=f.index[b].isoformat(),
        start_distance_m=float(dist[a]),
        end_distance_m=float(dist[b]),
        start_lat=_opt(lat[a]),
        start_lon=_opt(lon[a]),
        end_lat=_opt(lat[b]),
        end_lon=_opt(lon[b]),
        length_m=length,
        gain_m=gain,
        grade_avg_pct=avg,
        grade_max_pct=steepest,
        score=length * abs(avg),
        duration_s=effort.duration_s,
        walking_share=effort.walking_share,
        walked=effort.walked,
        heart_rate_avg_bpm=effort.heart_rate_avg_bpm,
        easy_share=effort.easy_share,
    )


def hill_segments(inputs: HillInputs, settings: Settings) -> list[HillSegment]:
    """Climbs and descents of one activity, in the order they were run."""
    dist = pd.Series(inputs.frame["distance_m"].to_numpy()).ffill().fillna(0.0).to_numpy()
    if not np.isfinite(inputs.grade).any():
        return []
    found = []
    cols = _Columns.of(inputs.frame)
    for sign in (1, -1):
        for a, b in candidate_spans(inputs.grade, dist, sign, settings):
            seg = _segment(inputs, cols, a, b, sign, settings)
            if seg.gain_m >= settings.hill_min_gain_m:
                found.append(seg)
    return sorted(found, key=lambda s: s.start_distance_m)


def hill_exposure(
    inputs: HillInputs, hills: Sequence[HillSegment], settings: Settings
) -> HillExposure:
    """Uphill time and gain while running, uphill time walking, hills run and walked."""
    ns = index_ns(inputs.frame.index)
    on_climb = np.zeros(len(ns), dtype=bool)
    for h in hills:
        if h.direction == "up":
            t0, t1 = pd.Timestamp(h.start_time).value, pd.Timestamp(h.end_time).value
            on_climb |= (ns >= t0) & (ns < t1)
    rise = np.clip(np.append(np.diff(inputs.altitude_m), 0.0), 0.0, None)
    running = on_climb & (inputs.gait == RUNNING)
    walking = on_climb & (inputs.gait == WALKING)
    ups = [h for h in hills if h.direction == "up"]
    return HillExposure(
        uphill_running_s=float(inputs.weights_s[running].sum()),
        uphill_running_gain_m=float(np.nansum(rise[running & (inputs.weights_s > 0)])),
        uphill_walking_s=float(inputs.weights_s[walking].sum()),
        hills_run=sum(not h.walked for h in ups),
        hills_walked=sum(h.walked for h in ups),
        descents=len(hills) - len(ups),
    )
