"""Hill segments of one activity, as DOMAIN.md defines them.

A hill is a continuous stretch of smoothed grade of at least ``hill_min_grade_pct``,
at least ``hill_min_length_m`` long and climbing at least ``hill_min_gain_m``; stretches
below the grade shorter than ``hill_max_dip_m`` do not split it. Descents are the
mirror image. Score = length (m) x average grade (%), as Garmin ClimbPro and Strava
use it (here on the absolute grade, so descents score positive too).

The smoothed grade finds the hills; lengths are then measured on the ground, allowing
for the smoothing (``Settings.grade_window_m`` and the altitude's own moving average):
a dip by the climbing it misses (``dip_length_m``), a hill's ends where the grade
changes (``_refined_end``). Read off the smoothed grade alone, a 21 m flat split a 6%
climb and a 300 m climb at 5% was 265 m long.
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


@dataclass(frozen=True)
class _Profile:
    """One direction's view of the activity: grade and altitude signed so that the
    direction climbs (a descent is read as the climb of the negated profile)."""

    grade: np.ndarray  # signed smoothed grade, fraction; NaN where unknown
    altitude_m: np.ndarray  # signed smoothed altitude
    dist: np.ndarray  # distance, m, never decreasing
    settings: Settings

    @property
    def min_grade(self) -> float:
        return self.settings.hill_min_grade_pct / 100.0

    def row_at(self, distance_m: float) -> int:
        """The first row at or beyond ``distance_m`` (the last row beyond the end)."""
        row = int(np.searchsorted(self.dist, distance_m, side="left"))
        return min(row, len(self.dist) - 1)


def dip_length_m(p: _Profile, before: tuple[int, int], after: tuple[int, int]) -> float:
    """Length (m) on the ground of the dip between two steep runs of smoothed grade.

    The grade window spreads a dip over its width (a 21 m flat between 6% slopes is
    ~33 m below 4% on the smoothed grade; steep sides narrow it instead), so the dip is
    measured by the climbing it misses: its flat-equivalent length, the height the
    climb's grade would gain over the gap less the height gained, over that grade. The
    height is read half a grade window beyond each end of the gap, the climb's grade is
    the steepest smoothed grade within a window either side. Exact for a flat dip
    whatever the smoothing; a dip that still climbs counts for less (40 m at 2% between
    6% slopes is 27 m), one that drops for more, and a gentle stretch splits once it
    misses as much climbing as a flat of ``hill_max_dip_m``.
    """
    (a1, a2), (b1, b2) = before, after
    gap = float(p.dist[b1] - p.dist[a2])
    half = p.settings.grade_window_m / 2.0
    lo = max(p.row_at(p.dist[a2] - half), a1)
    hi = min(p.row_at(p.dist[b1] + half), b2)
    left = p.grade[p.row_at(p.dist[a2] - p.settings.grade_window_m) : a2 + 1]
    right = p.grade[b1 : p.row_at(p.dist[b1] + p.settings.grade_window_m) + 1]
    if not (np.isfinite(left).any() and np.isfinite(right).any()):
        return gap
    climb = max((float(np.nanmax(left)) + float(np.nanmax(right))) / 2.0, p.min_grade)
    rise = float(p.altitude_m[hi] - p.altitude_m[lo])
    if not np.isfinite(rise):
        return gap
    return float(p.dist[hi] - p.dist[lo]) - rise / climb


def _merge(p: _Profile, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join consecutive runs whose dip (``dip_length_m``) is shorter than the limit."""
    merged: list[tuple[int, int]] = []
    for run in runs:
        if merged and dip_length_m(p, merged[-1], run) < p.settings.hill_max_dip_m:
            merged[-1] = (merged[-1][0], run[1])
        else:
            merged.append(run)
    return merged


def _crossing(g: np.ndarray, rows: np.ndarray, level: float) -> int:
    """Along ``rows`` (walked from inside the hill outwards), the row where the grade
    crosses ``level``: the nearer of the last row at or above it and the first below."""
    below = np.flatnonzero(~(g[rows] >= level))
    if below.size == 0:
        return int(rows[-1])
    k = int(below[0])
    if k == 0:
        return int(rows[0])
    inside, outside = g[rows[k - 1]], g[rows[k]]
    nearer_out = np.isfinite(outside) and level - outside < inside - level
    return int(rows[k] if nearer_out else rows[k - 1])


def _refined_end(p: _Profile, edge: int, inner: int, outer: int) -> int:
    """The row of the hill's foot (or top) near ``edge``, its first (last) steep row.

    Smoothing turns a change of grade into a ramp centred on it, so the change lies
    where the smoothed grade is half-way between the hill's grade just inside (rows to
    ``inner``) and the ground's just outside (rows to ``outer``), however wide the ramp.
    The minimum-grade crossing instead cuts or adds up to half a grade window (a 300 m
    climb at 5% read as ~265 m). Without ground outside (a record that starts on the
    hill) the edge stays.
    """
    step = 1 if outer > edge else -1
    outside = np.arange(edge + step, outer + step, step)
    inside = np.arange(edge, inner - step, -step)
    g_out, g_in = p.grade[outside], p.grade[inside]
    if not (np.isfinite(g_out).any() and np.isfinite(g_in).any()):
        return edge
    level = (float(np.nanmax(g_in)) + float(np.nanmin(g_out))) / 2.0
    if level < p.min_grade:  # the ramp's middle lies outside: walk out to it
        return _crossing(p.grade, np.concatenate([[edge], outside]), level)
    return _crossing(-p.grade, inside, -level)  # inside: walk in to the first row at it


def _refine(p: _Profile, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each span's ends moved to where the grade changes (``_refined_end``): out by at
    most a grade window and never past half-way to the next span the same way; the
    hill's grade read within half a window of the end (further in, the peak of a short
    steep hill would stand for the grade at its foot and cut real climbing off)."""
    window = p.settings.grade_window_m
    out = []
    for n, (a, b) in enumerate(spans):
        mid = (a + b) // 2
        before = p.row_at(p.dist[a] - window)
        if n:
            before = max(before, (spans[n - 1][1] + a + 1) // 2)
        after = p.row_at(p.dist[b] + window)
        if n + 1 < len(spans):
            after = min(after, (b + spans[n + 1][0]) // 2)
        start = _refined_end(p, a, inner=min(p.row_at(p.dist[a] + window / 2), mid), outer=before)
        end = _refined_end(p, b, inner=max(p.row_at(p.dist[b] - window / 2), mid), outer=after)
        if end > start:
            out.append((start, end))
    return out


def candidate_spans(
    grade: np.ndarray, altitude_m: np.ndarray, dist: np.ndarray, sign: int, settings: Settings
) -> list[tuple[int, int]]:
    """Row spans (inclusive) of hills in direction ``sign``, before the gain test.

    Runs of smoothed grade at or above the minimum are joined across short dips
    (``dip_length_m``), their ends moved to where the grade changes (``_refined_end``),
    and kept when at least ``hill_min_length_m`` long.
    """
    p = _Profile(sign * grade, sign * altitude_m, np.maximum.accumulate(dist), settings)
    steep = np.nan_to_num(p.grade, nan=-np.inf) >= p.min_grade
    spans = _refine(p, _merge(p, _runs(steep)))
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
    """Time, walking share, heart rate and easy share from row a's time to row b's.

    A row weighs the step to the next row, so the hill's time is that of rows a..b-1;
    row b's step lies beyond the hill's end. ``hill_exposure`` counts the same rows.
    """
    w = inputs.weights_s[a:b]
    g = inputs.gait[a:b]
    hr = cols.heart_rate_bpm[a:b]
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
        for a, b in candidate_spans(inputs.grade, inputs.altitude_m, dist, sign, settings):
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
